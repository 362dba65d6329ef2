/**
 * Regime maps as configurations: each cell of a claim's
 * {@linkcode RegimeMap} is one {@linkcode ClaimConfig} (parameters of the
 * map, then of its two axes; the map's check; the map's trials), so the
 * runner plans, seeds, shards and resumes map cells as it does any
 * configuration. The `map` profile of a run is made of these cells only
 * ({@linkcode configsFor}); the `ci` and `paper` profiles never see them.
 *
 * A cell's key is `map:<map name>:<x axis>=<x>,<y axis>=<y>`, and its
 * parameters carry the two axis values under the axes' names, so every
 * trial row says which cell it belongs to.
 *
 * @example
 * ```ts
 * import { mapCells } from "./regime_map.ts";
 * import assert from "node:assert/strict";
 * const check = { name: "ok", description: "d", target: 0.8, expect: "holds" as const };
 * const cells = mapCells({
 *   name: "M", title: "t", relaxes: "r",
 *   x: { name: "c", label: "c", values: [0, 0.5], params: (c) => ({ correlation: c }) },
 *   y: { name: "d", label: "d", values: [40], params: (d) => ({ d }) },
 *   params: { k: 4 }, check, quantities: [{ column: "q", label: "q" }], trials: 3,
 *   hypothesis: { axis: "x", relaxed: "up", at: () => 0.25, statement: "c ≤ 1/4", source: "[R]" },
 * });
 * assert.deepEqual(cells.map((c) => c.config.key), ["map:M:c=0,d=40", "map:M:c=0.5,d=40"]);
 * assert.deepEqual(cells[1].config.params, { k: 4, correlation: 0.5, d: 40, c: 0.5 });
 * ```
 *
 * @module
 */

import type {
  Cell,
  ClaimConfig,
  ClaimSpec,
  MapAxis,
  Profile,
  RegimeMap,
} from "./types.ts";

/** One cell of a map: its axis values and its configuration. */
export interface MapCell {
  /** Value on the map's x axis. */
  x: number;
  /** Value on the map's y axis. */
  y: number;
  /** The configuration the cell runs. */
  config: ClaimConfig;
}

/** A map name: it names files, so letters, digits, `_` and `-`. */
const MAP_NAME = /^[A-Za-z][A-Za-z0-9_-]*$/;
/** An axis name: a snake_case column name. */
const AXIS_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

/**
 * The key of a map's cell: `map:<name>:<x axis>=<x>,<y axis>=<y>`.
 *
 * @example
 * ```ts
 * import { mapCellKey } from "./regime_map.ts";
 * import assert from "node:assert/strict";
 * const axis = (name: string) => ({ name, label: name, values: [1], params: () => ({}) });
 * const map = { name: "M", x: axis("a"), y: axis("b") };
 * assert.equal(mapCellKey(map, { x: 0.001, y: 200 }), "map:M:a=0.001,b=200");
 * ```
 */
export function mapCellKey(
  map: Pick<RegimeMap, "name" | "x" | "y">,
  at: { x: number; y: number },
): string {
  return `map:${map.name}:${map.x.name}=${at.x},${map.y.name}=${at.y}`;
}

/** The problems of an axis, each naming the map and the axis. */
function axisProblems(axis: MapAxis, where: string): string[] {
  const problems: string[] = [];
  if (typeof axis.name !== "string" || !AXIS_NAME.test(axis.name)) {
    problems.push(`${where}.name must be a snake_case word`);
  }
  const values = axis.values;
  if (!Array.isArray(values) || values.length === 0) {
    return [...problems, `${where}.values must be a non-empty array`];
  }
  if (!values.every((v) => typeof v === "number" && Number.isFinite(v))) {
    problems.push(`${where}.values must be finite numbers`);
  } else if (values.some((v, i) => i > 0 && v <= values[i - 1])) {
    problems.push(`${where}.values must increase strictly`);
  }
  if (typeof axis.params !== "function") {
    problems.push(`${where}.params must be a function`);
  }
  return problems;
}

/**
 * The problems of a map declaration (empty when it is well formed): a
 * file-safe name, two well-formed axes with different names, a check with
 * a name, at least one quantity (no column twice), a positive integer
 * number of trials and a hypothesis boundary.
 *
 * @example
 * ```ts
 * import { mapProblems } from "./regime_map.ts";
 * import assert from "node:assert/strict";
 * const axis = { name: "a", label: "a", values: [2, 1], params: () => ({}) };
 * const problems = mapProblems({
 *   name: "M", title: "t", relaxes: "r", x: axis, y: { ...axis, name: "b", values: [1] },
 *   params: {}, check: { name: "c", description: "", target: 0.8, expect: "holds" },
 *   quantities: [], trials: 10,
 *   hypothesis: { axis: "x", relaxed: "up", at: () => 1, statement: "s", source: "[R]" },
 * });
 * assert.deepEqual(problems, [
 *   "map M: x.values must increase strictly",
 *   "map M: quantities must list at least one value column",
 * ]);
 * ```
 */
export function mapProblems(map: RegimeMap): string[] {
  if (typeof map?.name !== "string" || !MAP_NAME.test(map.name)) {
    return [
      `map name must be letters, digits, _ or - starting with a letter, got ${
        JSON.stringify(map?.name)
      }`,
    ];
  }
  const at = `map ${map.name}`;
  const problems = [
    ...axisProblems(map.x, `${at}: x`),
    ...axisProblems(map.y, `${at}: y`),
  ];
  if (map.x?.name === map.y?.name) {
    problems.push(`${at}: the two axes have the same name "${map.x.name}"`);
  }
  if (typeof map.check?.name !== "string" || map.check.name === "") {
    problems.push(`${at}: check must be a CheckSpec with a name`);
  }
  const columns = (map.quantities ?? []).map((q) => q.column);
  if (columns.length === 0) {
    problems.push(`${at}: quantities must list at least one value column`);
  } else if (new Set(columns).size !== columns.length) {
    problems.push(`${at}: a quantity column is listed twice`);
  }
  if (!Number.isInteger(map.trials) || map.trials < 1) {
    problems.push(`${at}: trials must be a positive integer`);
  }
  const h = map.hypothesis;
  if (
    h === undefined || (h.axis !== "x" && h.axis !== "y") ||
    (h.relaxed !== "up" && h.relaxed !== "down") ||
    typeof h.at !== "function"
  ) {
    problems.push(
      `${at}: hypothesis needs axis "x" or "y", relaxed "up" or "down" and at()`,
    );
  }
  return problems;
}

/** The parameters of a cell: the map's, the axes', and the axis values by name. */
function cellParams(
  map: RegimeMap,
  at: { x: number; y: number },
): Record<string, Cell> {
  const params: Record<string, Cell> = {
    ...map.params,
    ...map.x.params(at.x),
    ...map.y.params(at.y),
  };
  for (const [axis, value] of [[map.x, at.x], [map.y, at.y]] as const) {
    if (axis.name in params && params[axis.name] !== value) {
      throw new Error(
        `map ${map.name}: axis ${axis.name} sets parameter ${axis.name} to ` +
          `${params[axis.name]} at ${value}`,
      );
    }
    params[axis.name] = value;
  }
  return params;
}

/**
 * Every cell of a map, row by row (y outer, x inner, both increasing), each
 * with its configuration. Throws an Error naming the problems of a
 * malformed map (see {@linkcode mapProblems}).
 *
 * @example
 * ```ts
 * import { mapCells } from "./regime_map.ts";
 * import { c6 } from "./c6_mechanism.ts";
 * import assert from "node:assert/strict";
 * const cells = mapCells(c6.maps![0]);
 * assert.equal(cells.length, 7 * 6);
 * assert.deepEqual([cells[0].x, cells[0].y], [0.001, 5]);
 * assert.equal(cells[0].config.params.initScale, 0.001);
 * ```
 */
export function mapCells(map: RegimeMap): MapCell[] {
  const problems = mapProblems(map);
  if (problems.length > 0) throw new Error(problems.join("; "));
  return map.y.values.flatMap((y) =>
    map.x.values.map((x) => ({
      x,
      y,
      config: {
        key: mapCellKey(map, { x, y }),
        params: cellParams(map, { x, y }),
        checks: [map.check],
        trials: map.trials,
      },
    }))
  );
}

/**
 * The configurations of a list of maps (every cell of each, in order).
 * Throws an Error for a malformed map or a map name used twice.
 *
 * @example
 * ```ts
 * import { regimeMapConfigs } from "./regime_map.ts";
 * import { c7 } from "./c7_scaling.ts";
 * import assert from "node:assert/strict";
 * const configs = regimeMapConfigs(c7.maps!);
 * assert.equal(configs.length, 2 * 7 * 6);
 * assert.throws(() => regimeMapConfigs([c7.maps![0], c7.maps![0]]), /declared twice/);
 * ```
 */
export function regimeMapConfigs(maps: readonly RegimeMap[]): ClaimConfig[] {
  const names = new Set<string>();
  return maps.flatMap((map) => {
    if (names.has(map.name)) {
      throw new Error(`map ${map.name} is declared twice`);
    }
    names.add(map.name);
    return mapCells(map).map((cell) => cell.config);
  });
}

/**
 * A claim's configurations at a run profile: its own at `ci` and `paper`,
 * the cells of its maps at `map` (none when it declares no map). Every
 * planner, worker and report asks through this function.
 *
 * @example
 * ```ts
 * import { configsFor } from "./regime_map.ts";
 * import assert from "node:assert/strict";
 * const claim = {
 *   id: "C0", title: "", statement: "", source: "", hypotheses: [], constants: {},
 *   configs: () => [{ key: "k", params: {}, checks: [], trials: 3 }],
 *   runTrial: () => Promise.reject(new Error("not run")),
 * };
 * assert.equal(configsFor(claim, "ci").length, 1);
 * assert.deepEqual(configsFor(claim, "map"), []);
 * ```
 */
export function configsFor(claim: ClaimSpec, profile: Profile): ClaimConfig[] {
  return profile === "map"
    ? regimeMapConfigs(claim.maps ?? [])
    : claim.configs(profile);
}

/**
 * Whether the hypothesis a map relaxes holds at a cell: on the boundary or
 * on its side opposite to the relaxed direction.
 *
 * @example
 * ```ts
 * import { hypothesisHolds } from "./regime_map.ts";
 * import assert from "node:assert/strict";
 * const hypothesis = {
 *   axis: "x" as const, relaxed: "up" as const, at: (y: number) => y / 10,
 *   statement: "x ≤ y/10", source: "[R]",
 * };
 * assert.equal(hypothesisHolds({ hypothesis }, { x: 1, y: 20 }), true);
 * assert.equal(hypothesisHolds({ hypothesis }, { x: 3, y: 20 }), false);
 * ```
 */
export function hypothesisHolds(
  map: Pick<RegimeMap, "hypothesis">,
  at: { x: number; y: number },
): boolean {
  const h = map.hypothesis;
  const along = h.axis === "x" ? at.x : at.y;
  const bound = h.at(h.axis === "x" ? at.y : at.x);
  return h.relaxed === "up" ? along <= bound : along >= bound;
}

/**
 * The claims that declare at least one regime map, in their order.
 *
 * @example
 * ```ts
 * import { claimsWithMaps } from "./regime_map.ts";
 * import { claims } from "./registry.ts";
 * import assert from "node:assert/strict";
 * assert.ok(claimsWithMaps(claims).every((c) => (c.maps ?? []).length > 0));
 * ```
 */
export function claimsWithMaps(claims: readonly ClaimSpec[]): ClaimSpec[] {
  return claims.filter((c) => (c.maps ?? []).length > 0);
}
