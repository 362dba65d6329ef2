/**
 * The shared frame of the report figures: each figure is a Vega-Lite spec
 * compiled to Vega, run in a `vega.View` with `renderer: "none"` (no DOM, no
 * canvas) and serialised with `toSVG()`. Without a canvas Vega estimates
 * text widths from the font size, so layout needs no fonts; labels stay
 * `<text>` elements that the viewer draws with its own sans-serif font. The
 * same input always gives the same string: the SVG clip and gradient id
 * counters are reset before every render.
 *
 * Values that a log axis cannot show (zero, negative, non-finite) are
 * dropped from the plotted data by the figures ({@linkcode loggable}).
 *
 * @example
 * ```ts
 * import { render, withFrame } from "./render.ts";
 * import assert from "node:assert/strict";
 * const svg = await render(withFrame("Empty", { mark: "point", data: { values: [] } }));
 * assert.ok(svg.startsWith("<svg") && svg.includes("Empty"));
 * ```
 *
 * @module
 */

import * as vega from "vega";
import { compile, type TopLevelSpec } from "vega-lite";

/** Plot area width in pixels, shared by every figure. */
const WIDTH = 480;
/** Plot area height in pixels, shared by every figure. */
export const HEIGHT = 300;
/** Above this many series a line chart draws no legend. */
export const MAX_LEGEND_SERIES = 10;

/** Common Vega-Lite config: white background, plain sans-serif text. */
const CONFIG = {
  background: "white",
  font: "sans-serif",
  title: { fontSize: 14, anchor: "start" },
  axis: { labelFontSize: 11, titleFontSize: 12 },
  legend: { labelFontSize: 11, titleFontSize: 12, labelLimit: 320 },
} as const;

/** True when `v` is a finite number. */
export function finite(v: number): boolean {
  return Number.isFinite(v);
}

/** True when `v` can sit on a log axis (finite and strictly positive). */
export function loggable(v: number): boolean {
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
export async function render(spec: TopLevelSpec): Promise<string> {
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
export function withFrame(
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
export function extent(values: number[]): [number, number] {
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
export function logDomain(values: number[]): [number, number] | undefined {
  if (values.length === 0) return undefined;
  const [lo, hi] = extent(values);
  const margin = Math.max(1.05, Math.pow(hi / lo, 0.04));
  return [lo / margin, hi * margin];
}

/** A log scale on an explicit domain (or Vega-Lite's own if none). */
export function logScale(domain: [number, number] | undefined): {
  type: "log";
  nice: boolean;
  domain?: [number, number];
} {
  return domain === undefined
    ? { type: "log", nice: true }
    : { type: "log", nice: false, domain };
}

/** Format a number for a title: 3 decimals, no trailing zeros. */
export function fmt(v: number): string {
  return Number.isFinite(v) ? String(Number(v.toFixed(3))) : String(v);
}

/** What a {@linkcode layer} draws: inline data rows, a mark and an encoding. */
export interface LayerParts {
  /** The layer's data rows (inline). */
  values: unknown[];
  /** The Vega-Lite mark. */
  mark: Record<string, unknown>;
  /** The Vega-Lite encoding. */
  encoding: Record<string, unknown>;
}

/**
 * One named layer of a layered figure (`{ name, data, mark, encoding }`);
 * the name also names its marks in the SVG (`<name>_marks`).
 */
export function layer(
  name: string,
  parts: LayerParts,
): Record<string, unknown> {
  return {
    name,
    data: { values: parts.values },
    mark: parts.mark,
    encoding: parts.encoding,
  };
}

/** Options of {@linkcode renderLayers}. */
export interface LayersOptions {
  /** Plot area width in pixels instead of the shared one (e.g. a square plot). */
  width?: number;
}

/** Render a layered figure (see {@linkcode layer}) in the shared frame. */
export function renderLayers(
  title: string,
  layers: Record<string, unknown>[],
  options: LayersOptions = {},
): Promise<string> {
  const { width } = options;
  return render(
    withFrame(
      title,
      width === undefined ? { layer: layers } : { width, layer: layers },
    ),
  );
}
