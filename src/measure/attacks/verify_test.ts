import assert from "node:assert/strict";
import { initBackend } from "../../backend/backends.ts";
import { Rng } from "../../model/rng.ts";
import { flipRadiusAlong } from "../flip_radius.ts";
import { robustMeanCase } from "../../../fixtures/attack_cases.ts";
import { randomNetwork } from "../../../fixtures/random_network.ts";
import { AttackBatch } from "./batch.ts";
import {
  bestFlips,
  flipRadii,
  flipsAlong,
  isFlip,
  settleAlong,
} from "./verify.ts";

await initBackend("cpu");

Deno.test("isFlip: y·N(x + z) ≤ 0, so N = 0 (no active neuron) is a flip", () => {
  const net = { d: 2, m: 1, w: [1, 0], b: [0], v: [1] }; // relu(x1)
  const at = { x: [1, 0], label: 1 };
  assert.equal(isFlip(net, { ...at, perturbation: [-1, 0] }), true);
  assert.equal(isFlip(net, { ...at, perturbation: [-2, 5] }), true);
  assert.equal(isFlip(net, { ...at, perturbation: [-0.5, 0] }), false);
  // For the label -1, N = 0 is a flip too: the point is "misclassified".
  assert.equal(
    isFlip(net, { x: [-1, 0], label: -1, perturbation: [0, 0] }),
    true,
  );
});

Deno.test("settleAlong: N* at a mean, along -μ_j, is exactly √d/2 and verified", () => {
  const c = robustMeanCase(new Rng(4), { d: 400, k: 4 });
  const batch = new AttackBatch(c.weights, c.points);
  for (let j = 0; j < 4; j++) {
    const { flip, unverified } = settleAlong(batch, {
      index: j,
      direction: c.nearest[j],
    });
    assert.equal(unverified, false);
    assert.ok(flip !== null);
    assert.ok(Math.abs(flip.radius - 10) <= 1e-9 * 10, `${flip.radius}`);
    assert.ok(
      isFlip(c.weights, {
        ...batch.labelled(j),
        perturbation: flip.perturbation,
      }),
    );
  }
});

Deno.test("settleAlong agrees with flipRadiusAlong on a random network", () => {
  const rng = new Rng(9);
  const d = 6;
  const net = randomNetwork(rng, { d, m: 10 });
  const x = rng.normalArray(8 * d);
  const y = Float64Array.from(
    { length: 8 },
    () => rng.uniform() < 0.5 ? -1 : 1,
  );
  const batch = new AttackBatch(net, { x, y });
  let checked = 0;
  for (let i = 0; i < 8; i++) {
    const direction = rng.normalArray(d);
    const exact = flipRadiusAlong(net, { ...batch.labelled(i), direction });
    const { flip } = settleAlong(batch, { index: i, direction });
    if (!Number.isFinite(exact)) {
      assert.equal(flip, null);
      continue;
    }
    checked++;
    assert.ok(flip !== null);
    assert.ok(
      flip.radius >= exact * (1 - 1e-12) && flip.radius <= exact * (1 + 1e-6),
      `${flip.radius} vs ${exact}`,
    );
  }
  assert.ok(checked > 0);
});

Deno.test("settleAlong: misclassified points flip at 0; null, zero and non-flipping rays give none", () => {
  const net = { d: 2, m: 1, w: [1, 0], b: [-1], v: [1] }; // relu(x1 - 1)
  const batch = new AttackBatch(net, { x: [3, 0, 0, 0], y: [1, 1] });
  assert.equal(
    settleAlong(batch, { index: 1, direction: null }).flip?.radius,
    0,
  );
  assert.equal(settleAlong(batch, { index: 0, direction: null }).flip, null);
  assert.equal(settleAlong(batch, { index: 0, direction: [0, 0] }).flip, null);
  const away = settleAlong(batch, { index: 0, direction: [1, 0] });
  assert.deepEqual(away, { flip: null, unverified: false });
});

Deno.test("settleAlong discards, and counts, a flip float64 does not confirm", () => {
  // f(t) = relu(1 - t) + relu(t - c) with c = 1 - 2⁻⁵³·2 just below 1: on
  // [c, 1] f = 1 - c ≈ 1.1e-16 > 0, within flipRadius's rounding tolerance,
  // so the line search reports a flip at t = c that no nudge confirms.
  const c = 1 - Number.EPSILON / 2;
  const net = { d: 1, m: 2, w: [-1, 1], b: [1, -c], v: [1, 1] };
  const batch = new AttackBatch(net, { x: [0], y: [1] });
  assert.equal(flipRadiusAlong(net, { x: [0], label: 1, direction: [1] }), c);
  assert.deepEqual(settleAlong(batch, { index: 0, direction: [1] }), {
    flip: null,
    unverified: true,
  });
  assert.equal(flipsAlong(batch, [[1]]).unverified, 1);
});

Deno.test("flipRadii and bestFlips", () => {
  const flip = (radius: number) => ({
    perturbation: new Float64Array([radius]),
    radius,
  });
  const a = { flips: [flip(2), null, flip(1)], unverified: 2 };
  const b = { flips: [flip(2), flip(4), null], unverified: 1 };
  const best = bestFlips([a, b]);
  assert.deepEqual(flipRadii(best), [2, 4, 1]);
  assert.equal(best.flips[0], a.flips[0]); // ties keep the first
  assert.equal(best.unverified, 3);
  assert.throws(() => bestFlips([]), RangeError);
});

Deno.test("settleAlong with a power agrees with flipRadiusAlong and verifies", () => {
  for (const power of [2, 3]) {
    const rng = new Rng(10 + power);
    const d = 6;
    const net = { ...randomNetwork(rng, { d, m: 10 }), power };
    const x = rng.normalArray(8 * d);
    const y = Float64Array.from(
      { length: 8 },
      () => rng.uniform() < 0.5 ? -1 : 1,
    );
    const batch = new AttackBatch(net, { x, y });
    let checked = 0;
    for (let i = 0; i < 8; i++) {
      const direction = rng.normalArray(d);
      const exact = flipRadiusAlong(net, { ...batch.labelled(i), direction });
      const { flip, unverified } = settleAlong(batch, { index: i, direction });
      assert.equal(unverified, false);
      if (!Number.isFinite(exact)) {
        assert.equal(flip, null);
        continue;
      }
      checked++;
      assert.ok(flip !== null);
      assert.ok(
        isFlip(net, { ...batch.labelled(i), perturbation: flip.perturbation }),
      );
      assert.ok(
        flip.radius >= exact * (1 - 1e-12) &&
          flip.radius <= exact * (1 + 1e-6),
        `p=${power}: ${flip.radius} vs ${exact}`,
      );
    }
    assert.ok(checked > 0);
  }
  // isFlip uses the power: relu(x1)³ − relu(x2)³ at (1, 0) + (0, 1) is 0.
  const cubic = {
    d: 2,
    m: 2,
    w: [1, 0, 0, 1],
    b: [0, 0],
    v: [1, -1],
    power: 3,
  };
  assert.equal(
    isFlip(cubic, { x: [1, 0], label: 1, perturbation: [0, 1] }),
    true,
  );
  assert.equal(
    isFlip(cubic, { x: [1, 0], label: 1, perturbation: [0, 0.99] }),
    false,
  );
});
