/**
 * SVG figures for the claim reports, drawn by Vega-Lite and rendered
 * headless by Vega (see `render.ts`): the radius figures of C4, C5 and C7
 * (`radius_figures.ts`), the double-edged sword of C5 (`sword.ts`),
 * generic line and bar charts (`charts.ts`) and the heatmaps of the regime
 * maps (`heatmap.ts`). Each
 * function takes plain data and returns an SVG document as a string; the
 * same input always gives the same string.
 *
 * @example
 * ```ts
 * import { barChart } from "./mod.ts";
 * import assert from "node:assert/strict";
 * const svg = await barChart({
 *   bars: [{ label: "C1", value: 0.9, low: 0.8, high: 0.95 }],
 *   title: "Pass rates",
 *   yLabel: "pass rate",
 * });
 * assert.ok(svg.includes("Pass rates"));
 * ```
 *
 * @module
 */

export {
  barChart,
  type BarChartOptions,
  lineChart,
  type LineChartOptions,
} from "./charts.ts";
export {
  cellText,
  heatmap,
  type HeatmapCell,
  type HeatmapOptions,
} from "./heatmap.ts";
export {
  flipRadiusHistogram,
  type FlipRadiusHistogramOptions,
  logLogFit,
  type LogLogFitOptions,
  radiusScatter,
  type RadiusScatterOptions,
} from "./radius_figures.ts";
export {
  logBinEdges,
  type SwordBin,
  swordFigure,
  type SwordFigureOptions,
  type SwordSeries,
} from "./sword.ts";
