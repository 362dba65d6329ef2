import assert from "node:assert/strict";
import {
  checkMulticlassWeights,
  multiclassFlow,
  multiclassInit,
  multiclassLossGradient,
  multiclassLossWeights,
  multiclassOutputs,
  type MulticlassWeights,
} from "./multiclass.ts";
import { lossWeights64 } from "./engine.ts";
import { loadOpenBlas } from "../backend/openblas.ts";
import { Rng } from "../model/rng.ts";

/** A random k-output network with N(0, scale²) weights. */
function randomMulticlass(
  rng: Rng,
  shape: { d: number; m: number; k: number; scale?: number },
): MulticlassWeights {
  const { d, m, k, scale = 1 } = shape;
  return {
    d,
    m,
    k,
    w: rng.normalArray(m * d, scale),
    b: rng.normalArray(m, scale),
    v: rng.normalArray(k * m, scale),
  };
}

/** n random points of dimension d and classes in 0..k−1. */
function randomData(rng: Rng, shape: { n: number; d: number; k: number }) {
  const { n, d, k } = shape;
  return {
    n,
    d,
    k,
    x: rng.normalArray(n * d),
    classes: Int32Array.from({ length: n }, () => rng.int(k)),
  };
}

/** L at `weights` (the loss alone). */
function lossAt(
  weights: MulticlassWeights,
  data: ReturnType<typeof randomData>,
): number {
  const f = multiclassOutputs(weights, data.x);
  return Math.exp(multiclassLossWeights(f, data.classes).logLoss);
}

/**
 * The largest relative error of the hand-derived gradient against central
 * finite differences, over every parameter (relative to the largest
 * gradient entry).
 */
function finiteDifferenceError(seed: number): number {
  const rng = new Rng(seed);
  const shape = { d: 6, m: 5, k: 4, n: 7 };
  const weights = randomMulticlass(rng, { ...shape, scale: 0.7 });
  const data = randomData(rng, shape);
  const grad = multiclassLossGradient(weights, data);
  const h = 1e-6;
  let worst = 0, largest = 0;
  for (const key of ["w", "b", "v"] as const) {
    const a = weights[key];
    for (let i = 0; i < a.length; i++) {
      const saved = a[i];
      a[i] = saved + h;
      const up = lossAt(weights, data);
      a[i] = saved - h;
      const down = lossAt(weights, data);
      a[i] = saved;
      const numeric = (up - down) / (2 * h);
      worst = Math.max(worst, Math.abs(numeric - grad[key][i]));
      largest = Math.max(largest, Math.abs(grad[key][i]));
    }
  }
  return worst / largest;
}

Deno.test("multiclassLossGradient matches central finite differences", () => {
  const errors = [1, 2, 3, 4, 5].map(finiteDifferenceError);
  // Kinks are met with probability 0 at h = 1e-6; the error is O(h²) plus rounding.
  assert.ok(Math.max(...errors) < 1e-7, `relative errors ${errors}`);
});

Deno.test("multiclassLossWeights: two classes give the binary logistic weights", () => {
  const rng = new Rng(3);
  const n = 6;
  const f = rng.normalArray(2 * n, 4);
  const classes = Int32Array.from({ length: n }, () => rng.int(2));
  const multi = multiclassLossWeights(f, classes);
  const y = Array.from(classes, (c) => (c === 0 ? 1 : -1));
  const q = Array.from({ length: n }, (_, i) => f[2 * i] - f[2 * i + 1]);
  const binary = lossWeights64(q, y);
  assert.ok(Math.abs(multi.logLoss - binary.logLoss) < 1e-13);
  assert.ok(Math.abs(multi.minMargin - binary.minMargin) < 1e-13);
  for (let i = 0; i < n; i++) {
    // −∇L/L = Σ c_i ∇(f_0 − f_1) in the binary form.
    assert.ok(
      Math.abs(multi.coefficients[2 * i] - binary.coefficients[i]) < 1e-13,
    );
    assert.ok(
      Math.abs(multi.coefficients[2 * i + 1] + binary.coefficients[i]) < 1e-13,
    );
  }
});

Deno.test("multiclassLossWeights stays exact when the loss underflows", () => {
  // Margins of 1e6 and 1e6 + 1: L = e^{-1e6}(1 + e^{-1}) underflows float64.
  const f = new Float64Array([1e6, 0, 0, 0, 1e6 + 1, 0]);
  const lw = multiclassLossWeights(f, [0, 1]);
  assert.ok(Number.isFinite(lw.logLoss) && lw.logLoss < -1e5);
  assert.equal(lw.minMargin, 1e6);
  // Each row's correct-class weight is the sum of the others; point 1 weighs e^{-1} of point 0.
  for (const i of [0, 1]) {
    const row = [...lw.coefficients.slice(3 * i, 3 * i + 3)];
    assert.ok(Math.abs(row.reduce((s, c) => s + c, 0)) < 1e-15);
  }
  const ratio = lw.coefficients[4] / lw.coefficients[0];
  assert.ok(Math.abs(ratio - Math.exp(-1)) < 1e-12);
});

Deno.test("multiclassFlow: its first step is −ε‖θ‖·∇L/‖∇L‖", () => {
  const rng = new Rng(7);
  const shape = { d: 5, m: 4, k: 3, n: 6 };
  const init = randomMulticlass(rng, { ...shape, scale: 0.5 });
  const data = randomData(rng, shape);
  const grad = multiclassLossGradient(init, data);
  const eps = 1e-3;
  const flow = multiclassFlow(data, init, {
    stepFraction: eps,
    maxSteps: 1,
    products: "typescript",
  });
  const norm = (parts: ArrayLike<number>[]) =>
    Math.sqrt(
      parts.reduce(
        (s, a) => s + Array.from(a).reduce((t, x) => t + x * x, 0),
        0,
      ),
    );
  const theta = norm([init.w, init.b, init.v]);
  const g = norm([grad.w, grad.b, grad.v]);
  for (const key of ["w", "b", "v"] as const) {
    for (let i = 0; i < init[key].length; i++) {
      const step = flow.weights[key][i] - init[key][i];
      const expected = (-eps * theta * grad[key][i]) / g;
      assert.ok(
        Math.abs(step - expected) < 1e-12,
        `${key}[${i}]: ${step} vs ${expected}`,
      );
    }
  }
});

Deno.test("multiclassFlow separates clusters and conserves what gradient flow conserves", () => {
  const rng = new Rng(11);
  const k = 4, d = 40, n = 24, m = 16;
  const means = rng.normalArray(k * d, 1);
  const classes = Int32Array.from({ length: n }, (_, i) => i % k);
  const x = Float64Array.from(
    { length: n * d },
    (_, q) =>
      3 * means[classes[Math.floor(q / d)] * d + (q % d)] + 0.3 * rng.normal(),
  );
  const data = { n, d, k, x, classes };
  const init = randomMulticlass(rng, { d, m, k, scale: 1e-3 });
  const flow = multiclassFlow(data, init, {
    stepFraction: 0.01,
    products: "typescript",
  });
  assert.ok(flow.separatedAtStep >= 0, `status ${flow.status}`);
  assert.ok(["converged", "margin-cap", "budget"].includes(flow.status));
  assert.ok(flow.normalizedMargin > 0);
  // Every training point is classified by its argmax.
  const f = multiclassOutputs(flow.weights, x);
  for (let i = 0; i < n; i++) {
    const row = Array.from(f.slice(i * k, (i + 1) * k));
    assert.equal(row.indexOf(Math.max(...row)), classes[i]);
  }
  // Σ_l V_lr is conserved exactly by the flow (up to rounding).
  for (let r = 0; r < m; r++) {
    let before = 0, after = 0;
    for (let l = 0; l < k; l++) {
      before += init.v[l * m + r];
      after += flow.weights.v[l * m + r];
    }
    assert.ok(Math.abs(after - before) < 1e-9 * Math.sqrt(flow.normSquared));
  }
  // Balance drift: the Euler error of Σ_l V_lr² − ‖w_r‖² − b_r², small.
  assert.ok(flow.conservedDrift < 0.05, `drift ${flow.conservedDrift}`);
  // ‖θ‖² tracked by homogeneity equals the recomputed one.
  const w = flow.weights;
  let theta = 0;
  for (const a of [w.w, w.b, w.v]) for (const z of a) theta += z * z;
  assert.ok(Math.abs(theta - flow.normSquared) < 1e-9 * theta);
});

Deno.test("multiclassFlow: OpenBLAS dgemm and TypeScript products give the same iterates", () => {
  const blas = loadOpenBlas();
  if (blas === null || !blas.hasDgemm()) return;
  const rng = new Rng(5);
  const shape = { d: 30, m: 8, k: 3, n: 12 };
  const init = randomMulticlass(rng, { ...shape, scale: 0.1 });
  const data = randomData(rng, shape);
  const a = multiclassFlow(data, init, { maxSteps: 60, products: "openblas" });
  const b = multiclassFlow(data, init, {
    maxSteps: 60,
    products: "typescript",
  });
  assert.equal(a.products, "openblas");
  assert.equal(b.products, "typescript");
  for (const key of ["w", "b", "v"] as const) {
    for (let i = 0; i < a.weights[key].length; i++) {
      assert.ok(Math.abs(a.weights[key][i] - b.weights[key][i]) < 1e-9);
    }
  }
});

Deno.test("multiclassFlow: a point no neuron can reach leaves the flow stuck, not diverged", () => {
  // Every neuron dead everywhere: all outputs 0, zero gradient.
  const init = {
    d: 2,
    m: 2,
    k: 3,
    w: new Float64Array(4),
    b: new Float64Array([-1, -1]),
    v: new Float64Array(6).fill(0.1),
  };
  const data = { n: 3, d: 2, k: 3, x: [1, 0, 0, 1, 1, 1], classes: [0, 1, 2] };
  const flow = multiclassFlow(data, init, { products: "typescript" });
  assert.equal(flow.status, "stuck");
  assert.equal(flow.separatedAtStep, -1);
  assert.equal(flow.steps, 0);
});

Deno.test("multiclassInit shares the hidden layer and draws k·m output weights", () => {
  const hidden = { d: 3, m: 2, w: [1, 2, 3, 4, 5, 6], b: [7, 8], v: [9, 10] };
  const init = multiclassInit(hidden, {
    rng: new Rng(2),
    k: 3,
    initScale: 0.5,
  });
  assert.deepEqual([...init.w], hidden.w);
  assert.deepEqual([...init.b], hidden.b);
  assert.deepEqual([...init.v], [...new Rng(2).normalArray(6, 0.5)]);
  assert.throws(
    () => multiclassInit(hidden, { rng: new Rng(1), k: 3, initScale: 0 }),
    /initScale/,
  );
});

Deno.test("shape checks", () => {
  assert.throws(
    () =>
      checkMulticlassWeights({ d: 2, m: 1, k: 2, w: [1, 2], b: [0], v: [1] }),
    /do not match/,
  );
  assert.throws(
    () =>
      checkMulticlassWeights({ d: 2, m: 1, k: 1, w: [1, 2], b: [0], v: [1] }),
    /shape/,
  );
  const net = { d: 1, m: 1, k: 2, w: [1], b: [0], v: [1, -1] };
  assert.throws(
    () => multiclassFlow({ n: 1, d: 1, k: 2, x: [1], classes: [2] }, net),
    /class 2/,
  );
  assert.throws(() => multiclassLossWeights([1, 2, 3], [0, 1]), /n×k/);
});
