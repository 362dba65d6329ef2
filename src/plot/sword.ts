/**
 * The double-edged sword in one figure: per test point, the robust radius
 * of the gradient-flow network (its best verified attack, an upper bound)
 * and of the robust network N* (its certified radius, a lower bound), on
 * one log axis in units of √d, with reference rules such as ‖x‖ and the
 * pair ceiling √(d/2) that no classifier can beat on both points of a
 * coupled pair. Each network is one series of pre-binned counts (pooled
 * over trials by the claim), drawn as translucent bars over [low, high)
 * with height the share of that series' points, so series of different
 * sizes compare.
 *
 * @example
 * ```ts
 * import { swordFigure } from "./sword.ts";
 * import assert from "node:assert/strict";
 * const svg = await swordFigure({
 *   title: "Sword",
 *   series: [
 *     { name: "gradient flow: best attack", bins: [{ low: 0.1, high: 0.12, count: 5 }] },
 *     { name: "N*: certified", bins: [{ low: 0.45, high: 0.5, count: 5 }] },
 *   ],
 *   markers: [{ value: Math.SQRT1_2, label: "pair ceiling √(d/2)" }],
 * });
 * assert.ok(svg.startsWith("<svg") && svg.includes("Sword"));
 * ```
 *
 * @module
 */

import { finite, layer, logDomain, loggable, renderLayers } from "./render.ts";

/** One bin of a series: the count of points with low ≤ value < high. */
export interface SwordBin {
  /** Lower edge (> 0, on the log axis). */
  low: number;
  /** Upper edge (> low). */
  high: number;
  /** Number of points in the bin. */
  count: number;
}

/** One network's radii, binned. */
export interface SwordSeries {
  /** Legend name, e.g. `gradient flow: best attack`. */
  name: string;
  /** Its bins (empty bins may be left out). */
  bins: SwordBin[];
}

/** Options of {@linkcode swordFigure}. */
export interface SwordFigureOptions {
  /** Figure title. */
  title: string;
  /** The series, in legend order. */
  series: SwordSeries[];
  /** Vertical reference rules with their labels. */
  markers: { value: number; label: string }[];
  /** x-axis title (default `radius / √d`). */
  xLabel?: string;
}

/**
 * Vertical step between marker labels, in pixels (staggered so that labels
 * of close rules stay readable).
 */
const MARKER_LABEL_STEP = 14;

/** Colours of the series, in order (Tableau 10). */
const SERIES_COLOURS = ["#e45756", "#4c78a8", "#54a24b", "#f58518"];

/**
 * Bars of each series' share of points per bin on a log x axis, with
 * labelled rules (see the module doc). Bins with a non-positive or
 * non-finite edge, or a zero count, are dropped; markers that cannot sit on
 * a log axis too.
 *
 * @param opts The series, the markers and the titles.
 * @returns An SVG document.
 */
export function swordFigure(opts: SwordFigureOptions): Promise<string> {
  const xTitle = opts.xLabel ?? "radius / √d";
  const names = opts.series.map((s) => s.name);
  const bars = opts.series.flatMap((s) => {
    const total = s.bins.reduce((sum, b) => sum + b.count, 0);
    return s.bins
      .filter((b) =>
        loggable(b.low) && loggable(b.high) && b.high > b.low && b.count > 0
      )
      .map((b) => ({
        series: s.name,
        low: b.low,
        high: b.high,
        share: b.count / total,
      }));
  });
  const markers = opts.markers
    .filter((m) => loggable(m.value) && finite(m.value))
    .map((m, i) => ({ ...m, offset: MARKER_LABEL_STEP * i }));
  const domain = logDomain([
    ...bars.flatMap((b) => [b.low, b.high]),
    ...markers.map((m) => m.value),
  ]);
  const scale = domain === undefined
    ? { type: "log", nice: true }
    : { type: "log", nice: false, domain };
  const x = { field: "low", type: "quantitative", scale, title: xTitle };
  // Labels of rules in the right fifth of the axis end at their rule.
  const rightOf = (value: number) =>
    domain !== undefined &&
    Math.log(value / domain[0]) > 0.8 * Math.log(domain[1] / domain[0]);
  const labels = (align: "left" | "right") =>
    layer(align === "left" ? "marker_labels" : "marker_labels_right", {
      values: markers.filter((m) => rightOf(m.value) === (align === "right")),
      mark: {
        type: "text",
        color: "#222222",
        align,
        baseline: "top",
        dx: align === "left" ? 3 : -3,
        dy: 2,
      },
      encoding: {
        x: { field: "value", type: "quantitative", scale, title: xTitle },
        y: { field: "offset", type: "quantitative", scale: null },
        text: { field: "label", type: "nominal" },
      },
    });
  return renderLayers(opts.title, [
    layer("bars", {
      values: bars,
      mark: { type: "rect", opacity: 0.6 },
      encoding: {
        x,
        x2: { field: "high" },
        y: { field: "share", type: "quantitative", title: "share of points" },
        y2: { datum: 0 },
        color: {
          field: "series",
          type: "nominal",
          title: null,
          scale: {
            domain: names,
            range: SERIES_COLOURS.slice(0, names.length),
          },
          legend: { orient: "top", direction: "vertical", labelLimit: 480 },
        },
      },
    }),
    layer("markers", {
      values: markers,
      mark: { type: "rule", color: "#222222", strokeDash: [5, 3] },
      encoding: {
        x: { field: "value", type: "quantitative", scale, title: xTitle },
      },
    }),
    labels("left"),
    labels("right"),
  ]);
}

/**
 * Log-spaced bin edges from `low` to `high` with `perOctave` bins per
 * doubling: the edges low·2^(i/perOctave), i = 0, …, up to the first ≥ high.
 *
 * @example
 * ```ts
 * import { logBinEdges } from "./sword.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(logBinEdges({ low: 0.25, high: 1, perOctave: 1 }), [0.25, 0.5, 1]);
 * ```
 */
export function logBinEdges(
  range: { low: number; high: number; perOctave: number },
): number[] {
  const { low, high, perOctave } = range;
  if (!(low > 0 && high > low && perOctave >= 1)) {
    throw new RangeError(
      `logBinEdges: need 0 < low < high and perOctave ≥ 1, got ${low}, ${high}, ${perOctave}`,
    );
  }
  const edges: number[] = [];
  for (let i = 0;; i++) {
    const edge = low * 2 ** (i / perOctave);
    edges.push(edge);
    if (edge >= high * (1 - 1e-12)) break;
  }
  return edges;
}
