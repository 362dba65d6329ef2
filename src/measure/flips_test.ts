import assert from "node:assert/strict";
import { initBackend } from "../backend/backends.ts";
import { defaultInstance, drawInstance } from "../model/instance.ts";
import { Rng } from "../model/rng.ts";
import { flipsOnTestSet, measureFlips, randomUnitVector } from "./flips.ts";

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
  const points = {
    x: new Float32Array([2, 5, 0, -0.5, 1, 1, 3, 0, 0]),
    y: new Float32Array([1, -1, -1]),
  };
  const f = measureFlips(weights, points, {
    direction: [4, 0, 0],
    scale: 1,
    random: { rng: new Rng(1), count: 16, maxRatio: 2 },
  });

  await t.step("misclassified points are skipped, radii are exact", () => {
    assert.deepEqual(f.indices, [0, 1]);
    assert.deepEqual(f.ratios, [2, 0.5]);
    assert.ok(Math.abs(f.normRatios[0] - 2 / Math.hypot(2, 5)) < 1e-6);
  });

  await t.step("ratios are in units of the scale", () => {
    const g = measureFlips(weights, points, { direction: [1, 0, 0], scale: 4 });
    assert.deepEqual(g.ratios, [0.5, 0.125]);
  });

  await t.step("the random control: one answer per point, or none", () => {
    assert.equal(f.randomFlips.length, 2);
    const g = measureFlips(weights, points, { direction: [1, 0, 0], scale: 1 });
    assert.deepEqual(g.randomFlips, []);
    // A random direction u flips x within R when |x_1| ≤ R·|u_1|: never
    // with R = 0, so no random flips.
    const none = measureFlips(weights, points, {
      direction: [1, 0, 0],
      scale: 1,
      random: { rng: new Rng(1), count: 4, maxRatio: 0 },
    });
    assert.deepEqual(none.randomFlips, [false, false]);
  });

  await t.step("random unit vectors", () => {
    const u = randomUnitVector(new Rng(2), 50);
    assert.ok(Math.abs(Math.hypot(...u) - 1) < 1e-12);
    assert.deepEqual(randomUnitVector(new Rng(2), 50), u);
  });
});

Deno.test("flipsOnTestSet draws the random directions only when asked", () => {
  const params = {
    ...defaultInstance,
    d: 40,
    k: 4,
    n: 20,
    m: 8,
    nTest: 30,
    initScale: 1,
  };
  const a = drawInstance(3, params), b = drawInstance(3, params);
  const plain = flipsOnTestSet(a, a.init);
  assert.equal(plain.scale, Math.sqrt(10));
  assert.deepEqual(plain.randomFlips, []);
  const controlled = flipsOnTestSet(b, b.init, {
    random: { count: 16, maxRatio: 2 },
  });
  assert.deepEqual(controlled.ratios, plain.ratios);
  assert.equal(controlled.randomFlips.length, plain.ratios.length);
  // The control used the instance's generator; the plain call did not.
  assert.notEqual(a.rng.uniform(), b.rng.uniform());
});

Deno.test("measureFlips honours the power: relu(x1)³ − relu(−x1)³ flips at |x1|", () => {
  const weights = {
    d: 2,
    m: 2,
    w: new Float32Array([1, 0, -1, 0]),
    b: new Float32Array([0, 0]),
    v: new Float32Array([1, -1]),
    power: 3,
  };
  const points = {
    x: new Float32Array([2, 5, -0.5, 1, 0, 3]),
    y: new Float32Array([1, -1, 1]),
  };
  const flips = measureFlips(weights, points, { direction: [3, 0], scale: 1 });
  assert.deepEqual(flips.indices, [0, 1]); // N = 0 at the third point
  // Each crossing is the kink x1 = 0, where no neuron is active: exact.
  assert.deepEqual(flips.ratios, [2, 0.5]);
});
