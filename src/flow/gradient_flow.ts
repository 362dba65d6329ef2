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
 * instead of n·d·m flops per step; used automatically when d > n. The
 * product P = X W0ᵀ + K Aᵀ (K = X Xᵀ) is itself carried along
 * (P ← P + h K G, with K G needed anyway for ‖Δθ‖) and recomputed exactly
 * every `SPAN_REFRESH_EVERY` (50) steps, so a span step costs one n×n by n×m
 * product.
 *
 * ‖θ‖² is tracked with scalars only: by 2-homogeneity ⟨θ, -∇L/L⟩ = 2Σ c_i N_i,
 * so ‖θ + hD‖² = ‖θ‖² + 4hΣc_iN_i + h²‖D‖²; it is recomputed exactly every
 * `renormEvery` steps.
 *
 * Two engines run the step (option `engine`), with the same iterates up to
 * float32 rounding:
 * - `tfjs`: TensorFlow.js ops on the active backend. The first layer is kept
 *   transposed (Wᵀ: d×m, or Aᵀ: n×m) and Xᵀ is precomputed, so that every
 *   product is an untransposed `matMul` (tfjs-wasm is ~20× slower on
 *   transposed operands); column sums are products with a row of ones.
 * - `native` (`./native_engine.ts`): preallocated Float32Arrays, OpenBLAS
 *   `sgemm` for the products and plain loops for the elementwise work; no
 *   tensors. The tfjs `cpu` backend's elementwise kernels are slow
 *   JavaScript, so `auto` (the default) picks `native` when OpenBLAS loads
 *   and the active TensorFlow.js backend is `cpu` (which the `blas` backend
 *   of `../backend/backends.ts` is), and `tfjs` otherwise.
 *
 * Stop rule: first reach L < log(2)/n (recorded), then continue until the
 * normalized margin γ = min_i q_i/‖θ‖² changes by less than
 * `marginTolerance` (relative) over `marginWindow` steps, or the smallest
 * margin exceeds `maxMargin` (float32 resolves margin differences only up to
 * about that), or `maxSteps` runs out. A run that never reaches
 * L < log(2)/n is reported `not-separated`; NaN/Inf is `diverged`; a zero
 * gradient (a stationary point, e.g. all neurons dead on the points carrying
 * the loss) is `stuck` if it happens before separation.
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs-core";
import { transposeRows } from "../model/network.ts";
import { createNativeEngine, SPAN_REFRESH_EVERY } from "./native_engine.ts";
import { loadOpenBlas } from "../backend/openblas.ts";
import { type NetworkWeights } from "../model/weights.ts";

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

/** What runs the fused step: TensorFlow.js ops or the OpenBLAS engine. */
export type FlowEngineKind = "tfjs" | "native";

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
  /**
   * `tfjs`, `native` or `auto` (default): see the module doc. `native`
   * throws when OpenBLAS cannot be loaded.
   */
  engine?: FlowEngineKind | "auto";
  /** Recompute ‖θ‖² exactly every this many steps (default 50). */
  renormEvery?: number;
  /** Called after the steps listed in `checkpointSteps` and at the end. */
  onCheckpoint?: (point: FlowCheckpoint) => void;
  /** Steps after which `onCheckpoint` is called. */
  checkpointSteps?: number[];
  /** Also call `onCheckpoint` at the step where L < log(2)/n is first reached. */
  checkpointAtSeparation?: boolean;
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
  /** Whether this is the step where L < log(2)/n was first reached. */
  separated: boolean;
  /** Current weights (materialized on demand). */
  weights: () => NetworkWeights<Float32Array>;
}

/** How a run of the flow ended. */
export type FlowStatus =
  | "converged"
  | "margin-cap"
  | "budget"
  | "not-separated"
  | "stuck"
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
  /** Engine used (always set by {@linkcode gradientFlow}). */
  engine?: FlowEngineKind;
  /** Final weights. */
  weights: NetworkWeights<Float32Array>;
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

/** Per-neuron parts of ‖θ‖², from {@linkcode FlowEngine.neuronNorms}. */
export interface NeuronNorms {
  /** ‖w_r‖², in double precision. */
  wSquared: Float64Array;
  /** b_r. */
  b: Float32Array;
  /** v_r. */
  v: Float32Array;
}

/**
 * One implementation of the fused Euler step, holding θ and every constant
 * of the step (X, Xᵀ or K = X Xᵀ, X W0ᵀ) across steps. A step is
 * `forward`, then {@linkcode lossWeights} on its outputs, then `direction`
 * and `advance`; {@linkcode gradientFlow} drives it.
 */
export interface FlowEngine {
  /** Which engine this is. */
  readonly kind: FlowEngineKind;
  /** How the first layer is stored. */
  readonly form: FlowForm;
  /**
   * Evaluate the network on the n training points at the current θ and
   * return N(x_i). The array may be reused by the next call.
   */
  forward(): ArrayLike<number>;
  /**
   * With c from {@linkcode lossWeights} at the θ of the last `forward`,
   * form the direction D = Σ_i c_i ∇_θ N(x_i) (= -∇L/L) and return ‖D‖².
   */
  direction(coefficients: Float32Array): number;
  /** θ ← θ + h·D, with the D of the last `direction`. */
  advance(h: number): void;
  /** ‖w_r‖², b_r and v_r at the current θ (copies). */
  neuronNorms(): NeuronNorms;
  /** The current weights (a copy). */
  weights(): NetworkWeights<Float32Array>;
  /** Release tensors; the engine is unusable afterwards. */
  dispose(): void;
}

/** Checks the inputs of the flow and returns the form to use. */
function chooseForm(
  data: FlowData,
  init: NetworkWeights<Float32Array>,
  form: FlowForm | "auto",
): FlowForm {
  if (data.d !== init.d) {
    throw new RangeError(`data has d=${data.d}, network d=${init.d}`);
  }
  if (data.x.length !== data.n * data.d || data.y.length !== data.n) {
    throw new RangeError("data arrays do not match n and d");
  }
  if (
    init.w.length !== init.m * init.d || init.b.length !== init.m ||
    init.v.length !== init.m
  ) {
    throw new RangeError("network arrays do not match m and d");
  }
  return form === "auto" ? (data.d > data.n ? "span" : "plain") : form;
}

/**
 * The engine `auto` stands for: `native` when OpenBLAS loads and the active
 * TensorFlow.js backend is `cpu` (plain or with the OpenBLAS kernels of
 * `../backend/backends.ts`) or none has been chosen yet, else `tfjs`.
 *
 * @example
 * ```ts
 * import { autoEngine } from "./gradient_flow.ts";
 * import assert from "node:assert/strict";
 * assert.ok(["tfjs", "native"].includes(autoEngine()));
 * ```
 */
export function autoEngine(): FlowEngineKind {
  if (loadOpenBlas() === null) return "tfjs";
  // `undefined` until a backend is set or a first op picks one.
  const backend: string | undefined = tf.getBackend();
  return backend === undefined || backend === "cpu" ? "native" : "tfjs";
}

/**
 * Build the engine that runs the flow's steps (see {@linkcode FlowEngine});
 * the caller must `dispose` it. `form` and `engine` default to `auto`.
 */
export function createFlowEngine(
  data: FlowData,
  init: NetworkWeights<Float32Array>,
  options: { form?: FlowForm | "auto"; engine?: FlowEngineKind | "auto" } = {},
): FlowEngine {
  const form = chooseForm(data, init, options.form ?? "auto");
  const choice = options.engine ?? "auto";
  const kind = choice === "auto" ? autoEngine() : choice;
  if (kind === "native") {
    const blas = loadOpenBlas();
    if (blas === null) {
      throw new Error(
        `engine "native" needs OpenBLAS (libopenblas0) and --allow-ffi`,
      );
    }
    return createNativeEngine(data, init, form, blas);
  }
  return createTfjsEngine(data, init, form);
}

/** The TensorFlow.js engine (see the module doc). */
function createTfjsEngine(
  data: FlowData,
  init: NetworkWeights<Float32Array>,
  form: FlowForm,
): FlowEngine {
  const { n, d } = data;
  const m = init.m;
  const span = form === "span";
  // Constants, kept across steps: X, Xᵀ, a row of ones, W0ᵀ; span form:
  // K = X Xᵀ and P0 = X W0ᵀ.
  const X = tf.tensor2d(data.x, [n, d]);
  const Xt = tf.transpose(X);
  const onesN = tf.ones([1, n]);
  let W0t: tf.Tensor2D | null = tf.tensor2d(
    transposeRows(init.w, m, d),
    [d, m],
  );
  const K = span ? tf.matMul(X, Xt) : null;
  const P0 = span ? tf.matMul(X, W0t) : null;
  // Per-neuron ‖w0_r‖² (span form), in double.
  const w0Squared = new Float64Array(m);
  for (let r = 0; r < m; r++) {
    let s = 0;
    for (let t = 0; t < d; t++) s += init.w[r * d + t] ** 2;
    w0Squared[r] = s;
  }
  // θ: the first layer as a tensor (Wᵀ or Aᵀ), b and v as arrays.
  let first: tf.Tensor = span ? tf.zeros([n, m]) : W0t;
  if (!span) W0t = null; // now owned by `first`
  // Span form: the carried product P = P0 + K Aᵀ.
  let product: tf.Tensor | null = span ? P0!.clone() : null;
  const b = Float32Array.from(init.b);
  const v = Float32Array.from(init.v);
  const db = new Float64Array(m);
  const dv = new Float64Array(m);
  let steps = 0;
  // Per-step tensors: vᵀ, Z and relu(Z) from forward; the increments of the
  // first layer (Xᵀ G or G) and of P (K G) from direction.
  let vRow: tf.Tensor | null = null;
  let z: tf.Tensor | null = null;
  let h: tf.Tensor | null = null;
  let dFirst: tf.Tensor | null = null;
  let dProduct: tf.Tensor | null = null;
  const release = (...ts: (tf.Tensor | null)[]) => {
    for (const t of ts) t?.dispose();
  };

  return {
    kind: "tfjs",
    form,
    forward() {
      release(vRow, z, h);
      const vr = vRow = tf.tensor2d(v, [1, m]);
      const [zz, hh] = tf.tidy(() => {
        const bias = tf.tensor2d(b, [1, m]);
        const zz = span
          ? tf.add(product!, bias)
          : tf.add(tf.matMul(X, first as tf.Tensor2D), bias);
        return [zz, tf.relu(zz)];
      });
      z = zz;
      h = hh;
      const out = tf.tidy(() =>
        tf.matMul(hh as tf.Tensor2D, tf.reshape(vr, [m, 1]))
      );
      const outputs = out.dataSync();
      out.dispose();
      return outputs;
    },
    direction(coefficients) {
      if (z === null || h === null || vRow === null) {
        throw new Error("direction() needs a forward() first");
      }
      const zz = z, hh = h as tf.Tensor2D, vr = vRow;
      release(dFirst, dProduct);
      // G = (c vᵀ) ⊙ 1[Z > 0]; Δb = 1ᵀ G; Δv = cᵀ relu(Z); the first
      // layer moves by Xᵀ G (plain) or G (span), P by K G (span).
      const parts = tf.tidy((): Record<string, tf.Tensor> => {
        const cCol = tf.tensor2d(coefficients, [n, 1]);
        const g = tf.mul(tf.step(zz), tf.mul(cCol, vr)) as tf.Tensor2D;
        const dv = tf.matMul(tf.reshape(cCol, [1, n]), hh);
        const db = tf.matMul(onesN, g);
        if (span) {
          const kg = tf.matMul(K!, g);
          const norm = tf.sum(tf.mul(kg, g));
          return { first: g, product: kg, db, dv, norm };
        }
        const dF = tf.matMul(Xt, g);
        return { first: dF, db, dv, norm: tf.sum(tf.square(dF)) };
      });
      release(z, h);
      z = h = null;
      dFirst = parts.first;
      dProduct = parts.product ?? null;
      db.set(parts.db.dataSync());
      dv.set(parts.dv.dataSync());
      let normSquared = parts.norm.dataSync()[0];
      release(parts.db, parts.dv, parts.norm);
      for (let r = 0; r < m; r++) normSquared += db[r] ** 2 + dv[r] ** 2;
      return normSquared;
    },
    advance(step) {
      if (dFirst === null) throw new Error("advance() needs a direction()");
      const df = dFirst, dp = dProduct;
      const oldFirst = first, oldProduct = product;
      first = tf.tidy(() => tf.add(oldFirst, tf.mul(df, step)));
      if (span) {
        product = (steps + 1) % SPAN_REFRESH_EVERY === 0
          ? tf.tidy(() => tf.add(tf.matMul(K!, first as tf.Tensor2D), P0!))
          : tf.tidy(() => tf.add(oldProduct!, tf.mul(dp!, step)));
      }
      release(oldFirst, oldProduct, dFirst, dProduct, vRow);
      dFirst = dProduct = vRow = null;
      for (let r = 0; r < m; r++) {
        b[r] += step * db[r];
        v[r] += step * dv[r];
      }
      steps++;
    },
    neuronNorms() {
      const f = first as tf.Tensor2D;
      const norms = tf.tidy(() => {
        if (!span) return tf.matMul(tf.ones([1, d]), tf.square(f));
        // ‖w_r‖² = ‖w0_r‖² + Σ_i A_ri (2 P0 + K Aᵀ)_ir
        const cross = tf.mul(f, tf.add(tf.mul(P0!, 2), tf.matMul(K!, f)));
        return tf.matMul(onesN, cross);
      });
      const wSquared = Float64Array.from(norms.dataSync());
      norms.dispose();
      if (span) { for (let r = 0; r < m; r++) wSquared[r] += w0Squared[r]; }
      return { wSquared, b: b.slice(), v: v.slice() };
    },
    weights() {
      const f = first as tf.Tensor2D;
      const wt = span ? tf.tidy(() => tf.add(tf.matMul(Xt, f), W0t!)) : f;
      const w = transposeRows(wt.dataSync() as Float32Array, d, m);
      if (span) wt.dispose();
      return { d, m, w, b: b.slice(), v: v.slice() };
    },
    dispose() {
      release(X, Xt, K, onesN, W0t, P0, first, product);
      release(vRow, z, h, dFirst, dProduct);
    },
  };
}

/** v_r² - ‖w_r‖² - b_r², v_r² + ‖w_r‖² + b_r² and ‖θ‖² from per-neuron norms. */
function neuronState(norms: NeuronNorms): {
  balance: Float64Array;
  scale: Float64Array;
  total: number;
} {
  const { wSquared, b, v } = norms;
  const m = wSquared.length;
  const balance = new Float64Array(m);
  const scale = new Float64Array(m);
  let total = 0;
  for (let r = 0; r < m; r++) {
    balance[r] = v[r] * v[r] - wSquared[r] - b[r] * b[r];
    scale[r] = v[r] * v[r] + wSquared[r] + b[r] * b[r];
    total += scale[r];
  }
  return { balance, scale, total };
}

/**
 * Integrate gradient flow from `init` on `data` (see the module doc).
 * Synchronous; all tensors are released before it returns.
 */
export function gradientFlow(
  data: FlowData,
  init: NetworkWeights<Float32Array>,
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
    checkpointAtSeparation = false,
  } = options;
  const engine = createFlowEngine(data, init, options);
  const { n } = data;
  const m = init.m;
  const checkpoints = new Set(checkpointSteps);
  const y = data.y;

  try {
    const start = neuronState(engine.neuronNorms());
    let normSquared = start.total;
    let logTime = -Infinity;
    let separatedAtStep = -1;
    let logTimeSeparated = NaN;
    let status: FlowStatus = "budget";
    let step = 0;
    let logLoss = NaN;
    let normalizedMargin = NaN;
    const marginHistory: number[] = [];
    const weightsNow = () => engine.weights();

    while (true) {
      const lw = lossWeights(engine.forward(), y);
      logLoss = lw.logLoss;
      normalizedMargin = lw.minMargin / normSquared;
      if (!Number.isFinite(logLoss) || !Number.isFinite(normSquared)) {
        status = "diverged";
        break;
      }
      let separatesNow = false;
      if (separatedAtStep < 0 && logLoss < Math.log(Math.LN2 / n)) {
        separatedAtStep = step;
        logTimeSeparated = logTime;
        separatesNow = checkpointAtSeparation;
      }
      if (onCheckpoint && (checkpoints.has(step) || separatesNow)) {
        onCheckpoint({
          step,
          log10Time: logTime * LOG10E,
          log10Loss: logLoss * LOG10E,
          normalizedMargin,
          separated: step === separatedAtStep,
          weights: weightsNow,
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
      if (status !== "budget" || step >= maxSteps) break;

      // Fused step: direction D = Σ c_i ∇N_i, length ε‖θ‖.
      const dirNormSquared = engine.direction(lw.coefficients);
      const stepLength = stepFraction * Math.sqrt(normSquared / dirNormSquared);
      if (dirNormSquared === 0 && Number.isFinite(normSquared)) {
        // A stationary point of the flow (e.g. every neuron inactive on the
        // points that carry the loss): the flow stops here, it did not blow up.
        status = "stuck";
        break;
      }
      if (!Number.isFinite(stepLength)) {
        status = "diverged";
        break;
      }
      engine.advance(stepLength);
      normSquared += 4 * stepLength * lw.coefficientDotOutput +
        stepLength * stepLength * dirNormSquared;
      // dt = ds / L
      logTime = logAddExp(logTime, Math.log(stepLength) - logLoss);
      step++;
      if (step % renormEvery === 0) {
        normSquared = neuronState(engine.neuronNorms()).total;
      }
    }
    const end = neuronState(engine.neuronNorms());
    normSquared = end.total;
    let drift = 0;
    for (let r = 0; r < m; r++) {
      const denom = Math.max(end.scale[r], end.total / m);
      drift = Math.max(
        drift,
        Math.abs(end.balance[r] - start.balance[r]) / denom,
      );
    }
    const weights = engine.weights();
    if (onCheckpoint && !checkpoints.has(step)) {
      onCheckpoint({
        step,
        log10Time: logTime * LOG10E,
        log10Loss: logLoss * LOG10E,
        normalizedMargin,
        separated: step === separatedAtStep,
        weights: () => weights,
      });
    }
    if (separatedAtStep < 0 && status !== "diverged" && status !== "stuck") {
      status = "not-separated";
    }
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
      form: engine.form,
      engine: engine.kind,
      weights,
    };
  } finally {
    engine.dispose();
  }
}
