import assert from "node:assert/strict";
import { parse } from "csv-parse/sync";
import { breakText, mapCsv, summarizeMap, summarizeMaps } from "./maps.ts";
import { mapCellKey, mapCells } from "../claims/regime_map.ts";
import type { RegimeMap, TrialRecord } from "../claims/types.ts";
import {
  claims as mapClaims,
  coinMap,
} from "../../fixtures/fake_map_claims.ts";
import { planRun } from "../runner/plan.ts";

const check = {
  name: "ok",
  description: "passes",
  target: 0.8,
  expect: "holds" as const,
};

/** A 4×2 map whose hypothesis holds for x ≤ 1 (relaxed up). */
const map: RegimeMap = {
  name: "M",
  title: "t",
  relaxes: "r",
  x: { name: "x", label: "x", values: [0, 1, 2, 3], params: () => ({}) },
  y: { name: "y", label: "y", values: [10, 20], params: () => ({}) },
  params: {},
  check,
  quantities: [{ column: "q", label: "q" }],
  trials: 10,
  hypothesis: {
    axis: "x",
    relaxed: "up",
    at: () => 1,
    statement: "x ≤ 1",
    source: "[R]",
  },
};

/** `n` records of a cell of `map`, `passes` of them passing, q = trial index. */
function cell(
  at: { x: number; y: number },
  counts: { n: number; passes: number },
): TrialRecord[] {
  return Array.from({ length: counts.n }, (_, trial) => ({
    task: { claim: "C0", config: mapCellKey(map, at), trial, seed: trial },
    result: {
      status: "ok" as const,
      reason: "",
      checks: { ok: trial < counts.passes },
      values: { q: trial },
    },
  }));
}

/** Records of a whole row with the given pass counts along x (10 trials each). */
function row(y: number, passes: number[]): TrialRecord[] {
  return passes.flatMap((p, i) => cell({ x: i, y }, { n: 10, passes: p }));
}

Deno.test("summarizeMap: cells", async (t) => {
  const records = [...row(10, [10, 10, 7, 0]), ...row(20, [10, 10, 10, 10])];
  const summary = summarizeMap(map, { claim: "C0", records });
  await t.step("counts, rates, intervals and quantities per cell", () => {
    assert.equal(summary.cells.length, 8);
    const c = summary.cells[2];
    assert.deepEqual([c.x, c.y, c.trials, c.ok, c.passed], [2, 10, 10, 10, 7]);
    assert.equal(c.rate, 0.7);
    assert.ok(c.ciLow < 0.7 && c.ciHigh > 0.7);
    assert.equal(c.hypothesis, false);
    assert.equal(summary.cells[1].hypothesis, true);
    assert.deepEqual(c.quantities[0], {
      column: "q",
      n: 10,
      median: 4.5,
      q10: 0.9,
      q90: 8.1,
    });
    assert.equal(summary.trialsPerCell, 10);
  });
  await t.step("records of other claims and configurations are ignored", () => {
    const foreign = records.map((r) => ({
      ...r,
      task: { ...r.task, claim: "C9" },
    }));
    const other = summarizeMap(map, { claim: "C0", records: foreign });
    assert.ok(other.cells.every((c) => c.trials === 0 && Number.isNaN(c.rate)));
  });
  await t.step("a non-ok trial counts as a trial, never as a pass", () => {
    const broken = cell({ x: 0, y: 10 }, { n: 2, passes: 2 });
    broken[1].result = { ...broken[1].result, status: "error" };
    const s = summarizeMap(map, { claim: "C0", records: broken });
    assert.deepEqual(
      [s.cells[0].trials, s.cells[0].ok, s.cells[0].passed],
      [2, 1, 1],
    );
    assert.equal(s.cells[0].quantities[0].n, 1);
  });
});

Deno.test("summarizeMap: where the check breaks against the hypothesis", async (t) => {
  const relation = (passes: number[]) =>
    summarizeMap(map, { claim: "C0", records: row(10, passes) }).breaks.find(
      (b) => b.at === 10,
    )!;
  await t.step("beyond: passes past the hypothesis, breaks later", () => {
    const b = relation([10, 10, 10, 0]);
    assert.deepEqual(
      [b.outsideFrom, b.breaksAt, b.clearlyBreaksAt, b.relation],
      [2, 3, 3, "beyond"],
    );
    assert.equal(b.boundary, 1);
  });
  await t.step("with: breaks at the first cell outside", () => {
    assert.equal(relation([10, 10, 7, 7]).relation, "with");
  });
  await t.step("inside: breaks while the hypothesis holds", () => {
    const b = relation([10, 5, 10, 10]);
    assert.deepEqual([b.breaksAt, b.relation], [1, "inside"]);
  });
  await t.step("never; clearly below needs the whole interval below", () => {
    assert.equal(relation([10, 10, 10, 10]).relation, "never");
    const b = relation([10, 10, 7, 7]);
    assert.equal(b.clearlyBreaksAt, null, "7/10 is not clearly below 0.8");
  });
  await t.step("unknown: a cell of the row has no trials", () => {
    assert.equal(
      summarizeMap(map, { claim: "C0", records: row(10, [10, 10]) }).breaks[0]
        .relation,
      "unknown",
    );
  });
  await t.step("a hypothesis relaxed downwards is walked downwards", () => {
    const down: RegimeMap = {
      ...map,
      hypothesis: { ...map.hypothesis, relaxed: "down", at: () => 2 },
    };
    const s = summarizeMap(down, {
      claim: "C0",
      records: row(10, [0, 10, 10, 10]),
    });
    const b = s.breaks[0];
    assert.deepEqual(
      [b.outsideFrom, b.breaksAt, b.relation],
      [1, 0, "beyond"],
    );
  });
  await t.step("a boundary on the y axis runs along columns", () => {
    const columns: RegimeMap = {
      ...map,
      hypothesis: {
        axis: "y",
        relaxed: "up",
        at: (x) => 10 + x,
        statement: "y ≤ 10 + x",
        source: "[R]",
      },
    };
    const s = summarizeMap(columns, {
      claim: "C0",
      records: [...row(10, [10, 10, 10, 10]), ...row(20, [0, 10, 10, 10])],
    });
    assert.deepEqual(s.breaks.map((b) => b.at), [0, 1, 2, 3]);
    assert.deepEqual(
      s.breaks.map((b) => b.relation),
      ["with", "never", "never", "never"],
    );
    assert.equal(s.breaks[0].boundary, 10);
  });
});

Deno.test("breakText names the axes and the relation", () => {
  const s = summarizeMap(map, {
    claim: "C0",
    records: [...row(10, [10, 10, 10, 0]), ...row(20, [10, 10, 10, 10])],
  });
  assert.equal(
    breakText(map, s.breaks[0]),
    "y = 10: pass rate below 0.8 from x = 3 (clearly from x = 3); " +
      "hypothesis out from x = 2 (boundary 1): holds beyond its hypothesis, breaks later",
  );
  assert.equal(
    breakText(map, s.breaks[1]),
    "y = 20: pass rate never below 0.8; hypothesis out from x = 2 (boundary 1): " +
      "never breaks on the grid",
  );
});

Deno.test("mapCsv: a row per cell with the declared columns", () => {
  const s = summarizeMap(map, { claim: "C0", records: row(10, [10, 9]) });
  const rows = parse(mapCsv(s), { columns: true }) as Record<string, string>[];
  assert.equal(rows.length, 8);
  assert.deepEqual(rows[1], {
    claim: "C0",
    map: "M",
    check: "ok",
    x: "1",
    y: "10",
    trials: "10",
    ok_trials: "10",
    q_median: "4.5",
    q_q10: "0.9",
    q_q90: "8.1",
    passed: "9",
    pass_rate: "0.9",
    ci_low: "0.555",
    ci_high: "0.9975",
    target: "0.8",
    hypothesis_holds: "true",
  });
  assert.equal(rows[7].trials, "0");
  assert.equal(rows[7].pass_rate, "", "no trials: empty, not NaN");
});

Deno.test("summarizeMaps reads the planned trials per cell", () => {
  const plan = planRun(mapClaims, { profile: "map", seed: 1, trials: 2 });
  const [s] = summarizeMaps(plan.claims, []);
  assert.equal(s.map, coinMap);
  assert.equal(s.trialsPerCell, 2);
  assert.equal(s.cells.length, mapCells(coinMap).length);
});
