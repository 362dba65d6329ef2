/**
 * `summary.json` of a `map` run: the deterministic run parameters, the
 * claims (statement, hypotheses, constants), and every map with its axes,
 * check, hypothesis boundary (statement, source, value per row), cells
 * (trials, pass count, pass rate with its 95% Clopper–Pearson interval,
 * each quantity's median and 10–90% range) and row breaks. It has no rows,
 * no family and no `allOk`: map cells carry pass rates, not verdicts.
 * Non-finite numbers are written as `null`. No wall-clock field, so two
 * runs of the same plan give byte-identical files.
 *
 * @module
 */

import type { MapSummary } from "./maps.ts";
import { type RunInfo, runJson } from "./run_info.ts";
import type { MapAxis } from "../claims/types.ts";

/** The layout version of a map run's `summary.json`. */
export const MAP_SUMMARY_FORMAT = 1;

/** What a map run says instead of verdicts. */
export const MAP_VERDICTS_NOTE =
  "none: a map run reports each cell's pass rate with its 95% Clopper–Pearson interval; cells get no verdict " +
  "and enter no Holm–Bonferroni family";

/** A number for JSON: `null` when not finite. */
function finiteOrNull(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}

/** An axis as data. */
function axisJson(axis: MapAxis) {
  return {
    name: axis.name,
    label: axis.label,
    values: [...axis.values],
    log: axis.log ?? false,
  };
}

/** One map as JSON-ready data. */
function mapJson(summary: MapSummary) {
  const { map } = summary;
  return {
    claim: summary.claim,
    name: map.name,
    title: map.title,
    relaxes: map.relaxes,
    check: {
      name: map.check.name,
      description: map.check.description,
      target: map.check.target,
    },
    x: axisJson(map.x),
    y: axisJson(map.y),
    hypothesis: {
      axis: map.hypothesis.axis,
      relaxed: map.hypothesis.relaxed,
      statement: map.hypothesis.statement,
      source: map.hypothesis.source,
    },
    quantities: map.quantities.map((q) => ({
      column: q.column,
      label: q.label,
      log: q.log ?? false,
    })),
    trialsPerCell: summary.trialsPerCell,
    cells: summary.cells.map((c) => ({
      x: c.x,
      y: c.y,
      key: c.key,
      trials: c.trials,
      ok: c.ok,
      passed: c.passed,
      rate: finiteOrNull(c.rate),
      ciLow: finiteOrNull(c.ciLow),
      ciHigh: finiteOrNull(c.ciHigh),
      hypothesisHolds: c.hypothesis,
      quantities: Object.fromEntries(
        c.quantities.map((q) => [q.column, {
          n: q.n,
          median: finiteOrNull(q.median),
          q10: finiteOrNull(q.q10),
          q90: finiteOrNull(q.q90),
        }]),
      ),
    })),
    breaks: summary.breaks.map((b) => ({
      ...b,
      boundary: finiteOrNull(b.boundary),
    })),
  };
}

/**
 * The text of a map run's `summary.json`; see the module documentation.
 *
 * @example
 * ```ts
 * import { mapSummaryJson } from "./maps_json.ts";
 * import assert from "node:assert/strict";
 * const json = JSON.parse(mapSummaryJson([], {
 *   seed: 1, profile: "map", backend: "cpu", trials: null, shard: null, claims: [],
 * }));
 * assert.equal(json.run.profile, "map");
 * assert.deepEqual(json.maps, []);
 * assert.equal(json.allOk, undefined);
 * ```
 */
export function mapSummaryJson(
  summaries: MapSummary[],
  info: RunInfo,
): string {
  const value = {
    kind: "regime-maps",
    format: MAP_SUMMARY_FORMAT,
    run: runJson(info),
    verdicts: MAP_VERDICTS_NOTE,
    claims: info.claims.map((c) => ({
      id: c.id,
      title: c.title,
      statement: c.statement,
      source: c.source ?? null,
      hypotheses: c.hypotheses ?? [],
      constants: c.constants,
      constantReasons: c.constantReasons ?? {},
    })),
    maps: summaries.map(mapJson),
  };
  return JSON.stringify(value, null, 2) + "\n";
}
