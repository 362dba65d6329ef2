import assert from "node:assert/strict";
import { initBackend } from "../../backend/backends.ts";
import {
  networkOutput,
  neuronSlopes,
  pointPreActivations,
} from "../../model/forward.ts";
import { inputGradientAt } from "../../../fixtures/random_network.ts";
import { randomCase } from "../../../fixtures/attack_cases.ts";
import { maxRelativeError } from "../../../fixtures/numeric.ts";
import { Rng } from "../../model/rng.ts";
import { AttackBatch } from "./batch.ts";
import { deepFool } from "./deepfool.ts";
import { flipsAlong } from "./verify.ts";

await initBackend("cpu");

/** A random network, 5 random points and their batch. */
function randomBatch(seed: number) {
  const d = 12, m = 9, n = 5;
  const { weights: net, points, rng } = randomCase(seed, { d, m, n });
  const { x, y } = points;
  return { rng, net, x, y, d, m, n, batch: new AttackBatch(net, points) };
}

Deno.test("AttackBatch: clean margins are the float64 forward pass", () => {
  const { net, x, y, d, n, batch } = randomBatch(1);
  for (let i = 0; i < n; i++) {
    const out = networkOutput(net, x.subarray(i * d, (i + 1) * d));
    assert.equal(batch.margins[i], y[i] * out);
    assert.deepEqual(batch.labelled(i).x, x.subarray(i * d, (i + 1) * d));
  }
});

Deno.test("AttackBatch.linearize agrees with float64 margins and gradients (float32 tolerance)", () => {
  const { rng, net, x, y, d, batch } = randomBatch(2);
  const rows = [3, 0, 4];
  const z = rng.normalArray(rows.length * d, 0.3);
  const { margins, gradients } = batch.linearize({ rows, z });
  rows.forEach((i, k) => {
    const moved = Float64Array.from(
      { length: d },
      (_, t) => x[i * d + t] + z[k * d + t],
    );
    const out = networkOutput(net, moved);
    // float32 products: relative error ~1e-7 of the sums' magnitude.
    assert.ok(Math.abs(margins[k] - y[i] * out) < 1e-5 * (1 + Math.abs(out)));
    const g = inputGradientAt(net, moved).map((gt) => y[i] * gt);
    assert.ok(
      maxRelativeError(gradients.subarray(k * d, (k + 1) * d), g) < 1e-5,
    );
  });
});

Deno.test("AttackBatch.slopes are ⟨w_r, u⟩ in float32", () => {
  const { rng, net, d, m, batch } = randomBatch(3);
  const u = rng.normalArray(2 * d);
  const slopes = batch.slopes(u);
  for (let k = 0; k < 2; k++) {
    const exact = neuronSlopes(net, u.subarray(k * d, (k + 1) * d));
    assert.ok(
      maxRelativeError(slopes.subarray(k * m, (k + 1) * m), exact) < 1e-5,
    );
  }
});

Deno.test("AttackBatch rejects points that do not match d", () => {
  const net = { d: 2, m: 1, w: [1, 0], b: [0], v: [1] };
  assert.throws(
    () => new AttackBatch(net, { x: [1, 2, 3], y: [1] }),
    RangeError,
  );
  const batch = new AttackBatch(net, { x: [1, 2], y: [1] });
  assert.throws(
    () => batch.linearize({ rows: [0], z: new Float64Array(3) }),
    RangeError,
  );
  assert.throws(() => batch.slopes(new Float64Array(3)), RangeError);
});

/**
 * Tolerance of the batch gradients against float64 central differences,
 * as ‖G − FD‖∞/‖FD‖∞ per point. The batch gradient is the float32 product
 * C W over m = 9 neurons (C rounded to float32, the shift Z Wᵀ too): about
 * m·2⁻²⁴ ≈ 5e-7 of Σ_r |C_ir| |w_r|, a few times that relative to the
 * largest entry; the float64 differences are good to ~1e-9 (step 1e-5,
 * no kink within the stencil). Measured on these seeds: 8.1e-8 (p = 2),
 * 6.3e-8 (p = 3).
 */
const GRADIENT_TOLERANCE = 1e-5;

Deno.test("AttackBatch with a power: margins, and gradients against float64 finite differences", () => {
  for (const power of [2, 3]) {
    const { rng, net: relu, x, y, d, m, n } = randomBatch(20 + power);
    const net = { ...relu, power };
    const batch = new AttackBatch(net, { x, y });
    assert.equal(batch.power, power);
    for (let i = 0; i < n; i++) {
      const out = networkOutput(net, x.subarray(i * d, (i + 1) * d));
      assert.equal(batch.margins[i], y[i] * out);
    }
    const rows = [0, 1, 2, 3, 4];
    const z = rng.normalArray(rows.length * d, 0.3);
    const { margins, gradients } = batch.linearize({ rows, z });
    let worst = 0;
    rows.forEach((i, k) => {
      const moved = Float64Array.from(
        { length: d },
        (_, t) => x[i * d + t] + z[k * d + t],
      );
      const a = pointPreActivations(net, moved);
      // Central differences need no kink within the stencil.
      if (a.some((ar) => Math.abs(ar) < 1e-3)) return;
      const margin = (p: Float64Array) => y[i] * networkOutput(net, p);
      assert.ok(
        Math.abs(margins[k] - margin(moved)) <
          1e-5 * (1 + Math.abs(margin(moved))),
      );
      const h = 1e-5;
      const fd = Float64Array.from({ length: d }, (_, t) => {
        const plus = Float64Array.from(moved), minus = Float64Array.from(moved);
        plus[t] += h;
        minus[t] -= h;
        return (margin(plus) - margin(minus)) / (2 * h);
      });
      // The float64 reference itself: the analytic gradient agrees with it.
      const exact = inputGradientAt(net, moved).map((gt) => y[i] * gt);
      assert.ok(maxRelativeError(fd, exact) < 1e-8);
      const error = maxRelativeError(
        gradients.subarray(k * d, (k + 1) * d),
        fd,
      );
      worst = Math.max(worst, error);
      assert.ok(error < GRADIENT_TOLERANCE, `p=${power}, point ${i}: ${error}`);
    });
    assert.ok(worst > 0, `p=${power}: no point checked (m=${m})`);
  }
});

Deno.test("AttackBatch with p = 1 given explicitly is the ReLU batch, bit for bit", () => {
  const { rng, net, x, y, d } = randomBatch(4);
  const relu = new AttackBatch(net, { x, y });
  const one = new AttackBatch({ ...net, power: 1 }, { x, y });
  assert.deepEqual(one.margins, relu.margins);
  const at = { rows: [0, 2, 4], z: rng.normalArray(3 * d, 0.3) };
  assert.deepEqual(one.linearize(at), relu.linearize(at));
});

Deno.test("AttackBatch with per-row output weights is, row by row, the batch of each row's network", () => {
  // A random k-output network's pair networks f_j − f_l, one per row.
  const d = 12, m = 9, k = 4, n = 6;
  const rng = new Rng(31);
  const hidden = { d, m, w: rng.normalArray(m * d), b: rng.normalArray(m) };
  const outputs = rng.normalArray(k * m);
  const pairs = [[0, 1], [2, 3], [1, 0], [0, 3], [3, 2], [0, 1]];
  const v = new Float64Array(n * m);
  pairs.forEach(([j, l], i) => {
    for (let r = 0; r < m; r++) {
      v[i * m + r] = outputs[j * m + r] - outputs[l * m + r];
    }
  });
  const x = rng.normalArray(n * d, 2);
  const y = Float64Array.from({ length: n }, (_, i) => i % 3 === 0 ? -1 : 1);
  const zero = new Float64Array(m);
  const batch = new AttackBatch({ ...hidden, v: zero }, { x, y }, {
    outputWeights: v,
  });
  assert.ok(batch.perRow);
  const z = rng.normalArray(n * d, 0.3);
  const rows = Array.from({ length: n }, (_, i) => i);
  const all = batch.linearize({ rows, z });
  const directions = Array.from({ length: n }, () => rng.normalArray(d));
  const flips = flipsAlong(batch, directions);
  const fooled = deepFool(batch);
  let verified = 0;
  for (let i = 0; i < n; i++) {
    const net = { ...hidden, v: v.subarray(i * m, (i + 1) * m) };
    assert.deepEqual(Array.from(batch.network(i).v), Array.from(net.v));
    const one = new AttackBatch(net, {
      x: x.subarray(i * d, (i + 1) * d),
      y: [y[i]],
    });
    assert.equal(batch.margins[i], one.margins[0]);
    assert.deepEqual(
      batch.offsets.subarray(i * m, (i + 1) * m),
      one.offsets,
    );
    const own = one.linearize({
      rows: [0],
      z: z.subarray(i * d, (i + 1) * d),
    });
    assert.equal(all.margins[i], own.margins[0]);
    assert.deepEqual(
      all.gradients.subarray(i * d, (i + 1) * d),
      own.gradients,
    );
    assert.deepEqual(
      flips.flips[i],
      flipsAlong(one, [directions[i]]).flips[0],
    );
    assert.deepEqual(fooled.flips[i], deepFool(one).flips[0]);
    if (flips.flips[i] !== null) verified++;
  }
  // At least one row flips along its direction: the comparison is not vacuous.
  assert.ok(verified > 0, "no direction flipped");
  // A batch of one shared network is unchanged by the option's absence.
  assert.equal(new AttackBatch({ ...hidden, v: zero }, { x, y }).perRow, false);
});

Deno.test("AttackBatch rejects per-row output weights of the wrong length", () => {
  const net = { d: 2, m: 1, w: [1, 0], b: [0], v: [1] };
  assert.throws(
    () =>
      new AttackBatch(net, { x: [1, 2], y: [1] }, { outputWeights: [1, 2] }),
    RangeError,
  );
});
