/**
 * The charts and the index of the run history (`history.ts`): one SVG per
 * claim, `history_<claim>.svg`, with the pass rate of each check (and its
 * 95% interval) over the commits of the history, and below it each key
 * measurement's median relative to its first recorded value; and
 * `history.md`, the list of entries (commit, time, profile, checks at their
 * expected verdict) that numbers the commits of the charts. Drawn with
 * `src/plot/` (Vega-Lite, no browser); the same history gives the same
 * files.
 *
 * @module
 */

import { historyEntries, type HistoryRow } from "./history.ts";
import { layer, render, withFrame } from "../plot/render.ts";

/** A chart of the history: file name and SVG text. */
export interface HistoryFigure {
  /** File name, `history_<claim>.svg`. */
  file: string;
  /** The SVG document. */
  svg: string;
}

/** Height of each panel, in pixels. */
const PANEL_HEIGHT = 220;
/** Width of each panel, in pixels. */
const PANEL_WIDTH = 520;
/** Above this many series a panel draws no legend. */
const MAX_LEGEND = 12;

/** The commits of a history in order, with their chart labels (`1 abc1234`). */
function commitLabels(rows: HistoryRow[]): Map<string, string> {
  const labels = new Map<string, string>();
  for (const r of rows) {
    if (!labels.has(r.commit)) {
      labels.set(r.commit, `${labels.size + 1} ${r.commit.slice(0, 7)}`);
    }
  }
  return labels;
}

/** A panel of lines (with points) over the commits, optionally with interval rules. */
function panel(
  title: string,
  options: {
    values: { x: string; y: number; low?: number; high?: number; s: string }[];
    xOrder: string[];
    yTitle: string;
    rules: boolean;
    zero: boolean;
  },
): Record<string, unknown> {
  const series = [...new Set(options.values.map((v) => v.s))];
  const x = {
    field: "x",
    type: "ordinal",
    sort: options.xOrder,
    scale: { domain: options.xOrder },
    title: "commit (history.md numbers them)",
    axis: { labelAngle: -30 },
  };
  const color = {
    field: "s",
    type: "nominal",
    title: null,
    scale: { domain: series },
    legend: series.length > MAX_LEGEND ? null : { labelLimit: 260 },
  };
  const layers = [
    layer("lines", {
      values: options.values,
      mark: { type: "line", point: true, strokeWidth: 1.5, opacity: 0.85 },
      encoding: {
        x,
        y: {
          field: "y",
          type: "quantitative",
          title: options.yTitle,
          scale: { zero: options.zero },
        },
        color,
      },
    }),
  ];
  const intervals = options.values.filter((v) =>
    v.low !== undefined && v.high !== undefined
  );
  if (options.rules && intervals.length > 0) {
    layers.push(layer("intervals", {
      values: intervals,
      mark: { type: "rule", opacity: 0.45 },
      encoding: {
        x,
        y: { field: "low", type: "quantitative" },
        y2: { field: "high" },
        color,
      },
    }));
  }
  return {
    title,
    width: PANEL_WIDTH,
    height: PANEL_HEIGHT,
    layer: layers,
  };
}

/** The pass-rate points of a claim's checks. */
function passRatePoints(rows: HistoryRow[], labels: Map<string, string>) {
  return rows.filter((r) => r.kind === "check" && r.value !== null).map((
    r,
  ) => ({
    x: labels.get(r.commit)!,
    y: r.value!,
    ...(r.low === null || r.high === null ? {} : { low: r.low, high: r.high }),
    s: `${r.name} (${r.profile})`,
  }));
}

/** Each key measurement's median relative to its first recorded, nonzero one. */
function measurementPoints(rows: HistoryRow[], labels: Map<string, string>) {
  const first = new Map<string, number>();
  const points: { x: string; y: number; s: string }[] = [];
  for (const r of rows) {
    if (r.kind !== "measurement" || r.value === null) continue;
    const s = `${r.name} @ ${r.config} (${r.profile})`;
    if (!first.has(s)) {
      if (r.value === 0) continue;
      first.set(s, r.value);
    }
    points.push({ x: labels.get(r.commit)!, y: r.value / first.get(s)!, s });
  }
  return points;
}

/**
 * One SVG per claim of the history, in order of first appearance: the
 * pass rate of each check over the commits and, when the history has key
 * measurements of the claim, their medians relative to the first recorded.
 */
export async function historyFigures(
  rows: HistoryRow[],
): Promise<HistoryFigure[]> {
  const labels = commitLabels(rows);
  const xOrder = [...labels.values()];
  const claims = [...new Set(rows.map((r) => r.claim))];
  const figures: HistoryFigure[] = [];
  for (const claim of claims) {
    const own = rows.filter((r) => r.claim === claim);
    const panels = [
      panel(`${claim}: pass rate of each check, with its 95% interval`, {
        values: passRatePoints(own, labels),
        xOrder,
        yTitle: "pass rate",
        rules: true,
        zero: true,
      }),
    ];
    const measured = measurementPoints(own, labels);
    if (measured.length > 0) {
      panels.push(
        panel(`${claim}: key measurements, median / first recorded median`, {
          values: measured,
          xOrder,
          yTitle: "relative median",
          rules: false,
          zero: false,
        }),
      );
    }
    const framed = withFrame(`${claim} over commits`, {
      vconcat: panels,
      resolve: { scale: { color: "independent" } },
    }) as unknown as Record<string, unknown>;
    const { width: _width, height: _height, ...spec } = framed;
    figures.push({
      file: `history_${claim}.svg`,
      svg: await render(spec as unknown as Parameters<typeof render>[0]),
    });
  }
  return figures;
}

/**
 * `history.md`: the entries of the history, numbered as the charts number
 * the commits, with links to the charts.
 *
 * @example
 * ```ts
 * import { historyMarkdown } from "./history_charts.ts";
 * import assert from "node:assert/strict";
 * assert.match(historyMarkdown([], []), /^# Run history/);
 * ```
 */
export function historyMarkdown(
  rows: HistoryRow[],
  figures: string[],
): string {
  const labels = commitLabels(rows);
  const lines = [
    "# Run history",
    "",
    "Each entry is one run of the suite, keyed by the git commit of its code " +
    "and its profile (`deno task history --run DIR` adds or replaces one). " +
    "The charts number the commits as below.",
    "",
    "| # | commit | commit time | dirty | profile | seed | checks as expected | assessments as expected |",
    "|---|---|---|---|---|---|---|---|",
  ];
  for (const entry of historyEntries(rows)) {
    const [first] = entry.rows;
    const count = (kind: HistoryRow["kind"]) => {
      const own = entry.rows.filter((r) => r.kind === kind);
      return `${own.filter((r) => r.ok === "true").length}/${own.length}`;
    };
    lines.push(
      `| ${labels.get(entry.commit)!.split(" ")[0]} | ${entry.commit} | ` +
        `${first.commitTime} | ${first.dirty} | ${entry.profile} | ` +
        `${first.seed} | ${count("check")} | ${count("assessment")} |`,
    );
  }
  lines.push("", ...figures.map((f) => `![${f}](${f})`));
  return lines.join("\n") + "\n";
}
