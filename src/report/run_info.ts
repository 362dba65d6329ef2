/**
 * What the reports say about a run besides its verdicts: the run
 * parameters and, per claim, its title, statement, constants (with the
 * reason for each) and checks (with role, twin and margin).
 *
 * @module
 */

import type { Shard } from "../runner/shard.ts";
import type {
  CheckMargin,
  CheckRole,
  ClaimSpec,
  Profile,
} from "../claims/types.ts";
import { roleOf } from "./verdict.ts";
import { configsFor } from "../claims/regime_map.ts";

/** What the reports say about one check of a claim. */
export interface CheckInfo {
  /** Check name. */
  name: string;
  /** Expected verdict. */
  expect: string;
  /** Target pass rate. */
  target: number;
  /** What a trial must do to pass. */
  description: string;
  /** The configurations running the check. */
  configs: string[];
  /** What the check is for (default from `expect`). */
  role?: CheckRole;
  /** The prediction a twin, control or sanity line shadows. */
  twinOf?: string;
  /** The measured quantity and its threshold. */
  margin?: CheckMargin;
}

/** What the reports say about one claim besides its rows. */
export interface ClaimInfo {
  /** Claim id. */
  id: string;
  /** Short title. */
  title: string;
  /** One-paragraph statement. */
  statement: string;
  /** Named constants and their values. */
  constants: Record<string, number>;
  /** One line per named constant: why it has its value. */
  constantReasons?: Record<string, string>;
  /** Source tag as in PAPER.md. */
  source?: string;
  /** Hypotheses the claim needs. */
  hypotheses?: string[];
  /** The claim's checks with what a trial must do, and the configurations running each. */
  checks?: CheckInfo[];
}

/**
 * The {@linkcode ClaimInfo} of a claim at a profile (for the reports): its
 * constants with their reasons (`{}` when it gives none) and its checks,
 * each once, with role, twin and margin.
 *
 * @example
 * ```ts
 * import { claimInfo } from "./run_info.ts";
 * import assert from "node:assert/strict";
 * const check = { name: "a", description: "d", target: 0.9, expect: "holds" as const };
 * const claim = {
 *   id: "C0", title: "t", statement: "s", source: "[R]", hypotheses: [], constants: {},
 *   configs: () => [
 *     { key: "x", params: {}, checks: [check], trials: 1 },
 *     { key: "y", params: {}, checks: [check], trials: 1 },
 *   ],
 *   runTrial: () => Promise.reject(new Error("not run")),
 * };
 * assert.deepEqual(claimInfo(claim, "ci").checks?.[0].configs, ["x", "y"]);
 * ```
 */
export function claimInfo(claim: ClaimSpec, profile: Profile): ClaimInfo {
  const configs = configsFor(claim, profile);
  const checks = new Map<string, CheckInfo>();
  for (const config of configs) {
    for (const check of config.checks) {
      const entry: CheckInfo = checks.get(check.name) ?? {
        name: check.name,
        expect: check.expect,
        target: check.target,
        description: check.description,
        configs: [],
        role: roleOf(check),
        ...(check.twinOf === undefined ? {} : { twinOf: check.twinOf }),
        ...(check.margin === undefined ? {} : { margin: check.margin }),
      };
      entry.configs.push(config.key);
      checks.set(check.name, entry);
    }
  }
  return {
    id: claim.id,
    title: claim.title,
    statement: claim.statement,
    constants: claim.constants,
    constantReasons: claim.constantReasons ?? {},
    source: claim.source,
    hypotheses: claim.hypotheses,
    checks: [...checks.values()],
  };
}

/** Parameters of a run, shown in the "Run" section of the reports. */
export interface RunInfo {
  /** Run seed. */
  seed: number;
  /** Size profile. */
  profile: Profile;
  /** Tensor backend name. */
  backend: string;
  /** Number of workers (Markdown only: it never changes the results). */
  workers?: number;
  /** Start time as an ISO string (Markdown only). */
  started?: string;
  /** Wall time of the run in seconds (Markdown only). */
  elapsedSeconds?: number;
  /** Trials override, or `null` for each configuration's own count. */
  trials: number | null;
  /** The shard this run covers, or `null` for the whole plan. */
  shard: Shard | null;
  /** The claims of the run, in run order. */
  claims: ClaimInfo[];
  /** Further lines for the Markdown "Run" section (name → value). */
  extra?: Record<string, string>;
}

/**
 * The fields of a run a `summary.json` records under `run` (claims or map
 * run alike): what makes two runs comparable.
 *
 * @example
 * ```ts
 * import { runJson } from "./run_info.ts";
 * import assert from "node:assert/strict";
 * const info = { seed: 1, profile: "ci" as const, backend: "blas", trials: null, shard: null, claims: [], workers: 2 };
 * assert.deepEqual(runJson(info), { seed: 1, profile: "ci", backend: "blas", trials: null, shard: null });
 * ```
 */
export function runJson(
  info: RunInfo,
): Pick<RunInfo, "seed" | "profile" | "backend" | "trials" | "shard"> {
  const { seed, profile, backend, trials, shard } = info;
  return { seed, profile, backend, trials, shard };
}
