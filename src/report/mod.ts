/**
 * The report layer: from trial records to verdicts and report files. It
 * decides the verdicts (`verdict.ts`), formats them as `summary.csv`,
 * `summary.md` and `summary.json` (`summary_csv.ts`, `summary_md.ts`,
 * `summary_json.ts`, with `run_info.ts`), draws the figures
 * (`figures.ts`) and writes them all (`write.ts`). `pipeline.ts` runs the
 * claims or merges shards (`src/runner/`) and then writes the reports;
 * `claim_check.ts` turns a claim into a `deno test`; `regress.ts` compares a
 * run with a baseline.
 *
 * @example Verdicts from a confidence interval
 * ```ts
 * import { verdictOf } from "./mod.ts";
 * import assert from "node:assert/strict";
 * assert.equal(verdictOf({ low: 0.91, high: 0.99 }, 0.9), "holds");
 * ```
 *
 * @module
 */

export {
  claimTest,
  type ClaimTestOptions,
  DEFAULT_SEED,
} from "./claim_check.ts";
export {
  type ClaimFigureOptions,
  type ClaimFigures,
  PASS_RATES_FIGURE,
  writeClaimFigures,
  writePassRates,
} from "./figures.ts";
export {
  type MergeOptions,
  mergeShards,
  runClaims,
  type RunOptions,
} from "./pipeline.ts";
export {
  compareWithBaseline,
  readSummaryCounts,
  type RegressionReport,
  type RegressionRow,
  simulateFalseAlarm,
  simulatePower,
  type SimulationOptions,
  worseningPValue,
} from "./regress.ts";
export { type ClaimInfo, claimInfo, type RunInfo } from "./run_info.ts";
export { SUMMARY_COLUMNS, summaryCsv } from "./summary_csv.ts";
export { summaryJson } from "./summary_json.ts";
export {
  type ClaimReportExtras,
  type FigureLink,
  MARKDOWN_LEGEND,
  type MarkdownExtras,
  summaryMarkdown,
  summaryTableMarkdown,
} from "./summary_md.ts";
export {
  allOk,
  type ClaimAssessment,
  leadingCells,
  MAX_UNFINISHED_CONTROL_SHARE,
  rateText,
  summarize,
  type SummarizeOptions,
  type Summary,
  verdictOf,
} from "./verdict.ts";
export {
  type Format,
  FORMATS,
  type ReportInput,
  type RunOutcome,
  writeReports,
} from "./write.ts";
