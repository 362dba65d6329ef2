import assert from "node:assert/strict";
import { keyMeasurements } from "./measurements.ts";
import type { ClaimSpec, TrialRecord } from "../claims/types.ts";

Deno.test("keyMeasurements: numbers and text per configuration and column", () => {
  const claim: ClaimSpec = {
    id: "C0",
    title: "t",
    statement: "s",
    source: "[R]",
    hypotheses: [],
    constants: {},
    configs: () => [],
    runTrial: () => Promise.reject(new Error("not run")),
    highlights: ["x", "absent"],
  };
  const record = (config: string, x: number, status = "ok"): TrialRecord => ({
    task: { claim: "C0", config, trial: 0, seed: 0 },
    result: {
      status: status as TrialRecord["result"]["status"],
      reason: "",
      checks: {},
      values: { x },
    },
  });
  const m = keyMeasurements({
    claim,
    configs: [
      { key: "a", params: {}, checks: [], trials: 3 },
      { key: "b", params: {}, checks: [], trials: 1 },
    ],
    checks: [],
  }, [
    record("a", 1),
    record("a", 3),
    record("a", 100, "error"),
    record("b", 7),
    {
      ...record("a", 50),
      task: { claim: "C9", config: "a", trial: 0, seed: 0 },
    },
  ]);
  assert.deepEqual(m.columns, ["x", "absent"]);
  assert.deepEqual(m.rows.map((r) => [r.config, r.n]), [["a", 2], ["b", 1]]);
  assert.deepEqual(m.rows[0].stats[0], { median: 2, q10: 1.2, q90: 2.8, n: 2 });
  assert.deepEqual(m.rows[0].cells, ["2 [1.2, 2.8]", "n/a"]);
  assert.equal(m.rows[0].stats[1], null);
  assert.deepEqual(m.rows[1].cells[0], "7 [7, 7]");
});
