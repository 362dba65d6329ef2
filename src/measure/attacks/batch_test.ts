import assert from "node:assert/strict";
import { initBackend } from "../../backend/backends.ts";
import { networkOutput, neuronSlopes } from "../../model/forward.ts";
import { inputGradientAt } from "../../../fixtures/random_network.ts";
import { randomCase } from "../../../fixtures/attack_cases.ts";
import { maxRelativeError } from "../../../fixtures/numeric.ts";
import { AttackBatch } from "./batch.ts";

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
