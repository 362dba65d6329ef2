import assert from "node:assert/strict";
import { initBackend } from "../backend/backends.ts";
import { Rng } from "../model/rng.ts";
import { measureFlips, randomUnitVector } from "./c4_non_robustness.ts";
import { neuronSlopes } from "../measure/flip_radius.ts";

await initBackend("cpu");

Deno.test("measureFlips on a network that is linear near the data", async (t) => {
  // N(x) = relu(⟨s,x⟩) - relu(-⟨s,x⟩) = ⟨s,x⟩ with s = e1: along -y·s the
  // flip radius of x is exactly |x_1|.
  const d = 3;
  const weights = {
    d,
    m: 2,
    w: new Float32Array([1, 0, 0, -1, 0, 0]),
    b: new Float32Array([0, 0]),
    v: new Float32Array([1, -1]),
  };
  const x = new Float32Array([2, 5, 0, -0.5, 1, 1, 3, 0, 0]);
  const y = new Float32Array([1, -1, -1]);
  const f = measureFlips(weights, x, y, 3, [4, 0, 0], 1, new Rng(1));

  await t.step("misclassified points are skipped, radii are exact", () => {
    assert.deepEqual(f.indices, [0, 1]);
    assert.deepEqual(f.ratios, [2, 0.5]);
    assert.ok(Math.abs(f.normRatios[0] - 2 / Math.hypot(2, 5)) < 1e-6);
  });

  await t.step("slopes and random unit vectors", () => {
    assert.deepEqual([...neuronSlopes(weights, [1, 2, 3])], [1, -1]);
    const u = randomUnitVector(new Rng(2), 50);
    assert.ok(Math.abs(Math.hypot(...u) - 1) < 1e-12);
  });
});
