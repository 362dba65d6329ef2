import assert from "node:assert/strict";
import { initBackend } from "../../backend/backends.ts";
import { Rng } from "../../model/rng.ts";
import {
  assertExactRadii,
  exactCases,
  randomCase,
  singleNeuronCase,
} from "../../../fixtures/attack_cases.ts";
import { AttackBatch } from "./batch.ts";
import { deepFool, firstOrderDistances } from "./deepfool.ts";
import { flipRadii, isFlip } from "./verify.ts";

await initBackend("cpu");

Deno.test("deepFool finds the exact minimum-norm flip where it is known", async (t) => {
  for (const [name, c] of Object.entries(exactCases(11))) {
    await t.step(name, () => {
      const run = deepFool(new AttackBatch(c.weights, c.points));
      assertExactRadii(flipRadii(run), { exact: c.exact, name });
      assert.equal(run.unverified, 0);
    });
  }
});

Deno.test("deepFool: misclassified points have radius 0; flips are verified", () => {
  const { weights: net, points } = randomCase(3, { d: 8, m: 12, n: 16 });
  const batch = new AttackBatch(net, points);
  const run = deepFool(batch);
  run.flips.forEach((flip, i) => {
    if (batch.margins[i] <= 0) assert.equal(flip?.radius, 0);
    if (flip === null) return;
    assert.ok(
      isFlip(net, { ...batch.labelled(i), perturbation: flip.perturbation }),
    );
  });
  assert.ok(run.flips.some((f) => f !== null && f.radius > 0));
});

Deno.test("deepFool restarts: deterministic, never worse than one run", () => {
  const { weights, points } = randomCase(5, { d: 10, m: 30, n: 12 });
  const batch = new AttackBatch(weights, points);
  const one = flipRadii(deepFool(batch));
  const many = flipRadii(deepFool(batch, { restarts: 4, seed: 7 }));
  assert.deepEqual(flipRadii(deepFool(batch, { restarts: 4, seed: 7 })), many);
  many.forEach((r, i) => assert.ok(r <= one[i]));
});

Deno.test("firstOrderDistances: M/‖∇M‖, 0 when misclassified, ∞ with no gradient", () => {
  const net = { d: 2, m: 1, w: [0, 0], b: [1], v: [1] }; // the constant 1
  const batch = new AttackBatch(net, { x: [1, 1, 2, 2], y: [1, -1] });
  assert.deepEqual([...firstOrderDistances(batch)], [Infinity, 0]);
  assert.deepEqual(deepFool(batch).flips.map((f) => f?.radius ?? null), [
    null,
    0,
  ]);
});

Deno.test("deepFool on one cubic neuron: the exact flip a/‖w‖", () => {
  // v·relu(⟨w, x⟩ + b)³: the linearisation steps along −w without ever
  // crossing (the cube only reaches 0), and the ray −w settles exactly at
  // the neuron's kink a/‖w‖.
  // The single-neuron case of exactCases(11) (its seed 12), cubed.
  const c = singleNeuronCase(new Rng(12), { d: 30, count: 12, power: 3 });
  const run = deepFool(new AttackBatch(c.weights, c.points));
  assertExactRadii(flipRadii(run), { exact: c.exact, name: "p = 3" });
  assert.equal(run.unverified, 0);
});
