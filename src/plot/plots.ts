/**
 * SVG figures for the claim reports, drawn by Vega-Lite and rendered headless
 * by Vega.
 *
 * Each function takes plain data and returns an SVG document as a string. A
 * Vega-Lite spec is compiled to Vega, run in a `vega.View` with
 * `renderer: "none"` (no DOM, no canvas) and serialised with `toSVG()`.
 * Without a canvas Vega estimates text widths from the font size, so layout
 * needs no fonts; labels stay `<text>` elements that the viewer draws with
 * its own sans-serif font. The same input always gives the same string: the
 * SVG clip and gradient id counters are reset before every render.
 *
 * Values that a log axis cannot show (zero, negative, non-finite) are dropped
 * from the plotted data.
 *
 * @example A histogram of flip radii with the paper's two reference scales
 * ```ts
 * import { flipRadiusHistogram } from "./plots.ts";
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

import * as vega from "vega";
import { compile, type TopLevelSpec } from "vega-lite";

/** Plot area width in pixels, shared by every figure. */
const WIDTH = 480;
/** Plot area height in pixels, shared by every figure. */
const HEIGHT = 300;
/** Above this many series a line chart draws no legend. */
const MAX_LEGEND_SERIES = 10;

/** Common Vega-Lite config: white background, plain sans-serif text. */
const CONFIG = {
  background: "white",
  font: "sans-serif",
  title: { fontSize: 14, anchor: "start" },
  axis: { labelFontSize: 11, titleFontSize: 12 },
  legend: { labelFontSize: 11, titleFontSize: 12, labelLimit: 320 },
} as const;

/** True when `v` is a finite number. */
function finite(v: number): boolean {
  return Number.isFinite(v);
}

/** True when `v` can sit on a log axis (finite and strictly positive). */
function loggable(v: number): boolean {
  return Number.isFinite(v) && v > 0;
}

/**
 * True when the spec or one of its layers has inline data with no rows (an
 * empty layer, e.g. no markers or no error bars, which is intended).
 */
function hasEmptyData(spec: TopLevelSpec): boolean {
  const parts = [spec, ...("layer" in spec ? spec.layer : [])];
  return parts.some((part) => {
    const data = "data" in part ? part.data : undefined;
    return data !== undefined && data !== null && "values" in data &&
      Array.isArray(data.values) && data.values.length === 0;
  });
}

/**
 * Compile a Vega-Lite spec and render it to an SVG string with no DOM.
 *
 * Vega's warnings go to the console, except when some layer is empty: its
 * "Infinite extent" warnings are then expected and silenced.
 *
 * @param spec A complete Vega-Lite spec (size, title and config are added by
 *   the caller through {@linkcode withFrame}).
 * @returns The SVG document.
 */
async function render(spec: TopLevelSpec): Promise<string> {
  const compiled = compile(spec).spec;
  vega.resetSVGDefIds();
  const view = new vega.View(vega.parse(compiled), {
    renderer: "none",
    logLevel: hasEmptyData(spec) ? vega.Error : vega.Warn,
  });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/**
 * Add the shared frame (title, size, config) to a layered spec.
 *
 * @param title Figure title.
 * @param body The `layer` (and anything else) of the spec.
 */
function withFrame(
  title: string,
  body: Record<string, unknown>,
): TopLevelSpec {
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: { text: title },
    width: WIDTH,
    height: HEIGHT,
    config: CONFIG,
    ...body,
  } as TopLevelSpec;
}

/** Smallest and largest of a non-empty array (no argument-count limit). */
function extent(values: number[]): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return [lo, hi];
}

/**
 * A log-axis domain that covers `values` with a small multiplicative margin,
 * or `undefined` (let Vega-Lite decide) when there is nothing to show.
 *
 * @param values Strictly positive finite numbers.
 */
function logDomain(values: number[]): [number, number] | undefined {
  if (values.length === 0) return undefined;
  const [lo, hi] = extent(values);
  const margin = Math.max(1.05, Math.pow(hi / lo, 0.04));
  return [lo / margin, hi * margin];
}

/** A log scale on an explicit domain (or Vega-Lite's own if none). */
function logScale(domain: [number, number] | undefined): {
  type: "log";
  nice: boolean;
  domain?: [number, number];
} {
  return domain === undefined
    ? { type: "log", nice: true }
    : { type: "log", nice: false, domain };
}

/** Format a number for a title: 3 decimals, no trailing zeros. */
function fmt(v: number): string {
  return Number.isFinite(v) ? String(Number(v.toFixed(3))) : String(v);
}

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
 * import { flipRadiusHistogram } from "./plots.ts";
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
  return render(withFrame(opts.title, {
    layer: [
      {
        name: "bars",
        data: { values: ratios },
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
      },
      {
        name: "markers",
        data: { values: markers },
        mark: { type: "rule", color: "#d62728", strokeDash: [5, 3] },
        encoding: {
          x: { field: "value", type: "quantitative", title: xTitle },
        },
      },
      {
        name: "marker_labels",
        data: { values: markers },
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
      },
    ],
  }));
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
 * import { radiusScatter } from "./plots.ts";
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
  return render(withFrame(opts.title, {
    width: HEIGHT,
    layer: [
      {
        name: "diagonal",
        data: { values: diagonal },
        mark: { type: "line", color: "#888888", strokeDash: [6, 4] },
        encoding: { x, y },
      },
      {
        name: "points",
        data: { values: points },
        mark: { type: "point", filled: true, opacity: 0.7, size: 30 },
        encoding: { x, y },
      },
    ],
  }));
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
 * import { logLogFit } from "./plots.ts";
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
  return render(withFrame(title, {
    layer: [
      {
        name: "fit_lines",
        data: { values: lines },
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
      },
      {
        name: "points",
        data: { values: points },
        mark: { type: "point", filled: true, opacity: 0.8, size: 30 },
        encoding: {
          x,
          y,
          ...(grouped
            ? { color: { field: "group", type: "nominal", title: "group" } }
            : {}),
        },
      },
    ],
  }));
}

/** Options of {@linkcode lineChart}. */
export interface LineChartOptions {
  /** One line per series, e.g. one per trial. */
  series: { name: string; points: { x: number; y: number }[] }[];
  /** Figure title. */
  title: string;
  /** x-axis title. */
  xLabel: string;
  /** y-axis title. */
  yLabel: string;
  /** Log-scale y axis (non-positive y values are dropped). */
  logY?: boolean;
}

/**
 * Line chart with one coloured line per series (points joined in x order).
 * The legend is shown only for at most 10 series.
 *
 * @example
 * ```ts
 * import { lineChart } from "./plots.ts";
 * import assert from "node:assert/strict";
 *
 * const svg = await lineChart({
 *   series: [{ name: "trial 0", points: [{ x: 0, y: 1 }, { x: 1, y: 0.1 }] }],
 *   title: "KKT residual",
 *   xLabel: "step",
 *   yLabel: "residual",
 *   logY: true,
 * });
 * assert.ok(svg.includes("KKT residual"));
 * ```
 *
 * @param opts The series, the titles and the y scale.
 * @returns An SVG document.
 */
export function lineChart(opts: LineChartOptions): Promise<string> {
  const logY = opts.logY ?? false;
  const keep = (p: { x: number; y: number }): boolean =>
    finite(p.x) && (logY ? loggable(p.y) : finite(p.y));
  const values = opts.series.flatMap((s) =>
    s.points.filter(keep).map((p) => ({ series: s.name, x: p.x, y: p.y }))
  );
  const names = opts.series.map((s) => s.name);
  const yScale = logY
    ? logScale(logDomain(values.map((v) => v.y)))
    : { type: "linear", zero: false };
  return render(withFrame(opts.title, {
    data: { values },
    mark: { type: "line", strokeWidth: 1.5, opacity: 0.85 },
    name: "lines",
    encoding: {
      x: { field: "x", type: "quantitative", title: opts.xLabel },
      y: {
        field: "y",
        type: "quantitative",
        scale: yScale,
        title: opts.yLabel,
      },
      color: {
        field: "series",
        type: "nominal",
        title: null,
        scale: { domain: names },
        legend: names.length > MAX_LEGEND_SERIES ? null : {},
      },
    },
  }));
}

/** Options of {@linkcode barChart}. */
export interface BarChartOptions {
  /**
   * One bar each; `low`/`high` draw an error bar (e.g. a confidence
   * interval), `group` colours bars and sets them side by side per label.
   */
  bars: {
    label: string;
    value: number;
    low?: number;
    high?: number;
    group?: string;
  }[];
  /** Figure title. */
  title: string;
  /** y-axis title. */
  yLabel: string;
}

/**
 * Bar chart with optional error bars, e.g. pass rates per claim with their
 * confidence intervals. Bars keep the input order; bars sharing a label but
 * of different groups stand side by side.
 *
 * @example
 * ```ts
 * import { barChart } from "./plots.ts";
 * import assert from "node:assert/strict";
 *
 * const svg = await barChart({
 *   bars: [{ label: "claim 1", value: 0.9, low: 0.8, high: 0.95 }],
 *   title: "Pass rates",
 *   yLabel: "pass rate",
 * });
 * assert.ok(svg.includes("Pass rates"));
 * ```
 *
 * @param opts The bars, the title and the y-axis title.
 * @returns An SVG document.
 */
export function barChart(opts: BarChartOptions): Promise<string> {
  const bars = opts.bars
    .filter((b) => finite(b.value))
    .map((b) => ({
      label: b.label,
      value: b.value,
      low: b.low,
      high: b.high,
      group: b.group ?? "",
    }));
  const grouped = bars.some((b) => b.group !== "");
  const errors = bars.filter((b) =>
    b.low !== undefined && b.high !== undefined && finite(b.low) &&
    finite(b.high)
  );
  const labels = [...new Set(bars.map((b) => b.label))];
  const groups = [...new Set(bars.map((b) => b.group))];
  const x = {
    field: "label",
    type: "nominal",
    sort: labels,
    title: null,
    axis: { labelAngle: labels.length > 6 ? -40 : 0 },
  };
  const offset = grouped
    ? { xOffset: { field: "group", type: "nominal", sort: groups } }
    : {};
  return render(withFrame(opts.title, {
    layer: [
      {
        name: "bars",
        data: { values: bars },
        mark: { type: "bar", color: "#4c78a8" },
        encoding: {
          x,
          ...offset,
          y: { field: "value", type: "quantitative", title: opts.yLabel },
          ...(grouped
            ? {
              color: {
                field: "group",
                type: "nominal",
                title: null,
                scale: { domain: groups },
              },
            }
            : {}),
        },
      },
      {
        name: "error_bars",
        data: { values: errors },
        mark: { type: "rule", color: "#222222", strokeWidth: 1.5 },
        encoding: {
          x,
          ...offset,
          y: { field: "low", type: "quantitative", title: opts.yLabel },
          y2: { field: "high" },
        },
      },
    ],
  }));
}
