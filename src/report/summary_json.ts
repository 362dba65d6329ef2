/**
 * `summary.json`: the deterministic run parameters, the rows, the
 * assessments and `allOk`, with no wall-clock field, so that two runs of
 * the same plan give byte-identical files.
 *
 * @module
 */

import { allOk, type Summary } from "./verdict.ts";
import type { RunInfo } from "./run_info.ts";

/**
 * The text of `summary.json`: the deterministic run parameters (seed,
 * profile, backend, trials override, shard, claims), the rows, the
 * assessments (with `ok`) and `allOk`. Wall-clock fields of `info` are left
 * out so that the file is reproducible.
 *
 * @example
 * ```ts
 * import { summaryJson } from "./summary_json.ts";
 * import assert from "node:assert/strict";
 * const text = summaryJson({ rows: [], assessments: [] }, {
 *   seed: 1, profile: "ci", backend: "cpu", trials: null, shard: null, claims: [],
 * });
 * assert.equal(JSON.parse(text).allOk, true);
 * ```
 */
export function summaryJson(summary: Summary, info: RunInfo): string {
  const value = {
    run: {
      seed: info.seed,
      profile: info.profile,
      backend: info.backend,
      trials: info.trials,
      shard: info.shard,
    },
    claims: info.claims,
    rows: summary.rows,
    assessments: summary.assessments.map(({ claim, a }) => ({
      claim,
      check: a.check,
      expect: a.expect,
      verdict: a.verdict,
      ok: a.verdict === a.expect,
      detail: a.detail,
    })),
    allOk: allOk(summary),
  };
  return JSON.stringify(value, null, 2) + "\n";
}
