/**
 * The generic charts of the reports: lines (C1's KKT residual along
 * training, C2's error rate) and bars with error bars (pass rates). Each
 * takes plain data and returns an SVG document (see `render.ts`).
 *
 * @module
 */

import {
  finite,
  layer,
  logDomain,
  loggable,
  logScale,
  MAX_LEGEND_SERIES,
  render,
  renderLayers,
  withFrame,
} from "./render.ts";

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
 * import { lineChart } from "./charts.ts";
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
 * import { barChart } from "./charts.ts";
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
  return renderLayers(opts.title, [
    layer("bars", {
      values: bars,
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
    }),
    layer("error_bars", {
      values: errors,
      mark: { type: "rule", color: "#222222", strokeWidth: 1.5 },
      encoding: {
        x,
        ...offset,
        y: { field: "low", type: "quantitative", title: opts.yLabel },
        y2: { field: "high" },
      },
    }),
  ]);
}
