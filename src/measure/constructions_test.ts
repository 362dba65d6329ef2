import assert from "node:assert/strict";
import {
  badInterpolator,
  oneClusterMemorizer,
  padWidth,
  robustNetwork,
} from "./constructions.ts";
import { certifiedRadiusAt } from "./certified_radius.ts";
import { classificationError } from "./classification.ts";
import { flipRadiusAlong } from "./flip_radius.ts";
import { randomUnitVector } from "./flips.ts";
import { initBackend } from "../backend/backends.ts";
import { clusterModel, sampleClusters } from "../model/data.ts";
import { networkOutput } from "../model/forward.ts";
import { Rng } from "../model/rng.ts";
import { inputGradientAt } from "../../fixtures/random_network.ts";

await initBackend("cpu");

/** Orthogonal means μ_j = √d e_j, row-major k×d. */
function orthogonalMeans(d: number, k: number): Float64Array {
  const means = new Float64Array(k * d);
  for (let j = 0; j < k; j++) means[j * d + j] = Math.sqrt(d);
  return means;
}

Deno.test("robust network N* with orthogonal means: ε* = √d/2 at a mean", async (t) => {
  // N*(x) = Σ_j y_j relu(⟨μ_j, x⟩ - d/2), μ_j = √d e_j, at x = μ_j:
  // a_j = d - d/2 = d/2 and a_i = 0 - d/2 = -d/2 (i ≠ j), ‖w_r‖ = √d. With
  // y = y_j, g(ε) = relu(d/2 - √d ε) - Σ_{i≠j, y_i≠y_j} relu(-d/2 + √d ε)
  // (the same-label terms relu(-d/2 - √d ε) vanish). For ε ≤ √d/2 the
  // subtracted terms are 0, so g(ε) = d/2 - √d ε > 0 below √d/2 and
  // g(√d/2) = 0: ε* = √d/2. It is tight: z = -μ_j/2 gives ⟨μ_j, x+z⟩ = d/2,
  // so N*(x + z) = 0.
  const labels = [1, -1, 1, -1, -1];
  const k = labels.length;
  for (const d of [5, 16, 100, 400, 1000]) {
    await t.step(`d = ${d}`, () => {
      const net = robustNetwork({
        clusterMeans: orthogonalMeans(d, k),
        clusterLabels: labels,
        d,
        k,
      });
      assert.equal(net.m, k);
      for (let j = 0; j < k; j++) {
        const x = net.w.slice(j * d, (j + 1) * d);
        const y = labels[j];
        assert.equal(Math.sign(networkOutput(net, x)), y);
        const eps = certifiedRadiusAt(net, { x, label: y });
        assert.ok(
          Math.abs(eps - Math.sqrt(d) / 2) <= 1e-12 * Math.sqrt(d),
          `d=${d}, j=${j}: ε* = ${eps}, expected ${Math.sqrt(d) / 2}`,
        );
        assert.equal(certifiedRadiusAt(net, { x, label: -y }), 0);
        // Tight: moving towards the origin flips at exactly √d/2.
        const toOrigin = flipRadiusAlong(net, {
          x,
          direction: x.map((xi) => -xi),
          label: y,
        });
        assert.ok(Math.abs(toOrigin - eps) <= 1e-12 * Math.sqrt(d));
        // Towards another mean, N* reaches 0 at the midpoint, √(d/2) away
        // (a sign change for the opposite label, a touch for the same label).
        for (let i = 0; i < k; i++) {
          if (i === j) continue;
          const u = x.map((xi, l) => net.w[i * d + l] - xi);
          const r = flipRadiusAlong(net, { x, direction: u, label: y });
          assert.ok(
            Math.abs(r - Math.sqrt(d / 2)) <= 1e-9 * Math.sqrt(d),
            `d=${d}, ${j}→${i}: flip at ${r}, expected ${Math.sqrt(d / 2)}`,
          );
          assert.ok(r >= eps);
        }
      }
    });
  }
});

Deno.test("robust network N* on noisy points, d = 400: ε*/√d ≈ 0.4–0.5", async (t) => {
  const d = 400, k = 10;
  const labels = Array.from({ length: k }, (_, j) => (j % 2 === 0 ? 1 : -1));
  const rng = new Rng(400n);
  const gaussianMeans = new Float64Array(k * d);
  for (let j = 0; j < k; j++) {
    const g = rng.normalArray(d);
    const norm = Math.hypot(...g);
    for (let i = 0; i < d; i++) {
      gaussianMeans[j * d + i] = (Math.sqrt(d) * g[i]) / norm;
    }
  }
  for (
    const [name, means] of [
      ["orthogonal", orthogonalMeans(d, k)],
      ["gaussian", gaussianMeans],
    ] as const
  ) {
    await t.step(`${name} means`, () => {
      const net = robustNetwork({
        clusterMeans: means,
        clusterLabels: labels,
        d,
        k,
      });
      const ratios: number[] = [];
      for (let trial = 0; trial < 60; trial++) {
        const j = trial % k;
        const xi = rng.normalArray(d);
        const x = xi.map((e, i) => means[j * d + i] + e);
        const y = labels[j];
        const eps = certifiedRadiusAt(net, { x, label: y });
        ratios.push(eps / Math.sqrt(d));
        // Sound against the gradient attack and a few random directions.
        const grad = inputGradientAt(net, x);
        const gradFlip = flipRadiusAlong(net, {
          x,
          direction: grad.map((g) => -y * g),
          label: y,
        });
        assert.ok(gradFlip >= eps * (1 - 1e-12), `${gradFlip} < ${eps}`);
        for (let s = 0; s < 5; s++) {
          const direction = randomUnitVector(rng, d);
          assert.ok(flipRadiusAlong(net, { x, direction, label: y }) >= eps);
        }
      }
      ratios.sort((p, q) => p - q);
      const median = (ratios[29] + ratios[30]) / 2;
      assert.ok(median >= 0.4 && median <= 0.5, `${name}: median ${median}`);
      assert.ok(
        ratios[0] > 0.25 && ratios[59] < 0.65,
        `${name}: ${ratios[0]}..${ratios[59]}`,
      );
    });
  }
});

Deno.test("robustNetwork shape", () => {
  const net = robustNetwork({
    clusterMeans: new Float64Array([1, 2, 3, 4]),
    clusterLabels: [1, -1],
    d: 2,
    k: 2,
  });
  assert.deepEqual(Array.from(net.b), [-1, -1]);
  assert.deepEqual(Array.from(net.v), [1, -1]);
  assert.throws(
    () =>
      robustNetwork({
        clusterMeans: new Float64Array(5),
        clusterLabels: [1, -1],
        d: 2,
        k: 2,
      }),
    RangeError,
  );
});

Deno.test("N_bad fits the training set and errs on fresh points", () => {
  const rng = new Rng(21);
  const model = clusterModel(rng, { d: 300, k: 6 });
  const train = sampleClusters(rng, { model, n: 40 });
  const test = sampleClusters(rng, { model, n: 200 });
  const bad = badInterpolator(model, train);
  assert.equal(bad.m, 42);
  assert.equal(classificationError(bad, train), 0);
  assert.ok(classificationError(bad, test) > 0.95);
});

Deno.test("N_bad padded to a wider architecture is the same function", () => {
  const rng = new Rng(22);
  const model = clusterModel(rng, { d: 200, k: 4 });
  const train = sampleClusters(rng, { model, n: 20 });
  const test = sampleClusters(rng, { model, n: 50 });
  const bad = badInterpolator(model, train);
  const wide = badInterpolator(model, train, { width: 30 });
  assert.equal(wide.m, 30);
  assert.deepEqual(Array.from(wide.v.slice(22)), new Array(8).fill(0));
  for (let i = 0; i < 5; i++) {
    const x = test.x.subarray(i * 200, (i + 1) * 200);
    assert.equal(networkOutput(wide, x), networkOutput(bad, x));
  }
  assert.equal(badInterpolator(model, train, { width: 21 }).m, 22);
  assert.throws(() => padWidth(bad, 2.5), RangeError);
});

Deno.test("the one-cluster memorizer fits the training set and errs on one cluster in k", () => {
  const rng = new Rng(23);
  const model = clusterModel(rng, { d: 300, k: 6 });
  const train = sampleClusters(rng, { model, n: 60 });
  const test = sampleClusters(rng, { model, n: 600 });
  const c = train.cluster[0];
  const net = oneClusterMemorizer(model, train, { width: 40 });
  const own = train.cluster.filter((j) => j === c).length;
  assert.equal(net.m, 40);
  assert.equal(net.v.filter((v) => v !== 0).length, 6 - 1 + own);
  assert.equal(classificationError(net, train), 0);
  // Fresh points: right on every cluster but c, wrong (output 0) on c.
  let wrong = 0, ofC = 0;
  for (let i = 0; i < test.n; i++) {
    const out = networkOutput(net, test.x.subarray(i * 300, (i + 1) * 300));
    const isC = test.cluster[i] === c;
    if (isC) ofC++;
    if (test.y[i] * out <= 0) {
      wrong++;
      assert.ok(isC, "errs only on the memorized cluster");
    }
  }
  assert.equal(wrong, ofC);
  assert.throws(
    () => oneClusterMemorizer(model, train, { cluster: 6 }),
    RangeError,
  );
});

Deno.test("padWidth keeps the power of the network it pads", () => {
  const net = {
    d: 2,
    m: 1,
    w: new Float32Array([1, 0]),
    b: new Float32Array([0]),
    v: new Float32Array([1]),
  };
  assert.equal(padWidth({ ...net, power: 3 }, 3).power, 3);
  assert.equal("power" in padWidth(net, 3), false);
  assert.equal(networkOutput(padWidth({ ...net, power: 3 }, 3), [2, 0]), 8);
});
