import assert from "node:assert/strict";
import {
  exactTestError,
  type NoiseFactor,
  noiseFactor,
  noiseProducts,
} from "./exact_error.ts";
import { loadOpenBlas } from "../backend/openblas.ts";
import { robustNetwork } from "./constructions.ts";
import { type ClusterModel, clusterModel } from "../model/data.ts";
import { networkOutput } from "../model/forward.ts";
import { Rng } from "../model/rng.ts";
import type { NetworkWeights } from "../model/weights.ts";
import { randomNetwork } from "../../fixtures/random_network.ts";

/** Φ(-x) = ∫_x^∞ φ, by Simpson's rule on [x, x + 20] (relative error < 1e-9 for x ≤ 8). */
function upperTail(x: number): number {
  const steps = 20000, h = 20 / steps;
  const phi = (t: number) => Math.exp(-t * t / 2) / Math.sqrt(2 * Math.PI);
  let s = phi(x) + phi(x + 20);
  for (let i = 1; i < steps; i++) s += (i % 2 ? 4 : 2) * phi(x + i * h);
  return (s * h) / 3;
}

/** LLᵀ entry (i, j). */
function llt(f: NoiseFactor, i: number, j: number): number {
  let s = 0;
  for (let c = 0; c < f.r; c++) s += f.l[i * f.r + c] * f.l[j * f.r + c];
  return s;
}

/** The linear network ⟨u, x⟩ + β written as two relus. */
function linearNetwork(u: Float64Array, beta: number): NetworkWeights {
  const d = u.length;
  const w = new Float64Array(2 * d);
  for (let t = 0; t < d; t++) {
    w[t] = u[t];
    w[d + t] = -u[t];
  }
  return { d, m: 2, w, b: [beta, -beta], v: [1, -1] };
}

/** Plain Monte Carlo in R^d: sample x = μ_j + σξ cluster by cluster. */
function plainError(
  net: NetworkWeights,
  model: ClusterModel,
  options: { rng: Rng; perCluster: number },
): { error: number; se: number } {
  const { d, k, clusterMeans, clusterLabels, sigma } = model;
  const x = new Float64Array(d);
  let errors = 0;
  for (let j = 0; j < k; j++) {
    for (let s = 0; s < options.perCluster; s++) {
      for (let t = 0; t < d; t++) {
        x[t] = clusterMeans[j * d + t] + sigma * options.rng.normal();
      }
      if (clusterLabels[j] * networkOutput(net, x) <= 0) errors++;
    }
  }
  const n = k * options.perCluster;
  const p = errors / n;
  return { error: p, se: Math.sqrt((p * (1 - p)) / n) };
}

Deno.test("noiseFactor: LLᵀ = σ²WWᵀ, rank-deficient when m > d", () => {
  const rng = new Rng(5);
  for (const [d, m] of [[7, 4], [3, 6]]) {
    const net = randomNetwork(rng, { d, m });
    const f = noiseFactor(net, 1.5);
    assert.equal(f.r, Math.min(d, m));
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < m; j++) {
        let g = 0;
        for (let t = 0; t < d; t++) g += net.w[i * d + t] * net.w[j * d + t];
        assert.ok(Math.abs(llt(f, i, j) - 2.25 * g) < 1e-9 * (1 + Math.abs(g)));
      }
    }
  }
});

Deno.test("exactTestError: a linear network's error is Φ(-margin/σ‖u‖), from 1e-7 to 1e-21", async (t) => {
  // N(x) = ⟨s, x⟩ + β with s = Σ_j y_j μ_j (orthogonal means): at cluster j
  // y_j N = d + y_j β + y_j⟨s, ξ⟩, ⟨s, ξ⟩ ~ N(0, σ²kd), so p_j = Φ(-(d + y_jβ)/(σ√(kd))).
  for (
    const [d, k, beta, sigma] of [[100, 4, 0, 1], [400, 4, 30, 1], [
      300,
      6,
      0,
      1.3,
    ]]
  ) {
    await t.step(`d=${d}, k=${k}, β=${beta}, σ=${sigma}`, () => {
      const rng = new Rng(11);
      const model = clusterModel(rng, { d, k, sigma });
      const s = new Float64Array(d);
      for (let j = 0; j < k; j++) {
        for (let i = 0; i < d; i++) {
          s[i] += model.clusterLabels[j] * model.clusterMeans[j * d + i];
        }
      }
      let truth = 0;
      for (let j = 0; j < k; j++) {
        const y = model.clusterLabels[j];
        truth += upperTail((d + y * beta) / (sigma * Math.sqrt(k * d))) / k;
      }
      const got = exactTestError(linearNetwork(s, beta), model, { rng });
      assert.ok(truth < 1e-6, "the error is rare");
      assert.ok(
        got.low <= truth && truth <= got.high,
        `${truth} in [${got.low}, ${got.high}]`,
      );
      assert.ok(
        Math.abs(got.error / truth - 1) < 0.15,
        `${got.error} vs ${truth}`,
      );
      assert.equal(got.zeroClusters, 0);
    });
  }
});

Deno.test("exactTestError agrees with plain Monte Carlo in R^d where errors are common", () => {
  // A random relu network on clusters: errors of a few percent to tens of
  // percent per cluster, a nonlinear error region.
  const rng = new Rng(23);
  const model = clusterModel(rng, { d: 30, k: 4, kind: "gaussian" });
  const net = randomNetwork(rng, { d: 30, m: 12 });
  // Make the network lean towards the labels so errors are not all 1/2.
  for (let r = 0; r < 12; r++) {
    for (let j = 0; j < 4; j++) {
      for (let t = 0; t < 30; t++) {
        net.w[r * 30 + t] += 0.3 * Math.sign(net.v[r]) *
          model.clusterLabels[j] * model.clusterMeans[j * 30 + t] / 5;
      }
    }
  }
  const exact = exactTestError(net, model, { rng, samplesPerCluster: 4000 });
  const plain = plainError(net, model, { rng, perCluster: 10000 });
  assert.ok(exact.error > 0.01 && exact.error < 0.4, `${exact.error}`);
  const gap = Math.abs(exact.error - plain.error);
  const se = Math.hypot(exact.standardError, plain.se);
  assert.ok(
    gap < 4 * se,
    `IS ${exact.error} vs plain ${plain.error} (se ${se})`,
  );
  // Plain sampling in the m-dimensional noise space (α = 1) agrees too.
  const untilted = exactTestError(net, model, {
    rng,
    samplesPerCluster: 4000,
    defensiveShare: 1,
  });
  const gap2 = Math.abs(untilted.error - plain.error);
  assert.ok(gap2 < 4 * Math.hypot(untilted.standardError, plain.se));
});

Deno.test("exactTestError on N*: Φ(-√d/2) per cluster, checked by plain sampling at small d", () => {
  const rng = new Rng(31);
  const small = clusterModel(rng, { d: 16, k: 3 });
  const exact = exactTestError(robustNetwork(small), small, {
    rng,
    samplesPerCluster: 4000,
  });
  const plain = plainError(robustNetwork(small), small, {
    rng,
    perCluster: 20000,
  });
  assert.ok(
    Math.abs(exact.error - plain.error) <
      4 * Math.hypot(exact.standardError, plain.se),
  );
  // At d = 400 the own neuron fails with Φ(-10) ≈ 7.6e-24, which dominates.
  const large = clusterModel(rng, { d: 400, k: 4 });
  const rare = exactTestError(robustNetwork(large), large, { rng });
  assert.ok(Math.abs(rare.error / upperTail(10) - 1) < 0.15, `${rare.error}`);
});

Deno.test("exactTestError: a cluster that never errs enters as an upper bound, not as 0", () => {
  // Constant output 1 (one neuron relu(0·x + 1)): clusters labelled +1
  // never err, those labelled -1 always do.
  const rng = new Rng(41);
  const model = clusterModel(rng, { d: 10, k: 4 });
  const net = { d: 10, m: 1, w: new Float64Array(10), b: [1], v: [1] };
  const got = exactTestError(net, model, { rng, samplesPerCluster: 100 });
  assert.equal(got.error, 0.5);
  assert.equal(got.zeroClusters, 2);
  assert.ok(got.high > 0.5 && got.high < 0.7, `${got.high}`);
  // All clusters right: the estimate is 0, the upper end is not.
  const allRight = exactTestError(
    { ...net, w: new Float64Array(10), b: [1], v: [0] },
    { ...model, clusterLabels: Int8Array.from([-1, -1, -1, -1]) },
    { rng, samplesPerCluster: 100 },
  );
  assert.equal(allRight.error, 1);
  const none = exactTestError(net, {
    ...model,
    clusterLabels: Int8Array.from([1, 1, 1, 1]),
  }, { rng, samplesPerCluster: 100 });
  assert.equal(none.error, 0);
  assert.ok(none.high > 0 && none.high < 0.1);
});

Deno.test("exactTestError is replayable from its generator and checks its arguments", () => {
  const model = clusterModel(new Rng(1), { d: 20, k: 3 });
  const net = randomNetwork(new Rng(2), { d: 20, m: 5 });
  const a = exactTestError(net, model, { rng: new Rng(9) });
  const b = exactTestError(net, model, { rng: new Rng(9) });
  assert.deepEqual(a, b);
  assert.throws(
    () => exactTestError(net, model, { rng: new Rng(9), samplesPerCluster: 1 }),
    RangeError,
  );
  assert.throws(
    () => exactTestError(net, model, { rng: new Rng(9), defensiveShare: 0 }),
    RangeError,
  );
  assert.throws(
    () =>
      exactTestError(randomNetwork(new Rng(2), { d: 21, m: 5 }), model, {
        rng: new Rng(9),
      }),
    RangeError,
  );
});

Deno.test("exactTestError: zero neurons change nothing; no neuron at all errs everywhere", () => {
  const model = clusterModel(new Rng(1), { d: 20, k: 3 });
  const net = randomNetwork(new Rng(2), { d: 20, m: 5 });
  const padded = {
    d: 20,
    m: 7,
    w: Float64Array.from([...net.w, ...new Float64Array(40)]),
    b: Float64Array.from([...net.b, 0, 0]),
    v: Float64Array.from([...net.v, 0, 0]),
  };
  assert.deepEqual(
    exactTestError(padded, model, { rng: new Rng(9) }),
    exactTestError(net, model, { rng: new Rng(9) }),
  );
  const silent = { ...net, v: new Float64Array(5) };
  assert.equal(exactTestError(silent, model, { rng: new Rng(9) }).error, 1);
});

Deno.test("noiseProducts: OpenBLAS (float32), the SIMD products and the float64 loops agree", () => {
  const rng = new Rng(6);
  const net = randomNetwork(rng, { d: 40, m: 9 });
  const factor = noiseFactor(net, 1);
  const samples = 7;
  const g = rng.normalArray(samples * factor.r);
  const plain = noiseProducts(factor, g, { samples, blas: null, simd: null });
  // The SIMD products (when they compile) give the loops' values exactly.
  assert.deepEqual(noiseProducts(factor, g, { samples, blas: null }), plain);
  for (let s = 0; s < samples; s++) {
    for (let i = 0; i < factor.m; i++) {
      let acc = 0;
      for (let c = 0; c < factor.r; c++) {
        acc += factor.l[i * factor.r + c] * g[s * factor.r + c];
      }
      assert.equal(plain[s * factor.m + i], acc);
    }
  }
  const blas = loadOpenBlas();
  if (blas !== null) {
    const fast = noiseProducts(factor, g, { samples, blas });
    for (let i = 0; i < fast.length; i++) {
      assert.ok(
        Math.abs(fast[i] - plain[i]) <= 1e-5 * (1 + Math.abs(plain[i])),
      );
    }
  }
  assert.throws(
    () => noiseProducts(factor, g.subarray(1), { samples, blas: null }),
    RangeError,
  );
});

Deno.test("exactTestError refuses a power p ≠ 1", () => {
  const rng = new Rng(9);
  const model = clusterModel(rng, { d: 20, k: 2 });
  const net = { ...robustNetwork(model), power: 2 };
  assert.throws(() => exactTestError(net, model, { rng }), /exactTestError/);
});
