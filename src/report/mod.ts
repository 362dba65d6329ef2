/**
 * The report layer: from trial records to verdicts and report files. It
 * decides the verdicts (`verdict.ts`), formats them as `summary.csv`,
 * `summary.md` and `summary.json` (`summary_csv.ts`, `summary_md.ts`,
 * `summary_json.ts`, with `run_info.ts`), draws the figures
 * (`figures.ts`) and writes them all (`write.ts`). `pipeline.ts` runs the
 * claims or merges shards (`src/runner/`) and then writes the reports;
 * `claim_check.ts` turns a claim into a `deno test`; `regress.ts` compares a
 * run with a baseline (with `regress_measurements.ts` for the key
 * measurements and fitted estimates). `measurements.ts` computes each
 * claim's key measurements, `deviations.ts` the deviations from the paper
 * (the claims' predictions against the run), `readme_verdicts.ts` the
 * README's verdict table from a `summary.json`. `failures.ts` lists the
 * failing trials of each check
 * with their replay commands (`failures.md`), `html.ts` and `html_write.ts`
 * draw the self-contained `index.html`, and `history.ts` and
 * `history_charts.ts` keep the run history over commits. A `map` run's
 * regime maps are summarized by `maps.ts` and written by `maps_write.ts`
 * (`maps_md.ts`, `maps_json.ts`, `maps_html.ts`), with pass rates per cell
 * and no verdicts.
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
  type Deviation,
  DEVIATIONS_LEGEND,
  deviationsMarkdown,
  deviationsOf,
  type MeasuredRange,
  readDeviations,
} from "./deviations.ts";
export {
  readVerdictTable,
  type VerdictLine,
  verdictsMarkdown,
  type VerdictTable,
} from "./readme_verdicts.ts";
export {
  type ClaimFigureOptions,
  type ClaimFigures,
  PASS_RATES_FIGURE,
  writeClaimFigures,
  writePassRates,
} from "./figures.ts";
export {
  type CheckFailures,
  checkFailures,
  type CheckFailuresOptions,
  CLAIMS_MODULE_INFO,
  type FailingTrial,
  type FailureCheck,
  type FailureClaim,
  failureClaimOf,
  failureNote,
  FAILURES_SHOWN,
  failuresMarkdown,
  inPlanOrder,
  type ReadFailuresOptions,
  readRunFailures,
  replayCommand,
  type ReplayContext,
  runFailures,
  type RunFailuresOptions,
  writeFailures,
} from "./failures.ts";
export {
  HISTORY_COLUMNS,
  historyCsv,
  historyEntries,
  type HistoryEntryInput,
  type HistoryKind,
  type HistoryRow,
  historyRowsOf,
  measuredHighlights,
  mergeHistory,
  parseHistory,
} from "./history.ts";
export {
  type HistoryFigure,
  historyFigures,
  historyMarkdown,
} from "./history_charts.ts";
export {
  definitionList,
  escapeHtml,
  HTML_REPORT_FILE,
  HTML_STYLE,
  type HtmlFigure,
  type HtmlHighlights,
  htmlReport,
  type HtmlReportInput,
  inlineSvg,
  type Json,
  type JsonObject,
  pageStart,
  valueText,
} from "./html.ts";
export {
  readRunFolder,
  type ReadRunFolderOptions,
  type RunPagesInput,
  writeHtmlReport,
  writeRunPages,
} from "./html_write.ts";
export {
  type KeyMeasurementRow,
  type KeyMeasurements,
  keyMeasurements,
} from "./measurements.ts";
export {
  type BreakRelation,
  breakText,
  type CellQuantity,
  type MapCellSummary,
  mapCsv,
  type MapRowBreak,
  type MapSummary,
  RELATION_TEXT,
  summarizeMap,
  type SummarizeMapOptions,
  summarizeMaps,
} from "./maps.ts";
export {
  type MapHtmlFigure,
  type MapHtmlInput,
  mapRunHtml,
} from "./maps_html.ts";
export {
  MAP_SUMMARY_FORMAT,
  MAP_VERDICTS_NOTE,
  mapSummaryJson,
} from "./maps_json.ts";
export {
  mapCsvFile,
  type MapFigureLink,
  type MapMarkdownExtras,
  MAPS_LEGEND,
  mapsConsoleLines,
  mapSummaryMarkdown,
  relationCounts,
} from "./maps_md.ts";
export {
  mapHeatmaps,
  type MapReportInput,
  writeMapReports,
} from "./maps_write.ts";
export {
  type MergeOptions,
  mergeShards,
  runClaims,
  type RunOptions,
} from "./pipeline.ts";
export {
  type AssessmentComparison,
  compareWithBaseline,
  type ConstantChange,
  readSummary,
  readSummaryCounts,
  type RegressionReport,
  type RegressionRow,
  simulateFalseAlarm,
  simulatePower,
  type SimulationOptions,
  type SummaryAssessment,
  type SummaryCount,
  type SummaryRunParams,
  type SummarySnapshot,
  worseningPValue,
} from "./regress.ts";
export {
  compareMeasurements,
  type MeasuredValue,
  MEASUREMENT_RULE_REASONS,
  MEASUREMENT_RULES,
  type MeasurementComparison,
  measurementsMarkdown,
  measurementTolerance,
  readMeasuredValues,
} from "./regress_measurements.ts";
export {
  type CheckInfo,
  type ClaimInfo,
  claimInfo,
  type RunInfo,
  runJson,
} from "./run_info.ts";
export {
  SUMMARY_COLUMN_DOCS,
  SUMMARY_COLUMNS,
  summaryCsv,
} from "./summary_csv.ts";
export {
  SUMMARY_JSON_FORMAT,
  summaryJson,
  type SummaryJsonExtras,
  verdictRulesJson,
} from "./summary_json.ts";
export {
  type ClaimReportExtras,
  EVIDENCE_LEGEND,
  type FigureLink,
  MARKDOWN_LEGEND,
  type MarkdownExtras,
  reachText,
  runSection,
  summaryMarkdown,
  summaryTableMarkdown,
} from "./summary_md.ts";
export {
  type AdjustedAssessment,
  type AdjustedSummary,
  adjustedVerdictOf,
  adjustFamily,
  allOk,
  checkPValue,
  type CheckRow,
  checkRowOf,
  checkVerdict,
  type ClaimAssessment,
  type HolmFamily,
  leadingCells,
  type MarginStats,
  marginStats,
  MAX_UNFINISHED_CONTROL_SHARE,
  pValueText,
  rateText,
  type Reach,
  reachOf,
  roleOf,
  summarize,
  type SummarizeOptions,
  type Summary,
  type TwinEvidence,
  verdictOf,
} from "./verdict.ts";
export {
  type Format,
  FORMATS,
  type ReportInput,
  type RunOutcome,
  writeReports,
} from "./write.ts";
