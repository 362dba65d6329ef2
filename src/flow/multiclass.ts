/**
 * Gradient flow for a network with k outputs on the multiclass logistic
 * (cross-entropy) loss: the "one label per cluster" network of C6's control.
 *
 * Network (shared hidden layer, k output rows):
 *
 *   f_l(x) = Σ_r V_lr relu(⟨w_r, x⟩ + b_r),   l = 1..k,
 *
 * with θ = (W, b, V), W m×d, b of length m, V k×m, all trained. Each f_l is
 * the two-layer network of the suite with output weights V_l·, so
 * f_j − f_l is one too (output weights V_j· − V_l·), and θ ↦ f(x; θ) is
 * 2-homogeneous: ⟨θ, ∇_θ f_l(x)⟩ = 2 f_l(x).
 *
 * Loss: with c_i the class of point i,
 *
 *   L(θ) = (1/n) Σ_i ℓ_i,   ℓ_i = log Σ_l e^{f_l(x_i) − f_{c_i}(x_i)}
 *        = log(1 + S_i),   S_i = Σ_{l≠c_i} e^{δ_il},  δ_il = f_l(x_i) − f_{c_i}(x_i).
 *
 * Its gradient in the outputs is ∂ℓ_i/∂f_l = p_il − 1[l = c_i] with the
 * softmax p_il = e^{δ_il}/(1 + S_i) (δ_ic = 0). Training integrates, as the
 * binary flow does (`./gradient_flow.ts`), the time change
 * dθ/ds = −∇L/L (the same path as dθ/dt = −∇L, with dt = ds/L) by explicit
 * Euler steps of length ‖Δθ‖ = ε‖θ‖:
 *
 *   −∇L/L = Σ_i Σ_l C_il ∇_θ f_l(x_i),
 *   C_il = −p_il / Σ_j ℓ_j (l ≠ c_i),   C_ic_i = Σ_{l≠c_i} p_il / Σ_j ℓ_j,
 *
 * computed in log space (log ℓ_i = log softplus(log S_i), log p_il =
 * δ_il − softplus(log S_i)) so that it stays exact when L underflows; the
 * correct-class entry is the sum of the others, never 1 − p. With
 * Z = X Wᵀ + b, H = relu(Z) and G = (C V) ⊙ 1[Z > 0] (n×m):
 *
 *   ΔV = Cᵀ H,   Δb = 1ᵀ G,   ΔW = Gᵀ X.
 *
 * Every increment of W lies in the row space of X, so the step runs in the
 * span form of the binary engines: W = W0 + A X, Z = P + b with
 * P = X W0ᵀ + K Aᵀ (K = X Xᵀ) carried along (P ← P + h K G) and recomputed
 * every {@linkcode SPAN_REFRESH_EVERY} steps; ‖ΔW‖² = Σ G ⊙ (K G). A step
 * costs n²m + 3nmk multiply-adds, all in float64 and without tensors: the
 * four products by OpenBLAS `dgemm` when it loads, else in TypeScript
 * (`chooseProducts` of `./float64_engine.ts`; the iterates agree to
 * rounding), the elementwise work in plain loops.
 *
 * ‖θ‖² is tracked by 2-homogeneity, ‖θ + hD‖² = ‖θ‖² + 4h Σ C_il f_il +
 * h²‖D‖², and recomputed exactly every `renormEvery` steps. Conserved along
 * the flow, per neuron: Σ_l V_lr² − ‖w_r‖² − b_r² (reported as the drift,
 * as in the binary flow) and Σ_l V_lr (the column sums of ∂ℓ/∂f vanish).
 *
 * Stop rule (the binary flow's): first reach L < log(2)/n (then every ℓ_i <
 * log 2, so p_ic > 1/2 and every training point is classified correctly by
 * the argmax), then continue until the normalized margin
 * γ = min_i min_{l≠c_i} (f_{c_i} − f_l)(x_i) / ‖θ‖² changes by less than
 * `marginTolerance` (relative) over `marginWindow` steps, or the smallest
 * margin exceeds `maxMargin`, or `maxSteps` runs out.
 *
 * @module
 */

import {
  logAddExp,
  softplus,
  SPAN_REFRESH_EVERY,
  STOP_RULE_DEFAULTS,
} from "./engine.ts";
import { chooseProducts, type ProductKind } from "./float64_engine.ts";
import type { FlowOptions, FlowResult, FlowStatus } from "./gradient_flow.ts";
import type { Rng } from "../model/rng.ts";
import type { NetworkWeights } from "../model/weights.ts";

/**
 * Weights of the k-output network f_l(x) = Σ_r V_lr relu(⟨w_r, x⟩ + b_r):
 * the hidden layer of a {@linkcode NetworkWeights} and k rows of output
 * weights.
 */
export interface MulticlassWeights<
  A extends ArrayLike<number> = Float64Array,
> {
  /** Input dimension d. */
  d: number;
  /** Width m. */
  m: number;
  /** Number of outputs k. */
  k: number;
  /** Hidden weights, m×d row-major (row r is w_r). */
  w: A;
  /** Hidden biases, length m. */
  b: A;
  /** Output weights V, k×m row-major (row l holds f_l's weights V_l·). */
  v: A;
}

/** Training data of the multiclass flow: n points and their classes. */
export interface MulticlassData {
  /** Number of points. */
  n: number;
  /** Dimension. */
  d: number;
  /** Number of classes k (outputs). */
  k: number;
  /** Points, n×d row-major. */
  x: ArrayLike<number>;
  /** Class c_i ∈ {0, …, k−1} of each point. */
  classes: ArrayLike<number>;
}

/**
 * Integrator and stop-rule settings of {@linkcode multiclassFlow}: the
 * binary flow's step budget, margin window and tolerance and
 * renormalisation period (same defaults), and the settings below.
 */
export interface MulticlassFlowOptions extends
  Pick<
    FlowOptions,
    "maxSteps" | "marginWindow" | "marginTolerance" | "renormEvery"
  > {
  /** ε: relative change of θ per step (default 0.02, as the binary flow). */
  stepFraction?: number;
  /**
   * Stop once the smallest margin exceeds this (default 1e8: float64
   * resolves margins far beyond the binary flow's float32 cap of 1e4).
   */
  maxMargin?: number;
  /**
   * How matrices are multiplied: `openblas` (`dgemm`; an `Error` when it
   * cannot be loaded), `typescript` (`gemm64` of `./float64_engine.ts`), or `auto`
   * (default): `openblas` when OpenBLAS with `cblas_dgemm` loads.
   */
  products?: ProductKind | "auto";
}

/**
 * Result of {@linkcode multiclassFlow}: the binary flow's record (status,
 * steps, separation step and time, final time, loss and ‖θ‖²) and the
 * fields below.
 */
export interface MulticlassFlowResult extends
  Pick<
    FlowResult,
    | "status"
    | "steps"
    | "separatedAtStep"
    | "log10TimeSeparated"
    | "log10Time"
    | "log10Loss"
    | "normSquared"
  > {
  /** Final normalized margin min_i min_{l≠c_i} (f_{c_i} − f_l)(x_i) / ‖θ‖². */
  normalizedMargin: number;
  /**
   * max_r |Δ(Σ_l V_lr² − ‖w_r‖² − b_r²)| / max(Σ_l V_lr² + ‖w_r‖² + b_r², ‖θ‖²/m):
   * integration error.
   */
  conservedDrift: number;
  /** How the matrices were multiplied. */
  products: ProductKind;
  /** Final weights. */
  weights: MulticlassWeights;
}

/** What {@linkcode multiclassLossWeights} returns. */
export interface MulticlassLossWeights {
  /** C (n×k): −∇L/L = Σ_il C_il ∇f_l(x_i). */
  coefficients: Float64Array;
  /** log L. */
  logLoss: number;
  /** Σ_il C_il f_l(x_i) (for the ‖θ‖² recurrence). */
  coefficientDotOutput: number;
  /** min_i min_{l≠c_i} (f_{c_i} − f_l)(x_i). */
  minMargin: number;
}

/** log softplus(s) = log log(1 + e^s), stable for all s. */
function logSoftplus(s: number): number {
  if (s < -35) return s + Math.log1p(-0.5 * Math.exp(s));
  if (s > 35) return Math.log(s);
  return Math.log(softplus(s));
}

/**
 * The coefficients C of −∇L/L in the outputs, the log loss, Σ C_il f_il and
 * the smallest margin, from the outputs F (n×k row-major) and the classes,
 * in log space (see the module doc).
 *
 * @example Two classes reduce to the binary logistic loss of the suite
 * ```ts
 * import { multiclassLossWeights } from "./multiclass.ts";
 * import assert from "node:assert/strict";
 * // f = (q/2, −q/2) for class 0: ℓ = log(1 + e^{−q}).
 * const q = 1.5;
 * const lw = multiclassLossWeights(new Float64Array([q / 2, -q / 2]), [0]);
 * assert.ok(Math.abs(lw.logLoss - Math.log(Math.log1p(Math.exp(-q)))) < 1e-15);
 * assert.equal(lw.minMargin, q);
 * assert.equal(lw.coefficients[0], -lw.coefficients[1]);
 * ```
 */
export function multiclassLossWeights(
  outputs: ArrayLike<number>,
  classes: ArrayLike<number>,
): MulticlassLossWeights {
  const n = classes.length;
  const k = outputs.length / n;
  if (!Number.isInteger(k) || k < 2) {
    throw new RangeError(
      `outputs of length ${outputs.length} are not n×k for n=${n}, k ≥ 2`,
    );
  }
  // One exponential per (point, other class): e_il = exp(δ_il − max_l δ_il)
  // with δ_il = f_l(x_i) − f_{c_i}(x_i) gives both the log-sum-exp of the
  // point's loss and, times one exponential per point, its coefficients.
  const scaled = new Float64Array(n * k);
  const rowMax = new Float64Array(n);
  const logS = new Float64Array(n);
  let logTotal = -Infinity;
  let minMargin = Infinity;
  for (let i = 0; i < n; i++) {
    const c = classes[i];
    const fc = outputs[i * k + c];
    let top = -Infinity;
    for (let l = 0; l < k; l++) {
      if (l !== c) top = Math.max(top, outputs[i * k + l] - fc);
    }
    let sum = 0;
    for (let l = 0; l < k; l++) {
      if (l === c) continue;
      const e = Math.exp(outputs[i * k + l] - fc - top);
      scaled[i * k + l] = e;
      sum += e;
    }
    minMargin = Math.min(minMargin, -top);
    rowMax[i] = top;
    logS[i] = top + Math.log(sum);
    logTotal = logAddExp(logTotal, logSoftplus(logS[i]));
  }
  const coefficients = new Float64Array(n * k);
  let dot = 0;
  for (let i = 0; i < n; i++) {
    const c = classes[i];
    const fc = outputs[i * k + c];
    // p_il = exp(δ_il − shift_i) = e_il · exp(max_l δ_il − shift_i) ≤ 1.
    const factor = Math.exp(rowMax[i] - softplus(logS[i]) - logTotal);
    let own = 0;
    for (let l = 0; l < k; l++) {
      if (l === c) continue;
      const p = scaled[i * k + l] * factor;
      coefficients[i * k + l] = -p;
      own += p;
      dot -= p * outputs[i * k + l];
    }
    coefficients[i * k + c] = own;
    dot += own * fc;
  }
  return {
    coefficients,
    logLoss: logTotal - Math.log(n),
    coefficientDotOutput: dot,
    minMargin,
  };
}

/**
 * The outputs f_l(x_i) of the k-output network at n points (x n×d
 * row-major), n×k row-major, in float64.
 *
 * @example
 * ```ts
 * import { multiclassOutputs } from "./multiclass.ts";
 * import assert from "node:assert/strict";
 * const net = {
 *   d: 2, m: 2, k: 2,
 *   w: new Float64Array([1, 0, 0, 1]), b: new Float64Array([0, 0]),
 *   v: new Float64Array([1, -1, -1, 2]),
 * };
 * assert.deepEqual([...multiclassOutputs(net, [3, 1])], [2, -1]);
 * ```
 */
export function multiclassOutputs(
  weights: MulticlassWeights<ArrayLike<number>>,
  x: ArrayLike<number>,
): Float64Array {
  const { d, m, k, w, b, v } = weights;
  checkMulticlassWeights(weights);
  const n = x.length / d;
  if (!Number.isInteger(n)) {
    throw new RangeError(
      `batch of length ${x.length} is not a multiple of d=${d}`,
    );
  }
  const out = new Float64Array(n * k);
  const h = new Float64Array(m);
  for (let i = 0; i < n; i++) {
    for (let r = 0; r < m; r++) {
      let z = b[r];
      for (let t = 0; t < d; t++) z += w[r * d + t] * x[i * d + t];
      h[r] = z > 0 ? z : 0;
    }
    for (let l = 0; l < k; l++) {
      let s = 0;
      for (let r = 0; r < m; r++) s += v[l * m + r] * h[r];
      out[i * k + l] = s;
    }
  }
  return out;
}

/** Throw a RangeError unless the arrays have the lengths d, m and k say. */
export function checkMulticlassWeights(
  weights: MulticlassWeights<ArrayLike<number>>,
): void {
  const { d, m, k, w, b, v } = weights;
  if (
    !Number.isInteger(d) || d < 1 || !Number.isInteger(m) || m < 0 ||
    !Number.isInteger(k) || k < 2
  ) {
    throw new RangeError(`bad multiclass network shape d=${d}, m=${m}, k=${k}`);
  }
  if (w.length !== m * d || b.length !== m || v.length !== k * m) {
    throw new RangeError(
      `multiclass network arrays do not match d=${d}, m=${m}, k=${k}: ` +
        `w ${w.length}, b ${b.length}, v ${v.length}`,
    );
  }
}

/** The loss L(θ) and its gradient ∇L, for the finite-difference checks. */
export interface MulticlassLossGradient {
  /** L(θ) = (1/n) Σ_i ℓ_i. */
  loss: number;
  /** ∂L/∂W, m×d. */
  w: Float64Array;
  /** ∂L/∂b, length m. */
  b: Float64Array;
  /** ∂L/∂V, k×m. */
  v: Float64Array;
}

/**
 * The loss L and its hand-derived gradient ∇L = −L·Σ_il C_il ∇_θ f_l(x_i)
 * at `weights` on `data`, written directly in the plain form
 * (∂L/∂w_r = −L Σ_i G_ir x_i, ∂L/∂b_r = −L Σ_i G_ir, ∂L/∂V_lr =
 * −L Σ_i C_il relu(z_ir), G = (C V) ⊙ 1[Z > 0]), independently of the span
 * form and the products the flow runs: what the tests compare with finite
 * differences and with the flow's first step. Meant for small problems
 * (n·m·d work).
 *
 * @example
 * ```ts
 * import { multiclassLossGradient } from "./multiclass.ts";
 * import assert from "node:assert/strict";
 * // All outputs 0: L = log k, and only V moves (∂L/∂V_lr = −Σ_i (1[c_i = l] − 1/k) relu(z_ir) / n).
 * const net = { d: 1, m: 1, k: 2, w: [1], b: [0], v: [0, 0] };
 * const g = multiclassLossGradient(net, { n: 1, d: 1, k: 2, x: [2], classes: [0] });
 * assert.ok(Math.abs(g.loss - Math.LN2) < 1e-15);
 * assert.deepEqual([...g.v], [-1, 1]);
 * ```
 */
export function multiclassLossGradient(
  weights: MulticlassWeights<ArrayLike<number>>,
  data: MulticlassData,
): MulticlassLossGradient {
  const { d, m, k, w, b, v } = weights;
  const { n, x, classes } = data;
  checkData(data, weights);
  const outputs = multiclassOutputs(weights, x);
  const lw = multiclassLossWeights(outputs, classes);
  const loss = Math.exp(lw.logLoss);
  // ∇L = −L · Σ C_il ∇f_l(x_i).
  const scale = -loss;
  const gw = new Float64Array(m * d);
  const gb = new Float64Array(m);
  const gv = new Float64Array(k * m);
  for (let i = 0; i < n; i++) {
    for (let r = 0; r < m; r++) {
      let z = b[r];
      for (let t = 0; t < d; t++) z += w[r * d + t] * x[i * d + t];
      if (z <= 0) continue;
      let g = 0;
      for (let l = 0; l < k; l++) {
        const c = lw.coefficients[i * k + l];
        g += c * v[l * m + r];
        gv[l * m + r] += scale * c * z;
      }
      gb[r] += scale * g;
      for (let t = 0; t < d; t++) gw[r * d + t] += scale * g * x[i * d + t];
    }
  }
  return { loss, w: gw, b: gb, v: gv };
}

/** Throw unless data and network fit together. */
function checkData(
  data: MulticlassData,
  weights: MulticlassWeights<ArrayLike<number>>,
): void {
  const { n, d, k, x, classes } = data;
  if (d !== weights.d || k !== weights.k) {
    throw new RangeError(
      `data (d=${d}, k=${k}) does not fit the network (d=${weights.d}, k=${weights.k})`,
    );
  }
  if (x.length !== n * d || classes.length !== n) {
    throw new RangeError("data arrays do not match n and d");
  }
  for (let i = 0; i < n; i++) {
    const c = classes[i];
    if (!Number.isInteger(c) || c < 0 || c >= k) {
      throw new RangeError(`class ${c} of point ${i} outside 0..${k - 1}`);
    }
  }
}

/** Options of {@linkcode multiclassInit}. */
export interface MulticlassInitOptions {
  /** Number of outputs k ≥ 2. */
  k: number;
  /** Initialization scale α of the output weights: V_lr ~ N(0, α²). */
  initScale: number;
}

/**
 * A k-output initialization sharing the hidden layer (w, b) of a binary
 * one, with fresh output weights V_lr ~ N(0, α²) drawn from `rng` (k·m
 * normals, row by row): the binary network's small initialization with one
 * output row per class.
 *
 * @example
 * ```ts
 * import { multiclassInit } from "./multiclass.ts";
 * import { Rng } from "../model/rng.ts";
 * import assert from "node:assert/strict";
 * const hidden = { d: 2, m: 1, w: [0.1, 0.2], b: [0], v: [0.3] };
 * const init = multiclassInit(hidden, { rng: new Rng(1), k: 3, initScale: 1e-3 });
 * assert.deepEqual([...init.w], [0.1, 0.2]);
 * assert.equal(init.v.length, 3);
 * ```
 */
export function multiclassInit(
  hidden: NetworkWeights,
  options: MulticlassInitOptions & { rng: Rng },
): MulticlassWeights {
  const { rng, k, initScale } = options;
  const { d, m } = hidden;
  if (!(initScale > 0)) {
    throw new RangeError(`initScale must be > 0, got ${initScale}`);
  }
  const weights = {
    d,
    m,
    k,
    w: Float64Array.from(hidden.w),
    b: Float64Array.from(hidden.b),
    v: rng.normalArray(k * m, initScale),
  };
  checkMulticlassWeights(weights);
  return weights;
}

/** Per-neuron Σ_l V_lr² ∓ (‖w_r‖² + b_r²) and ‖θ‖². */
interface NeuronState {
  /** Σ_l V_lr² − ‖w_r‖² − b_r² (conserved). */
  balance: Float64Array;
  /** Σ_l V_lr² + ‖w_r‖² + b_r². */
  scale: Float64Array;
  /** ‖θ‖². */
  total: number;
}

/** Neuron balances and scales from ‖w_r‖², b and V. */
function neuronState(
  wSquared: Float64Array,
  parts: { b: Float64Array; v: Float64Array; k: number },
): NeuronState {
  const { b, v, k } = parts;
  const m = b.length;
  const balance = new Float64Array(m);
  const scale = new Float64Array(m);
  let total = 0;
  for (let r = 0; r < m; r++) {
    let vv = 0;
    for (let l = 0; l < k; l++) vv += v[l * m + r] * v[l * m + r];
    balance[r] = vv - wSquared[r] - b[r] * b[r];
    scale[r] = vv + wSquared[r] + b[r] * b[r];
    total += scale[r];
  }
  return { balance, scale, total };
}

// A step's loops live in the small functions below: inside the run's long
// `while` loop V8 compiles them only by on-stack replacement and drops that
// code at every exit of an inner loop, which made them several times slower.

/** H = relu(P + b) for H, P n×m row-major. */
function reluInto(
  h: Float64Array,
  parts: { p: Float64Array; b: Float64Array },
): void {
  const { p, b } = parts;
  const m = b.length;
  for (let q = 0; q < h.length; q += m) {
    for (let r = 0; r < m; r++) {
      const z = p[q + r] + b[r];
      h[q + r] = z > 0 ? z : 0;
    }
  }
}

/** G ← G ⊙ 1[H > 0] and Δb = 1ᵀ G (accumulated into a zeroed `db`). */
function maskInto(
  g: Float64Array,
  parts: { h: Float64Array; db: Float64Array },
): void {
  const { h, db } = parts;
  const m = db.length;
  db.fill(0);
  for (let q = 0; q < g.length; q += m) {
    for (let r = 0; r < m; r++) {
      if (h[q + r] > 0) db[r] += g[q + r];
      else g[q + r] = 0;
    }
  }
}

/** s + Σ_q a_q b_q, summed in index order. */
function dotInto(s: number, a: Float64Array, b: Float64Array): number {
  for (let q = 0; q < a.length; q++) s += a[q] * b[q];
  return s;
}

/** y ← y + h·x, elementwise. */
function addScaled(
  y: Float64Array,
  step: { h: number; x: Float64Array },
): void {
  const { h, x } = step;
  for (let q = 0; q < y.length; q++) y[q] += h * x[q];
}

/**
 * Integrate the multiclass gradient flow from `init` on `data` (see the
 * module doc). Synchronous, float64, deterministic.
 *
 * @example Three separable points, three classes
 * ```ts
 * import { multiclassFlow, multiclassOutputs } from "./multiclass.ts";
 * import assert from "node:assert/strict";
 * const data = { n: 3, d: 3, k: 3, x: [3, 0, 0, 0, 3, 0, 0, 0, 3], classes: [0, 1, 2] };
 * const init = {
 *   d: 3, m: 6, k: 3,
 *   w: Float64Array.from({ length: 18 }, (_, i) => 0.1 + 0.05 * Math.sin(i + 1)),
 *   b: new Float64Array(6).fill(0.01),
 *   v: Float64Array.from({ length: 18 }, (_, i) => Math.cos(i + 1) * 0.1),
 * };
 * const flow = multiclassFlow(data, init, { maxSteps: 3000 });
 * assert.equal(flow.status, "converged");
 * const f = multiclassOutputs(flow.weights, data.x);
 * for (let i = 0; i < 3; i++) {
 *   const row = [...f.slice(3 * i, 3 * i + 3)];
 *   assert.equal(row.indexOf(Math.max(...row)), i);
 * }
 * ```
 */
export function multiclassFlow(
  data: MulticlassData,
  init: MulticlassWeights<ArrayLike<number>>,
  options: MulticlassFlowOptions = {},
): MulticlassFlowResult {
  const {
    stepFraction = STOP_RULE_DEFAULTS.stepFraction,
    maxSteps = 4000,
    marginWindow = STOP_RULE_DEFAULTS.marginWindow,
    marginTolerance = STOP_RULE_DEFAULTS.marginTolerance,
    maxMargin = 1e8,
    renormEvery = 50,
  } = options;
  checkMulticlassWeights(init);
  checkData(data, init);
  const { products, gemm } = chooseProducts(options.products ?? "auto");
  const { n, d, k, classes } = data;
  const { m } = init;
  const nm = n * m;
  const x = Float64Array.from(data.x);
  const w0 = Float64Array.from(init.w);
  const b = Float64Array.from(init.b);
  const v = Float64Array.from(init.v);
  // K = X Xᵀ (n×n), P0 = X W0ᵀ (n×m), P = P0 + K Aᵀ with Aᵀ (n×m).
  const K = new Float64Array(n * n);
  gemm(x, x, { m: n, n, k: d, c: K, transB: true });
  const P0 = new Float64Array(nm);
  gemm(x, w0, { m: n, n: m, k: d, c: P0, transB: true });
  const w0Squared = new Float64Array(m);
  for (let r = 0; r < m; r++) {
    for (let t = 0; t < d; t++) w0Squared[r] += w0[r * d + t] ** 2;
  }
  const P = P0.slice();
  const At = new Float64Array(nm);
  const H = new Float64Array(nm);
  const F = new Float64Array(n * k);
  const G = new Float64Array(nm);
  const KG = new Float64Array(nm);
  const KA = new Float64Array(nm);
  const dV = new Float64Array(k * m);
  const db = new Float64Array(m);

  /** ‖w_r‖² = ‖w0_r‖² + Σ_i A_ri (2 P0 + K Aᵀ)_ir. */
  const wSquared = (): Float64Array => {
    gemm(K, At, { m: n, n: m, k: n, c: KA });
    const out = w0Squared.slice();
    for (let i = 0; i < n; i++) {
      for (let r = 0; r < m; r++) {
        const q = i * m + r;
        out[r] += At[q] * (2 * P0[q] + KA[q]);
      }
    }
    return out;
  };
  const state = () => neuronState(wSquared(), { b, v, k });

  const start = state();
  let normSquared = start.total;
  let logTime = -Infinity;
  let separatedAtStep = -1;
  let logTimeSeparated = NaN;
  let status: FlowStatus = "budget";
  let step = 0;
  let logLoss = NaN;
  let normalizedMargin = NaN;
  const history: number[] = [];
  const logThreshold = Math.log(Math.LN2 / n);

  while (true) {
    // Forward: H = relu(P + b), F = H Vᵀ.
    reluInto(H, { p: P, b });
    gemm(H, v, { m: n, n: k, k: m, c: F, transB: true });
    const lw = multiclassLossWeights(F, classes);
    logLoss = lw.logLoss;
    normalizedMargin = lw.minMargin / normSquared;
    if (!Number.isFinite(logLoss) || !Number.isFinite(normSquared)) {
      status = "diverged";
      break;
    }
    if (separatedAtStep < 0 && logLoss < logThreshold) {
      separatedAtStep = step;
      logTimeSeparated = logTime;
    }
    if (separatedAtStep >= 0) {
      history.push(normalizedMargin);
      const len = history.length;
      if (len > marginWindow) {
        const old = history[len - 1 - marginWindow];
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

    // Direction: G = (C V) ⊙ 1[Z > 0], Δb = 1ᵀ G, ΔV = Cᵀ H, and K G.
    const C = lw.coefficients;
    gemm(C, v, { m: n, n: m, k, c: G });
    maskInto(G, { h: H, db });
    gemm(C, H, { m: k, n: m, k: n, c: dV, transA: true });
    gemm(K, G, { m: n, n: m, k: n, c: KG });
    let dirNormSquared = dotInto(0, G, KG);
    dirNormSquared = dotInto(dirNormSquared, dV, dV);
    dirNormSquared = dotInto(dirNormSquared, db, db);
    const h = stepFraction * Math.sqrt(normSquared / dirNormSquared);
    if (!(dirNormSquared > 0) || !Number.isFinite(h)) {
      // The gradient vanished against θ in float64: a stationary point of
      // the flow (e.g. a training point where no neuron is active keeps
      // L above its floor while the rest of the gradient underflows).
      status = "stuck";
      break;
    }
    addScaled(At, { h, x: G });
    if ((step + 1) % SPAN_REFRESH_EVERY === 0) {
      P.set(P0);
      gemm(K, At, { m: n, n: m, k: n, c: P, beta: 1 });
    } else {
      addScaled(P, { h, x: KG });
    }
    addScaled(v, { h, x: dV });
    addScaled(b, { h, x: db });
    normSquared += 4 * h * lw.coefficientDotOutput + h * h * dirNormSquared;
    logTime = logAddExp(logTime, Math.log(h) - logLoss);
    step++;
    if (step % renormEvery === 0) normSquared = state().total;
  }
  const end = state();
  normSquared = end.total;
  if (separatedAtStep < 0 && status !== "diverged" && status !== "stuck") {
    status = "not-separated";
  }
  // W = W0 + A X.
  const w = w0.slice();
  gemm(At, x, { m, n: d, k: n, c: w, transA: true, beta: 1 });
  let drift = 0;
  for (let r = 0; r < m; r++) {
    const denom = Math.max(end.scale[r], end.total / m);
    drift = Math.max(
      drift,
      Math.abs(end.balance[r] - start.balance[r]) / denom,
    );
  }
  return {
    status,
    steps: step,
    separatedAtStep,
    log10TimeSeparated: logTimeSeparated * Math.LOG10E,
    log10Time: logTime * Math.LOG10E,
    log10Loss: logLoss * Math.LOG10E,
    normalizedMargin,
    normSquared,
    conservedDrift: drift,
    products,
    weights: { d, m, k, w, b, v },
  };
}
