import assert from "node:assert/strict";
import { initBackend } from "../../backend/backends.ts";
import { Rng } from "../../model/rng.ts";
import {
  assertExactRadii,
  cubicClusterCase,
  exactCases,
  singleNeuronCase,
} from "../../../fixtures/attack_cases.ts";
import { AttackBatch } from "./batch.ts";
import { maltAttack, nearestOpposite } from "./malt.ts";
import { flipRadii, flipsAlong, isFlip } from "./verify.ts";

await initBackend("cpu");

/**
 * FMN steps of the refinement in the single-neuron case. Its targets are
 * random points 4–13 times farther than the exact flip, and FMN shrinks its
 * radius by at most Π(1 − γ_k) ≈ e^(−2.55) ≈ 1/13 in its default 100
 * steps: 3 of the 12 points then stop about 6% above the exact radius. 300
 * steps give room enough.
 */
const SINGLE_NEURON_STEPS = 300;

Deno.test("maltAttack finds the exact minimum-norm flip where it is known", async (t) => {
  for (const [name, c] of Object.entries(exactCases(11))) {
    await t.step(name, () => {
      const batch = new AttackBatch(c.weights, c.points);
      const refine = name === "single neuron"
        ? { steps: SINGLE_NEURON_STEPS }
        : {};
      const run = maltAttack(batch, { targets: c.targets, refine });
      assertExactRadii(flipRadii(run), { exact: c.exact, name });
      assert.equal(run.unverified, 0);
      run.flips.forEach((flip, i) => {
        assert.ok(flip !== null);
        const point = batch.labelled(i);
        const { perturbation } = flip;
        assert.ok(isFlip(c.weights, { ...point, perturbation }));
      });
    });
  }
});

Deno.test("maltAttack with the default refinement: never above its best line, never below the exact radius", () => {
  const c = exactCases(11)["single neuron"];
  const batch = new AttackBatch(c.weights, c.points);
  const chosen = nearestOpposite(batch, { targets: c.targets, count: 5 });
  const { d } = batch;
  const lineBest = new Array(batch.n).fill(Infinity);
  for (let k = 0; k < 5; k++) {
    const run = flipsAlong(
      batch,
      chosen.map((js, i) =>
        js[k] === undefined ? null : Float64Array.from(
          { length: d },
          (_, s) => c.targets.x[js[k] * d + s] - batch.x[i * d + s],
        )
      ),
    );
    flipRadii(run).forEach((r, i) => lineBest[i] = Math.min(lineBest[i], r));
  }
  const radii = flipRadii(maltAttack(batch, { targets: c.targets }));
  radii.forEach((r, i) => {
    assert.ok(r <= lineBest[i]);
    assert.ok(r >= c.exact[i] * (1 - 1e-12));
  });
});

Deno.test("nearestOpposite: the nearest targets of the other label, none for a misclassified point", () => {
  const net = { d: 1, m: 1, w: [1], b: [0], v: [1] }; // relu(x)
  const batch = new AttackBatch(net, { x: [1, -1], y: [1, 1] });
  const targets = { x: [5, -2, -4, 0.5, 1.5], y: [-1, -1, -1, 1, -1] };
  assert.deepEqual(nearestOpposite(batch, { targets, count: 2 }), [[4, 1], []]);
  assert.deepEqual(nearestOpposite(batch, { targets, count: 9 })[0], [
    4,
    1,
    0,
    2,
  ]);
  assert.throws(
    () => nearestOpposite(batch, { targets: { x: [1, 2], y: [1] }, count: 1 }),
    RangeError,
  );
});

Deno.test("maltAttack with a power: one cubic neuron, and the cubic per-cluster classifier", () => {
  // The single-neuron case of exactCases(11) (its seed 12), cubed.
  const c = singleNeuronCase(new Rng(12), { d: 30, count: 12, power: 3 });
  const run = maltAttack(new AttackBatch(c.weights, c.points), {
    targets: c.targets,
    refine: { steps: SINGLE_NEURON_STEPS },
  });
  assertExactRadii(flipRadii(run), { exact: c.exact, name: "p = 3" });
  assert.equal(run.unverified, 0);
  // At the means of the cubic classifier the lines towards the other
  // label's (noisy) means cross near the midpoint, at √(d/2).
  const k = cubicClusterCase(new Rng(24), { d: 400, k: 6 });
  const radii = flipRadii(
    maltAttack(new AttackBatch(k.weights, k.points), { targets: k.targets }),
  );
  assertExactRadii(radii, { exact: k.exact, tolerance: 1e-3, name: "F" });
});

Deno.test("nearestOpposite: per-row candidates restrict each row's targets", () => {
  const net = { d: 1, m: 1, w: [1], b: [0], v: [1] }; // relu(x)
  const batch = new AttackBatch(net, { x: [1, 2], y: [1, 1] });
  const targets = { x: [5, -2, -4, 0.5, 3], y: [-1, -1, -1, 1, -1] };
  const count = 2;
  // Row 0 may aim at 3, 2 and 0 (3 has its own label), row 1 at every target.
  const candidates = [[3, 2, 0], [0, 1, 2, 3, 4]];
  const chosen = nearestOpposite(batch, { targets, count, candidates });
  assert.deepEqual(chosen, [[0, 2], [4, 0]]);
  assert.deepEqual(nearestOpposite(batch, { targets, count })[1], chosen[1]);
  assert.throws(
    () => nearestOpposite(batch, { targets, count, candidates: [[0]] }),
    RangeError,
  );
});
