/**
 * A heatmap of a 2-D grid (the regime maps): one rectangle per cell on two
 * ordinal axes, coloured by the cell's value (linear or log colour scale,
 * a fixed domain when given), with up to two lines of text per cell (for
 * example the median quantity and the pass rate) drawn in black or white,
 * whichever reads on the cell's colour. Cells with a non-finite value are
 * grey. Cells can be framed (for example where a hypothesis holds).
 *
 * @module
 */

import { fmt, layer, loggable, render, withFrame } from "./render.ts";

/** One cell of a {@linkcode heatmap}. */
export interface HeatmapCell {
  /** Value on the x axis (one of `xValues`). */
  x: number;
  /** Value on the y axis (one of `yValues`). */
  y: number;
  /** The value that colours the cell (non-finite: grey, no colour). */
  value: number;
  /** Up to two lines of text drawn in the cell. */
  lines: string[];
  /** Draw a frame around the cell. */
  framed?: boolean;
}

/** Options of {@linkcode heatmap}. */
export interface HeatmapOptions {
  /** Figure title. */
  title: string;
  /** Subtitle: what the text and the frames mean. */
  subtitle?: string;
  /** x-axis title. */
  xLabel: string;
  /** y-axis title. */
  yLabel: string;
  /** The x values, left to right. */
  xValues: readonly number[];
  /** The y values, bottom to top. */
  yValues: readonly number[];
  /** The cells (missing ones are left blank). */
  cells: HeatmapCell[];
  /** Title of the colour legend. */
  colorLabel: string;
  /** Colour on a log scale (values ≤ 0 are then grey). */
  logColor?: boolean;
  /** A fixed colour domain [low, high] (default: the values' extent). */
  domain?: [number, number];
}

/** The colour scheme: viridis, dark at low values, light at high ones. */
const SCHEME = "viridis";
/** Below this position on the colour scale viridis is dark: white text there. */
const DARK_BELOW = 0.55;

/** An axis value as a label: up to 3 significant digits, no exponent for 1e-3..1e5. */
function axisLabel(v: number): string {
  return v === 0 || (Math.abs(v) >= 1e-3 && Math.abs(v) < 1e5)
    ? String(Number(v.toPrecision(3)))
    : v.toExponential(1);
}

/** Where a value sits on the colour scale, in [0, 1] (NaN when not colourable). */
function position(
  value: number,
  scale: { domain: [number, number]; log: boolean },
): number {
  const t = (v: number) => scale.log ? Math.log(v) : v;
  const [lo, hi] = scale.domain.map(t);
  if (!(scale.log ? loggable(value) : Number.isFinite(value))) return NaN;
  if (hi === lo) return 0.5;
  return Math.min(1, Math.max(0, (t(value) - lo) / (hi - lo)));
}

/** The colour domain: the given one, or the extent of the colourable values. */
function colourDomain(
  opts: HeatmapOptions,
  log: boolean,
): [number, number] | undefined {
  if (opts.domain !== undefined) return opts.domain;
  const values = opts.cells.map((c) => c.value).filter((v) =>
    log ? loggable(v) : Number.isFinite(v)
  );
  if (values.length === 0) return undefined;
  return [Math.min(...values), Math.max(...values)];
}

/**
 * A heatmap of a grid; see the module documentation. The same input always
 * gives the same SVG.
 *
 * @example
 * ```ts
 * import { heatmap } from "./heatmap.ts";
 * import assert from "node:assert/strict";
 * const svg = await heatmap({
 *   title: "C2: test error",
 *   xLabel: "c", yLabel: "d/k",
 *   xValues: [0, 0.5], yValues: [8, 16],
 *   cells: [
 *     { x: 0, y: 8, value: 1e-3, lines: ["0.001", "10/10"], framed: true },
 *     { x: 0.5, y: 8, value: 0.05, lines: ["0.05", "2/10"] },
 *     { x: 0, y: 16, value: 1e-6, lines: ["1e-6", "10/10"], framed: true },
 *     { x: 0.5, y: 16, value: NaN, lines: ["n/a"] },
 *   ],
 *   colorLabel: "test error",
 *   logColor: true,
 * });
 * assert.ok(svg.includes("C2: test error") && svg.includes("2/10"));
 * ```
 *
 * @param opts The grid, its cells, the titles and the colour scale.
 * @returns An SVG document.
 */
export function heatmap(opts: HeatmapOptions): Promise<string> {
  const log = opts.logColor ?? false;
  const domain = colourDomain(opts, log);
  const xs = opts.xValues.map(axisLabel);
  const ys = [...opts.yValues].reverse().map(axisLabel);
  const rows = opts.cells.map((c) => {
    const at = domain === undefined ? NaN : position(c.value, { domain, log });
    return {
      x: axisLabel(c.x),
      y: axisLabel(c.y),
      value: Number.isNaN(at) ? null : c.value,
      ink: !Number.isNaN(at) && at < DARK_BELOW ? "white" : "black",
      line1: c.lines[0] ?? "",
      line2: c.lines[1] ?? "",
      framed: c.framed === true,
    };
  });
  const x = {
    field: "x",
    type: "ordinal",
    sort: xs,
    scale: { domain: xs },
    title: opts.xLabel,
    axis: { labelAngle: 0 },
  };
  const y = {
    field: "y",
    type: "ordinal",
    sort: ys,
    scale: { domain: ys },
    title: opts.yLabel,
  };
  // Text colour is a fixed mark colour per layer: a colour encoding would
  // share (and break) the cells' colour scale.
  const hasSecond = rows.some((r) => r.line2 !== "");
  const text = (line: "line1" | "line2", ink: "white" | "black") =>
    layer(`${line === "line1" ? "cell_text" : "cell_text_2"}_${ink}`, {
      values: rows.filter((r) => r.ink === ink && r[line] !== ""),
      mark: {
        type: "text",
        fontSize: 10,
        color: ink,
        dy: line === "line2" ? 7 : hasSecond ? -7 : 0,
      },
      encoding: { x, y, text: { field: line } },
    });
  const colour = {
    field: "value",
    type: "quantitative",
    title: opts.colorLabel,
    scale: {
      type: log ? "log" : "linear",
      scheme: SCHEME,
      ...(domain === undefined ? {} : { domain }),
    },
    legend: { format: log ? ".0e" : ".2~f" },
  };
  const layers = [
    layer("cell_background", {
      values: rows,
      mark: { type: "rect", color: "#d9d9d9" },
      encoding: { x, y },
    }),
    layer("cells", {
      values: rows.filter((r) => r.value !== null),
      mark: { type: "rect" },
      encoding: { x, y, color: colour },
    }),
    layer("frames", {
      values: rows.filter((r) => r.framed),
      mark: {
        type: "rect",
        filled: false,
        stroke: "#d62728",
        strokeWidth: 2.5,
      },
      encoding: { x, y },
    }),
    text("line1", "white"),
    text("line1", "black"),
    text("line2", "white"),
    text("line2", "black"),
  ];
  const spec = withFrame(opts.title, { layer: layers });
  return render(
    opts.subtitle === undefined
      ? spec
      : { ...spec, title: { text: opts.title, subtitle: opts.subtitle } },
  );
}

/**
 * A value as heatmap cell text: 2 significant digits, in exponent form
 * below 0.01 and from 10⁴ on; `n/a` when not finite.
 *
 * @example
 * ```ts
 * import { cellText } from "./heatmap.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual([0.8123, 2.5e-7, NaN].map(cellText), ["0.81", "2.5e-7", "n/a"]);
 * ```
 */
export function cellText(v: number): string {
  if (!Number.isFinite(v)) return "n/a";
  if (v === 0) return "0";
  return Math.abs(v) >= 1e-2 && Math.abs(v) < 1e4
    ? fmt(Number(v.toPrecision(2)))
    : v.toExponential(1);
}
