/**
 * Small helpers for reading measured values back out of trial records, for
 * report highlights and figures.
 *
 * @module
 */

import { quantile } from "../stats/mod.ts";
import type { Assessment, TrialRecord } from "./types.ts";

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

/** The median and 10%/90% quantiles of a column over the finished trials. */
export interface ColumnStats {
  /** Median. */
  median: number;
  /** 10% quantile. */
  q10: number;
  /** 90% quantile. */
  q90: number;
  /** Finished trials with a finite value. */
  n: number;
}

/**
 * The median, 10% and 90% quantiles (type 7) and count of the finite
 * values of a column over the ok records; `null` without any.
 *
 * @example
 * ```ts
 * import { columnStats } from "./records.ts";
 * import assert from "node:assert/strict";
 * const rec = (x: number) => ({
 *   task: { claim: "C0", config: "c", trial: 0, seed: 0 },
 *   result: { status: "ok" as const, reason: "", checks: {}, values: { x } },
 * });
 * assert.deepEqual(columnStats([rec(1), rec(2), rec(3)], "x"), { median: 2, q10: 1.2, q90: 2.8, n: 3 });
 * assert.equal(columnStats([], "x"), null);
 * ```
 */
export function columnStats(
  records: TrialRecord[],
  key: string,
): ColumnStats | null {
  const values = column(records, key);
  if (values.length === 0) return null;
  return {
    median: quantile(values, 0.5),
    q10: quantile(values, 0.1),
    q90: quantile(values, 0.9),
    n: values.length,
  };
}

/**
 * A {@linkcode ColumnStats} as the reports print it: "median [q10, q90]"
 * to 4 significant digits, or "n/a" for `null`.
 *
 * @example
 * ```ts
 * import { statsText } from "./records.ts";
 * import assert from "node:assert/strict";
 * assert.equal(statsText({ median: 2, q10: 1.23456, q90: 2.8, n: 3 }), "2 [1.235, 2.8]");
 * assert.equal(statsText(null), "n/a");
 * ```
 */
export function statsText(stats: ColumnStats | null): string {
  if (stats === null) return "n/a";
  const f = (x: number) => Number(x.toPrecision(4)).toString();
  return `${f(stats.median)} [${f(stats.q10)}, ${f(stats.q90)}]`;
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
  return statsText(columnStats(records, key));
}

/**
 * The claim-level soundness line of a claim that attacks networks: `holds`
 * when no trial, finished or not, has a positive count in any of
 * `columns` (verified flips below a certified radius, certificates above
 * the pair ceiling, ...), `fails` otherwise, naming the trials. A trial
 * with such a count is already an `error`; this line makes the whole run
 * fail on it, whatever the pass rates.
 *
 * @example
 * ```ts
 * import { soundnessAssessment } from "./records.ts";
 * import assert from "node:assert/strict";
 * const rec = (trial: number, v: number) => ({
 *   task: { claim: "C0", config: "c", trial, seed: 0 },
 *   result: { status: "ok" as const, reason: "", checks: {}, values: { v } },
 * });
 * assert.equal(soundnessAssessment([rec(0, 0)], { columns: ["v"] }).verdict, "holds");
 * const bad = soundnessAssessment([rec(0, 0), rec(1, 2)], { columns: ["v"] });
 * assert.equal(bad.verdict, "fails");
 * assert.match(bad.detail, /1 of 2 trials .*c#1/);
 * ```
 */
export function soundnessAssessment(
  records: TrialRecord[],
  options: { columns: readonly string[]; check?: string },
): Assessment {
  const { columns, check = "attacks_sound" } = options;
  const broken = records.filter((r) =>
    columns.some((c) => Number(r.result.values[c]) > 0)
  );
  const names = broken.slice(0, 5).map((r) =>
    `${r.task.config}#${r.task.trial}`
  );
  return {
    check,
    expect: "holds",
    verdict: broken.length === 0 ? "holds" : "fails",
    detail: broken.length === 0
      ? `${columns.join(", ")}: 0 in all ${records.length} trials`
      : `${broken.length} of ${records.length} trials with a positive ${
        columns.join(" / ")
      }: ${names.join(", ")}${broken.length > 5 ? ", ..." : ""}`,
  };
}
