/**
 * Gradient flow on the logistic loss for the two-layer network, integrated in
 * the time change dθ/ds = -∇L(θ)/L(θ) (same trajectory as dθ/dt = -∇L, with
 * dt = ds/L) by explicit Euler steps whose length bounds the relative change
 * of θ: ‖Δθ‖ = ε‖θ‖ per step (`stepFraction` ε).
 *
 * One step is fused and uses hand-derived gradients (no autodiff tape). With
 * q_i = y_i N(x_i) and ℓ(q) = log(1 + e^{-q}),
 *   -∇L/L = Σ_i c_i ∇_θ N(x_i),  c_i = y_i σ(-q_i) / Σ_j ℓ(q_j),
 * computed in double precision in log space (so it stays exact when L
 * underflows). With G = (c vᵀ) ⊙ 1[Z > 0] (n×m): ΔW ∝ Gᵀ X, Δb ∝ 1ᵀ G,
 * Δv ∝ relu(Z)ᵀ c.
 *
 * Span form: every increment of W lies in the row space of X, so
 * W = W0 + A·X with A (m×n), and Z = X W0ᵀ + (X Xᵀ) Aᵀ + b. The update is
 * A ← A + h Gᵀ, with exactly the same iterates as the plain form, at n²m
 * instead of n·d·m flops per step; used automatically when d > n.
 *
 * ‖θ‖² is tracked with scalars only: by 2-homogeneity ⟨θ, -∇L/L⟩ = 2Σ c_i N_i,
 * so ‖θ + hD‖² = ‖θ‖² + 4hΣc_iN_i + h²‖D‖²; it is recomputed exactly every
 * `renormEvery` steps.
 *
 * Stop rule: first reach L < log(2)/n (recorded), then continue until the
 * normalized margin γ = min_i q_i/‖θ‖² changes by less than
 * `marginTolerance` (relative) over `marginWindow` steps, or the smallest
 * margin exceeds `maxMargin` (float32 resolves margin differences only up to
 * about that), or `maxSteps` runs out. A run that never reaches
 * L < log(2)/n is reported `not-separated`; NaN/Inf is `diverged`.
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs-core";
import { type NetworkWeights, transposeRows } from "./network.ts";

/** Training data for the flow. */
export interface FlowData {
  /** Number of training points. */
  n: number;
  /** Dimension. */
  d: number;
  /** Points n×d row-major. */
  x: Float32Array;
  /** Labels ±1. */
  y: Float32Array;
}

/** How the first layer is stored during training. */
export type FlowForm = "plain" | "span";

/** Integrator and stop-rule settings. */
export interface FlowOptions {
  /** ε: relative change of θ per step (default 0.02). */
  stepFraction?: number;
  /** Step budget (default 4000). */
  maxSteps?: number;
  /** Window (steps) of the normalized-margin stop rule (default 100). */
  marginWindow?: number;
  /** Relative change of the normalized margin over the window (default 1e-3). */
  marginTolerance?: number;
  /** Stop once the smallest margin min_i q_i exceeds this (default 1e4). */
  maxMargin?: number;
  /** `plain`, `span` or `auto` (span when d > n; default). */
  form?: FlowForm | "auto";
  /** Recompute ‖θ‖² exactly every this many steps (default 50). */
  renormEvery?: number;
  /** Called after the steps listed in `checkpointSteps` and at the end. */
  onCheckpoint?: (point: FlowCheckpoint) => void;
  /** Steps after which `onCheckpoint` is called. */
  checkpointSteps?: number[];
}

/** State passed to a checkpoint callback. */
export interface FlowCheckpoint {
  /** Steps taken so far. */
  step: number;
  /** log10 of the gradient-flow time t reached. */
  log10Time: number;
  /** log10 of the loss L. */
  log10Loss: number;
  /** Normalized margin min_i q_i / ‖θ‖². */
  normalizedMargin: number;
  /** Current weights (materialized on demand). */
  weights: () => NetworkWeights;
}

/** How a run of the flow ended. */
export type FlowStatus =
  | "converged"
  | "margin-cap"
  | "budget"
  | "not-separated"
  | "diverged";

/** Result of {@linkcode gradientFlow}. */
export interface FlowResult {
  /** How it ended; only `not-separated` and `diverged` are failures. */
  status: FlowStatus;
  /** Steps taken. */
  steps: number;
  /** Step at which L < log(2)/n was first reached, or -1. */
  separatedAtStep: number;
  /** log10 of the time t at which L < log(2)/n was first reached (NaN if never). */
  log10TimeSeparated: number;
  /** log10 of the final time t. */
  log10Time: number;
  /** log10 of the final loss L. */
  log10Loss: number;
  /** Final normalized margin min_i y_i N(x_i) / ‖θ‖². */
  normalizedMargin: number;
  /** Final ‖θ‖². */
  normSquared: number;
  /** max_r |Δ(v_r² - ‖w_r‖² - b_r²)| / max(v_r² + ‖w_r‖² + b_r², ‖θ‖²/m): integration error. */
  conservedDrift: number;
  /** Form used. */
  form: FlowForm;
  /** Final weights. */
  weights: NetworkWeights;
}

const LOG10E = Math.LOG10E;

/** log ℓ(q) = log log(1 + e^{-q}), stable for all q. */
function logLogistic(q: number): number {
  if (q > 35) return -q + Math.log1p(-0.5 * Math.exp(-q));
  if (q < -35) return Math.log(-q);
  return Math.log(Math.log1p(Math.exp(-q)));
}

/** log σ(-q) = -softplus(q), stable for all q. */
function logSigmoidNeg(q: number): number {
  return -(Math.max(q, 0) + Math.log1p(Math.exp(-Math.abs(q))));
}

/** log(e^a + e^b). */
function logAddExp(a: number, b: number): number {
  if (a === -Infinity) return b;
  if (b === -Infinity) return a;
  const m = Math.max(a, b);
  return m + Math.log(Math.exp(a - m) + Math.exp(b - m));
}

/** Result of {@linkcode lossWeights}. */
export interface LossWeights {
  /** c_i = y_i σ(-q_i) / Σ_j ℓ(q_j). */
  coefficients: Float32Array;
  /** log L = log((1/n) Σ ℓ(q_i)). */
  logLoss: number;
  /** Σ_i c_i N_i = Σ σ(-q_i) q_i / Σ ℓ (for the ‖θ‖² recurrence). */
  coefficientDotOutput: number;
  /** min_i q_i. */
  minMargin: number;
}

/**
 * The per-sample coefficients of -∇L/L and the log loss, from the outputs,
 * in double precision and log space.
 *
 * @example
 * ```ts
 * import { lossWeights } from "./gradient_flow.ts";
 * import assert from "node:assert/strict";
 * const w = lossWeights(new Float32Array([0, 0]), new Float32Array([1, -1]));
 * assert.ok(Math.abs(w.logLoss - Math.log(Math.log(2))) < 1e-12);
 * assert.ok(Math.abs(w.coefficients[0] - 0.5 / (2 * Math.log(2))) < 1e-7);
 * ```
 */
export function lossWeights(
  outputs: ArrayLike<number>,
  y: ArrayLike<number>,
): LossWeights {
  const n = y.length;
  const q = new Float64Array(n);
  let lse = -Infinity;
  let minMargin = Infinity;
  for (let i = 0; i < n; i++) {
    q[i] = y[i] * outputs[i];
    lse = logAddExp(lse, logLogistic(q[i]));
    minMargin = Math.min(minMargin, q[i]);
  }
  const coefficients = new Float32Array(n);
  let dot = 0;
  for (let i = 0; i < n; i++) {
    const ratio = Math.exp(logSigmoidNeg(q[i]) - lse);
    coefficients[i] = y[i] * ratio;
    dot += ratio * q[i];
  }
  return {
    coefficients,
    logLoss: lse - Math.log(n),
    coefficientDotOutput: dot,
    minMargin,
  };
}

/** Checks the inputs of the flow and returns the form to use. */
function chooseForm(
  data: FlowData,
  init: NetworkWeights,
  form: FlowForm | "auto",
): FlowForm {
  if (data.d !== init.d) {
    throw new RangeError(`data has d=${data.d}, network d=${init.d}`);
  }
  if (data.x.length !== data.n * data.d || data.y.length !== data.n) {
    throw new RangeError("data arrays do not match n and d");
  }
  return form === "auto" ? (data.d > data.n ? "span" : "plain") : form;
}

/**
 * Integrate gradient flow from `init` on `data` (see the module doc).
 * Synchronous; all tensors are released before it returns.
 */
export function gradientFlow(
  data: FlowData,
  init: NetworkWeights,
  options: FlowOptions = {},
): FlowResult {
  const {
    stepFraction = 0.02,
    maxSteps = 4000,
    marginWindow = 100,
    marginTolerance = 1e-3,
    maxMargin = 1e4,
    renormEvery = 50,
    onCheckpoint,
    checkpointSteps = [],
  } = options;
  const form = chooseForm(data, init, options.form ?? "auto");
  const { n, d } = data;
  const m = init.m;
  const checkpoints = new Set(checkpointSteps);
  const y = data.y;

  // The first layer is kept transposed (Wᵀ: d×m, or Aᵀ: n×m) and Xᵀ is
  // precomputed, so that every product of the step is an untransposed
  // matMul (tfjs-wasm is ~20x slower on transposed operands).
  const X = tf.tensor2d(data.x, [n, d]);
  const Xt = tf.transpose(X) as tf.Tensor2D;
  const W0t = tf.tensor2d(transposeRows(init.w, m, d), [d, m]);
  // span form: constant P0 = X W0ᵀ (n×m) and K = X Xᵀ (n×n); Aᵀ starts at 0.
  const P0 = form === "span" ? tf.matMul(X, W0t) : null;
  const K = form === "span" ? tf.matMul(X, Xt) : null;
  let first: tf.Tensor2D = form === "span" ? tf.zeros([n, m]) : W0t.clone();
  let b: tf.Tensor1D = tf.tensor1d(init.b);
  let v: tf.Tensor1D = tf.tensor1d(init.v);

  const preActivation = (): tf.Tensor2D =>
    tf.tidy(() =>
      form === "span"
        ? tf.add(tf.add(tf.matMul(K!, first), P0!), b)
        : tf.add(tf.matMul(X, first), b)
    );

  const materialize = (): NetworkWeights => {
    const wt = tf.tidy(() =>
      form === "span" ? tf.add(tf.matMul(Xt, first), W0t) : tf.clone(first)
    );
    const w = transposeRows(wt.dataSync() as Float32Array, d, m);
    wt.dispose();
    return {
      d,
      m,
      w,
      b: Float32Array.from(b.dataSync() as Float32Array),
      v: Float32Array.from(v.dataSync() as Float32Array),
    };
  };

  /** Per-neuron ‖w_r‖² as a tensor (m). */
  const rowNormsSquared = (): tf.Tensor1D =>
    tf.tidy(() =>
      form === "span"
        ? tf.addN([
          tf.sum(tf.square(W0t), 0),
          tf.mul(tf.sum(tf.mul(first, P0!), 0), 2),
          tf.sum(tf.mul(tf.matMul(K!, first), first), 0),
        ]) as tf.Tensor1D
        : tf.sum(tf.square(first), 0)
    );

  const neuronState = (): {
    balance: Float64Array;
    scale: Float64Array;
    total: number;
  } => {
    const rn = rowNormsSquared();
    const w2 = rn.dataSync();
    const bb = b.dataSync();
    const vv = v.dataSync();
    rn.dispose();
    const balance = new Float64Array(m);
    const scale = new Float64Array(m);
    let total = 0;
    for (let r = 0; r < m; r++) {
      balance[r] = vv[r] * vv[r] - w2[r] - bb[r] * bb[r];
      scale[r] = vv[r] * vv[r] + w2[r] + bb[r] * bb[r];
      total += scale[r];
    }
    return { balance, scale, total };
  };

  const start = neuronState();
  let normSquared = start.total;
  let logTime = -Infinity;
  let separatedAtStep = -1;
  let logTimeSeparated = NaN;
  let status: FlowStatus = "budget";
  let step = 0;
  let logLoss = NaN;
  let normalizedMargin = NaN;
  const marginHistory: number[] = [];

  try {
    while (true) {
      const z = preActivation();
      const h = tf.relu(z);
      const outT = tf.tidy(() =>
        tf.reshape(tf.matMul(h, tf.reshape(v, [m, 1])), [n])
      );
      const outputs = outT.dataSync();
      outT.dispose();
      const lw = lossWeights(outputs, y);
      logLoss = lw.logLoss;
      normalizedMargin = lw.minMargin / normSquared;
      if (!Number.isFinite(logLoss) || !Number.isFinite(normSquared)) {
        z.dispose();
        h.dispose();
        status = "diverged";
        break;
      }
      if (separatedAtStep < 0 && logLoss < Math.log(Math.LN2 / n)) {
        separatedAtStep = step;
        logTimeSeparated = logTime;
      }
      if (onCheckpoint && checkpoints.has(step)) {
        onCheckpoint({
          step,
          log10Time: logTime * LOG10E,
          log10Loss: logLoss * LOG10E,
          normalizedMargin,
          weights: materialize,
        });
      }
      if (separatedAtStep >= 0) {
        marginHistory.push(normalizedMargin);
        const len = marginHistory.length;
        if (len > marginWindow) {
          const old = marginHistory[len - 1 - marginWindow];
          if (
            normalizedMargin > 0 &&
            Math.abs(normalizedMargin - old) <=
              marginTolerance * Math.abs(normalizedMargin)
          ) {
            status = "converged";
          }
        }
        if (lw.minMargin > maxMargin) status = "margin-cap";
      }
      if (status !== "budget" || step >= maxSteps) {
        z.dispose();
        h.dispose();
        break;
      }

      // Fused step: direction D = Σ c_i ∇N_i, length ε‖θ‖.
      const c = tf.tensor1d(lw.coefficients);
      const [dFirst, db, dv, norms] = tf.tidy(() => {
        const g = tf.mul(
          tf.step(z),
          tf.mul(tf.reshape(c, [n, 1]), tf.reshape(v, [1, m])),
        );
        const dvT = tf.reshape(tf.matMul(tf.reshape(c, [1, n]), h), [m]);
        const dbT = tf.sum(g, 0);
        const dF = form === "span" ? tf.clone(g) : tf.matMul(Xt, g);
        const firstNorm = form === "span"
          ? tf.sum(tf.mul(tf.matMul(K!, g), g))
          : tf.sum(tf.square(dF));
        const normsT = tf.stack([
          firstNorm,
          tf.sum(tf.square(dbT)),
          tf.sum(tf.square(dvT)),
        ]);
        return [
          dF as tf.Tensor2D,
          dbT as tf.Tensor1D,
          dvT as tf.Tensor1D,
          normsT,
        ];
      });
      c.dispose();
      z.dispose();
      h.dispose();
      const nd = norms.dataSync();
      norms.dispose();
      const dirNormSquared = nd[0] + nd[1] + nd[2];
      const stepLength = stepFraction * Math.sqrt(normSquared / dirNormSquared);
      if (!Number.isFinite(stepLength)) {
        dFirst.dispose();
        db.dispose();
        dv.dispose();
        status = "diverged";
        break;
      }
      const next = tf.tidy(() => [
        tf.add(first, tf.mul(dFirst, stepLength)) as tf.Tensor2D,
        tf.add(b, tf.mul(db, stepLength)) as tf.Tensor1D,
        tf.add(v, tf.mul(dv, stepLength)) as tf.Tensor1D,
      ]);
      for (const t of [first, b, v, dFirst, db, dv]) t.dispose();
      [first, b, v] = next as [tf.Tensor2D, tf.Tensor1D, tf.Tensor1D];
      normSquared += 4 * stepLength * lw.coefficientDotOutput +
        stepLength * stepLength * dirNormSquared;
      // dt = ds / L
      logTime = logAddExp(logTime, Math.log(stepLength) - logLoss);
      step++;
      if (step % renormEvery === 0) normSquared = neuronState().total;
    }
    const end = neuronState();
    normSquared = end.total;
    let drift = 0;
    for (let r = 0; r < m; r++) {
      const denom = Math.max(end.scale[r], end.total / m);
      drift = Math.max(
        drift,
        Math.abs(end.balance[r] - start.balance[r]) / denom,
      );
    }
    const weights = materialize();
    if (onCheckpoint && !checkpoints.has(step)) {
      onCheckpoint({
        step,
        log10Time: logTime * LOG10E,
        log10Loss: logLoss * LOG10E,
        normalizedMargin,
        weights: () => weights,
      });
    }
    if (separatedAtStep < 0 && status !== "diverged") status = "not-separated";
    return {
      status,
      steps: step,
      separatedAtStep,
      log10TimeSeparated: logTimeSeparated * LOG10E,
      log10Time: logTime * LOG10E,
      log10Loss: logLoss * LOG10E,
      normalizedMargin,
      normSquared,
      conservedDrift: drift,
      form,
      weights,
    };
  } finally {
    for (const t of [X, Xt, W0t, P0, K, first, b, v]) t?.dispose();
  }
}
