/**
 * `summary.csv`: one line per check and per assessment. It depends only on
 * the trial records and the run parameters (never on wall-clock time or
 * the number of workers), so two runs of the same plan give byte-identical
 * files. The columns are listed, with their meaning, in
 * {@linkcode SUMMARY_COLUMN_DOCS}; those after `detail` (role to
 * trials_needed) were added for issue 9 at the end, so readers that look
 * columns up by name or position keep working.
 *
 * @module
 */

import { stringify } from "csv-stringify/sync";
import {
  type AdjustedAssessment,
  adjustFamily,
  type CheckRow,
  leadingCells,
  pValueText,
  rateText,
  type Summary,
} from "./verdict.ts";
import { MARGIN_BAND, SATURATION_SHARE } from "../stats/mod.ts";

/** Every column of `summary.csv`, in order, with its meaning. */
export const SUMMARY_COLUMN_DOCS: Readonly<Record<string, string>> = {
  claim: "claim id",
  check: "check (or assessment) name",
  expect:
    "expected verdict: holds (prediction) or fails (twin, control, sanity)",
  trials: "trials counted (for a check expected to fail: finished trials only)",
  passed: "trials passing the check",
  rate: "passed / trials, 4 decimals",
  ci_low: "lower end of the 95% Clopper–Pearson interval",
  ci_high: "upper end of the 95% Clopper–Pearson interval",
  target: "the check's target pass rate",
  verdict: "raw verdict from the interval (control ceiling for expect fails)",
  ok: "whether the raw verdict is the expected one",
  detail: "an assessment's measured values (empty for a check)",
  role: "prediction, twin, control or sanity (default from expect)",
  twin:
    "for a prediction its twins (;-separated); otherwise the prediction it shadows (twinOf)",
  twin_rate: "pass rate of the prediction's twins, pooled",
  power: "share of twin trials the prediction's check rejects",
  power_low: "lower end of the power's 95% interval",
  power_high: "upper end of the power's 95% interval",
  margin_median:
    "median of measured/threshold over finished trials (from the check's margin)",
  margin_near:
    `share of those trials with |measured/threshold − 1| ≤ ${MARGIN_BAND}`,
  margin_trials: "finished trials with a finite measured/threshold",
  saturated: `true when the rate is 0 or 1 and under ${
    100 * SATURATION_SHARE
  }% of trials are within ${100 * MARGIN_BAND}% of the threshold`,
  p_value:
    "one-sided exact binomial p-value of the expected verdict (P(X ≥ passed | target) or P(X ≤ passed | ceiling)); an assessment's own p-value",
  p_holm:
    "Holm–Bonferroni adjusted p-value over every check and fitted assessment of the run",
  verdict_adjusted: "verdict after the adjustment (decides the exit codes)",
  ok_adjusted: "whether the adjusted verdict is the expected one",
  best_p:
    "p-value of the best outcome at this trial count (all pass, or none for expect fails)",
  reachable:
    "whether best_p is below alpha / family size (the strictest Holm threshold) and 0.025 (the raw verdict's one-sided level)",
  passes_needed:
    "fewest passes (prediction) or most passes (expect fails) below that threshold; empty if none",
  trials_needed: "fewest trials whose best outcome is below that threshold",
};

/** Column names of `summary.csv`, in order. */
export const SUMMARY_COLUMNS: readonly string[] = Object.keys(
  SUMMARY_COLUMN_DOCS,
);

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

/** A number cell, empty for `null`. */
function numberCell(
  x: number | null,
  format: (x: number) => string = rateText,
): string {
  return x === null ? "" : format(x);
}

/** The cells of a check row after `detail`. */
function evidenceCells(r: CheckRow): string[] {
  const twin = r.twin;
  const twinName = r.role === "prediction"
    ? (twin?.checks ?? []).join(";")
    : r.twinOf ?? "";
  return [
    r.role,
    twinName,
    numberCell(twin?.rate ?? null),
    numberCell(twin?.power ?? null),
    numberCell(twin?.powerCi?.low ?? null),
    numberCell(twin?.powerCi?.high ?? null),
    numberCell(r.margin?.median ?? null, pValueText),
    numberCell(r.margin?.nearShare ?? null),
    r.margin === null ? "" : String(r.margin.trials),
    String(r.saturated),
    pValueText(r.pValue),
    pValueText(r.pAdjusted),
    r.adjustedVerdict,
    String(r.okAdjusted),
    pValueText(r.reach.bestP),
    String(r.reach.reachable),
    numberCell(r.reach.passesNeeded, String),
    numberCell(r.reach.trialsNeeded, String),
  ];
}

/** The `summary.csv` line of a check row (empty `detail`). */
function rowLine(r: CheckRow): string[] {
  return [
    ...leadingCells(r),
    rateText(r.ciLow),
    rateText(r.ciHigh),
    String(r.target),
    r.verdict,
    String(r.ok),
    "",
    ...evidenceCells(r),
  ];
}

/** The `summary.csv` line of an assessment (no counts, rate or target). */
function assessmentLine(x: AdjustedAssessment): string[] {
  const { claim, a } = x;
  const blank = (n: number) => new Array<string>(n).fill("");
  return [
    claim,
    a.check,
    a.expect,
    ...blank(6),
    a.verdict,
    String(a.verdict === a.expect),
    a.detail,
    ...blank(10),
    a.pValue === undefined ? "" : pValueText(a.pValue),
    numberCell(x.pAdjusted, pValueText),
    x.adjustedVerdict,
    String(x.adjustedVerdict === a.expect),
    ...blank(4),
  ];
}

/**
 * The text of `summary.csv`: the columns of {@linkcode SUMMARY_COLUMNS},
 * one line per check (empty `detail`), each claim's assessments right
 * after its rows (empty counts, rate, interval, target and evidence; the
 * assessment's text in `detail`, its p-value and adjusted verdict). Rates
 * and interval ends have 4 decimals, p-values 4 significant digits. The
 * summary is adjusted as one Holm family first (`adjustFamily`).
 *
 * @example
 * ```ts
 * import { SUMMARY_COLUMNS, summaryCsv } from "./summary_csv.ts";
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
 *   SUMMARY_COLUMNS.join(",") + "\n" +
 *     "C7,slope,holds,,,,,,,holds,true,0.5,,,,,,,,,,,,,holds,true,,,,\n",
 * );
 * ```
 */
export function summaryCsv(summary: Summary): string {
  const adjusted = adjustFamily(summary);
  const lines: string[][] = [];
  for (const claim of claimOrder(summary)) {
    lines.push(
      ...adjusted.rows.filter((x) => x.claim === claim).map(rowLine),
      ...adjusted.assessments.filter((x) => x.claim === claim).map(
        assessmentLine,
      ),
    );
  }
  return stringify([[...SUMMARY_COLUMNS], ...lines], {
    record_delimiter: "\n",
  });
}
