/**
 * Planning a run: every (claim, configuration, trial) in order, each trial
 * with its seed (from the run seed, claim, configuration and trial index
 * only) and its running index over the whole plan, which shards split on.
 *
 * @module
 */

import { trialSeed } from "../model/rng.ts";
import { configsFor } from "../claims/regime_map.ts";
import type {
  CheckSpec,
  ClaimConfig,
  ClaimSpec,
  Profile,
  TrialTask,
} from "../claims/types.ts";

/** One claim of a plan: its configurations (trials override applied) and checks. */
export interface ClaimPlan {
  /** The claim. */
  claim: ClaimSpec;
  /** Its configurations at the profile, with the effective trial counts. */
  configs: ClaimConfig[];
  /** Its distinct checks, in order. */
  checks: CheckSpec[];
}

/** One trial of a plan with its running index over the whole plan. */
export interface PlannedTrial {
  /** The trial. */
  task: TrialTask;
  /** Running index over all trials of the plan, from 0. */
  index: number;
}

/** Every trial of a run, in plan order. */
export interface RunPlan {
  /** The claims with their configurations. */
  claims: ClaimPlan[];
  /** All trials (every shard), in plan order. */
  trials: PlannedTrial[];
}

/** What a plan depends on besides the claims. */
export interface PlanOptions {
  /** Size profile. */
  profile: Profile;
  /** Run seed. */
  seed: number;
  /** Overrides every configuration's number of trials. */
  trials?: number | null;
}

/**
 * A claim's configurations at `profile` (at `map`, the cells of its regime
 * maps: `configsFor`), with every trial count replaced by `trials` when
 * given.
 *
 * @example
 * ```ts
 * import { configsAt } from "./plan.ts";
 * import assert from "node:assert/strict";
 * const claim = {
 *   id: "C0", title: "", statement: "", source: "", hypotheses: [], constants: {},
 *   configs: () => [{ key: "k", params: {}, checks: [], trials: 3 }],
 *   runTrial: () => Promise.reject(new Error("not run")),
 * };
 * assert.equal(configsAt(claim, { profile: "ci", trials: 5 })[0].trials, 5);
 * assert.equal(configsAt(claim, { profile: "ci" })[0].trials, 3);
 * ```
 */
export function configsAt(
  claim: ClaimSpec,
  options: { profile: Profile; trials?: number | null },
): ClaimConfig[] {
  return configsFor(claim, options.profile).map((c) => ({
    ...c,
    trials: options.trials ?? c.trials,
  }));
}

/**
 * The distinct checks of a claim's configurations, by name, in order of
 * first appearance. A check name declared twice with a different target or
 * expectation is a bug in the claim and throws.
 *
 * @example
 * ```ts
 * import { claimChecks } from "./plan.ts";
 * import assert from "node:assert/strict";
 * const c = { name: "a", description: "", target: 0.9, expect: "holds" as const };
 * const configs = [
 *   { key: "x", params: {}, checks: [c], trials: 1 },
 *   { key: "y", params: {}, checks: [c], trials: 1 },
 * ];
 * assert.deepEqual(claimChecks(configs).map((s) => s.name), ["a"]);
 * ```
 */
export function claimChecks(configs: ClaimConfig[]): CheckSpec[] {
  const byName = new Map<string, CheckSpec>();
  for (const config of configs) {
    for (const check of config.checks) {
      const seen = byName.get(check.name);
      if (seen === undefined) {
        byName.set(check.name, check);
      } else if (
        seen.target !== check.target || seen.expect !== check.expect
      ) {
        throw new Error(
          `check "${check.name}" is declared with different target or expect ` +
            `in different configurations (config "${config.key}")`,
        );
      }
    }
  }
  return [...byName.values()];
}

/**
 * The key of a trial within a run (claim, configuration, trial index).
 *
 * @example
 * ```ts
 * import { taskKey } from "./plan.ts";
 * import assert from "node:assert/strict";
 * const key = taskKey({ claim: "C1", config: "k", trial: 2, seed: 9 });
 * assert.equal(key.replaceAll("\u0000", "/"), "C1/k/2");
 * ```
 */
export function taskKey(task: TrialTask): string {
  return `${task.claim}\u0000${task.config}\u0000${task.trial}`;
}

/**
 * Plan a run: every (claim, configuration, trial) in order, with its seed
 * from {@linkcode trialSeed} and its running index (the index shards split
 * on). A claim or configuration listed twice, or a trial count that is not
 * a non-negative integer, throws.
 *
 * @example
 * ```ts
 * import { planRun } from "./plan.ts";
 * import assert from "node:assert/strict";
 * const claim = {
 *   id: "C0", title: "", statement: "", source: "", hypotheses: [], constants: {},
 *   configs: () => [{ key: "k", params: {}, checks: [], trials: 3 }],
 *   runTrial: () => Promise.reject(new Error("not run")),
 * };
 * const plan = planRun([claim], { profile: "ci", seed: 1, trials: 2 });
 * assert.deepEqual(plan.trials.map((t) => t.task.trial), [0, 1]);
 * ```
 */
export function planRun(claims: ClaimSpec[], options: PlanOptions): RunPlan {
  const ids = new Set<string>();
  const plans: ClaimPlan[] = [];
  const all: PlannedTrial[] = [];
  for (const claim of claims) {
    if (ids.has(claim.id)) throw new Error(`claim ${claim.id} is listed twice`);
    ids.add(claim.id);
    const configs = configsAt(claim, options);
    const keys = new Set<string>();
    for (const config of configs) {
      if (keys.has(config.key)) {
        throw new Error(
          `claim ${claim.id}: configuration "${config.key}" is listed twice`,
        );
      }
      keys.add(config.key);
      if (!Number.isInteger(config.trials) || config.trials < 0) {
        throw new Error(
          `claim ${claim.id}, configuration "${config.key}": trials must be a ` +
            `non-negative integer, got ${config.trials}`,
        );
      }
      for (let trial = 0; trial < config.trials; trial++) {
        all.push({
          task: {
            claim: claim.id,
            config: config.key,
            trial,
            seed: trialSeed(options.seed, {
              claim: claim.id,
              config: config.key,
              trial,
            }),
          },
          index: all.length,
        });
      }
    }
    plans.push({ claim, configs, checks: claimChecks(configs) });
  }
  return { claims: plans, trials: all };
}
