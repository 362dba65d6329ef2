/**
 * Gradient flow for the two-layer network with a polynomial ReLU (pReLU)
 * activation and no biases, the architecture of Min & Vidal's follow-up
 * (ICML 2024, 2025):
 *
 *   f(x) = Σ_r v_r φ_r(x),   φ_r(x) = relu(⟨w_r, x⟩)^p · ν_r,
 *
 * with ν_r = ‖w_r‖^(1−p) for the normalised pReLU (each neuron is then
 * 1-homogeneous in w_r, so f is 2-homogeneous in θ = (W, v)) and ν_r = 1 for
 * the unnormalised relu^p (homogeneous of degree p + 1 in θ). p = 1 is the
 * ReLU network without bias.
 *
 * Gradients (z_ir = ⟨w_r, x_i⟩, n_r = ‖w_r‖, ρ = relu(z)):
 *
 *   ∂f_i/∂v_r = φ_ir,
 *   ∂f_i/∂w_r = v_r p ρ_ir^(p−1) ν_r x_i + v_r (1−p) φ_ir / n_r² · w_r
 *               (the second term only when normalised),
 *
 * with the Clarke choice ρ^0 = 1[z > 0] at p = 1. The direction of the time
 * change dθ/ds = −∇L/L (the binary flow's, `./gradient_flow.ts`) is
 * D = Σ_i c_i ∇_θ f_i with the loss weights c_i of {@linkcode lossWeights64}:
 *
 *   D_v = Σ_i c_i φ_i·,   D_w_r = Σ_i G_ir x_i + κ_r w_r,
 *   G_ir = c_i v_r p ρ_ir^(p−1) ν_r,   κ_r = (1−p) v_r (D_v)_r / n_r².
 *
 * Every increment of w_r is a combination of the points and of w_r itself,
 * so the step runs in a span form: W = diag(s) W0 + A X, with the
 * pre-activations P = X Wᵀ = P0 diag(s) + K Aᵀ (P0 = X W0ᵀ, K = X Xᵀ)
 * carried along (P ← P diag(1 + hκ) + h K G) and recomputed every
 * {@linkcode SPAN_REFRESH_EVERY} steps. The row norms follow exactly from
 * ⟨w_r, Σ_i G_ir x_i⟩ = Σ_i G_ir P_ir and ‖Σ_i G_ir x_i‖² = (Gᵀ K G)_rr. A
 * step costs n²m multiply-adds (the product K G, OpenBLAS `dgemm` when it
 * loads, else TypeScript: `chooseProducts` of `./float64_engine.ts`) and
 * O(nm) elementwise work, all in float64.
 *
 * Integration and stop rule are the binary flow's: explicit Euler steps of
 * length ‖Δθ‖ = ε‖θ‖ (ε shrinking as c/q_min once the data are separated,
 * {@linkcode PreluFlowOptions.marginStep}); first reach L < log(2)/n (the
 * weights at that step are kept: the follow-up's theorem is about a finite
 * time window after fitting, not the limit), then continue until the
 * normalised margin γ = min_i y_i f(x_i) / ‖θ‖^H (H the homogeneity degree)
 * changes by less than `marginTolerance` over `marginWindow` steps, the
 * smallest margin exceeds `maxMargin`, or `maxSteps` runs out. Conserved
 * per neuron: v_r² − ‖w_r‖²/a with a = 1 (normalised) or p (unnormalised),
 * reported as the drift.
 *
 * @module
 */

import {
  logAddExp,
  lossWeights64,
  rowSquaredNorms,
  SPAN_REFRESH_EVERY,
  STOP_RULE_DEFAULTS,
} from "./engine.ts";
import {
  chooseProducts,
  type Gemm64,
  type ProductKind,
} from "./float64_engine.ts";
import type { FlowStatus } from "./gradient_flow.ts";
import { reluPower, reluPowerSlope } from "../model/forward.ts";
import { powerNetwork } from "../model/power_network.ts";
import type { NetworkWeights } from "../model/weights.ts";

/** Weights of a pReLU network f(x) = Σ_r v_r relu(⟨w_r, x⟩)^p ν_r. */
export interface PreluWeights {
  /** Input dimension d. */
  d: number;
  /** Width m. */
  m: number;
  /** Hidden weights, m×d row-major (row r is w_r). */
  w: Float64Array;
  /** Output weights v_r. */
  v: Float64Array;
  /** The exponent p ≥ 1. */
  power: number;
  /** ν_r = ‖w_r‖^(1−p) when true (the pReLU), 1 when false (plain relu^p). */
  normalized: boolean;
}

/** Training data of the pReLU flow: n points with labels ±1. */
export interface PreluData {
  /** Number of points. */
  n: number;
  /** Dimension. */
  d: number;
  /** Points, n×d row-major. */
  x: ArrayLike<number>;
  /** Labels ±1. */
  y: ArrayLike<number>;
}

/** Integrator and stop-rule settings of {@linkcode preluFlow}. */
export interface PreluFlowOptions {
  /** ε: relative change of θ per step before separation (default 0.02). */
  stepFraction?: number;
  /**
   * c of the margin-adaptive step ε = min(ε0, c/q_min) after separation
   * (default 1, as `marginAdaptiveStep` of the binary flow's C1 runs).
   */
  marginStep?: number;
  /** Step budget (default 6000). */
  maxSteps?: number;
  /** Window (steps) of the normalised-margin stop rule (default 100). */
  marginWindow?: number;
  /** Relative change of γ over the window that ends the run (default 1e-3). */
  marginTolerance?: number;
  /** Stop once the smallest margin exceeds this (default 1e4). */
  maxMargin?: number;
  /**
   * Stop (status `horizon`) at the first step whose log10 t reaches this
   * (default Infinity): a run measured at another run's stop time.
   */
  maxLog10Time?: number;
  /** How matrices are multiplied (default `auto`, see `chooseProducts`). */
  products?: ProductKind | "auto";
}

/** The network at one moment of the flow. */
export interface PreluSnapshot {
  /** Steps taken. */
  step: number;
  /** log10 of the flow time t. */
  log10Time: number;
  /** log10 of the loss. */
  log10Loss: number;
  /** min_i y_i f(x_i) / ‖θ‖^H. */
  normalizedMargin: number;
  /** The weights (a copy). */
  weights: PreluWeights;
}

/** Result of {@linkcode preluFlow}. */
export interface PreluFlowResult {
  /** How the run ended (`not-separated` when L never fell below log(2)/n). */
  status: FlowStatus;
  /** Steps taken. */
  steps: number;
  /** Homogeneity degree H of f in θ: 2 normalised, p + 1 otherwise. */
  homogeneity: number;
  /** The network at the first step with L < log(2)/n (absent if never). */
  separated?: PreluSnapshot;
  /** The network where the stop rule ended the run. */
  final: PreluSnapshot;
  /**
   * max_r |Δ(v_r² − ‖w_r‖²/a)| / max(v_r² + ‖w_r‖², ‖θ‖²/m): the
   * integration error of the conserved quantity.
   */
  conservedDrift: number;
}

/** Homogeneity degree of the network in θ. */
export function preluHomogeneity(
  weights: Pick<PreluWeights, "power" | "normalized">,
): number {
  return weights.normalized ? 2 : weights.power + 1;
}

/**
 * Throw a RangeError unless the arrays fit d and m, p ≥ 1 is finite and
 * every weight is finite.
 */
export function checkPreluWeights(weights: PreluWeights): void {
  const { d, m, w, v, power } = weights;
  if (!Number.isInteger(d) || d < 1 || !Number.isInteger(m) || m < 1) {
    throw new RangeError(`bad pReLU network shape d=${d}, m=${m}`);
  }
  if (w.length !== m * d || v.length !== m) {
    throw new RangeError(
      `pReLU arrays do not match d=${d}, m=${m}: w ${w.length}, v ${v.length}`,
    );
  }
  if (!(Number.isFinite(power) && power >= 1)) {
    throw new RangeError(`power must be a finite number ≥ 1, got ${power}`);
  }
}

/** ν_r for every neuron from ‖w_r‖² (0 for a zero row of a normalised net). */
function normalizers(
  rowSq: Float64Array,
  weights: Pick<PreluWeights, "power" | "normalized">,
): Float64Array {
  const { power, normalized } = weights;
  return rowSq.map((q) =>
    !normalized || power === 1 ? 1 : q > 0 ? Math.pow(q, (1 - power) / 2) : 0
  );
}

/**
 * The outputs f(x_i) of a pReLU network at n points (n×d row-major), in
 * float64.
 *
 * @example
 * ```ts
 * import { preluOutputs } from "./prelu_flow.ts";
 * import assert from "node:assert/strict";
 * // One neuron w = (2, 0), p = 3, normalised: f(x) = relu(2 x1)^3 / 2^2.
 * const net = {
 *   d: 2, m: 1, w: new Float64Array([2, 0]), v: new Float64Array([1]),
 *   power: 3, normalized: true,
 * };
 * assert.deepEqual([...preluOutputs(net, [1, 5, -1, 0])], [2, 0]);
 * ```
 */
export function preluOutputs(
  weights: PreluWeights,
  x: ArrayLike<number>,
): Float64Array {
  checkPreluWeights(weights);
  const { d, m, w, v, power } = weights;
  const n = x.length / d;
  if (!Number.isInteger(n)) {
    throw new RangeError(
      `preluOutputs: ${x.length} values are not rows of ${d}`,
    );
  }
  const nu = normalizers(rowSquaredNorms(weights), weights);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let f = 0;
    for (let r = 0; r < m; r++) {
      let z = 0;
      for (let t = 0; t < d; t++) z += w[r * d + t] * x[i * d + t];
      f += v[r] * reluPower(z, power) * nu[r];
    }
    out[i] = f;
  }
  return out;
}

/**
 * The pReLU network as a {@linkcode NetworkWeights} with `power` set and no
 * biases: N(x) = Σ_r (v_r ν_r) relu(⟨w_r, x⟩)^p, the form the measurements
 * (forward pass, certificates, attacks) take (`powerNetwork` of
 * `../model/power_network.ts`).
 *
 * @example
 * ```ts
 * import { asPowerNetwork } from "./prelu_flow.ts";
 * import assert from "node:assert/strict";
 * const net = asPowerNetwork({
 *   d: 2, m: 1, w: new Float64Array([2, 0]), v: new Float64Array([1]),
 *   power: 3, normalized: true,
 * });
 * assert.deepEqual([...net.v], [0.25]);
 * assert.equal(net.power, 3);
 * ```
 */
export function asPowerNetwork(
  weights: PreluWeights,
): NetworkWeights<Float64Array> {
  checkPreluWeights(weights);
  const { d, m, w, v, power, normalized } = weights;
  return powerNetwork({ d, m, w, b: new Float64Array(m), v }, power, {
    normalized,
  });
}

/** Loss and gradient of {@linkcode preluLossGradient}. */
export interface PreluLossGradient {
  /** L(θ) = (1/n) Σ_i log(1 + e^{−y_i f(x_i)}). */
  loss: number;
  /** ∂L/∂W, m×d row-major. */
  gradW: Float64Array;
  /** ∂L/∂v. */
  gradV: Float64Array;
}

/**
 * The logistic loss and its gradient in θ, computed directly (no span
 * form): the reference the flow's step is tested against, and what finite
 * differences check.
 *
 * @example
 * ```ts
 * import { preluLossGradient } from "./prelu_flow.ts";
 * import assert from "node:assert/strict";
 * const net = {
 *   d: 1, m: 1, w: new Float64Array([1]), v: new Float64Array([0]),
 *   power: 3, normalized: true,
 * };
 * const g = preluLossGradient(net, { n: 1, d: 1, x: [2], y: [1] });
 * assert.ok(Math.abs(g.loss - Math.LN2) < 1e-15);
 * assert.ok(Math.abs(g.gradV[0] + 4) < 1e-12); // −σ(0)·relu(2)^3 = −4
 * ```
 */
export function preluLossGradient(
  weights: PreluWeights,
  data: PreluData,
): PreluLossGradient {
  const { d, m, w, v, power, normalized } = weights;
  const { n, x, y } = data;
  const rowSq = rowSquaredNorms(weights);
  const nu = normalizers(rowSq, weights);
  const outputs = preluOutputs(weights, x);
  const gradW = new Float64Array(m * d);
  const gradV = new Float64Array(m);
  let loss = 0;
  for (let i = 0; i < n; i++) {
    const q = y[i] * outputs[i];
    loss += Math.max(-q, 0) + Math.log1p(Math.exp(-Math.abs(q)));
    // ∂ℓ/∂f = −y σ(−q)
    const g = -y[i] / (1 + Math.exp(q)) / n;
    for (let r = 0; r < m; r++) {
      let z = 0;
      for (let t = 0; t < d; t++) z += w[r * d + t] * x[i * d + t];
      const phi = reluPower(z, power) * nu[r];
      gradV[r] += g * phi;
      const slope = g * v[r] * reluPowerSlope(z, power) * nu[r];
      const self = normalized && rowSq[r] > 0
        ? g * v[r] * (1 - power) * phi / rowSq[r]
        : 0;
      for (let t = 0; t < d; t++) {
        gradW[r * d + t] += slope * x[i * d + t] + self * w[r * d + t];
      }
    }
  }
  return { loss: loss / n, gradW, gradV };
}

/** The span-form state of a run (see the module doc). */
interface SpanState {
  n: number;
  d: number;
  m: number;
  /** K = X Xᵀ, n×n. */
  gram: Float64Array;
  /** P0 = X W0ᵀ, n×m. */
  p0: Float64Array;
  /** P = X Wᵀ, n×m (carried). */
  pre: Float64Array;
  /** A, n×m (stored transposed: column r holds A's row r). */
  coef: Float64Array;
  /** s, per row. */
  scale: Float64Array;
  /** ‖w_r‖² (carried). */
  rowSq: Float64Array;
  /** ‖w0_r‖² of the initialisation. */
  w0Sq: Float64Array;
  /** v. */
  v: Float64Array;
}

/**
 * Integrate gradient flow on the pReLU network from `init` (see the module
 * doc). Synchronous and deterministic; float64 throughout.
 *
 * @example A planted instance: two orthogonal clusters, one per label
 * ```ts
 * import { preluFlow } from "./prelu_flow.ts";
 * import assert from "node:assert/strict";
 * const x = [1, 0, 0.9, 0.1, 0, 1, 0.1, 0.9];
 * const init = {
 *   d: 2, m: 2, w: new Float64Array([1e-3, 2e-4, 3e-4, 1e-3]),
 *   v: new Float64Array([1e-3, -1e-3]), power: 3, normalized: true,
 * };
 * const run = preluFlow({ n: 4, d: 2, x, y: [1, 1, -1, -1] }, init);
 * assert.notEqual(run.status, "not-separated");
 * assert.ok(run.final.normalizedMargin > 0);
 * ```
 */
export function preluFlow(
  data: PreluData,
  init: PreluWeights,
  options: PreluFlowOptions = {},
): PreluFlowResult {
  checkPreluWeights(init);
  const {
    stepFraction = STOP_RULE_DEFAULTS.stepFraction,
    marginStep = 1,
    maxSteps = 6000,
    marginWindow = STOP_RULE_DEFAULTS.marginWindow,
    marginTolerance = STOP_RULE_DEFAULTS.marginTolerance,
    maxMargin = 1e4,
    maxLog10Time = Infinity,
  } = options;
  const { n, d, x, y } = data;
  const { m, power, normalized } = init;
  if (d !== init.d || x.length !== n * d || y.length !== n) {
    throw new RangeError(
      `preluFlow: data (n=${n}, d=${d}) does not fit the network (d=${init.d})`,
    );
  }
  const { gemm } = chooseProducts(options.products ?? "auto");
  const xs = Float64Array.from(x);
  const gram = new Float64Array(n * n);
  gemm(xs, xs, { m: n, n, k: d, transB: true, c: gram });
  const p0 = new Float64Array(n * m);
  gemm(xs, init.w, { m: n, n: m, k: d, transB: true, c: p0 });
  const state: SpanState = {
    n,
    d,
    m,
    gram,
    p0,
    pre: Float64Array.from(p0),
    coef: new Float64Array(n * m),
    scale: new Float64Array(m).fill(1),
    rowSq: rowSquaredNorms(init),
    w0Sq: rowSquaredNorms(init),
    v: Float64Array.from(init.v),
  };
  const homogeneity = preluHomogeneity(init);
  const balanceDivisor = normalized ? 1 : power;
  const balance = (s: SpanState) =>
    s.v.map((vr, r) => vr * vr - s.rowSq[r] / balanceDivisor);
  const startBalance = balance(state);

  const phi = new Float64Array(n * m);
  const outputs = new Float64Array(n);
  const g = new Float64Array(n * m);
  const kg = new Float64Array(n * m);
  const dv = new Float64Array(m);
  const kappa = new Float64Array(m);
  const wg = new Float64Array(m);
  const gg = new Float64Array(m);
  let logTime = -Infinity;
  let status: FlowStatus = "budget";
  let separated: PreluSnapshot | undefined;
  const history: number[] = [];
  let step = 0;
  let snapshot: () => PreluSnapshot = () => {
    throw new Error("unreachable");
  };

  while (true) {
    // Forward: φ_ir = relu(P_ir)^p ν_r, f_i = Σ_r v_r φ_ir.
    const nu = normalizers(state.rowSq, init);
    forwardSpan(state, { power, nu, phi, outputs });
    const lw = lossWeights64(outputs, y);
    let normSq = 0;
    for (let r = 0; r < m; r++) {
      normSq += state.v[r] * state.v[r] + state.rowSq[r];
    }
    const gamma = lw.minMargin / Math.pow(normSq, homogeneity / 2);
    const log10Loss = lw.logLoss * Math.LOG10E;
    snapshot = () => ({
      step,
      log10Time: logTime * Math.LOG10E,
      log10Loss,
      normalizedMargin: gamma,
      weights: materialize(state, { xs, init }),
    });
    if (!Number.isFinite(lw.logLoss) || !Number.isFinite(normSq)) {
      status = "diverged";
      break;
    }
    if (separated === undefined && lw.logLoss < Math.log(Math.LN2 / n)) {
      separated = snapshot();
    }
    if (separated !== undefined) {
      history.push(gamma);
      const len = history.length;
      if (
        len > marginWindow && gamma > 0 &&
        Math.abs(gamma - history[len - 1 - marginWindow]) <=
          marginTolerance * Math.abs(gamma)
      ) {
        status = "converged";
        break;
      }
      if (lw.minMargin > maxMargin) {
        status = "margin-cap";
        break;
      }
    }
    if (logTime * Math.LOG10E >= maxLog10Time) {
      status = "horizon";
      break;
    }
    if (step >= maxSteps) break;

    // Direction D (module doc) and ‖D‖².
    const direction = { dv, kappa, g, kg, wg, gg };
    const dirSq = directionSpan(state, {
      net: init,
      coefficients: lw.coefficients,
      nu,
      phi,
      gemm,
      out: direction,
    });
    if (dirSq === 0) {
      status = "stuck";
      break;
    }
    const fraction = separated !== undefined &&
        lw.minMargin * stepFraction > marginStep
      ? marginStep / lw.minMargin
      : stepFraction;
    const h = fraction * Math.sqrt(normSq / dirSq);
    if (!Number.isFinite(h)) {
      status = "diverged";
      break;
    }
    advance(state, { h, ...direction });
    logTime = logAddExp(logTime, Math.log(h) - lw.logLoss);
    step++;
    if (step % SPAN_REFRESH_EVERY === 0) refresh(state, gemm);
  }
  if (separated === undefined && status !== "diverged" && status !== "stuck") {
    status = "not-separated";
  }
  const final = snapshot();
  const endBalance = balance(state);
  let total = 0;
  for (let r = 0; r < m; r++) total += state.v[r] ** 2 + state.rowSq[r];
  let drift = 0;
  for (let r = 0; r < m; r++) {
    const denom = Math.max(state.v[r] ** 2 + state.rowSq[r], total / m);
    drift = Math.max(drift, Math.abs(endBalance[r] - startBalance[r]) / denom);
  }
  return {
    status,
    steps: step,
    homogeneity,
    ...(separated !== undefined ? { separated } : {}),
    final,
    conservedDrift: drift,
  };
}

// The loops of one step live in functions of their own (`forwardSpan`,
// `directionSpan`, `advance`): inside the run's long `while` loop, V8
// compiles them only by on-stack replacement and drops that code at every
// exit of an inner loop, which made them several times slower.

/** φ_ir = relu(P_ir)^p ν_r and f_i = Σ_r v_r φ_ir, in place. */
function forwardSpan(
  state: SpanState,
  out: {
    power: number;
    nu: Float64Array;
    phi: Float64Array;
    outputs: Float64Array;
  },
): void {
  const { n, m, pre, v } = state;
  const { power, nu, phi, outputs } = out;
  for (let i = 0; i < n; i++) {
    let f = 0;
    for (let r = 0; r < m; r++) {
      const value = reluPower(pre[i * m + r], power) * nu[r];
      phi[i * m + r] = value;
      f += v[r] * value;
    }
    outputs[i] = f;
  }
}

/** The terms of the direction D of one step. */
interface DirectionTerms {
  /** D_v. */
  dv: Float64Array;
  /** κ_r. */
  kappa: Float64Array;
  /** G, n×m. */
  g: Float64Array;
  /** K G, n×m. */
  kg: Float64Array;
  /** ⟨w_r, Σ_i G_ir x_i⟩ = Σ_i G_ir P_ir. */
  wg: Float64Array;
  /** ‖Σ_i G_ir x_i‖² = (Gᵀ K G)_rr. */
  gg: Float64Array;
}

/** The direction D of the module doc into `step.out`; returns ‖D‖². */
function directionSpan(
  state: SpanState,
  step: {
    net: Pick<PreluWeights, "power" | "normalized">;
    coefficients: Float64Array;
    nu: Float64Array;
    phi: Float64Array;
    gemm: Gemm64;
    out: DirectionTerms;
  },
): number {
  const { n, m, pre, v, rowSq } = state;
  const { net: { power, normalized }, coefficients: c, nu, phi, gemm } = step;
  const { dv, kappa, g, kg, wg, gg } = step.out;
  dv.fill(0);
  for (let i = 0; i < n; i++) {
    for (let r = 0; r < m; r++) dv[r] += c[i] * phi[i * m + r];
  }
  for (let r = 0; r < m; r++) {
    kappa[r] = normalized && power !== 1 && rowSq[r] > 0
      ? (1 - power) * v[r] * dv[r] / rowSq[r]
      : 0;
  }
  for (let i = 0; i < n; i++) {
    for (let r = 0; r < m; r++) {
      g[i * m + r] = c[i] * v[r] * reluPowerSlope(pre[i * m + r], power) *
        nu[r];
    }
  }
  gemm(state.gram, g, { m: n, n: m, k: n, c: kg });
  wg.fill(0);
  gg.fill(0);
  for (let i = 0; i < n; i++) {
    for (let r = 0; r < m; r++) {
      wg[r] += g[i * m + r] * pre[i * m + r];
      gg[r] += g[i * m + r] * kg[i * m + r];
    }
  }
  let dirSq = 0;
  for (let r = 0; r < m; r++) {
    dirSq += dv[r] * dv[r] + gg[r] + 2 * kappa[r] * wg[r] +
      kappa[r] * kappa[r] * rowSq[r];
  }
  return dirSq;
}

/** θ ← θ + hD in the span form, with the exact row norms. */
function advance(
  state: SpanState,
  step: DirectionTerms & { h: number },
): void {
  const { n, m, pre, coef, scale, rowSq, v } = state;
  const { h, dv, kappa, g, kg, wg, gg } = step;
  for (let r = 0; r < m; r++) {
    const a = 1 + h * kappa[r];
    rowSq[r] = a * a * rowSq[r] + 2 * h * a * wg[r] + h * h * gg[r];
    scale[r] *= a;
    v[r] += h * dv[r];
  }
  for (let i = 0; i < n; i++) {
    for (let r = 0; r < m; r++) {
      const a = 1 + h * kappa[r];
      const at = i * m + r;
      pre[at] = a * pre[at] + h * kg[at];
      coef[at] = a * coef[at] + h * g[at];
    }
  }
}

/**
 * Recompute P = P0 diag(s) + K A and ‖w_r‖² = s_r²‖w0_r‖² + 2 s_r Σ_i A_ir
 * P0_ir + (Aᵀ K A)_rr from the span coordinates (A stored n×m).
 */
function refresh(
  state: SpanState,
  gemm: Gemm64,
): void {
  const { n, m, gram, p0, pre, coef, scale, rowSq } = state;
  const ka = new Float64Array(n * m);
  gemm(gram, coef, { m: n, n: m, k: n, c: ka });
  const cross = new Float64Array(m);
  const quad = new Float64Array(m);
  for (let i = 0; i < n; i++) {
    for (let r = 0; r < m; r++) {
      const at = i * m + r;
      pre[at] = p0[at] * scale[r] + ka[at];
      cross[r] += coef[at] * p0[at];
      quad[r] += coef[at] * ka[at];
    }
  }
  const w0 = state.w0Sq;
  for (let r = 0; r < m; r++) {
    rowSq[r] = scale[r] * scale[r] * w0[r] + 2 * scale[r] * cross[r] + quad[r];
  }
}

/** W = diag(s) W0 + Aᵀ X as a {@linkcode PreluWeights} (with v copied). */
function materialize(
  state: SpanState,
  context: { xs: Float64Array; init: PreluWeights },
): PreluWeights {
  const { n, d, m, coef, scale, v } = state;
  const { xs, init } = context;
  const w = new Float64Array(m * d);
  for (let r = 0; r < m; r++) {
    for (let t = 0; t < d; t++) w[r * d + t] = scale[r] * init.w[r * d + t];
  }
  for (let i = 0; i < n; i++) {
    for (let r = 0; r < m; r++) {
      const a = coef[i * m + r];
      if (a === 0) continue;
      for (let t = 0; t < d; t++) w[r * d + t] += a * xs[i * d + t];
    }
  }
  return {
    d,
    m,
    w,
    v: Float64Array.from(v),
    power: init.power,
    normalized: init.normalized,
  };
}
