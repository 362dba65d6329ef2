import assert from "node:assert/strict";
import { initBackend } from "../../backend/backends.ts";
import { Rng } from "../../model/rng.ts";
import { randomUnitVector } from "../flips.ts";
import {
  assertExactRadii,
  type ExactCase,
  exactCases,
  exactErrors,
  randomCase,
  singleNeuronCase,
} from "../../../fixtures/attack_cases.ts";
import { AttackBatch } from "./batch.ts";
import { deepFool } from "./deepfool.ts";
import { fastMinimumNorm } from "./fmn.ts";
import { flipRadii, flipsAlong, isFlip } from "./verify.ts";

await initBackend("cpu");

/**
 * Poor warm starts: the flips along the exact direction plus a random unit
 * vector of the same norm (about 45° off).
 */
function poorWarmStart(batch: AttackBatch, c: ExactCase) {
  const rng = new Rng(5);
  return flipsAlong(
    batch,
    c.nearest.map((u) => {
      const r = randomUnitVector(rng, u.length);
      const norm = Math.hypot(...u);
      return u.map((ut, t) => ut / norm + r[t]);
    }),
  );
}

Deno.test("fastMinimumNorm recovers the exact flip from a poor warm start", async (t) => {
  for (const [name, c] of Object.entries(exactCases(11))) {
    await t.step(name, () => {
      const batch = new AttackBatch(c.weights, c.points);
      const warmStart = poorWarmStart(batch, c);
      const before = exactErrors(flipRadii(warmStart), c.exact);
      assert.ok(before.min > 0.1, "the warm start is poor");
      const run = fastMinimumNorm(batch, { warmStart });
      assertExactRadii(flipRadii(run), { exact: c.exact, name });
      assert.equal(run.unverified, 0);
    });
  }
});

Deno.test("fastMinimumNorm from DeepFool (the default) on the exact cases", () => {
  for (const c of Object.values(exactCases(12))) {
    const batch = new AttackBatch(c.weights, c.points);
    assertExactRadii(flipRadii(fastMinimumNorm(batch)), { exact: c.exact });
  }
});

Deno.test("fastMinimumNorm: never worse than its warm start, deterministic restarts, verified", () => {
  const { weights: net, points } = randomCase(6, { d: 10, m: 40, n: 16 });
  const batch = new AttackBatch(net, points);
  const warmStart = deepFool(batch);
  const warm = flipRadii(warmStart);
  const run = fastMinimumNorm(batch, { warmStart, restarts: 3, seed: 2 });
  const again = fastMinimumNorm(batch, { warmStart, restarts: 3, seed: 2 });
  assert.deepEqual(flipRadii(again), flipRadii(run));
  run.flips.forEach((flip, i) => {
    assert.ok((flip?.radius ?? Infinity) <= warm[i]);
    if (flip === null) return;
    assert.ok(
      isFlip(net, { ...batch.labelled(i), perturbation: flip.perturbation }),
    );
  });
});

Deno.test("fastMinimumNorm without a warm flip starts from the first-order distance", () => {
  // relu(3x1 + 4x2 - 5) at (3, 4): no warm flip given, FMN still finds 4.
  const net = { d: 2, m: 1, w: [3, 4], b: [-5], v: [1] };
  const batch = new AttackBatch(net, { x: [3, 4], y: [1] });
  const run = fastMinimumNorm(batch, {
    warmStart: { flips: [null], unverified: 0 },
  });
  const [radius] = flipRadii(run);
  assert.ok(Math.abs(radius - 4) < 4e-8, `${radius}`);
  assert.throws(
    () => fastMinimumNorm(batch, { warmStart: { flips: [], unverified: 0 } }),
    RangeError,
  );
});

Deno.test("fastMinimumNorm on one cubic neuron recovers a/‖w‖ from a poor warm start", () => {
  // The single-neuron case of exactCases(11) (its seed 12), cubed.
  const c = singleNeuronCase(new Rng(12), { d: 30, count: 12, power: 3 });
  const batch = new AttackBatch(c.weights, c.points);
  const warmStart = poorWarmStart(batch, c);
  assert.ok(exactErrors(flipRadii(warmStart), c.exact).min > 0.1);
  const run = fastMinimumNorm(batch, { warmStart });
  assertExactRadii(flipRadii(run), { exact: c.exact, name: "p = 3" });
  assert.equal(run.unverified, 0);
});
