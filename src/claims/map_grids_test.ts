import assert from "node:assert/strict";
import {
  correlationGrid,
  D_OVER_K_VALUES,
  initializationGrid,
  initialOutputScale,
  mapConstantReasons,
  mapConstants,
  samplesGrid,
} from "./map_grids.ts";
import { hypothesisHolds } from "./regime_map.ts";
import { drawInstance } from "../model/instance.ts";
import { networkOutput } from "../model/forward.ts";
import { instanceParams } from "./kit.ts";

Deno.test("map constants have reasons", () => {
  for (const name of Object.keys(mapConstants)) {
    assert.ok(
      mapConstantReasons[name as keyof typeof mapConstants].length > 20,
    );
  }
});

Deno.test("correlationGrid", () => {
  const grid = correlationGrid(10);
  assert.deepEqual(grid.x.params(0.45), {
    means: "correlated",
    correlation: 0.45,
  });
  assert.deepEqual(grid.y.values, D_OVER_K_VALUES);
  assert.deepEqual(grid.y.params(128), { d: 1280, k: 10 });
  assert.equal(grid.x.values[0], 0);
  assert.equal(grid.x.values.at(-1), 0.9);
  const map = { hypothesis: grid.hypothesis };
  assert.equal(hypothesisHolds(map, { x: 0, y: 4 }), true);
  assert.equal(hypothesisHolds(map, { x: 0.15, y: 4 }), false);
  assert.match(grid.hypothesis.statement, /0\.111/);
});

Deno.test("samplesGrid: n = round(ratio·k·ln k), held from ratio 1", () => {
  const grid = samplesGrid(10);
  assert.deepEqual(
    grid.x.values.map((r) => grid.x.params(r).n),
    [12, 23, 35, 46, 69, 92],
  );
  const map = { hypothesis: grid.hypothesis };
  assert.equal(hypothesisHolds(map, { x: 1, y: 8 }), true);
  assert.equal(hypothesisHolds(map, { x: 0.5, y: 8 }), false);
});

Deno.test("initializationGrid: the boundary is where the initial outputs reach 1", async (t) => {
  const grid = initializationGrid();
  await t.step("α_H(m) = (1.5m)^(-1/4) solves α²·√(1.5m) = 1", () => {
    for (const m of grid.y.values) {
      const alpha = grid.hypothesis.at(m);
      assert.ok(Math.abs(initialOutputScale(alpha, m) - 1) < 1e-12);
    }
    assert.ok(Math.abs(grid.hypothesis.at(100) - 0.2857) < 1e-3);
    assert.ok(grid.y.values.every((m) => m <= 200));
  });
  await t.step("the variance formula matches drawn initializations", () => {
    // Outputs at the test points of many independent initializations.
    const alpha = 0.5, m = 50;
    const outputs: number[] = [];
    for (let seed = 1; seed <= 60; seed++) {
      const params = instanceParams({
        d: 200,
        k: 4,
        n: 4,
        m,
        nTest: 20,
        initScale: alpha,
      });
      const { init, test } = drawInstance(seed, params);
      for (let i = 0; i < test.n; i++) {
        outputs.push(
          networkOutput(init, test.x.subarray(i * 200, (i + 1) * 200)),
        );
      }
    }
    const mean = outputs.reduce((a, b) => a + b, 0) / outputs.length;
    const sd = Math.sqrt(
      outputs.reduce((a, b) => a + (b - mean) ** 2, 0) / outputs.length,
    );
    const predicted = initialOutputScale(alpha, m);
    assert.ok(
      Math.abs(sd / predicted - 1) < 0.1,
      `measured ${sd}, predicted ${predicted}`,
    );
  });
});
