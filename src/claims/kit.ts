/**
 * The kit for writing a claim: what every claim module needs besides the
 * measurements of `measure/` and the model and training of `model/` and
 * `flow/`. A claim module imports from here, never from another claim.
 *
 * - {@linkcode instanceParams}: a configuration's parameters as validated
 *   {@linkcode InstanceParams} (defaults filled in).
 * - {@linkcode flowStatus}, {@linkcode unlessDegenerate}: the trial status
 *   from the training run and the measurement.
 * - {@linkcode flowColumns}, {@linkcode round}: the columns every trained
 *   trial reports, and the rounding of reported values.
 * - {@linkcode sizeKey}: the sizes part of a configuration key.
 * - {@linkcode selectChecks}, {@linkcode withinFactor}: per-trial checks.
 * - {@linkcode syncTrial}: a claim's `runTrial` from a synchronous trial
 *   function of the seed and the configuration.
 * - The record helpers of `records.ts` ({@linkcode okRecords},
 *   {@linkcode column}, {@linkcode columnStats}, ...), for assessments,
 *   highlights and figures.
 *
 * A trial usually reads:
 *
 * @example
 * ```ts
 * import { flowColumns, flowStatus, instanceParams } from "./kit.ts";
 * import { drawInstance } from "../model/instance.ts";
 * import { trainInstance } from "../flow/train.ts";
 * import { initBackend } from "../backend/backends.ts";
 * import assert from "node:assert/strict";
 * await initBackend("cpu");
 * const params = instanceParams({ d: 40, k: 4, n: 20, m: 8, nTest: 10 });
 * const instance = drawInstance(9, params);
 * const flow = trainInstance(instance);
 * assert.equal(flowStatus(flow).status, "ok");
 * assert.equal(flowColumns(instance, flow).clusters_seen, 4);
 * ```
 *
 * @module
 */

import { clustersSeen } from "../model/data.ts";
import {
  defaultInstance,
  type InstanceParams,
  MEANS_KINDS,
} from "../model/instance.ts";
import type { Instance } from "../model/instance.ts";
import { DRIFT_LIMIT, type FlowResult } from "../flow/mod.ts";
import type { Cell, ClaimConfig, ClaimSpec, TrialResult } from "./types.ts";

export {
  column,
  columnRange,
  type ColumnStats,
  columnStats,
  MAX_UNFINISHED_ASSESSMENT_SHARE,
  okRecords,
  soundnessAssessment,
  statsText,
  unfinishedShare,
} from "./records.ts";

/** The status part of a {@linkcode TrialResult}: `status` and `reason`. */
export type TrialStatusPart = Pick<TrialResult, "status" | "reason">;

/**
 * Read instance parameters out of a config's parameter record: the keys of
 * {@linkcode InstanceParams} it has, {@linkcode defaultInstance} for the
 * rest. Throws a RangeError naming the first invalid parameter (sizes must
 * be positive integers, d ≥ k ≥ 2, correlated means need d ≥ k + 1, a known
 * means kind, correlation in [0, 1), σ ≥ 0, α > 0, ε in (0, 1]).
 *
 * @example
 * ```ts
 * import { instanceParams } from "./kit.ts";
 * import assert from "node:assert/strict";
 * assert.equal(instanceParams({ d: 50, other: "ignored" }).d, 50);
 * assert.throws(() => instanceParams({ d: 3, k: 5 }), /d must be ≥ k/);
 * ```
 */
export function instanceParams(params: Record<string, Cell>): InstanceParams {
  const out = { ...defaultInstance } as unknown as Record<string, Cell>;
  for (const key of Object.keys(defaultInstance)) {
    if (key in params) out[key] = params[key];
  }
  const p = out as unknown as InstanceParams;
  for (const key of ["d", "k", "n", "m", "nTest", "maxSteps"] as const) {
    if (!Number.isInteger(p[key]) || p[key] < 1) {
      throw new RangeError(`${key} must be a positive integer, got ${p[key]}`);
    }
  }
  if (p.k < 2) throw new RangeError(`k must be ≥ 2, got ${p.k}`);
  if (p.d < p.k) throw new RangeError(`d must be ≥ k, got d=${p.d} < k=${p.k}`);
  if (!MEANS_KINDS.includes(p.means)) {
    throw new RangeError(
      `means must be one of ${MEANS_KINDS.join(", ")}, got "${p.means}"`,
    );
  }
  if (p.means === "correlated" && p.d < p.k + 1) {
    throw new RangeError(
      `correlated means need d ≥ k + 1, got d=${p.d}, k=${p.k}`,
    );
  }
  checkReal(p, ["correlation", (x) => x >= 0 && x < 1, "in [0, 1)"]);
  checkReal(p, [
    "sigma",
    (x) => x >= 0 && Number.isFinite(x),
    "a finite number ≥ 0",
  ]);
  checkReal(p, [
    "initScale",
    (x) => x > 0 && Number.isFinite(x),
    "a finite number > 0",
  ]);
  checkReal(p, ["stepFraction", (x) => x > 0 && x <= 1, "in (0, 1]"]);
  return p;
}

/** Throw unless `p[key]` is a number passing `ok`, saying which `range` it must be in. */
function checkReal(
  p: InstanceParams,
  [key, ok, range]: [keyof InstanceParams, (x: number) => boolean, string],
): void {
  const x = p[key];
  if (typeof x !== "number" || !ok(x)) {
    throw new RangeError(`${key} must be ${range}, got ${x}`);
  }
}

/**
 * The trial status implied by a flow result: a flow that never reached
 * L < log(2)/n is `not-converged`, NaN/Inf is `error`; otherwise `ok`.
 *
 * @example
 * ```ts
 * import { flowStatus } from "./kit.ts";
 * import type { FlowResult } from "../flow/mod.ts";
 * import assert from "node:assert/strict";
 * const stuck = { status: "stuck", separatedAtStep: -1, steps: 3 } as FlowResult;
 * assert.equal(flowStatus(stuck).status, "not-converged");
 * ```
 */
export function flowStatus(
  flow: Pick<FlowResult, "status" | "steps" | "separatedAtStep">,
): TrialStatusPart {
  if (flow.status === "not-separated") {
    return {
      status: "not-converged",
      reason: `L ≥ log(2)/n after ${flow.steps} steps`,
    };
  }
  if (flow.status === "stuck") {
    return {
      status: flow.separatedAtStep >= 0 ? "ok" : "not-converged",
      reason: flow.separatedAtStep >= 0
        ? ""
        : `zero gradient before L < log(2)/n at step ${flow.steps}`,
    };
  }
  if (flow.status === "diverged") {
    return {
      status: "error",
      reason: `NaN/Inf in training at step ${flow.steps}`,
    };
  }
  return { status: "ok", reason: "" };
}

/**
 * `base`, unless it is `ok` and a second training run the trial needs
 * (`other`, named `what`) did not finish: then that run's status.
 *
 * @example
 * ```ts
 * import { alsoFinished } from "./kit.ts";
 * import assert from "node:assert/strict";
 * const ok = { status: "ok" as const, reason: "" };
 * const other = { status: "not-converged" as const, reason: "L ≥ log(2)/n" };
 * assert.deepEqual(alsoFinished(ok, { other, what: "second run" }), {
 *   status: "not-converged",
 *   reason: "second run: L ≥ log(2)/n",
 * });
 * assert.equal(alsoFinished(ok, { other: ok, what: "second run" }), ok);
 * ```
 */
export function alsoFinished(
  base: TrialStatusPart,
  second: { other: TrialStatusPart; what: string },
): TrialStatusPart {
  const { other, what } = second;
  return base.status === "ok" && other.status !== "ok"
    ? { ...other, reason: `${what}: ${other.reason}` }
    : base;
}

/** When a trial's measurement is degenerate, and what to say then. */
export interface Degeneracy {
  /** Whether the measurement is degenerate. */
  degenerate: boolean;
  /** The reason recorded for an `error` status. */
  reason: string;
}

/**
 * Turn an `ok` status into `error` when a trial's measurement is degenerate
 * (e.g. no correctly classified test point to attack), so that it counts
 * against predictions and is left out of controls instead of passing as
 * "control failed".
 *
 * @example
 * ```ts
 * import { unlessDegenerate } from "./kit.ts";
 * import assert from "node:assert/strict";
 * const ok = { status: "ok" as const, reason: "" };
 * assert.deepEqual(unlessDegenerate(ok, { degenerate: true, reason: "no point" }), {
 *   status: "error",
 *   reason: "no point",
 * });
 * assert.equal(unlessDegenerate(ok, { degenerate: false, reason: "" }), ok);
 * ```
 */
export function unlessDegenerate(
  base: TrialStatusPart,
  degeneracy: Degeneracy,
): TrialStatusPart {
  return base.status === "ok" && degeneracy.degenerate
    ? { status: "error", reason: degeneracy.reason }
    : base;
}

/**
 * Round to `digits` significant decimals for reports (deterministic).
 *
 * @example
 * ```ts
 * import { round } from "./kit.ts";
 * import assert from "node:assert/strict";
 * assert.equal(round(1.23456, 3), 1.23);
 * ```
 */
export function round(value: number, digits: number): number {
  if (!Number.isFinite(value)) return value;
  return Number(value.toPrecision(digits));
}

/** Columns every trained trial reports: the instance and the integrator's record. */
export function flowColumns(
  instance: Instance,
  flow: FlowResult,
): Record<string, Cell> {
  return {
    rho: round(instance.model.rho, 4),
    clusters_seen: clustersSeen(instance.train, instance.params.k),
    form: flow.form,
    engine: flow.engine ?? "tfjs",
    flow_status: flow.status,
    steps: flow.steps,
    separated_step: flow.separatedAtStep,
    log10_time_separated: round(flow.log10TimeSeparated, 4),
    log10_time: round(flow.log10Time, 4),
    log10_loss: round(flow.log10Loss, 4),
    normalized_margin: round(flow.normalizedMargin, 6),
    conserved_drift: round(flow.conservedDrift, 6),
    drift_above_limit: flow.conservedDrift > DRIFT_LIMIT,
  };
}

/**
 * The outcomes of a configuration's checks, in its order, picked by name
 * from the outcomes of all the checks a trial can evaluate.
 *
 * @example
 * ```ts
 * import { selectChecks } from "./kit.ts";
 * import assert from "node:assert/strict";
 * const config = {
 *   key: "k", params: {}, trials: 1,
 *   checks: [{ name: "b", description: "", target: 0.8, expect: "holds" as const }],
 * };
 * assert.deepEqual(selectChecks(config, { a: true, b: false }), { b: false });
 * ```
 */
export function selectChecks(
  config: ClaimConfig,
  outcomes: Record<string, boolean>,
): Record<string, boolean> {
  return Object.fromEntries(
    config.checks.map((c) => [c.name, outcomes[c.name]]),
  );
}

/**
 * Whether `value` lies within a factor of one: in [1/factor, factor].
 *
 * @example
 * ```ts
 * import { withinFactor } from "./kit.ts";
 * import assert from "node:assert/strict";
 * assert.ok(withinFactor(0.5, 2) && withinFactor(2, 2));
 * assert.ok(!withinFactor(2.1, 2) && !withinFactor(NaN, 2));
 * ```
 */
export function withinFactor(value: number, factor: number): boolean {
  return value >= 1 / factor && value <= factor;
}

/**
 * A claim's `runTrial` from a synchronous trial function of the trial seed
 * and the configuration (the result wrapped in a resolved promise).
 *
 * @example
 * ```ts
 * import { syncTrial } from "./kit.ts";
 * import assert from "node:assert/strict";
 * const runTrial = syncTrial((seed) => ({
 *   status: "ok", reason: "", checks: {}, values: { seed },
 * }));
 * const task = { claim: "C0", config: "c", trial: 0, seed: 7 };
 * const config = { key: "c", params: {}, checks: [], trials: 1 };
 * assert.equal((await runTrial(task, config)).values.seed, 7);
 * ```
 */
export function syncTrial(
  trial: (seed: number, config: ClaimConfig) => TrialResult,
): ClaimSpec["runTrial"] {
  return (task, config) => Promise.resolve(trial(task.seed, config));
}

/** The sizes of an instance that name a configuration. */
export interface InstanceSizes {
  /** Input dimension d. */
  d: number;
  /** Number of clusters k. */
  k: number;
  /** Training-set size n. */
  n: number;
  /** Width m. */
  m: number;
}

/**
 * The sizes part of a configuration key, `d=…,k=…,n=…,m=…` (a key may add a
 * prefix such as `unseen-clusters:`). Keys name configurations in reports
 * and seed their trials, so they must not change.
 *
 * @example
 * ```ts
 * import { sizeKey } from "./kit.ts";
 * import assert from "node:assert/strict";
 * assert.equal(sizeKey({ d: 500, k: 10, n: 100, m: 100 }), "d=500,k=10,n=100,m=100");
 * ```
 */
export function sizeKey(sizes: InstanceSizes): string {
  return `d=${sizes.d},k=${sizes.k},n=${sizes.n},m=${sizes.m}`;
}
