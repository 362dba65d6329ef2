/**
 * `summary.csv`: one line per summary row and per assessment. It depends
 * only on the trial records and the run parameters (never on wall-clock
 * time or the number of workers), so two runs of the same plan give
 * byte-identical files.
 *
 * @module
 */

import { stringify } from "csv-stringify/sync";
import {
  type ClaimAssessment,
  leadingCells,
  rateText,
  type Summary,
} from "./verdict.ts";
import type { SummaryRow } from "../claims/types.ts";

/** Column names of `summary.csv`, in order. */
export const SUMMARY_COLUMNS: readonly string[] = [
  "claim",
  "check",
  "expect",
  "trials",
  "passed",
  "rate",
  "ci_low",
  "ci_high",
  "target",
  "verdict",
  "ok",
  "detail",
];

/** Claims in order of first appearance in the rows, then the assessments. */
function claimOrder(summary: Summary): string[] {
  const order: string[] = [];
  for (
    const id of [
      ...summary.rows.map((r) => r.claim),
      ...summary.assessments.map((x) => x.claim),
    ]
  ) {
    if (!order.includes(id)) order.push(id);
  }
  return order;
}

/** The `summary.csv` line of a summary row (empty `detail`). */
function rowLine(r: SummaryRow): string[] {
  return [
    ...leadingCells(r),
    rateText(r.ciLow),
    rateText(r.ciHigh),
    String(r.target),
    r.verdict,
    String(r.ok),
    "",
  ];
}

/** The `summary.csv` line of an assessment (no counts, rate or target). */
function assessmentLine({ claim, a }: ClaimAssessment): string[] {
  const noCounts = ["", "", "", "", "", ""];
  return [
    claim,
    a.check,
    a.expect,
    ...noCounts,
    a.verdict,
    String(a.verdict === a.expect),
    a.detail,
  ];
}

/**
 * The text of `summary.csv`: columns
 * `claim,check,expect,trials,passed,rate,ci_low,ci_high,target,verdict,ok,detail`,
 * one line per summary row (empty `detail`), each claim's assessments right
 * after its rows (empty counts, rate, interval and target; the assessment's
 * text in `detail`). Rates and interval ends have 4 decimals.
 *
 * @example
 * ```ts
 * import { summaryCsv } from "./summary_csv.ts";
 * import assert from "node:assert/strict";
 * const text = summaryCsv({
 *   rows: [],
 *   assessments: [{
 *     claim: "C7",
 *     a: { check: "slope", expect: "holds", verdict: "holds", detail: "0.5" },
 *   }],
 * });
 * assert.equal(
 *   text,
 *   "claim,check,expect,trials,passed,rate,ci_low,ci_high,target,verdict,ok,detail\n" +
 *     "C7,slope,holds,,,,,,,holds,true,0.5\n",
 * );
 * ```
 */
export function summaryCsv(summary: Summary): string {
  const lines: string[][] = [];
  for (const claim of claimOrder(summary)) {
    lines.push(
      ...summary.rows.filter((x) => x.claim === claim).map(rowLine),
      ...summary.assessments.filter((x) => x.claim === claim).map(
        assessmentLine,
      ),
    );
  }
  return stringify([[...SUMMARY_COLUMNS], ...lines], {
    record_delimiter: "\n",
  });
}
