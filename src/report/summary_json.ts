/**
 * `summary.json`: the deterministic run parameters, the verdict rules with
 * their reasons, the Holm family, the claims with their constants and the
 * reason for each, the rows (with role, twin and power, margin, p-values
 * and adjusted verdicts), the assessments and `allOk`, with no wall-clock
 * field, so that two runs of the same plan give byte-identical files. It
 * is also the baseline format of `deno task regress` (see `regress.ts`).
 *
 * @module
 */

import { adjustFamily, allOk, type Summary } from "./verdict.ts";
import type { RunInfo } from "./run_info.ts";
import { VERDICT_RULE_REASONS, VERDICT_RULES } from "../stats/mod.ts";

/** The layout version of `summary.json` this code writes. */
export const SUMMARY_JSON_FORMAT = 2;

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
 * threshold), the claims (constants, `constantReasons`, checks), the rows
 * (every field of a `CheckRow`), the assessments (with `pValue`,
 * `pAdjusted`, `adjustedVerdict`, `ok` and `okAdjusted`) and `allOk` (after
 * the adjustment). Wall-clock fields of `info` are left out so that the
 * file is reproducible.
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
export function summaryJson(summary: Summary, info: RunInfo): string {
  const adjusted = adjustFamily(summary);
  const value = {
    format: SUMMARY_JSON_FORMAT,
    run: {
      seed: info.seed,
      profile: info.profile,
      backend: info.backend,
      trials: info.trials,
      shard: info.shard,
    },
    rules: verdictRulesJson(),
    family: adjusted.family,
    claims: info.claims.map((c) => ({
      ...c,
      constantReasons: c.constantReasons ?? {},
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
    })),
    allOk: allOk(summary),
  };
  return JSON.stringify(value, null, 2) + "\n";
}
