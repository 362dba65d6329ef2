import assert from "node:assert/strict";
import {
  asPowerNetwork,
  checkPreluWeights,
  preluFlow,
  preluHomogeneity,
  preluLossGradient,
  preluOutputs,
  type PreluWeights,
} from "./prelu_flow.ts";
import { Rng } from "../model/rng.ts";
import { clusterModel, sampleClusters } from "../model/data.ts";

/** A random pReLU network and data set of the given sizes. */
function randomCase(
  seed: number,
  shape: {
    d: number;
    m: number;
    n: number;
    power: number;
    normalized: boolean;
  },
) {
  const rng = new Rng(seed);
  const { d, m, n, power, normalized } = shape;
  const weights: PreluWeights = {
    d,
    m,
    w: Float64Array.from(rng.normalArray(m * d)),
    v: Float64Array.from(rng.normalArray(m)),
    power,
    normalized,
  };
  const x = Float64Array.from(rng.normalArray(n * d));
  const y = Float64Array.from({ length: n }, (_, i) => (i % 2 === 0 ? 1 : -1));
  return { weights, data: { n, d, x, y } };
}

/** The loss alone, from the outputs. */
function lossOf(
  weights: PreluWeights,
  data: { x: Float64Array; y: Float64Array },
) {
  const f = preluOutputs(weights, data.x);
  let s = 0;
  for (let i = 0; i < f.length; i++) {
    s += Math.log1p(Math.exp(-data.y[i] * f[i]));
  }
  return s / f.length;
}

Deno.test("preluLossGradient matches central finite differences", async (t) => {
  for (const power of [1, 2, 3]) {
    for (const normalized of [true, false]) {
      await t.step(`p=${power}, normalized=${normalized}`, () => {
        const { weights, data } = randomCase(3 + power, {
          d: 5,
          m: 4,
          n: 7,
          power,
          normalized,
        });
        const grad = preluLossGradient(weights, data);
        assert.ok(Math.abs(grad.loss - lossOf(weights, data)) < 1e-14);
        const h = 1e-6;
        const probe = (array: Float64Array, at: number) => {
          const keep = array[at];
          array[at] = keep + h;
          const up = lossOf(weights, data);
          array[at] = keep - h;
          const down = lossOf(weights, data);
          array[at] = keep;
          return (up - down) / (2 * h);
        };
        for (let at = 0; at < weights.w.length; at++) {
          const fd = probe(weights.w, at);
          assert.ok(
            Math.abs(fd - grad.gradW[at]) < 1e-7 * (1 + Math.abs(fd)),
            `dW[${at}]: ${grad.gradW[at]} vs ${fd}`,
          );
        }
        for (let r = 0; r < weights.m; r++) {
          const fd = probe(weights.v, r);
          assert.ok(Math.abs(fd - grad.gradV[r]) < 1e-7 * (1 + Math.abs(fd)));
        }
      });
    }
  }
});

Deno.test("preluOutputs is homogeneous of the stated degree in θ", () => {
  for (const normalized of [true, false]) {
    const { weights, data } = randomCase(9, {
      d: 4,
      m: 3,
      n: 5,
      power: 3,
      normalized,
    });
    const c = 1.7;
    const scaled = {
      ...weights,
      w: weights.w.map((a) => a * c),
      v: weights.v.map((a) => a * c),
    };
    const degree = preluHomogeneity(weights);
    assert.equal(degree, normalized ? 2 : 4);
    const f = preluOutputs(weights, data.x);
    const g = preluOutputs(scaled, data.x);
    f.forEach((fi, i) =>
      assert.ok(
        Math.abs(g[i] - c ** degree * fi) < 1e-10 * (1 + Math.abs(g[i])),
      )
    );
  }
});

Deno.test("asPowerNetwork folds ν_r into the output weights", () => {
  const { weights, data } = randomCase(4, {
    d: 3,
    m: 5,
    n: 6,
    power: 3,
    normalized: true,
  });
  const net = asPowerNetwork(weights);
  assert.equal(net.power, 3);
  assert.deepEqual([...net.b], [0, 0, 0, 0, 0]);
  const f = preluOutputs(weights, data.x);
  for (let i = 0; i < data.n; i++) {
    let g = 0;
    for (let r = 0; r < net.m; r++) {
      let z = 0;
      for (let t = 0; t < net.d; t++) z += net.w[r * 3 + t] * data.x[i * 3 + t];
      g += net.v[r] * Math.max(z, 0) ** 3;
    }
    assert.ok(Math.abs(g - f[i]) < 1e-10 * (1 + Math.abs(f[i])));
  }
});

Deno.test("one step of preluFlow is the Euler step of length ε‖θ‖ along −∇L", () => {
  for (const normalized of [true, false]) {
    const { weights, data } = randomCase(5, {
      d: 6,
      m: 4,
      n: 3,
      power: 3,
      normalized,
    });
    const eps = 0.01;
    const run = preluFlow(data, weights, {
      maxSteps: 1,
      stepFraction: eps,
      products: "typescript",
    });
    assert.equal(run.steps, 1);
    const grad = preluLossGradient(weights, data);
    let normSq = 0, gradSq = 0;
    weights.w.forEach((a, i) => {
      normSq += a * a;
      gradSq += grad.gradW[i] ** 2;
    });
    weights.v.forEach((a, r) => {
      normSq += a * a;
      gradSq += grad.gradV[r] ** 2;
    });
    const scale = eps * Math.sqrt(normSq / gradSq);
    const got = run.final.weights;
    weights.w.forEach((a, i) => {
      const want = a - scale * grad.gradW[i];
      assert.ok(Math.abs(got.w[i] - want) < 1e-12 * (1 + Math.abs(want)));
    });
    weights.v.forEach((a, r) => {
      const want = a - scale * grad.gradV[r];
      assert.ok(Math.abs(got.v[r] - want) < 1e-12 * (1 + Math.abs(want)));
    });
  }
});

/** A planted instance: k orthogonal clusters of norm √d, small noise. */
function planted(
  seed: number,
  shape: { d: number; k: number; n: number; m: number },
) {
  const rng = new Rng(seed);
  const { d, k, n, m } = shape;
  const model = clusterModel(rng, { d, k, sigma: 0.05 });
  const train = sampleClusters(rng, { model, n });
  const scale = 1e-3;
  const w = Float64Array.from(rng.normalArray(m * d, scale / Math.sqrt(d)));
  const v = Float64Array.from(rng.normalArray(m, scale));
  return { model, train, w, v };
}

/** Best |cos| of each significant neuron with an individual mean, and the clusters covered. */
function clusterAlignment(
  weights: PreluWeights,
  model: { d: number; k: number; clusterMeans: Float64Array },
) {
  const { d, m, w, v } = weights;
  const size = Array.from({ length: m }, (_, r) => {
    let s = v[r] * v[r];
    for (let t = 0; t < d; t++) s += w[r * d + t] ** 2;
    return s;
  });
  const largest = Math.max(...size);
  const cosines: number[] = [];
  const covered = new Set<number>();
  for (let r = 0; r < m; r++) {
    if (size[r] < 0.1 * largest) continue;
    let best = -Infinity, which = -1, norm = 0;
    for (let t = 0; t < d; t++) norm += w[r * d + t] ** 2;
    for (let j = 0; j < model.k; j++) {
      let dot = 0;
      for (let t = 0; t < d; t++) {
        dot += w[r * d + t] * model.clusterMeans[j * d + t];
      }
      const c = dot / Math.sqrt(norm * d);
      if (c > best) [best, which] = [c, j];
    }
    cosines.push(best);
    covered.add(which);
  }
  return { cosines, covered: covered.size };
}

Deno.test("pReLU flow (p = 3) recovers one neuron per cluster on a planted instance; p = 1 aligns with class sums", () => {
  const shape = { d: 60, k: 6, n: 90, m: 24 };
  const { model, train, w, v } = planted(21, shape);
  const data = { n: shape.n, d: shape.d, x: train.x, y: train.y };
  const run3 = preluFlow(data, {
    d: shape.d,
    m: shape.m,
    w,
    v,
    power: 3,
    normalized: true,
  });
  assert.equal(run3.status, "converged");
  assert.ok(run3.conservedDrift < 1e-3, `drift ${run3.conservedDrift}`);
  const a3 = clusterAlignment(run3.final.weights, model);
  assert.equal(a3.covered, shape.k);
  assert.ok(Math.min(...a3.cosines) > 0.95, `p=3 cosines ${a3.cosines}`);
  const run1 = preluFlow(data, {
    d: shape.d,
    m: shape.m,
    w,
    v,
    power: 1,
    normalized: true,
  });
  const a1 = clusterAlignment(run1.final.weights, model);
  // A class sum of 3 orthogonal means has cosine 1/√3 with each of them.
  const median = [...a1.cosines].sort((a, b) => a - b)[a1.cosines.length >> 1];
  assert.ok(
    Math.abs(median - 1 / Math.sqrt(3)) < 0.1,
    `p=1 median cos ${median}`,
  );
});

Deno.test("preluFlow: the reported margin is the final weights' own, across span refreshes", () => {
  const { weights, data } = randomCase(8, {
    d: 30,
    m: 6,
    n: 8,
    power: 3,
    normalized: true,
  });
  const run = preluFlow(data, weights, { maxSteps: 173, marginTolerance: 0 });
  const { weights: end, normalizedMargin } = run.final;
  const f = preluOutputs(end, data.x);
  let min = Infinity, normSq = 0;
  f.forEach((fi, i) => (min = Math.min(min, data.y[i] * fi)));
  end.w.forEach((a) => (normSq += a * a));
  end.v.forEach((a) => (normSq += a * a));
  const want = min / normSq;
  assert.ok(
    Math.abs(normalizedMargin - want) < 1e-9 * Math.abs(want),
    `${normalizedMargin} vs ${want}`,
  );
});

Deno.test("preluFlow: OpenBLAS and TypeScript products agree", () => {
  const shape = { d: 40, k: 4, n: 24, m: 6 };
  const { train, w, v } = planted(2, shape);
  const data = { n: shape.n, d: shape.d, x: train.x, y: train.y };
  const init = { d: shape.d, m: shape.m, w, v, power: 3, normalized: true };
  let blas;
  try {
    blas = preluFlow(data, init, { maxSteps: 300, products: "openblas" });
  } catch {
    return; // no OpenBLAS on this machine: nothing to compare
  }
  const ts = preluFlow(data, init, { maxSteps: 300, products: "typescript" });
  assert.equal(blas.steps, ts.steps);
  const scale = Math.max(...blas.final.weights.w.map(Math.abs));
  blas.final.weights.w.forEach((a, i) =>
    assert.ok(Math.abs(a - ts.final.weights.w[i]) < 1e-9 * scale)
  );
});

Deno.test("preluFlow stops at a horizon in flow time", () => {
  const shape = { d: 30, k: 4, n: 20, m: 6 };
  const { train, w, v } = planted(6, shape);
  const data = { n: shape.n, d: shape.d, x: train.x, y: train.y };
  const init = { d: shape.d, m: shape.m, w, v, power: 3, normalized: true };
  const full = preluFlow(data, init, { maxSteps: 600, marginTolerance: 0 });
  assert.ok(full.separated !== undefined);
  const horizon = full.final.log10Time - 0.5;
  const cut = preluFlow(data, init, {
    maxSteps: 600,
    marginTolerance: 0,
    maxLog10Time: horizon,
  });
  assert.equal(cut.status, "horizon");
  assert.ok(cut.final.log10Time >= horizon);
  assert.ok(cut.steps < full.steps);
});

Deno.test("pReLU weights: bad shapes and powers are RangeErrors", () => {
  const good: PreluWeights = {
    d: 2,
    m: 1,
    w: new Float64Array(2),
    v: new Float64Array(1),
    power: 3,
    normalized: true,
  };
  checkPreluWeights(good);
  assert.throws(() => checkPreluWeights({ ...good, power: 0.5 }), RangeError);
  assert.throws(() => checkPreluWeights({ ...good, power: NaN }), RangeError);
  assert.throws(
    () => checkPreluWeights({ ...good, w: new Float64Array(3) }),
    RangeError,
  );
  assert.throws(
    () => preluFlow({ n: 1, d: 3, x: [1, 2, 3], y: [1] }, good),
    RangeError,
  );
});
