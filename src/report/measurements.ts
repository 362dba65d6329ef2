/**
 * A claim's key measurements: per configuration, the median and 10%/90%
 * quantiles of each `highlights` column over the finished trials, as
 * numbers (`stats`, which `summary.json` carries and `deno task regress`
 * compares) and as the "median [q10, q90]" text the reports print
 * (`cells`).
 *
 * @module
 */

import {
  type ColumnStats,
  columnStats,
  okRecords,
  statsText,
} from "../claims/records.ts";
import type { TrialRecord } from "../claims/types.ts";
import type { ClaimPlan } from "../runner/plan.ts";

/** The key measurements of one configuration. */
export interface KeyMeasurementRow {
  /** Configuration key. */
  config: string;
  /** Trials of the configuration that ran to the end. */
  n: number;
  /** Per column, "median [q10, q90]" (or "n/a"). */
  cells: string[];
  /** Per column, the numbers behind the cell (`null`: no finite value). */
  stats: (ColumnStats | null)[];
}

/** A claim's key measurements: its `highlights` columns, one row per configuration. */
export interface KeyMeasurements {
  /** Value columns (the claim's `highlights`). */
  columns: string[];
  /** One row per configuration of the plan, in plan order. */
  rows: KeyMeasurementRow[];
}

/**
 * The key measurements of a claim from its records (records of other
 * claims are ignored): per configuration of the plan, the finished trials
 * and, per `highlights` column, its {@linkcode ColumnStats} and their text.
 *
 * @example
 * ```ts
 * import { keyMeasurements } from "./measurements.ts";
 * import assert from "node:assert/strict";
 * const claim = {
 *   id: "C0", title: "t", statement: "s", source: "[R]", hypotheses: [], constants: {},
 *   configs: () => [], runTrial: () => Promise.reject(new Error("not run")),
 *   highlights: ["x"],
 * };
 * const records = [1, 2, 3].map((x, trial) => ({
 *   task: { claim: "C0", config: "c", trial, seed: trial },
 *   result: { status: "ok" as const, reason: "", checks: {}, values: { x } },
 * }));
 * const m = keyMeasurements({ claim, configs: [{ key: "c", params: {}, checks: [], trials: 3 }], checks: [] }, records);
 * assert.deepEqual(m.rows[0].cells, ["2 [1.2, 2.8]"]);
 * assert.equal(m.rows[0].stats[0]?.n, 3);
 * ```
 */
export function keyMeasurements(
  plan: ClaimPlan,
  records: TrialRecord[],
): KeyMeasurements {
  const columns = plan.claim.highlights ?? [];
  return {
    columns,
    rows: plan.configs.map(({ key }) => {
      const own = records.filter((r) =>
        r.task.claim === plan.claim.id && r.task.config === key
      );
      const stats = columns.map((c) => columnStats(own, c));
      return {
        config: key,
        n: okRecords(own).length,
        cells: stats.map(statsText),
        stats,
      };
    }),
  };
}
