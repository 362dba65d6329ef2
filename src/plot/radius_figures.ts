/**
 * The radius figures of the claim reports: a histogram of flip radii with
 * reference markers (C4), a scatter of robust against gradient-flow radii
 * (C5), and points on log-log axes with a fitted power law (C7). Each takes
 * plain data and returns an SVG document (see `render.ts`).
 *
 * @example A histogram of flip radii with the paper's two reference scales
 * ```ts
 * import { flipRadiusHistogram } from "./radius_figures.ts";
 * import assert from "node:assert/strict";
 *
 * const svg = await flipRadiusHistogram({
 *   ratios: [0.5, 0.7, 1.1, 1.2],
 *   title: "Flip radius",
 *   markers: [{ value: 0.25, label: "control scale" }, { value: 2, label: "C" }],
 * });
 * assert.ok(svg.startsWith("<svg"));
 * assert.ok(svg.includes("Flip radius"));
 * ```
 *
 * @module
 */

import {
  extent,
  finite,
  fmt,
  HEIGHT,
  layer,
  logDomain,
  loggable,
  logScale,
  renderLayers,
} from "./render.ts";

/** Options of {@linkcode flipRadiusHistogram}. */
export interface FlipRadiusHistogramOptions {
  /** Flip radius divided by √(d/k), one value per trial/sample. */
  ratios: number[];
  /** Figure title. */
  title: string;
  /** Vertical reference rules, e.g. 0.25 "control scale" and 2 "C". */
  markers: { value: number; label: string }[];
  /** x-axis title; defaults to "flip radius / √(d/k)". */
  xLabel?: string;
}

/**
 * Histogram of flip radius / √(d/k) with labelled vertical rule markers.
 *
 * Bins are chosen by Vega-Lite (at most 30 "nice" bins over the data); one bar
 * is drawn per non-empty bin. Non-finite ratios are dropped.
 *
 * @example
 * ```ts
 * import { flipRadiusHistogram } from "./radius_figures.ts";
 * import assert from "node:assert/strict";
 *
 * const svg = await flipRadiusHistogram({
 *   ratios: [0.4, 0.6, 0.6],
 *   title: "Flip radius",
 *   markers: [{ value: 2, label: "C" }],
 * });
 * assert.ok(svg.includes("Flip radius"));
 * ```
 *
 * @param opts The ratios, the title and the markers.
 * @returns An SVG document.
 */
export function flipRadiusHistogram(
  opts: FlipRadiusHistogramOptions,
): Promise<string> {
  const xTitle = opts.xLabel ?? "flip radius / √(d/k)";
  const ratios = opts.ratios.filter(finite).map((ratio) => ({ ratio }));
  const markers = opts.markers.filter((m) => finite(m.value));
  return renderLayers(opts.title, [
    layer("bars", {
      values: ratios,
      mark: { type: "bar", color: "#4c78a8" },
      encoding: {
        x: {
          field: "ratio",
          type: "quantitative",
          bin: { maxbins: 30 },
          title: xTitle,
        },
        y: { aggregate: "count", type: "quantitative", title: "count" },
      },
    }),
    layer("markers", {
      values: markers,
      mark: { type: "rule", color: "#d62728", strokeDash: [5, 3] },
      encoding: {
        x: { field: "value", type: "quantitative", title: xTitle },
      },
    }),
    layer("marker_labels", {
      values: markers,
      mark: {
        type: "text",
        color: "#d62728",
        align: "left",
        baseline: "top",
        dx: 3,
        dy: 2,
      },
      encoding: {
        x: { field: "value", type: "quantitative", title: xTitle },
        y: { value: 0 },
        text: { field: "label", type: "nominal" },
      },
    }),
  ]);
}

/** Options of {@linkcode radiusScatter}. */
export interface RadiusScatterOptions {
  /** One point per trial: gradient-flow (non-robust) and robust radius. */
  points: { nonRobust: number; robust: number }[];
  /** Figure title. */
  title: string;
  /** x-axis title (the non-robust radius). */
  xLabel: string;
  /** y-axis title (the robust radius). */
  yLabel: string;
}

/**
 * Scatter of robust radius (y) against gradient-flow radius (x) on log axes,
 * with the diagonal y = x drawn across the data's range.
 *
 * Points with a non-positive or non-finite coordinate are dropped.
 *
 * @example
 * ```ts
 * import { radiusScatter } from "./radius_figures.ts";
 * import assert from "node:assert/strict";
 *
 * const svg = await radiusScatter({
 *   points: [{ nonRobust: 0.1, robust: 1 }, { nonRobust: 0.2, robust: 3 }],
 *   title: "Robust vs GF radius",
 *   xLabel: "gradient-flow radius",
 *   yLabel: "robust radius",
 * });
 * assert.ok(svg.includes("Robust vs GF radius"));
 * ```
 *
 * @param opts The points, the title and the axis titles.
 * @returns An SVG document.
 */
export function radiusScatter(opts: RadiusScatterOptions): Promise<string> {
  const points = opts.points
    .filter((p) => loggable(p.nonRobust) && loggable(p.robust))
    .map((p) => ({ x: p.nonRobust, y: p.robust }));
  const domain = logDomain(points.flatMap((p) => [p.x, p.y]));
  const diagonal = domain === undefined
    ? []
    : domain.map((v) => ({ x: v, y: v }));
  const x = {
    field: "x",
    type: "quantitative",
    scale: logScale(domain),
    title: opts.xLabel,
  };
  const y = {
    field: "y",
    type: "quantitative",
    scale: logScale(domain),
    title: opts.yLabel,
  };
  return renderLayers(opts.title, [
    layer("diagonal", {
      values: diagonal,
      mark: { type: "line", color: "#888888", strokeDash: [6, 4] },
      encoding: { x, y },
    }),
    layer("points", {
      values: points,
      mark: { type: "point", filled: true, opacity: 0.7, size: 30 },
      encoding: { x, y },
    }),
  ], { width: HEIGHT });
}

/** Options of {@linkcode logLogFit}. */
export interface LogLogFitOptions {
  /** Data points; an optional `group` colours them. */
  points: { x: number; y: number; group?: string }[];
  /** Fitted slope of ln y on ln x. */
  slope: number;
  /** Fitted intercept of ln y on ln x (natural log). */
  intercept: number;
  /** Figure title; the slope is appended to it. */
  title: string;
  /** x-axis title. */
  xLabel: string;
  /** y-axis title. */
  yLabel: string;
  /** If given, a dashed line of this slope through the log-space centroid. */
  referenceSlope?: number;
}

/**
 * Points on log-log axes with the fitted power law y = exp(intercept) · x^slope
 * (fit in natural logs) and, if `referenceSlope` is given, a dashed reference
 * line of that slope through the centroid of (ln x, ln y). The title ends
 * with the fitted slope (and the reference slope).
 *
 * Points with a non-positive or non-finite coordinate are dropped.
 *
 * @example
 * ```ts
 * import { logLogFit } from "./radius_figures.ts";
 * import assert from "node:assert/strict";
 *
 * const svg = await logLogFit({
 *   points: [{ x: 1, y: 2 }, { x: 4, y: 4 }],
 *   slope: 0.5,
 *   intercept: Math.log(2),
 *   title: "Radius vs d",
 *   xLabel: "d",
 *   yLabel: "radius",
 *   referenceSlope: 0.5,
 * });
 * assert.ok(svg.includes("slope 0.5"));
 * ```
 *
 * @param opts The points, the fit, the titles and the reference slope.
 * @returns An SVG document.
 */
export function logLogFit(opts: LogLogFitOptions): Promise<string> {
  const points = opts.points
    .filter((p) => loggable(p.x) && loggable(p.y))
    .map((p) => ({ x: p.x, y: p.y, group: p.group ?? "" }));
  const grouped = points.some((p) => p.group !== "");
  const fitName = `fit: slope ${fmt(opts.slope)}`;
  const refSlope = opts.referenceSlope;
  const refName = refSlope === undefined
    ? ""
    : `reference: slope ${fmt(refSlope)}`;
  const lines: { x: number; y: number; line: string }[] = [];
  if (points.length > 0) {
    const ends = extent(points.map((p) => p.x));
    for (const x of ends) {
      const y = Math.exp(opts.intercept + opts.slope * Math.log(x));
      if (loggable(y)) lines.push({ x, y, line: fitName });
    }
    if (refSlope !== undefined && finite(refSlope)) {
      const n = points.length;
      const mx = points.reduce((s, p) => s + Math.log(p.x), 0) / n;
      const my = points.reduce((s, p) => s + Math.log(p.y), 0) / n;
      for (const x of ends) {
        const y = Math.exp(my + refSlope * (Math.log(x) - mx));
        if (loggable(y)) lines.push({ x, y, line: refName });
      }
    }
  }
  const title = refSlope === undefined
    ? `${opts.title} (slope ${fmt(opts.slope)})`
    : `${opts.title} (slope ${fmt(opts.slope)}; reference ${fmt(refSlope)})`;
  const x = {
    field: "x",
    type: "quantitative",
    scale: logScale(logDomain(points.map((p) => p.x))),
    title: opts.xLabel,
  };
  const y = {
    field: "y",
    type: "quantitative",
    scale: logScale(logDomain([...points, ...lines].map((p) => p.y))),
    title: opts.yLabel,
  };
  const lineNames = refSlope === undefined ? [fitName] : [fitName, refName];
  return renderLayers(title, [
    layer("fit_lines", {
      values: lines,
      mark: { type: "line", color: "#222222" },
      encoding: {
        x,
        y,
        strokeDash: {
          field: "line",
          type: "nominal",
          title: null,
          scale: { domain: lineNames, range: [[1, 0], [6, 4]] },
        },
      },
    }),
    layer("points", {
      values: points,
      mark: { type: "point", filled: true, opacity: 0.8, size: 30 },
      encoding: {
        x,
        y,
        ...(grouped
          ? { color: { field: "group", type: "nominal", title: "group" } }
          : {}),
      },
    }),
  ]);
}
