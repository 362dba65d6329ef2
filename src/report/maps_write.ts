/**
 * Writing the reports of a `map` run (`writeReports` hands a map run here):
 * with `csv` one CSV per map (`maps/<map>.csv`, a row per cell); with `md`
 * or `html` the heatmaps (`maps/<map>_<column>.svg` per quantity and
 * `maps/<map>_pass_rate.svg`); with `md` `summary.md`, with `json`
 * `summary.json`, with `html` `index.html` (`maps_md.ts`, `maps_json.ts`,
 * `maps_html.ts`). A map run writes no `summary.csv` and no `failures.md`:
 * its cells have pass rates, not verdicts. Every file depends only on the
 * records and the run parameters, so workers, resumes and merged shards
 * give the same files; each write is atomic. A heatmap that fails is
 * logged and noted; the run goes on.
 *
 * @module
 */

import { cellText, heatmap } from "../plot/heatmap.ts";
import { mapCsv, type MapSummary, summarizeMaps } from "./maps.ts";
import { type MapHtmlFigure, mapRunHtml } from "./maps_html.ts";
import { mapSummaryJson } from "./maps_json.ts";
import {
  mapCsvFile,
  type MapMarkdownExtras,
  mapSummaryMarkdown,
} from "./maps_md.ts";
import type { RunInfo } from "./run_info.ts";
import { HTML_REPORT_FILE } from "./html.ts";
import { writeTextFileAtomic } from "../runner/atomic_write.ts";
import type { ClaimPlan } from "../runner/plan.ts";
import type { TrialRecord } from "../claims/types.ts";
import { errorMessage } from "../base/errors.ts";
import { oneLine } from "../base/text.ts";

/** What {@linkcode writeMapReports} needs. */
export interface MapReportInput {
  /** The plan's claims (their maps are read from the claims). */
  claims: ClaimPlan[];
  /** Every trial record of the run. */
  records: TrialRecord[];
  /** Run parameters for the reports. */
  info: RunInfo;
  /** The report formats asked for. */
  formats: readonly string[];
  /** Where a failing heatmap is logged (default: stderr). */
  warn?: (line: string) => void;
}

/** The subtitle of a map's quantity heatmaps: what the text and the frames mean. */
const LEGEND = "text: median, passes/trials; red frame: hypothesis holds";

/**
 * The heatmaps of a map: one per quantity (coloured by the cell's median,
 * text median and passes/trials) and one of the pass rate (text
 * passes/trials and the 95% interval), each with the cells where the
 * hypothesis holds framed.
 *
 * @example
 * ```ts
 * import { mapHeatmaps } from "./maps_write.ts";
 * import { summarizeMap } from "./maps.ts";
 * import assert from "node:assert/strict";
 * const map = {
 *   name: "M", title: "t", relaxes: "r",
 *   x: { name: "c", label: "c", values: [0, 0.5], params: () => ({}) },
 *   y: { name: "d", label: "d", values: [10], params: () => ({}) },
 *   params: {}, check: { name: "ok", description: "d", target: 0.8, expect: "holds" as const },
 *   quantities: [{ column: "q", label: "q" }], trials: 1,
 *   hypothesis: { axis: "x" as const, relaxed: "up" as const, at: () => 0.2, statement: "s", source: "[R]" },
 * };
 * const figures = await mapHeatmaps(summarizeMap(map, { claim: "C0", records: [] }));
 * assert.deepEqual(figures.map((f) => f.file), ["maps/M_q.svg", "maps/M_pass_rate.svg"]);
 * ```
 */
export async function mapHeatmaps(
  summary: MapSummary,
): Promise<MapHtmlFigure[]> {
  const { map } = summary;
  const grid = {
    xLabel: map.x.label,
    yLabel: map.y.label,
    xValues: map.x.values,
    yValues: map.y.values,
    subtitle: LEGEND,
  };
  const figures: MapHtmlFigure[] = [];
  for (const [i, q] of map.quantities.entries()) {
    figures.push({
      file: `maps/${map.name}_${q.column}.svg`,
      caption:
        `${map.title}: median ${q.label} per cell, with the passes of ${map.check.name}`,
      svg: await heatmap({
        ...grid,
        title: `${summary.claim}: ${q.label}`,
        colorLabel: "median",
        logColor: q.log ?? false,
        cells: summary.cells.map((c) => ({
          x: c.x,
          y: c.y,
          value: c.quantities[i].median,
          lines: [cellText(c.quantities[i].median), `${c.passed}/${c.trials}`],
          framed: c.hypothesis,
        })),
      }),
    });
  }
  figures.push({
    file: `maps/${map.name}_pass_rate.svg`,
    caption:
      `${map.title}: pass rate of ${map.check.name} per cell (target ${map.check.target}), with its 95% Clopper–Pearson interval`,
    svg: await heatmap({
      ...grid,
      subtitle:
        `text: passes/trials, 95% interval; red frame: hypothesis holds`,
      title: `${summary.claim}: pass rate of ${map.check.name}`,
      colorLabel: "pass rate",
      domain: [0, 1],
      cells: summary.cells.map((c) => ({
        x: c.x,
        y: c.y,
        value: c.rate,
        lines: [
          `${c.passed}/${c.trials}`,
          c.trials === 0 ? "" : `[${cellText(c.ciLow)}, ${cellText(c.ciHigh)}]`,
        ],
        framed: c.hypothesis,
      })),
    }),
  });
  return figures;
}

/** The run's files a map run's page links to, in order (those present). */
function runFiles(
  summaries: MapSummary[],
  input: MapReportInput,
): string[] {
  const { formats } = input;
  return [
    ...(formats.includes("md") ? ["summary.md"] : []),
    ...(formats.includes("json") ? ["summary.json"] : []),
    ...(formats.includes("csv")
      ? summaries.map((s) => mapCsvFile(s.map.name))
      : []),
    "run.json",
    "timing.csv",
    "provenance.json",
    ...input.claims.map((p) => `trials/${p.claim.id}.csv`),
  ];
}

/**
 * Write the reports of a map run into `out`; see the module
 * documentation. Returns the maps, summarized.
 */
export async function writeMapReports(
  out: string,
  input: MapReportInput,
): Promise<MapSummary[]> {
  const warn = input.warn ?? ((line: string) => console.error(line));
  const summaries = summarizeMaps(input.claims, input.records);
  const { formats } = input;
  if (formats.includes("csv")) {
    for (const s of summaries) {
      await writeTextFileAtomic(`${out}/${mapCsvFile(s.map.name)}`, mapCsv(s));
    }
  }
  const figures: Record<string, MapHtmlFigure[]> = {};
  const extras: Required<MapMarkdownExtras> = {
    figures: {},
    figureErrors: {},
  };
  if (formats.includes("md") || formats.includes("html")) {
    for (const s of summaries) {
      const name = s.map.name;
      try {
        figures[name] = await mapHeatmaps(s);
        for (const f of figures[name]) {
          await writeTextFileAtomic(`${out}/${f.file}`, f.svg);
        }
        extras.figures[name] = figures[name].map(({ file, caption }) => ({
          file,
          caption,
        }));
      } catch (error) {
        const message = oneLine(errorMessage(error));
        warn(`map ${name}: heatmaps failed: ${message}`);
        extras.figureErrors[name] = [message];
      }
    }
  }
  if (formats.includes("md")) {
    await writeTextFileAtomic(
      `${out}/summary.md`,
      mapSummaryMarkdown(summaries, input.info, extras),
    );
  }
  if (formats.includes("json")) {
    await writeTextFileAtomic(
      `${out}/summary.json`,
      mapSummaryJson(summaries, input.info),
    );
  }
  if (formats.includes("html")) {
    await writeTextFileAtomic(
      `${out}/${HTML_REPORT_FILE}`,
      mapRunHtml({
        summaries,
        info: input.info,
        figures,
        files: runFiles(summaries, input),
      }),
    );
  }
  return summaries;
}
