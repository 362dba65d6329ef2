import assert from "node:assert/strict";
import { MAP_VERDICTS_NOTE, mapSummaryJson } from "./maps_json.ts";
import { summarizeMap } from "./maps.ts";
import { coinMap } from "../../fixtures/fake_map_claims.ts";

const info = {
  seed: 7,
  profile: "map" as const,
  backend: "cpu",
  workers: 2,
  started: "2025-01-01T00:00:00Z",
  elapsedSeconds: 12,
  trials: null,
  shard: null,
  claims: [{
    id: "M1",
    title: "t",
    statement: "s",
    constants: { a: 1 },
    checks: [],
  }],
};

Deno.test("mapSummaryJson", async (t) => {
  const summary = summarizeMap(coinMap, { claim: "M1", records: [] });
  const text = mapSummaryJson([summary], info);
  const json = JSON.parse(text);
  await t.step("deterministic: no wall-clock fields, no verdict fields", () => {
    assert.ok(!text.includes("2025-01-01") && !text.includes("elapsed"));
    assert.equal(json.kind, "regime-maps");
    assert.equal(json.verdicts, MAP_VERDICTS_NOTE);
    for (const key of ["rows", "assessments", "family", "allOk"]) {
      assert.equal(json[key], undefined, key);
    }
    assert.deepEqual(json.claims[0], {
      id: "M1",
      title: "t",
      statement: "s",
      source: null,
      hypotheses: [],
      constants: { a: 1 },
      constantReasons: {},
    });
  });
  await t.step(
    "a map: axes, check, hypothesis, cells with nulls for NaN",
    () => {
      const [map] = json.maps;
      assert.equal(map.name, "M1_p_s");
      assert.deepEqual(map.x, {
        name: "p",
        label: "bias p",
        values: [0.05, 0.5, 0.95],
        log: false,
      });
      assert.deepEqual(map.check, {
        name: "heads",
        description: coinMap.check.description,
        target: 0.8,
      });
      assert.equal(map.hypothesis.relaxed, "down");
      assert.equal(map.trialsPerCell, 4);
      assert.equal(map.cells.length, 6);
      assert.deepEqual(map.cells[0].quantities.u, {
        n: 0,
        median: null,
        q10: null,
        q90: null,
      });
      assert.equal(map.cells[0].rate, null);
      assert.equal(map.breaks[0].relation, "unknown");
    },
  );
});
