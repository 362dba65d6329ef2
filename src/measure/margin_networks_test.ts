import assert from "node:assert/strict";
import {
  averagingNetwork,
  balanceNeurons,
  homogeneousMargin,
  inSpanPerturbation,
  margins,
  perClusterNetwork,
  perturbInSpan,
} from "./margin_networks.ts";
import { clusterModel, sampleClusters } from "../model/data.ts";
import { networkOutput } from "../model/forward.ts";
import { Rng } from "../model/rng.ts";
import { randomNetwork } from "../../fixtures/random_network.ts";

Deno.test("balanceNeurons: same function, balanced, γ unchanged", () => {
  const rng = new Rng(3);
  const net = randomNetwork(rng, { d: 5, m: 7 });
  const points = { x: rng.normalArray(9 * 5), y: Array(9).fill(1) };
  const balanced = balanceNeurons(net);
  const before = margins(net, points), after = margins(balanced, points);
  for (let i = 0; i < 9; i++) assert.ok(Math.abs(before[i] - after[i]) < 1e-12);
  for (let r = 0; r < 7; r++) {
    let s = balanced.b[r] ** 2;
    for (let t = 0; t < 5; t++) s += balanced.w[r * 5 + t] ** 2;
    assert.ok(Math.abs(balanced.v[r] ** 2 - s) < 1e-12);
  }
  const a = homogeneousMargin(net, points);
  const b = homogeneousMargin(balanced, points);
  assert.ok(Math.abs(a.normalizedMargin - b.normalizedMargin) < 1e-12);
  // At the balanced rescaling γ is min q / ‖θ‖².
  let norm = 0;
  for (const arr of [balanced.w, balanced.b, balanced.v]) {
    for (const t of arr) norm += t * t;
  }
  assert.ok(Math.abs(b.balancedNormSquared - norm) < 1e-10);
});

Deno.test("averaging and per-cluster networks: γ at the noiseless means", () => {
  const rng = new Rng(8);
  const d = 64, k = 6;
  const model = clusterModel(rng, { d, k, sigma: 0 });
  const train = sampleClusters(rng, { model, n: 30 });
  // Orthogonal means of norm √d: every margin is d.
  const perCluster = homogeneousMargin(perClusterNetwork(model), train);
  assert.ok(Math.abs(perCluster.minMargin - d) < 1e-9);
  assert.ok(
    Math.abs(perCluster.normalizedMargin - Math.sqrt(d) / (2 * k)) < 1e-12,
  );
  const plus = [...model.clusterLabels].filter((l) => l > 0).length;
  const averaging = homogeneousMargin(averagingNetwork(model), train);
  const expected = Math.sqrt(d) /
    (2 * (Math.sqrt(plus) + Math.sqrt(k - plus)));
  assert.ok(Math.abs(averaging.normalizedMargin - expected) < 1e-12);
  assert.ok(averaging.normalizedMargin > perCluster.normalizedMargin);
});

Deno.test("perturbInSpan: in the span, balanced, of the size asked for", () => {
  const rng = new Rng(12);
  const d = 9, n = 4, m = 3;
  const net = balanceNeurons(randomNetwork(rng, { d, m }));
  const x = rng.normalArray(n * d);
  const points = { x, y: [1, -1, 1, -1] };
  const moved = perturbInSpan(net, points, { rng: new Rng(2), size: 0.05 });
  let dist = 0, norm = 0;
  for (let j = 0; j < m * d; j++) {
    dist += (moved.w[j] - net.w[j]) ** 2;
    norm += net.w[j] ** 2;
  }
  for (let r = 0; r < m; r++) {
    dist += (moved.b[r] - net.b[r]) ** 2 + (moved.v[r] - net.v[r]) ** 2;
    norm += net.b[r] ** 2 + net.v[r] ** 2;
    let s = moved.b[r] ** 2;
    for (let t = 0; t < d; t++) s += moved.w[r * d + t] ** 2;
    assert.ok(Math.abs(moved.v[r] ** 2 - s) < 1e-10);
    assert.equal(Math.sign(moved.v[r]), Math.sign(net.v[r]));
  }
  assert.ok(Math.abs(Math.sqrt(dist / norm) - 0.05) < 1e-8);
  // Δw_r is a combination of the points: its least-squares fit on them is exact.
  for (let r = 0; r < m; r++) {
    const delta = Array.from(
      { length: d },
      (_, t) => moved.w[r * d + t] - net.w[r * d + t],
    );
    const rows = Array.from({ length: n }, (_, i) => x.slice(i * d, i * d + d));
    // Gram–Schmidt on the points, then the residual of delta.
    const basis: Float64Array[] = [];
    for (const row of rows) {
      const u = Float64Array.from(row);
      for (const e of basis) {
        const c = u.reduce((s, a, t) => s + a * e[t], 0);
        for (let t = 0; t < d; t++) u[t] -= c * e[t];
      }
      const len = Math.hypot(...u);
      basis.push(u.map((a) => a / len));
    }
    const rest = Float64Array.from(delta);
    for (const e of basis) {
      const c = rest.reduce((s, a, t) => s + a * e[t], 0);
      for (let t = 0; t < d; t++) rest[t] -= c * e[t];
    }
    assert.ok(Math.hypot(...rest) < 1e-9 * Math.hypot(...delta));
  }
  // The same draws give the same direction at every size.
  const move = inSpanPerturbation(net, points, new Rng(2));
  assert.deepEqual(move(0.05), moved);
});

Deno.test("margins honour the power; the homogeneity-based functions refuse it", () => {
  const rng = new Rng(8);
  const net = { ...randomNetwork(rng, { d: 4, m: 5 }), power: 3 };
  const points = { x: rng.normalArray(6 * 4), y: [1, -1, 1, -1, 1, -1] };
  const q = margins(net, points);
  for (let i = 0; i < 6; i++) {
    const out = networkOutput(net, points.x.subarray(i * 4, (i + 1) * 4));
    assert.ok(
      Math.abs(q[i] - points.y[i] * out) <= 1e-12 * (1 + Math.abs(out)),
    );
  }
  assert.throws(() => homogeneousMargin(net, points), /homogeneousMargin/);
  assert.throws(() => balanceNeurons(net), /balanceNeurons/);
  assert.throws(
    () => perturbInSpan(net, points, { rng, size: 0.1 }),
    /perturbInSpan/,
  );
  assert.throws(
    () => inSpanPerturbation(net, points, rng),
    /inSpanPerturbation/,
  );
});
