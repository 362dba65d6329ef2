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
