/**
 * What every engine of the gradient flow shares: the interface
 * {@linkcode FlowEngine} of the fused Euler step, its inputs and settings,
 * and the per-sample loss weights every step needs.
 *
 * One step is fused and uses hand-derived gradients (no autodiff tape). With
 * q_i = y_i N(x_i) and ℓ(q) = log(1 + e^{-q}),
 *   -∇L/L = Σ_i c_i ∇_θ N(x_i),  c_i = y_i σ(-q_i) / Σ_j ℓ(q_j),
 * computed in double precision in log space by {@linkcode lossWeights} (so
 * it stays exact when L underflows). With G = (c vᵀ) ⊙ 1[Z > 0] (n×m):
 * ΔW ∝ Gᵀ X, Δb ∝ 1ᵀ G, Δv ∝ relu(Z)ᵀ c.
 *
 * Span form: every increment of W lies in the row space of X, so
 * W = W0 + A·X with A (m×n), and Z = X W0ᵀ + (X Xᵀ) Aᵀ + b. The update is
 * A ← A + h Gᵀ, with exactly the same iterates as the plain form, at n²m
 * instead of n·d·m flops per step; `auto` picks it when d > n
 * ({@linkcode resolveForm}). The product P = X W0ᵀ + K Aᵀ (K = X Xᵀ) is
 * itself carried along (P ← P + h K G, with K G needed anyway for ‖Δθ‖) and
 * recomputed exactly every {@linkcode SPAN_REFRESH_EVERY} (50) steps, so a
 * span step costs one n×n by n×m product.
 *
 * Four engines implement the step, with the same iterates up to
 * rounding: `tfjs` (`./tfjs_engine.ts`, TensorFlow.js ops on the active
 * backend), `native` (`./native_engine.ts`, Float32Arrays and OpenBLAS
 * `sgemm`) and `simd` (`./simd_engine.ts`, WebAssembly memory and SIMD
 * functions) in float32, and `float64` (`./float64_engine.ts`,
 * Float64Arrays with OpenBLAS `dgemm`, the SIMD kernels or plain
 * TypeScript products). The driver `gradientFlow` (`./gradient_flow.ts`)
 * picks one and runs it.
 *
 * @module
 */

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

/**
 * What runs the fused step: TensorFlow.js ops (`tfjs`), or the native step
 * on Float32Arrays with OpenBLAS products (`native`) or WebAssembly SIMD
 * products (`simd`).
 */
export type FlowEngineKind = "tfjs" | "native" | "simd";

/**
 * Steps between exact recomputations of the carried product
 * P = X W0ᵀ + K Aᵀ of the span form (both engines).
 */
export const SPAN_REFRESH_EVERY = 50;

/** The arrays an engine computes in: float32 (tensors, sgemm) or float64. */
export type EngineArray = Float32Array | Float64Array;

/** Per-neuron parts of ‖θ‖², from {@linkcode StepEngine.neuronNorms}. */
export interface NeuronNorms {
  /** ‖w_r‖², in double precision. */
  wSquared: Float64Array;
  /** b_r. */
  b: EngineArray;
  /** v_r. */
  v: EngineArray;
}

/**
 * One implementation of the fused Euler step in the precision of its array
 * type `A`, holding θ and every constant of the step (X, Xᵀ or K = X Xᵀ,
 * X W0ᵀ) across steps. A step is `forward`, then the loss weights of its
 * outputs ({@linkcode lossWeights} in float32, {@linkcode lossWeights64} in
 * float64), then `direction` and `advance`; the driver `gradientFlow`
 * (`./gradient_flow.ts`) runs it.
 */
export interface StepEngine<A extends EngineArray> {
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
  direction(coefficients: A): number;
  /** θ ← θ + h·D, with the D of the last `direction`. */
  advance(h: number): void;
  /** ‖w_r‖², b_r and v_r at the current θ (copies). */
  neuronNorms(): NeuronNorms;
  /** The current weights (a copy). */
  weights(): NetworkWeights<A>;
  /** Release tensors; the engine is unusable afterwards. */
  dispose(): void;
}

/** A float32 engine of the flow (`tfjs`, `native` or `simd`). */
export interface FlowEngine extends StepEngine<Float32Array> {
  /** Which engine this is. */
  readonly kind: FlowEngineKind;
}

/** Options every engine factory takes. */
export interface EngineOptions {
  /** `plain`, `span` or `auto` (span when d > n; default). */
  form?: FlowForm | "auto";
}

/**
 * A function that builds an engine for `data` from `init`; the caller must
 * `dispose` the engine.
 */
export type EngineFactory = (
  data: FlowData,
  init: NetworkWeights<Float32Array>,
  options?: EngineOptions,
) => FlowEngine;

/**
 * Check that `data` and `init` fit together and return the form to use:
 * `options.form`, or for `auto` (the default) `span` when d > n, else
 * `plain`. Throws a `RangeError` when the array lengths do not match n, d
 * and m.
 *
 * @example
 * ```ts
 * import { resolveForm } from "./engine.ts";
 * import assert from "node:assert/strict";
 * const data = { n: 1, d: 2, x: new Float32Array(2), y: new Float32Array(1) };
 * const init = {
 *   d: 2, m: 1,
 *   w: new Float32Array(2), b: new Float32Array(1), v: new Float32Array(1),
 * };
 * assert.equal(resolveForm(data, init), "span");
 * assert.equal(resolveForm(data, init, { form: "plain" }), "plain");
 * ```
 */
export function resolveForm(
  data: FlowData,
  init: NetworkWeights<EngineArray>,
  options: EngineOptions = {},
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
  const form = options.form ?? "auto";
  return form === "auto" ? (data.d > data.n ? "span" : "plain") : form;
}

/**
 * ‖w_r‖² for every neuron r of `weights`, summed in double precision
 * (the span form's constant ‖w0_r‖², in both engines).
 *
 * @example
 * ```ts
 * import { rowSquaredNorms } from "./engine.ts";
 * import assert from "node:assert/strict";
 * const net = {
 *   d: 2, m: 2,
 *   w: new Float32Array([3, 4, 1, 0]), b: new Float32Array(2), v: new Float32Array(2),
 * };
 * assert.deepEqual(Array.from(rowSquaredNorms(net)), [25, 1]);
 * ```
 */
export function rowSquaredNorms(
  weights: Pick<NetworkWeights, "d" | "m" | "w">,
): Float64Array {
  const { d, m, w } = weights;
  const out = new Float64Array(m);
  for (let r = 0; r < m; r++) {
    let s = 0;
    for (let t = 0; t < d; t++) s += w[r * d + t] ** 2;
    out[r] = s;
  }
  return out;
}

/**
 * Σ a_i b_i in double precision, two accumulators (the engines' squared
 * norms of their n×m arrays).
 *
 * @example
 * ```ts
 * import { pairedDot } from "./engine.ts";
 * import assert from "node:assert/strict";
 * assert.equal(pairedDot(new Float32Array([1, 2, 3]), new Float32Array([4, 5, 6])), 32);
 * ```
 */
export function pairedDot<A extends EngineArray>(a: A, b: A): number {
  let s0 = 0, s1 = 0;
  const len = a.length;
  let i = 0;
  for (; i + 1 < len; i += 2) {
    s0 += a[i] * b[i];
    s1 += a[i + 1] * b[i + 1];
  }
  if (i < len) s0 += a[i] * b[i];
  return s0 + s1;
}

/** The first layer as an engine stores it, for {@linkcode firstLayerSquaredNorms}. */
export type StoredFirstLayer<A extends EngineArray> =
  | {
    /** Span form: W = W0 + A X. */
    form: "span";
    /** ‖w0_r‖². */
    w0Squared: Float64Array;
    /** Aᵀ (n×m). */
    at: A;
    /** P0 = X W0ᵀ (n×m). */
    p0: A;
    /** K Aᵀ (n×m). */
    ka: A;
  }
  | {
    /** Plain form. */
    form: "plain";
    /** Wᵀ (d×m). */
    wt: A;
  };

/**
 * ‖w_r‖² for every neuron from the stored first layer, summed in double:
 * plain form, the column norms of Wᵀ; span form,
 * ‖w_r‖² = ‖w0_r‖² + Σ_i A_ri (2 P0 + K Aᵀ)_ir (`m` neurons).
 *
 * @example
 * ```ts
 * import { firstLayerSquaredNorms } from "./engine.ts";
 * import assert from "node:assert/strict";
 * const wt = new Float32Array([3, 1, 4, 0]); // Wᵀ for w_1 = (3, 4), w_2 = (1, 0)
 * assert.deepEqual([...firstLayerSquaredNorms({ form: "plain", wt }, 2)], [25, 1]);
 * ```
 */
export function firstLayerSquaredNorms<A extends EngineArray>(
  layer: StoredFirstLayer<A>,
  m: number,
): Float64Array {
  const wSquared = new Float64Array(m);
  if (layer.form === "plain") {
    const { wt } = layer;
    for (let row = 0; row < wt.length; row += m) {
      for (let r = 0; r < m; r++) wSquared[r] += wt[row + r] ** 2;
    }
    return wSquared;
  }
  const { w0Squared, at, p0, ka } = layer;
  wSquared.set(w0Squared);
  for (let row = 0; row < at.length; row += m) {
    for (let r = 0; r < m; r++) {
      const k = row + r;
      wSquared[r] += at[k] * (2 * p0[k] + ka[k]);
    }
  }
  return wSquared;
}

/** log ℓ(q) = log log(1 + e^{-q}), stable for all q. */
function logLogistic(q: number): number {
  if (q > 35) return -q + Math.log1p(-0.5 * Math.exp(-q));
  if (q < -35) return Math.log(-q);
  return Math.log(Math.log1p(Math.exp(-q)));
}

/**
 * softplus(s) = log(1 + e^s), stable for all s.
 *
 * @example
 * ```ts
 * import { softplus } from "./engine.ts";
 * import assert from "node:assert/strict";
 * assert.ok(Math.abs(softplus(0) - Math.LN2) < 1e-15);
 * assert.equal(softplus(1000), 1000);
 * ```
 */
export function softplus(s: number): number {
  return Math.max(s, 0) + Math.log1p(Math.exp(-Math.abs(s)));
}

/** log σ(-q) = -softplus(q), stable for all q. */
function logSigmoidNeg(q: number): number {
  return -softplus(q);
}

/**
 * log(e^a + e^b), exact when either is -∞ (used for the loss here and for
 * the flow's time in the driver).
 *
 * @example
 * ```ts
 * import { logAddExp } from "./engine.ts";
 * import assert from "node:assert/strict";
 * assert.equal(logAddExp(-Infinity, 3), 3);
 * assert.ok(Math.abs(logAddExp(0, 0) - Math.LN2) < 1e-15);
 * ```
 */
export function logAddExp(a: number, b: number): number {
  if (a === -Infinity) return b;
  if (b === -Infinity) return a;
  const m = Math.max(a, b);
  return m + Math.log(Math.exp(a - m) + Math.exp(b - m));
}

/** Result of {@linkcode lossWeights} (float32 coefficients) or {@linkcode lossWeights64}. */
export interface LossWeights<A extends EngineArray = Float32Array> {
  /** c_i = y_i σ(-q_i) / Σ_j ℓ(q_j). */
  coefficients: A;
  /** log L = log((1/n) Σ ℓ(q_i)). */
  logLoss: number;
  /** Σ_i c_i N_i = Σ σ(-q_i) q_i / Σ ℓ (for the ‖θ‖² recurrence). */
  coefficientDotOutput: number;
  /** min_i q_i. */
  minMargin: number;
}

/**
 * The per-sample coefficients of -∇L/L and the log loss, from the outputs,
 * in double precision and log space; the coefficients are rounded to
 * float32 (what the float32 engines take).
 *
 * @example
 * ```ts
 * import { lossWeights } from "./engine.ts";
 * import assert from "node:assert/strict";
 * const w = lossWeights(new Float32Array([0, 0]), new Float32Array([1, -1]));
 * assert.ok(Math.abs(w.logLoss - Math.log(Math.log(2))) < 1e-12);
 * assert.ok(Math.abs(w.coefficients[0] - 0.5 / (2 * Math.log(2))) < 1e-7);
 * ```
 */
export function lossWeights(
  outputs: ArrayLike<number>,
  y: ArrayLike<number>,
): LossWeights<Float32Array> {
  return lossWeightsInto(outputs, { y, into: new Float32Array(y.length) });
}

/**
 * {@linkcode lossWeights} with the coefficients kept in float64 (for the
 * float64 engine).
 *
 * @example
 * ```ts
 * import { lossWeights64 } from "./engine.ts";
 * import assert from "node:assert/strict";
 * const w = lossWeights64([1e6, 1e6 + 1], [1, 1]);
 * // σ(-q) ∝ e^{-q}: the second point weighs e^{-1} times the first.
 * assert.ok(Math.abs(w.coefficients[1] / w.coefficients[0] - Math.exp(-1)) < 1e-12);
 * ```
 */
export function lossWeights64(
  outputs: ArrayLike<number>,
  y: ArrayLike<number>,
): LossWeights<Float64Array> {
  return lossWeightsInto(outputs, { y, into: new Float64Array(y.length) });
}

/** The loss weights of `outputs`, the coefficients written into `into`. */
function lossWeightsInto<A extends EngineArray>(
  outputs: ArrayLike<number>,
  target: { y: ArrayLike<number>; into: A },
): LossWeights<A> {
  const { y, into: coefficients } = target;
  const n = y.length;
  const q = new Float64Array(n);
  let lse = -Infinity;
  let minMargin = Infinity;
  for (let i = 0; i < n; i++) {
    q[i] = y[i] * outputs[i];
    lse = logAddExp(lse, logLogistic(q[i]));
    minMargin = Math.min(minMargin, q[i]);
  }
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

/**
 * The defaults of the stop rule every flow of the suite shares (the binary,
 * multiclass and polynomial-ReLU flows): ε, the relative change of θ per
 * step before separation; the window of steps over which the normalized
 * margin γ is compared; and the relative change of γ over that window
 * below which the run ends.
 */
export const STOP_RULE_DEFAULTS = {
  stepFraction: 0.02,
  marginWindow: 100,
  marginTolerance: 1e-3,
} as const;
