/**
 * Small helpers for reading measured values back out of trial records, for
 * report highlights and figures.
 *
 * @module
 */

import { quantile } from "../stats/mod.ts";
import type { TrialRecord } from "./types.ts";

/** Records whose trial ran to the end (status `ok`). */
export function okRecords(records: TrialRecord[]): TrialRecord[] {
  return records.filter((r) => r.result.status === "ok");
}

/**
 * The largest share of unfinished (not `ok`) trials on which a claim-level
 * assessment may rest; above it the assessment is `inconclusive`.
 */
export const MAX_UNFINISHED_ASSESSMENT_SHARE = 0.2;

/** Share of records whose trial did not run to the end (0 for none). */
export function unfinishedShare(records: TrialRecord[]): number {
  return records.length === 0
    ? 0
    : 1 - okRecords(records).length / records.length;
}

/** The finite numeric values of a column over the ok records. */
export function column(records: TrialRecord[], key: string): number[] {
  return okRecords(records)
    .map((r) => Number(r.result.values[key]))
    .filter((x) => Number.isFinite(x));
}

/**
 * "median [q10, q90]" of a column over the ok records, or "n/a".
 *
 * @example
 * ```ts
 * import { columnRange } from "./records.ts";
 * import assert from "node:assert/strict";
 * const rec = (x: number) => ({
 *   task: { claim: "C0", config: "c", trial: 0, seed: 0 },
 *   result: { status: "ok" as const, reason: "", checks: {}, values: { x } },
 * });
 * assert.equal(columnRange([rec(1), rec(2), rec(3)], "x"), "2 [1.2, 2.8]");
 * ```
 */
export function columnRange(records: TrialRecord[], key: string): string {
  const values = column(records, key);
  if (values.length === 0) return "n/a";
  const f = (x: number) => Number(x.toPrecision(4)).toString();
  return `${f(quantile(values, 0.5))} [${f(quantile(values, 0.1))}, ${
    f(quantile(values, 0.9))
  }]`;
}
