/**
 * `summary.md` of a `map` run: how to read a map (no verdicts: each cell
 * shows the median quantity and the pass rate of the claim's own check),
 * an overview of where each map's check breaks against its hypothesis,
 * then one section per map (the hypothesis relaxed with its boundary and
 * source, one line per row saying where the check and the hypothesis
 * break, a grid table of the first quantity and the pass counts, the
 * heatmaps and the link to the map's CSV), the run parameters and the
 * claims.
 *
 * @module
 */

import { cellText } from "../plot/heatmap.ts";
import {
  type BreakRelation,
  breakText,
  type MapSummary,
  RELATION_TEXT,
} from "./maps.ts";
import { MAP_VERDICTS_NOTE } from "./maps_json.ts";
import type { RunInfo } from "./run_info.ts";
import { runSection } from "./summary_md.ts";
import { oneLine } from "../base/text.ts";

/** A heatmap of a map, written under the run folder. */
export interface MapFigureLink {
  /** Path relative to the run folder, e.g. `maps/C2_correlation_d_over_k_pass_rate.svg`. */
  file: string;
  /** Caption (the image's alternative text). */
  caption: string;
}

/** The heatmaps of each map (by map name), and the ones that failed. */
export interface MapMarkdownExtras {
  /** The heatmaps written, by map name. */
  figures?: Record<string, MapFigureLink[]>;
  /** Why heatmaps could not be drawn, by map name. */
  figureErrors?: Record<string, string[]>;
}

/**
 * The file of a map's CSV, relative to the run folder.
 *
 * @example
 * ```ts
 * import { mapCsvFile } from "./maps_md.ts";
 * import assert from "node:assert/strict";
 * assert.equal(mapCsvFile("C2_correlation_d_over_k"), "maps/C2_correlation_d_over_k.csv");
 * ```
 */
export function mapCsvFile(name: string): string {
  return `maps/${name}.csv`;
}

/** How to read the maps. */
export const MAPS_LEGEND: readonly string[] = [
  "Each map relaxes one hypothesis of a claim over a grid. A cell is a configuration: its trials run the " +
  "claim's own trial with the cell's parameters, and the cell shows the median of each quantity over its " +
  "finished trials and how many trials pass the claim's own per-trial check.",
  `Verdicts: ${MAP_VERDICTS_NOTE}.`,
  "Where a check breaks, per row along the relaxed hypothesis: the first cell whose pass rate is below the " +
  "check's target, and the first whose 95% interval lies wholly below it (clearly below); where the hypothesis " +
  "breaks: the first cell outside its boundary. In the grid tables, **bold** cells are those where the hypothesis " +
  "holds; in the heatmaps they have a red frame.",
];

/** A table cell: one line, pipes escaped. */
function cell(text: string): string {
  return oneLine(text).replace(/\|/g, "\\|");
}

/** Caption text safe inside `![...]`. */
function altText(text: string): string {
  return oneLine(text).replace(/([\\\[\]])/g, "\\$1");
}

/** An axis value for a table header. */
function axisText(v: number): string {
  return String(Number(v.toPrecision(3)));
}

/**
 * How many rows of a map have each relation, in order of first
 * appearance, e.g. `holds beyond its hypothesis, breaks later on 5 rows;
 * never breaks on the grid on 1 row`.
 *
 * @example
 * ```ts
 * import { relationCounts } from "./maps_md.ts";
 * import type { MapSummary } from "./maps.ts";
 * import assert from "node:assert/strict";
 * const row = (relation: "beyond" | "never") => ({ relation }) as MapSummary["breaks"][number];
 * const summary = { breaks: [row("beyond"), row("beyond"), row("never")] } as MapSummary;
 * assert.equal(
 *   relationCounts(summary),
 *   "holds beyond its hypothesis, breaks later on 2 rows; never breaks on the grid on 1 row",
 * );
 * ```
 */
export function relationCounts(summary: MapSummary): string {
  const counts = new Map<BreakRelation, number>();
  for (const b of summary.breaks) {
    counts.set(b.relation, (counts.get(b.relation) ?? 0) + 1);
  }
  return [...counts.entries()].map(([relation, n]) =>
    `${RELATION_TEXT[relation]} on ${n} row${n === 1 ? "" : "s"}`
  ).join("; ");
}

/**
 * Where each map's check breaks, as console lines: a line per map with its
 * relation counts, then one indented line per row (what `deno task claims`
 * and `deno task merge` print for a `map` run).
 *
 * @example
 * ```ts
 * import { mapsConsoleLines } from "./maps_md.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(mapsConsoleLines([]), []);
 * ```
 */
export function mapsConsoleLines(summaries: MapSummary[]): string[] {
  return summaries.flatMap((s) => [
    `${s.map.name} (${s.claim}, ${s.map.check.name}): ${relationCounts(s)}`,
    ...s.breaks.map((b) => `  ${breakText(s.map, b)}`),
  ]);
}

/** The grid of a map as a table: rows y (largest first), columns x. */
function gridTable(summary: MapSummary): string[] {
  const { map } = summary;
  const q = map.quantities[0];
  const xs = map.x.values;
  const ys = [...map.y.values].reverse();
  const header = [`${map.y.name} \\ ${map.x.name}`, ...xs.map(axisText)];
  const rows = ys.map((y) => [
    axisText(y),
    ...xs.map((x) => {
      const c = summary.cells.find((c) => c.x === x && c.y === y)!;
      const text = `${
        cellText(c.quantities[0].median)
      } · ${c.passed}/${c.trials}`;
      return c.hypothesis ? `**${text}**` : text;
    }),
  ]);
  return [
    `Median ${q.label} · passes of \`${map.check.name}\` / trials:`,
    "",
    `| ${header.map(cell).join(" | ")} |`,
    `|${header.map(() => "---").join("|")}|`,
    ...rows.map((r) => `| ${r.map(cell).join(" | ")} |`),
    "",
  ];
}

/** One map's section. */
function mapSection(
  summary: MapSummary,
  extras: MapMarkdownExtras,
): string[] {
  const { map } = summary;
  const h = map.hypothesis;
  const out = [
    `## ${map.title}`,
    "",
    `Map \`${map.name}\` of ${summary.claim}: ${map.x.label} × ${map.y.label}, ${summary.trialsPerCell} trials per cell.`,
    "",
    `- Relaxes: ${map.relaxes}.`,
    `- Check: \`${map.check.name}\` (target ${map.check.target}): ${map.check.description}.`,
    `- Hypothesis boundary: ${h.statement}.`,
    `- Its source: ${h.source}.`,
    `- Overall: ${relationCounts(summary)}.`,
    "",
    "Where the check breaks, row by row:",
    "",
    ...summary.breaks.map((b) => `- ${breakText(map, b)}`),
    "",
    ...gridTable(summary),
  ];
  for (const f of extras.figures?.[map.name] ?? []) {
    out.push(`![${altText(f.caption)}](${encodeURI(f.file)})`, "");
  }
  for (const e of extras.figureErrors?.[map.name] ?? []) {
    out.push(`A heatmap failed: ${cell(e)}`, "");
  }
  out.push(
    `Cells: [${mapCsvFile(map.name)}](${
      encodeURI(mapCsvFile(map.name))
    }) (one row per cell); trials: [trials/${summary.claim}.csv](trials/${summary.claim}.csv).`,
    "",
  );
  return out;
}

/**
 * The text of a map run's `summary.md`; see the module documentation.
 *
 * @example
 * ```ts
 * import { mapSummaryMarkdown } from "./maps_md.ts";
 * import assert from "node:assert/strict";
 * const md = mapSummaryMarkdown([], {
 *   seed: 1, profile: "map", backend: "cpu", trials: null, shard: null, claims: [],
 * });
 * assert.ok(md.startsWith("# Regime maps") && md.includes("## Run"));
 * ```
 */
export function mapSummaryMarkdown(
  summaries: MapSummary[],
  info: RunInfo,
  extras: MapMarkdownExtras = {},
): string {
  const out = ["# Regime maps", "", ...MAPS_LEGEND.flatMap((l) => [l, ""])];
  if (summaries.length > 0) {
    out.push(
      "| map | claim | check | hypothesis relaxed | where the check breaks |",
      "|---|---|---|---|---|",
      ...summaries.map((s) =>
        `| ${
          [
            s.map.name,
            s.claim,
            s.map.check.name,
            s.map.hypothesis.statement,
            relationCounts(s),
          ].map(cell).join(" | ")
        } |`
      ),
      "",
    );
  }
  for (const s of summaries) out.push(...mapSection(s, extras));
  out.push(...runSection(info), "## Claims", "");
  for (const c of info.claims) {
    out.push(`### ${c.id}: ${c.title}`, "", c.statement, "");
    if (c.hypotheses !== undefined && c.hypotheses.length > 0) {
      out.push(`Hypotheses: ${c.hypotheses.join("; ")}.`, "");
    }
  }
  return out.join("\n");
}
