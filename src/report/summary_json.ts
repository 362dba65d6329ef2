/**
 * `summary.json`: the deterministic run parameters, the verdict rules with
 * their reasons, the Holm family, the claims with their constants and the
 * reason for each (and their key measurements), the rows (with role, twin
 * and power, margin, p-values and adjusted verdicts), the assessments
 * (with their fitted estimates), the deviations from the paper and
 * `allOk`, with no wall-clock field, so that two runs of the same plan give
 * byte-identical files. It is also the baseline format of
 * `deno task regress` (see `regress.ts`).
 *
 * @module
 */

import { adjustFamily, allOk, type Summary } from "./verdict.ts";
import { type RunInfo, runJson } from "./run_info.ts";
import type { Deviation } from "./deviations.ts";
import type { KeyMeasurements } from "./measurements.ts";
import { VERDICT_RULE_REASONS, VERDICT_RULES } from "../stats/mod.ts";

/**
 * The layout version of `summary.json` this code writes: 3 adds the
 * claims' `highlights` (key measurements with their numbers), the
 * assessments' `estimates` and the top-level `deviations`.
 */
export const SUMMARY_JSON_FORMAT = 3;

/** What `summary.json` carries besides the summary and the run info. */
export interface SummaryJsonExtras {
  /** Key measurements by claim id (each claim's `highlights`). */
  measurements?: Record<string, KeyMeasurements>;
  /** The run's deviations from the paper (`[]` when not given). */
  deviations?: Deviation[];
}

/**
 * The verdict rules as written to `summary.json`: each constant's value
 * and reason, by name.
 *
 * @example
 * ```ts
 * import { verdictRulesJson } from "./summary_json.ts";
 * import assert from "node:assert/strict";
 * assert.equal(verdictRulesJson().controlCeiling.value, 0.2);
 * ```
 */
export function verdictRulesJson(): Record<
  string,
  { value: number; reason: string }
> {
  return Object.fromEntries(
    Object.entries(VERDICT_RULES).map(([name, value]) => [
      name,
      {
        value,
        reason: VERDICT_RULE_REASONS[name as keyof typeof VERDICT_RULES],
      },
    ]),
  );
}

/**
 * The text of `summary.json`: `format`, the deterministic run parameters
 * (seed, profile, backend, trials override, shard), the verdict `rules`
 * (value and reason of each), the Holm `family` (size, alpha, strictest
 * threshold), the claims (constants, `constantReasons`, checks, and with
 * `extras.measurements` the key measurements of those that declare
 * `highlights`, as `highlights`: columns,
 * and per configuration its finished trials `n`, the `cells` text and the
 * `stats` — median, q10, q90, n — of each column), the rows (every field
 * of a `CheckRow`), the assessments (with `pValue`, `pAdjusted`,
 * `adjustedVerdict`, `ok`, `okAdjusted` and `estimates`, `null` when the
 * assessment has none), the `deviations` (`deviations.ts`) and `allOk`
 * (after the adjustment). Wall-clock fields of `info` are left out so that
 * the file is reproducible.
 *
 * @example
 * ```ts
 * import { summaryJson } from "./summary_json.ts";
 * import assert from "node:assert/strict";
 * const text = summaryJson({ rows: [], assessments: [] }, {
 *   seed: 1, profile: "ci", backend: "cpu", trials: null, shard: null, claims: [],
 * });
 * assert.equal(JSON.parse(text).allOk, true);
 * assert.equal(JSON.parse(text).rules.familyAlpha.value, 0.05);
 * ```
 */
export function summaryJson(
  summary: Summary,
  info: RunInfo,
  extras: SummaryJsonExtras = {},
): string {
  const adjusted = adjustFamily(summary);
  const value = {
    format: SUMMARY_JSON_FORMAT,
    run: runJson(info),
    rules: verdictRulesJson(),
    family: adjusted.family,
    claims: info.claims.map((c) => ({
      ...c,
      constantReasons: c.constantReasons ?? {},
      ...((extras.measurements?.[c.id]?.columns.length ?? 0) === 0
        ? {}
        : { highlights: extras.measurements![c.id] }),
    })),
    rows: adjusted.rows,
    assessments: adjusted.assessments.map(({ claim, a, ...x }) => ({
      claim,
      check: a.check,
      expect: a.expect,
      verdict: a.verdict,
      ok: a.verdict === a.expect,
      pValue: a.pValue ?? null,
      pAdjusted: x.pAdjusted,
      adjustedVerdict: x.adjustedVerdict,
      okAdjusted: x.adjustedVerdict === a.expect,
      detail: a.detail,
      estimates: a.estimates ?? null,
    })),
    deviations: extras.deviations ?? [],
    allOk: allOk(summary),
  };
  return JSON.stringify(value, null, 2) + "\n";
}
