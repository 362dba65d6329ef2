/**
 * The regime maps of a `map` run, from its trial records: per cell (a
 * configuration of a claim's {@linkcode RegimeMap}) the number of trials,
 * the median and 10–90% range of each quantity over the cell's finished
 * (`ok`) trials, and the pass count of the claim's check with its pass rate
 * and 95% Clopper–Pearson interval; and per row along the relaxed
 * hypothesis, where the check breaks against where the hypothesis does.
 *
 * Map cells have no verdicts: a cell reports its pass rate, and no cell
 * enters the Holm–Bonferroni family of a `ci` or `paper` run (a `map` run
 * has no family at all).
 *
 * Where a check breaks, along a row in the direction the hypothesis is
 * relaxed: the first cell whose pass rate is below the check's target
 * (`breaksAt`), and the first whose whole 95% interval is below it
 * (`clearlyBreaksAt`, the upper end below the target). Where the hypothesis
 * breaks: the first cell outside its boundary (`outsideFrom`). Their order
 * gives the row's {@linkcode BreakRelation}.
 *
 * @module
 */

import { stringify } from "csv-stringify/sync";
import { clopperPearsonInterval, quantile } from "../stats/mod.ts";
import { column } from "../claims/records.ts";
import { hypothesisHolds, mapCellKey, mapCells } from "../claims/regime_map.ts";
import type { MapQuantity, RegimeMap, TrialRecord } from "../claims/types.ts";
import type { ClaimPlan } from "../runner/plan.ts";

/** A quantity of one cell over its finished trials. */
export interface CellQuantity {
  /** Value column. */
  column: string;
  /** Finished trials with a finite value. */
  n: number;
  /** Median (NaN when n = 0). */
  median: number;
  /** 10% quantile. */
  q10: number;
  /** 90% quantile. */
  q90: number;
}

/** One cell of a map, summarized. */
export interface MapCellSummary {
  /** Value on the x axis. */
  x: number;
  /** Value on the y axis. */
  y: number;
  /** The cell's configuration key. */
  key: string;
  /** Finished trials of the cell (any status). */
  trials: number;
  /** Trials with status `ok`. */
  ok: number;
  /** Trials passing the check (status `ok` and the check true). */
  passed: number;
  /** passed / trials (NaN without trials). */
  rate: number;
  /** Lower end of the 95% Clopper–Pearson interval. */
  ciLow: number;
  /** Upper end of the 95% Clopper–Pearson interval. */
  ciHigh: number;
  /** Whether the relaxed hypothesis holds at the cell. */
  hypothesis: boolean;
  /** The map's quantities, in its order. */
  quantities: CellQuantity[];
}

/**
 * How a row's break compares with its hypothesis's, along the relaxed
 * direction: `inside` (the check falls below target while the hypothesis
 * still holds), `with` (at the first cell outside the hypothesis),
 * `beyond` (the check holds past the hypothesis and falls below target
 * later), `never` (it never falls below target on the row), `unknown`
 * (a cell of the row has no trials).
 */
export type BreakRelation = "inside" | "with" | "beyond" | "never" | "unknown";

/** Where the check and the hypothesis break along one row. */
export interface MapRowBreak {
  /** The row: the value of the axis the boundary does not cut. */
  at: number;
  /** The hypothesis boundary on the relaxed axis at this row. */
  boundary: number;
  /** First value (relaxed direction) outside the hypothesis, or null. */
  outsideFrom: number | null;
  /** First value whose pass rate is below the target, or null. */
  breaksAt: number | null;
  /** First value whose 95% upper end is below the target, or null. */
  clearlyBreaksAt: number | null;
  /** How the two compare. */
  relation: BreakRelation;
}

/** Everything the reports show of one map. */
export interface MapSummary {
  /** Claim id. */
  claim: string;
  /** The map's declaration. */
  map: RegimeMap;
  /** Planned trials per cell (the map's own, or the run's trials override). */
  trialsPerCell: number;
  /** Its cells, row by row (y outer, x inner, increasing). */
  cells: MapCellSummary[];
  /** One line per row along the relaxed axis. */
  breaks: MapRowBreak[];
}

/** Median and 10–90% range of a column over the ok records. */
function quantityOf(records: TrialRecord[], q: MapQuantity): CellQuantity {
  const values = column(records, q.column);
  const at = (p: number) => values.length === 0 ? NaN : quantile(values, p);
  return {
    column: q.column,
    n: values.length,
    median: at(0.5),
    q10: at(0.1),
    q90: at(0.9),
  };
}

/** Where the check and the hypothesis break along the rows of a map. */
function rowBreaks(map: RegimeMap, cells: MapCellSummary[]): MapRowBreak[] {
  const h = map.hypothesis;
  const along = h.axis === "x" ? map.x.values : map.y.values;
  const rows = h.axis === "x" ? map.y.values : map.x.values;
  const order = h.relaxed === "up" ? [...along] : [...along].reverse();
  const target = map.check.target;
  return rows.map((row) => {
    const line = order.map((v) =>
      cells.find((c) =>
        h.axis === "x" ? c.x === v && c.y === row : c.y === v && c.x === row
      )!
    );
    const first = (test: (c: MapCellSummary) => boolean) => {
      const i = line.findIndex(test);
      return i < 0 ? null : i;
    };
    const outside = first((c) => !c.hypothesis);
    const breaks = first((c) => c.trials > 0 && c.rate < target);
    const clearly = first((c) => c.trials > 0 && c.ciHigh < target);
    const value = (i: number | null) => i === null ? null : order[i];
    let relation: BreakRelation;
    if (line.some((c) => c.trials === 0)) relation = "unknown";
    else if (breaks === null) relation = "never";
    else if (outside === null || breaks < outside) relation = "inside";
    else relation = breaks === outside ? "with" : "beyond";
    return {
      at: row,
      boundary: h.at(row),
      outsideFrom: value(outside),
      breaksAt: value(breaks),
      clearlyBreaksAt: value(clearly),
      relation,
    };
  });
}

/** Where {@linkcode summarizeMap} reads a map's trials. */
export interface SummarizeMapOptions {
  /** The claim declaring the map. */
  claim: string;
  /** The run's records (those of other claims and configurations are ignored). */
  records: TrialRecord[];
  /** Planned trials per cell (default: the map's own). */
  trialsPerCell?: number;
}

/**
 * Summarize one map of a claim from the run's records.
 *
 * @example
 * ```ts
 * import { summarizeMap } from "./maps.ts";
 * import assert from "node:assert/strict";
 * const check = { name: "ok", description: "d", target: 0.8, expect: "holds" as const };
 * const map = {
 *   name: "M", title: "t", relaxes: "r",
 *   x: { name: "c", label: "c", values: [0, 0.5], params: () => ({}) },
 *   y: { name: "d", label: "d", values: [10], params: () => ({}) },
 *   params: {}, check, quantities: [{ column: "q", label: "q" }], trials: 2,
 *   hypothesis: { axis: "x" as const, relaxed: "up" as const, at: () => 0.25, statement: "s", source: "[R]" },
 * };
 * const record = (config: string, trial: number, pass: boolean) => ({
 *   task: { claim: "C0", config, trial, seed: trial },
 *   result: { status: "ok" as const, reason: "", checks: { ok: pass }, values: { q: trial } },
 * });
 * const summary = summarizeMap(map, {
 *   claim: "C0",
 *   records: [
 *     record("map:M:c=0,d=10", 0, true), record("map:M:c=0,d=10", 1, true),
 *     record("map:M:c=0.5,d=10", 0, true), record("map:M:c=0.5,d=10", 1, false),
 *   ],
 * });
 * assert.deepEqual(summary.cells.map((c) => c.rate), [1, 0.5]);
 * assert.equal(summary.breaks[0].breaksAt, 0.5);
 * assert.equal(summary.breaks[0].relation, "with");
 * ```
 */
export function summarizeMap(
  map: RegimeMap,
  options: SummarizeMapOptions,
): MapSummary {
  const { claim } = options;
  const byKey = new Map<string, TrialRecord[]>();
  for (const r of options.records) {
    if (r.task.claim !== claim) continue;
    const list = byKey.get(r.task.config) ?? [];
    list.push(r);
    byKey.set(r.task.config, list);
  }
  const cells = mapCells(map).map(({ x, y }): MapCellSummary => {
    const key = mapCellKey(map, { x, y });
    const own = byKey.get(key) ?? [];
    const passed = own.filter((r) =>
      r.result.status === "ok" && r.result.checks[map.check.name] === true
    ).length;
    const interval = own.length === 0
      ? { low: NaN, high: NaN }
      : clopperPearsonInterval(passed, own.length);
    return {
      x,
      y,
      key,
      trials: own.length,
      ok: own.filter((r) =>
        r.result.status === "ok"
      ).length,
      passed,
      rate: own.length === 0 ? NaN : passed / own.length,
      ciLow: interval.low,
      ciHigh: interval.high,
      hypothesis: hypothesisHolds(map, { x, y }),
      quantities: map.quantities.map((q) => quantityOf(own, q)),
    };
  });
  return {
    claim,
    map,
    trialsPerCell: options.trialsPerCell ?? map.trials,
    cells,
    breaks: rowBreaks(map, cells),
  };
}

/**
 * Every map of every claim of a plan, in plan order (the planned trials per
 * cell read from the plan's configurations).
 *
 * @example
 * ```ts
 * import { summarizeMaps } from "./maps.ts";
 * import { planRun } from "../runner/plan.ts";
 * import { claims } from "../claims/registry.ts";
 * import assert from "node:assert/strict";
 * const plan = planRun(claims.filter((c) => c.id === "C6"), { profile: "map", seed: 1 });
 * const [map] = summarizeMaps(plan.claims, []);
 * assert.equal(map.map.name, "C6_init_width");
 * assert.ok(map.cells.every((c) => c.trials === 0));
 * ```
 */
export function summarizeMaps(
  plans: ClaimPlan[],
  records: TrialRecord[],
): MapSummary[] {
  return plans.flatMap((p) =>
    (p.claim.maps ?? []).map((map) => {
      const first = mapCells(map)[0]?.config.key;
      const planned = p.configs.find((c) => c.key === first)?.trials;
      return summarizeMap(map, {
        claim: p.claim.id,
        records,
        trialsPerCell: planned,
      });
    })
  );
}

/** A number for reports: 4 significant digits, "" when not finite. */
function num(x: number): string {
  return Number.isFinite(x) ? String(Number(x.toPrecision(4))) : "";
}

/** An axis value in prose, with its name. */
function axisValue(name: string, v: number | null): string {
  return v === null ? "" : `${name} = ${num(v)}`;
}

/**
 * One row's break in words, e.g. `d/k = 32: below 0.8 from c = 0.45
 * (clearly from c = 0.6); hypothesis out from c = 0.15 (boundary 0.111):
 * holds beyond its hypothesis`.
 *
 * @example
 * ```ts
 * import { breakText } from "./maps.ts";
 * import assert from "node:assert/strict";
 * const axis = (name: string) => ({ name, label: name, values: [], params: () => ({}) });
 * const map = {
 *   x: axis("c"), y: axis("d_over_k"), check: { target: 0.8 },
 *   hypothesis: { axis: "x" as const },
 * };
 * const row = {
 *   at: 32, boundary: 0.111, outsideFrom: 0.15, breaksAt: 0.45,
 *   clearlyBreaksAt: null, relation: "beyond" as const,
 * };
 * assert.equal(
 *   breakText(map, row),
 *   "d_over_k = 32: pass rate below 0.8 from c = 0.45 (never clearly below); " +
 *     "hypothesis out from c = 0.15 (boundary 0.111): holds beyond its hypothesis, breaks later",
 * );
 * ```
 */
export function breakText(
  map: {
    x: { name: string };
    y: { name: string };
    check: { target: number };
    hypothesis: { axis: "x" | "y" };
  },
  row: MapRowBreak,
): string {
  const along = map.hypothesis.axis === "x" ? map.x.name : map.y.name;
  const other = map.hypothesis.axis === "x" ? map.y.name : map.x.name;
  const target = map.check.target;
  const check = row.breaksAt === null
    ? `pass rate never below ${target}`
    : `pass rate below ${target} from ${axisValue(along, row.breaksAt)} (${
      row.clearlyBreaksAt === null
        ? "never clearly below"
        : `clearly from ${axisValue(along, row.clearlyBreaksAt)}`
    })`;
  const hypothesis = row.outsideFrom === null
    ? `hypothesis holds on the whole row (boundary ${num(row.boundary)})`
    : `hypothesis out from ${axisValue(along, row.outsideFrom)} (boundary ${
      num(row.boundary)
    })`;
  return `${axisValue(other, row.at)}: ${check}; ${hypothesis}: ${
    RELATION_TEXT[row.relation]
  }`;
}

/** The words of each {@linkcode BreakRelation}. */
export const RELATION_TEXT: Readonly<Record<BreakRelation, string>> = {
  inside: "breaks inside its hypothesis",
  with: "breaks where its hypothesis does (at the grid's resolution)",
  beyond: "holds beyond its hypothesis, breaks later",
  never: "never breaks on the grid",
  unknown: "some cells have no trials",
};

/**
 * The CSV of a map: one row per cell (y outer, x inner) with the two axis
 * values, trials, finished trials, each quantity's median, 10% and 90%
 * quantiles, passes, pass rate, its 95% Clopper–Pearson interval, the
 * target and whether the hypothesis holds.
 *
 * @example
 * ```ts
 * import { mapCsv, summarizeMap } from "./maps.ts";
 * import assert from "node:assert/strict";
 * const map = {
 *   name: "M", title: "t", relaxes: "r",
 *   x: { name: "c", label: "c", values: [0], params: () => ({}) },
 *   y: { name: "d", label: "d", values: [10], params: () => ({}) },
 *   params: {}, check: { name: "ok", description: "d", target: 0.8, expect: "holds" as const },
 *   quantities: [{ column: "q", label: "q" }], trials: 1,
 *   hypothesis: { axis: "x" as const, relaxed: "up" as const, at: () => 1, statement: "s", source: "[R]" },
 * };
 * const csv = mapCsv(summarizeMap(map, { claim: "C0", records: [] }));
 * assert.equal(csv.split("\n")[0], "claim,map,check,c,d,trials,ok_trials,q_median,q_q10,q_q90,passed,pass_rate,ci_low,ci_high,target,hypothesis_holds");
 * ```
 */
export function mapCsv(summary: MapSummary): string {
  const { map } = summary;
  const header = [
    "claim",
    "map",
    "check",
    map.x.name,
    map.y.name,
    "trials",
    "ok_trials",
    ...map.quantities.flatMap((q) => [
      `${q.column}_median`,
      `${q.column}_q10`,
      `${q.column}_q90`,
    ]),
    "passed",
    "pass_rate",
    "ci_low",
    "ci_high",
    "target",
    "hypothesis_holds",
  ];
  const rows = summary.cells.map((c) => [
    summary.claim,
    map.name,
    map.check.name,
    String(c.x),
    String(c.y),
    String(c.trials),
    String(c.ok),
    ...c.quantities.flatMap((q) => [num(q.median), num(q.q10), num(q.q90)]),
    String(c.passed),
    num(c.rate),
    num(c.ciLow),
    num(c.ciHigh),
    String(map.check.target),
    String(c.hypothesis),
  ]);
  return stringify([header, ...rows], { record_delimiter: "\n" });
}
