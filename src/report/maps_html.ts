/**
 * `index.html` of a `map` run: one self-contained page (the style sheet of
 * `html.ts`, inline SVG, no network) with the run parameters, a "Regime
 * maps" section (per map: the hypothesis relaxed, its boundary and source,
 * where the check breaks row by row, the heatmaps inlined, the link to the
 * map's CSV), the claims and the run's files. No verdicts, as in
 * `summary.md` (see `maps_md.ts`). Deterministic in its input.
 *
 * @module
 */

import { definitionList, escapeHtml, inlineSvg, pageStart } from "./html.ts";
import { breakText, type MapSummary } from "./maps.ts";
import { MAP_VERDICTS_NOTE } from "./maps_json.ts";
import { mapCsvFile, relationCounts } from "./maps_md.ts";
import type { RunInfo } from "./run_info.ts";

/** A heatmap to inline: its path in the run folder, caption and SVG. */
export interface MapHtmlFigure {
  /** Path relative to the run folder. */
  file: string;
  /** Caption. */
  caption: string;
  /** The SVG document. */
  svg: string;
}

/** What {@linkcode mapRunHtml} draws a page from. */
export interface MapHtmlInput {
  /** The maps, summarized. */
  summaries: MapSummary[];
  /** The run parameters and claims. */
  info: RunInfo;
  /** The heatmaps by map name. */
  figures: Record<string, MapHtmlFigure[]>;
  /** The run's files to link to (relative paths), in order. */
  files: string[];
}

/** An anchor id for a map. */
function mapId(name: string): string {
  return `map-${name}`;
}

/** One map's section. */
function mapSection(
  summary: MapSummary,
  options: { figures: MapHtmlFigure[]; index: number },
): string {
  const { map } = summary;
  const figures = options.figures.map((f, i) =>
    `<figure class="figure" data-file="${escapeHtml(f.file)}">` +
    `<div class="svg">${
      inlineSvg(f.svg, `map${options.index}-${i}`)
    }</div><figcaption><a href="${escapeHtml(f.file)}">${
      escapeHtml(f.file)
    }</a>: ${escapeHtml(f.caption)}</figcaption></figure>`
  );
  const csv = mapCsvFile(map.name);
  return [
    `<section class="map" id="${escapeHtml(mapId(map.name))}">`,
    `<h3>${escapeHtml(map.title)}</h3>`,
    definitionList([
      ["map", `${map.name} (${summary.claim})`],
      [
        "grid",
        `${map.x.label} × ${map.y.label}, ${summary.trialsPerCell} trials per cell`,
      ],
      ["relaxes", map.relaxes],
      [
        "check",
        `${map.check.name} (target ${map.check.target}): ${map.check.description}`,
      ],
      ["hypothesis boundary", map.hypothesis.statement],
      ["its source", map.hypothesis.source],
      ["overall", relationCounts(summary)],
    ]),
    "<h4>Where the check breaks</h4>",
    `<ul>${
      summary.breaks.map((b) => `<li>${escapeHtml(breakText(map, b))}</li>`)
        .join("")
    }</ul>`,
    ...figures,
    `<p>Cells: <a href="${escapeHtml(csv)}">${escapeHtml(csv)}</a></p>`,
    "</section>",
  ].join("\n");
}

/**
 * The page of a map run; see the module documentation.
 *
 * @example
 * ```ts
 * import { mapRunHtml } from "./maps_html.ts";
 * import assert from "node:assert/strict";
 * const page = mapRunHtml({
 *   summaries: [],
 *   info: { seed: 1, profile: "map", backend: "cpu", trials: null, shard: null, claims: [] },
 *   figures: {},
 *   files: ["summary.md"],
 * });
 * assert.match(page, /<section id="maps">/);
 * assert.match(page, /href="summary.md"/);
 * ```
 */
export function mapRunHtml(input: MapHtmlInput): string {
  const { info, summaries } = input;
  const title = `Regime maps — seed ${info.seed}`;
  return [
    ...pageStart(title),
    definitionList([
      ["profile", info.profile],
      ["seed", String(info.seed)],
      ["backend", info.backend],
      [
        "trials",
        info.trials === null ? "per map" : `${info.trials} per cell (override)`,
      ],
      [
        "shard",
        info.shard === null
          ? "whole plan"
          : `${info.shard.index}/${info.shard.count}`,
      ],
      ["verdicts", MAP_VERDICTS_NOTE],
    ]),
    `<nav><a href="#maps">Maps</a>${
      summaries.map((s) =>
        `<a href="#${escapeHtml(mapId(s.map.name))}">${
          escapeHtml(s.map.name)
        }</a>`
      ).join("")
    }<a href="#claims">Claims</a><a href="#files">Files</a></nav>`,
    "</header>",
    '<section id="maps">',
    "<h2>Regime maps</h2>",
    "<p>Each cell shows the median quantity over the cell's finished trials and how many trials pass the " +
    "claim's own check (passes/trials); a red frame marks the cells where the hypothesis holds.</p>",
    ...summaries.map((s, index) =>
      mapSection(s, { figures: input.figures[s.map.name] ?? [], index })
    ),
    "</section>",
    '<section id="claims">',
    "<h2>Claims</h2>",
    ...info.claims.map((c) =>
      `<h3>${escapeHtml(`${c.id}: ${c.title}`)}</h3><p>${
        escapeHtml(c.statement)
      }</p>${
        c.hypotheses === undefined || c.hypotheses.length === 0
          ? ""
          : `<p>Hypotheses: ${escapeHtml(c.hypotheses.join("; "))}.</p>`
      }`
    ),
    "</section>",
    '<section id="files">',
    "<h2>Files</h2>",
    `<ul>${
      input.files.map((f) =>
        `<li><a href="${escapeHtml(f)}">${escapeHtml(f)}</a></li>`
      ).join("")
    }</ul>`,
    "</section>",
    "</body>",
    "</html>",
    "",
  ].join("\n");
}
