/**
 * KKT residual of claim C1 (implicit bias): how far a two-layer ReLU network
 * N(x; θ) = Σ_r v_r relu(⟨w_r, x⟩ + b_r) is from a KKT point of the
 * max-margin problem
 *
 *   (P)  min ½‖θ‖²  subject to  y_i N(x_i; θ) ≥ 1 for all i,
 *
 * whose KKT conditions are θ = Σ_i λ_i y_i ∇_θ N(x_i; θ), λ ≥ 0 and λ_i = 0
 * whenever y_i N(x_i; θ) > 1. The gradients are
 * ∇_{w_r} N(x_i) = v_r s_ri x_i, ∇_{b_r} N(x_i) = v_r s_ri and
 * ∇_{v_r} N(x_i) = relu(z_ri), with z_ri = ⟨w_r, x_i⟩ + b_r and
 * s_ri = 1[z_ri > 0] (the Clarke subgradient choice 0 at the kink).
 *
 * Everything is plain TypeScript on row-major `Float64Array`s; no tensors.
 * ReLU networks only: the functions that take the network's weights throw a
 * RangeError for an activation power p ≠ 1 (`NetworkWeights.power`).
 *
 * @module
 */

import type { LabelledPoints } from "../model/data.ts";
import { type NetworkWeights, requireRelu } from "../model/weights.ts";

/** Options of {@linkcode kktResidual}. */
export interface KktOptions {
  /** Precomputed X·Xᵀ (`n × n` row-major), e.g. from {@linkcode gramMatrix}. */
  gram?: Float64Array;
  /**
   * Points whose rescaled margin q̂_i exceeds `1 + marginSlack` are treated as
   * "clearly not on the margin" and their λ_i is penalised. Default 0.1.
   */
  marginSlack?: number;
  /**
   * Weight of the complementary-slackness penalty, in units of
   * τ = trace(Q)/n (the mean squared gradient norm ‖∇N_i‖² at θ̂): the term
   * added to the objective is `penalty · τ · Σ_{i: q̂_i > 1+marginSlack} λ_i²`.
   * At the default 1 the curvature of such a λ_i is about doubled (Q_ii ≈ τ),
   * so such a point keeps at most about half the weight an unconstrained fit
   * would give it, and a network that can only be explained by points off the
   * margin shows it in the residual. Use 0 for the plain non-negative least
   * squares of C1, `Infinity` to force those λ_i to 0. Default 1.
   */
  penalty?: number;
  /** Maximum number of cyclic coordinate-descent sweeps (warm start). Default 500. */
  iterations?: number;
  /**
   * Convergence tolerance: coordinate descent stops when the largest change
   * of a λ_i in a sweep is at most `tolerance · max_i λ_i`, and the
   * active-set stage accepts λ when every dual violation
   * 2q̂_i - (Hλ)_i of a zero λ_i is at most `tolerance · 2 max_i q̂_i`.
   * Default 1e-10.
   */
  tolerance?: number;
}

/** Result of {@linkcode kktResidual}. */
export interface KktReport {
  /**
   * ‖θ̂ - Σ_i λ_i y_i ∇_θ N(x_i; θ̂)‖ / ‖θ̂‖, where θ̂ = θ/√(min_i q_i) has
   * smallest margin 1. Computed explicitly in parameter space (not from the
   * quadratic form, which would lose half the digits to cancellation), and
   * without the penalty. Scale invariant; `Infinity` when min margin ≤ 0.
   */
  residual: number;
  /** ‖θ̂‖² of the rescaled parameters. */
  normSquared: number;
  /** 2 Σ_i λ_i (equals ‖θ̂‖² at a KKT point). */
  twiceLambdaSum: number;
  /** ‖θ̂‖² / (2 Σ_i λ_i): 1 at a KKT point. */
  normRatio: number;
  /**
   * max_r |v_r² - ‖w_r‖² - b_r²| / (‖θ‖²/m) on the original θ (0 at a KKT
   * point; conserved along gradient flow). Scale invariant.
   */
  neuronImbalance: number;
  /** min_i y_i N(x_i; θ) of the original (not rescaled) θ. */
  minMargin: number;
  /** Number of λ_i > 1e-9. */
  supportSize: number;
  /** The multipliers λ (length n) found for θ̂. */
  lambda: Float64Array;
  /**
   * Whether the solver met its optimality test (active-set dual feasibility,
   * or else the coordinate-descent change tolerance). `false` when min
   * margin ≤ 0.
   */
  converged: boolean;
}

const DEFAULT_MARGIN_SLACK = 0.1;
const DEFAULT_PENALTY = 1;
const DEFAULT_ITERATIONS = 500;
const DEFAULT_TOLERANCE = 1e-10;
/** λ_i above this count towards {@linkcode KktReport.supportSize}. */
const SUPPORT_THRESHOLD = 1e-9;

/**
 * Dot product of `a[ao..ao+len)` and `b[bo..bo+len)`, four accumulators.
 * The innermost kernel of every sum below (called O(n²) times), so it takes
 * plain positional offsets rather than an options object.
 */
function dot(
  a: ArrayLike<number>,
  ao: number,
  b: ArrayLike<number>,
  bo: number,
  len: number,
): number {
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  let k = 0;
  for (; k + 3 < len; k += 4) {
    s0 += a[ao + k] * b[bo + k];
    s1 += a[ao + k + 1] * b[bo + k + 1];
    s2 += a[ao + k + 2] * b[bo + k + 2];
    s3 += a[ao + k + 3] * b[bo + k + 3];
  }
  for (; k < len; k++) s0 += a[ao + k] * b[bo + k];
  return (s0 + s1) + (s2 + s3);
}

/**
 * The Gram matrix X·Xᵀ of the n points of dimension `d` in `x` (X row-major
 * `n × d`, n = `x.length / d`), as an `n × n` row-major `Float64Array`.
 *
 * @example
 * ```ts
 * import { gramMatrix } from "./kkt.ts";
 * import assert from "node:assert/strict";
 * const g = gramMatrix([1, 2, 3, 4], 2);
 * assert.deepEqual([...g], [5, 11, 11, 25]);
 * ```
 */
export function gramMatrix(x: ArrayLike<number>, d: number): Float64Array {
  const n = x.length / d;
  if (!Number.isInteger(n)) {
    throw new RangeError(
      `gramMatrix: x has length ${x.length}, not a multiple of d = ${d}`,
    );
  }
  const g = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      const s = dot(x, i * d, x, j * d, d);
      g[i * n + j] = s;
      g[j * n + i] = s;
    }
  }
  return g;
}

/**
 * Check the lengths of θ, X, y and the optional X·Xᵀ against m, d and
 * n = `y.length`; a RangeError names the first mismatch.
 */
export function checkShapes(
  params: NetworkWeights,
  points: LabelledPoints & { gram?: Float64Array },
): void {
  const { m, d } = params;
  const { x, y, gram } = points;
  const n = y.length;
  if (params.w.length !== m * d) {
    throw new RangeError(
      `w has length ${params.w.length}, expected m·d = ${m * d}`,
    );
  }
  if (params.b.length !== m || params.v.length !== m) {
    throw new RangeError(`b and v must have length m = ${m}`);
  }
  if (x.length !== n * d) {
    throw new RangeError(`x has length ${x.length}, expected n·d = ${n * d}`);
  }
  if (gram !== undefined && gram.length !== n * n) {
    throw new RangeError(
      `gram has length ${gram.length}, expected n² = ${n * n}`,
    );
  }
}

/** `a` as a Float64Array (no copy when it already is one). */
function asFloat64(a: ArrayLike<number>): Float64Array {
  return a instanceof Float64Array ? a : Float64Array.from(a);
}

/**
 * The pre-activations of a batch in float64, z_ri = ⟨w_r, x_i⟩ + b_r,
 * stored `n × m` (row i is point i; n = `xIn.length / d`). Points are taken
 * four at a time so that each w_r is read once per block of four dot
 * products (memory traffic, not arithmetic, is the limit); each sum starts
 * from 0 and adds b_r last, unlike the one-point `pointPreActivations` of
 * `model/forward.ts` (bias first), so the two are kept apart.
 */
export function batchPreActivations(
  params: NetworkWeights,
  xIn: ArrayLike<number>,
): Float64Array {
  const { b, m, d } = params;
  const n = xIn.length / d;
  const w = asFloat64(params.w), x = asFloat64(xIn);
  const z = new Float64Array(n * m);
  let i = 0;
  for (; i + 3 < n; i += 4) {
    const o0 = i * d, o1 = o0 + d, o2 = o1 + d, o3 = o2 + d;
    for (let r = 0; r < m; r++) {
      const wo = r * d;
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      for (let k = 0; k < d; k++) {
        const wk = w[wo + k];
        s0 += wk * x[o0 + k];
        s1 += wk * x[o1 + k];
        s2 += wk * x[o2 + k];
        s3 += wk * x[o3 + k];
      }
      const br = b[r];
      z[i * m + r] = s0 + br;
      z[(i + 1) * m + r] = s1 + br;
      z[(i + 2) * m + r] = s2 + br;
      z[(i + 3) * m + r] = s3 + br;
    }
  }
  for (; i < n; i++) {
    for (let r = 0; r < m; r++) {
      z[i * m + r] = dot(x, i * d, w, r * d, d) + b[r];
    }
  }
  return z;
}

/**
 * The margins q_i = y_i Σ_r v_r relu(z_ri) of a batch from its
 * pre-activations `z` (`n × m`), and their minimum.
 *
 * @example
 * ```ts
 * import { pointMargins } from "./kkt.ts";
 * import assert from "node:assert/strict";
 * const z = new Float64Array([1, -2, 3, 4]); // n = 2, m = 2
 * const { q, minMargin } = pointMargins(z, { v: [2, 1], y: [1, -1] });
 * assert.deepEqual([...q], [2, -10]);
 * assert.equal(minMargin, -10);
 * ```
 */
export function pointMargins(
  z: Float64Array,
  net: { v: ArrayLike<number>; y: ArrayLike<number> },
): { q: Float64Array; minMargin: number } {
  const { v, y } = net;
  const n = y.length, m = v.length;
  const q = new Float64Array(n);
  let minMargin = Infinity;
  for (let i = 0; i < n; i++) {
    let out = 0;
    for (let r = 0; r < m; r++) {
      const zz = z[i * m + r];
      if (zz > 0) out += v[r] * zz;
    }
    q[i] = y[i] * out;
    minMargin = Math.min(minMargin, q[i]);
  }
  return { q, minMargin };
}

/** What {@linkcode buildQ} needs besides the pre-activations. */
export interface QInputs {
  /** Output weights v_r (length m). */
  v: ArrayLike<number>;
  /** Labels y_i (length n). */
  y: ArrayLike<number>;
  /** X·Xᵀ (`n × n`). */
  gram: Float64Array;
  /** The factor c of θ̂ = c·θ. */
  scale: number;
  /**
   * The activation s_ri ∈ [0, 1] of every pair (`n × m`, a selection from
   * the Clarke subdifferential of relu at z_ri); default 1[z_ri > 0].
   */
  activations?: Float64Array;
}

/**
 * Q_ij = y_i y_j ⟨∇N_i, ∇N_j⟩ at the parameters whose pre-activations are
 * `scale · z` (`n × m`) and output weights `scale · v`:
 * y_i y_j [Σ_r v̂_r² s_ri s_rj (G_ij + 1) + Σ_r relu(ẑ_ri) relu(ẑ_rj)],
 * with s from `inputs.activations` (default 1[z > 0]).
 */
export function buildQ(z: Float64Array, inputs: QInputs): Float64Array {
  const { v, y, gram, scale, activations } = inputs;
  const n = y.length, m = v.length;
  const act = new Float64Array(n * m); // s_ri
  const weighted = new Float64Array(n * m); // v̂_r² s_ri
  const relu = new Float64Array(n * m); // relu(ẑ_ri)
  for (let i = 0; i < n; i++) {
    for (let r = 0; r < m; r++) {
      const zz = z[i * m + r];
      const s = activations === undefined
        ? (zz > 0 ? 1 : 0)
        : activations[i * m + r];
      if (s !== 0) {
        const vr = scale * v[r];
        act[i * m + r] = s;
        weighted[i * m + r] = vr * vr * s;
      }
      if (zz > 0) relu[i * m + r] = scale * zz;
    }
  }
  const q = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      const a = dot(weighted, i * m, act, j * m, m);
      const c = dot(relu, i * m, relu, j * m, m);
      const value = y[i] * y[j] * (a * (gram[i * n + j] + 1) + c);
      q[i * n + j] = value;
      q[j * n + i] = value;
    }
  }
  return q;
}

/**
 * The signed gradient Gram matrix Q_ij = y_i y_j ⟨∇_θ N(x_i; θ), ∇_θ N(x_j; θ)⟩
 * (`n × n` row-major) at the given θ, using
 * ⟨∇N_i, ∇N_j⟩ = Σ_r v_r² s_ri s_rj (⟨x_i, x_j⟩ + 1) + Σ_r relu(z_ri) relu(z_rj).
 *
 * @example
 * ```ts
 * import { gradientGram } from "./kkt.ts";
 * import assert from "node:assert/strict";
 * // One neuron w = (1), b = 0, v = 2 on the point x = 3: ∇N = (v·x, v, relu(z)) = (6, 2, 3).
 * const q = gradientGram({ w: [1], b: [0], v: [2], d: 1, m: 1 }, { x: [3], y: [1] });
 * assert.equal(q[0], 36 + 4 + 9);
 * ```
 */
export function gradientGram(
  params: NetworkWeights,
  points: LabelledPoints,
  options: { gram?: Float64Array } = {},
): Float64Array {
  requireRelu(params, "gradientGram");
  checkShapes(params, { ...points, gram: options.gram });
  const { x, y } = points;
  const z = batchPreActivations(params, x);
  return buildQ(z, {
    v: params.v,
    y,
    gram: options.gram ?? gramMatrix(x, params.d),
    scale: 1,
  });
}

/**
 * Solve H_PP μ = rhs_P on the index set P by Cholesky (H is `n × n`,
 * n = `rhs.length`). Returns `null` when H_PP is not numerically positive
 * definite.
 */
function solveOnSet(
  h: Float64Array,
  system: { set: number[]; rhs: Float64Array },
): Float64Array | null {
  const { set, rhs } = system;
  const n = rhs.length;
  const k = set.length;
  const l = new Float64Array(k * k);
  let maxDiag = 0;
  for (const i of set) maxDiag = Math.max(maxDiag, h[i * n + i]);
  for (let a = 0; a < k; a++) {
    for (let c = 0; c <= a; c++) {
      let s = h[set[a] * n + set[c]];
      for (let e = 0; e < c; e++) s -= l[a * k + e] * l[c * k + e];
      if (a === c) {
        if (!(s > 1e-13 * maxDiag)) return null;
        l[a * k + a] = Math.sqrt(s);
      } else {
        l[a * k + c] = s / l[c * k + c];
      }
    }
  }
  const mu = new Float64Array(k);
  for (let a = 0; a < k; a++) {
    let s = rhs[set[a]];
    for (let e = 0; e < a; e++) s -= l[a * k + e] * mu[e];
    mu[a] = s / l[a * k + a];
  }
  for (let a = k - 1; a >= 0; a--) {
    let s = mu[a];
    for (let e = a + 1; e < k; e++) s -= l[e * k + a] * mu[e];
    mu[a] = s / l[a * k + a];
  }
  return mu;
}

/** λᵀHλ - 2 rhsᵀλ (the objective, with rhs = 2q̂; n = `rhs.length`). */
function objective(
  h: Float64Array,
  at: { rhs: Float64Array; lambda: Float64Array },
): number {
  const { rhs, lambda } = at;
  const n = rhs.length;
  let f = 0;
  for (let i = 0; i < n; i++) {
    if (lambda[i] === 0) continue;
    f += lambda[i] * (dot(h, i * n, lambda, 0, n) - 2 * rhs[i]);
  }
  return f;
}

/**
 * min_{λ ≥ 0} λᵀHλ - 2 rhsᵀλ: cyclic coordinate descent (exact 1-D
 * minimisation, clipped at 0) as a warm start, then a Lawson–Hanson
 * active-set stage that solves the stationarity equations H_PP λ_P = rhs_P
 * exactly on the support. If the active-set stage stops early (singular
 * H_PP, e.g. duplicated points), the better of the two by objective is kept.
 * H is `n × n` row-major (n = `rhs.length`), symmetric positive
 * semi-definite with a positive diagonal; `options.start` warm-starts the
 * active-set stage from its support instead of running coordinate descent.
 */
export function solveNonNegative(
  h: Float64Array,
  rhs: Float64Array,
  options: { iterations: number; tolerance: number; start?: Float64Array },
): { lambda: Float64Array; converged: boolean } {
  const { iterations, tolerance, start } = options;
  const n = rhs.length;
  // Stage 1: cyclic coordinate descent, keeping g = Hλ up to date; a warm
  // start skips it (the active-set stage starts from its support).
  const lambda = new Float64Array(n);
  const g = new Float64Array(n);
  if (start !== undefined) {
    for (let i = 0; i < n; i++) lambda[i] = Math.max(0, start[i]);
  }
  let cdConverged = false;
  const sweeps = start === undefined ? iterations : 0;
  for (let sweep = 0; sweep < sweeps && !cdConverged; sweep++) {
    let maxChange = 0, maxLambda = 0;
    for (let i = 0; i < n; i++) {
      const hii = h[i * n + i];
      const next = Math.max(0, lambda[i] + (rhs[i] - g[i]) / hii);
      const delta = next - lambda[i];
      if (delta !== 0) {
        lambda[i] = next;
        for (let j = 0; j < n; j++) g[j] += delta * h[i * n + j];
        maxChange = Math.max(maxChange, Math.abs(delta));
      }
      maxLambda = Math.max(maxLambda, next);
    }
    cdConverged = maxChange <= tolerance * maxLambda;
  }

  // Stage 2: Lawson–Hanson active set, warm-started from the CD support.
  let maxRhs = 0;
  for (let i = 0; i < n; i++) maxRhs = Math.max(maxRhs, rhs[i]);
  const dualTol = tolerance * maxRhs;
  const current = Float64Array.from(lambda);
  const inSet = new Uint8Array(n);
  for (let i = 0; i < n; i++) if (current[i] > 0) inSet[i] = 1;
  let lhConverged = false;
  const maxSteps = 3 * n + 10;
  for (let step = 0; step < maxSteps; step++) {
    const set: number[] = [];
    for (let i = 0; i < n; i++) if (inSet[i]) set.push(i);
    if (set.length > 0) {
      const mu = solveOnSet(h, { set, rhs });
      if (mu === null) break;
      let alpha = Infinity, blocking = -1;
      for (let a = 0; a < set.length; a++) {
        if (mu[a] <= 0) {
          const li = current[set[a]];
          const t = li / (li - mu[a]);
          if (t < alpha) {
            alpha = t;
            blocking = a;
          }
        }
      }
      if (blocking >= 0) {
        // μ is infeasible: step from the feasible λ towards μ until the
        // first λ_i hits 0, and drop it from the set. A zero step can only
        // come from the index just added: then it cannot enter (rounding).
        if (!(alpha > 0)) break;
        for (let a = 0; a < set.length; a++) {
          const i = set[a];
          const next = current[i] + alpha * (mu[a] - current[i]);
          if (a === blocking || next <= 0) {
            current[i] = 0;
            inSet[i] = 0;
          } else {
            current[i] = next;
          }
        }
        continue;
      }
      for (let a = 0; a < set.length; a++) current[set[a]] = mu[a];
    }
    // Dual feasibility: every zero λ_i must have (Hλ)_i ≥ rhs_i.
    let worst = -1, worstViolation = dualTol;
    for (let i = 0; i < n; i++) {
      if (inSet[i]) continue;
      const violation = rhs[i] - dot(h, i * n, current, 0, n);
      if (violation > worstViolation) {
        worstViolation = violation;
        worst = i;
      }
    }
    if (worst < 0) {
      lhConverged = true;
      break;
    }
    inSet[worst] = 1;
  }
  if (
    lhConverged ||
    objective(h, { rhs, lambda: current }) <= objective(h, { rhs, lambda })
  ) {
    return { lambda: current, converged: lhConverged || cdConverged };
  }
  return { lambda, converged: cdConverged };
}

/** What {@linkcode residualSquared} needs besides θ. */
export interface ResidualInputs {
  /** Points, n×d row-major. */
  x: Float64Array;
  /** Labels (length n). */
  y: ArrayLike<number>;
  /** Pre-activations of θ (not rescaled), n×m. */
  z: Float64Array;
  /** The factor c of θ̂ = c·θ. */
  scale: number;
  /** Multipliers λ (length n). */
  lambda: Float64Array;
  /** Activations s_ri (n×m); default 1[z_ri > 0]. */
  activations?: Float64Array;
}

/**
 * ‖θ̂ - Σ_i λ_i y_i ∇N(x_i; θ̂)‖² computed explicitly in parameter space,
 * neuron by neuron, with the activations s_ri in the (w, b) parts:
 * r_w = ŵ_r - v̂_r Σ_i λ_i y_i s_ri x_i, r_b likewise, and
 * r_v = v̂_r - Σ_i λ_i y_i relu(ẑ_ri) (relu has no choice to make).
 * Exact where the quadratic form would cancel to half the digits.
 */
export function residualSquared(
  params: NetworkWeights,
  inputs: ResidualInputs,
): number {
  requireRelu(params, "residualSquared");
  const { w, b, v, m, d } = params;
  const { x: xs, y, z, scale, lambda, activations } = inputs;
  const n = y.length;
  const support: number[] = [];
  for (let i = 0; i < n; i++) if (lambda[i] > 0) support.push(i);
  let resSq = 0;
  const combo = new Float64Array(d);
  const rows = new Int32Array(support.length);
  const coefs = new Float64Array(support.length);
  for (let r = 0; r < m; r++) {
    const vHat = scale * v[r];
    let coefSum = 0, vFit = 0, count = 0;
    for (const i of support) {
      const zz = z[i * m + r];
      const coef = lambda[i] * y[i];
      if (zz > 0) vFit += coef * scale * zz;
      const s = activations === undefined
        ? (zz > 0 ? 1 : 0)
        : activations[i * m + r];
      if (s === 0) continue;
      const weighted = s === 1 ? coef : coef * s;
      coefSum += weighted;
      rows[count] = i * d;
      coefs[count++] = weighted;
    }
    combo.fill(0);
    let a = 0;
    for (; a + 3 < count; a += 4) { // four points per pass over combo
      const o0 = rows[a],
        o1 = rows[a + 1],
        o2 = rows[a + 2],
        o3 = rows[a + 3];
      const c0 = coefs[a],
        c1 = coefs[a + 1],
        c2 = coefs[a + 2],
        c3 = coefs[a + 3];
      for (let k = 0; k < d; k++) {
        combo[k] += c0 * xs[o0 + k] + c1 * xs[o1 + k] + c2 * xs[o2 + k] +
          c3 * xs[o3 + k];
      }
    }
    for (; a < count; a++) {
      const o = rows[a], c = coefs[a];
      for (let k = 0; k < d; k++) combo[k] += c * xs[o + k];
    }
    for (let k = 0; k < d; k++) {
      const e = scale * w[r * d + k] - vHat * combo[k];
      resSq += e * e;
    }
    const eb = scale * b[r] - vHat * coefSum;
    const ev = vHat - vFit;
    resSq += eb * eb + ev * ev;
  }
  return resSq;
}

/**
 * KKT residual of θ for problem (P) on the training set (X, y) — the
 * quantity that claim C1 says shrinks towards 0 along gradient flow.
 *
 * Steps:
 * 1. Margins q_i = y_i N(x_i; θ). If min q ≤ 0, θ is not feasible for any
 *    rescaling: the report has `residual = Infinity`, `minMargin` and
 *    `neuronImbalance` set, every other number NaN.
 * 2. Rescale θ̂ = θ/√(min q) so the smallest margin is 1 (N is
 *    2-homogeneous in θ; the activation pattern s is unchanged).
 * 3. Build Q_ij = y_i y_j ⟨∇N_i, ∇N_j⟩ at θ̂ ({@linkcode gradientGram}). By
 *    homogeneity ⟨θ̂, ∇N_i⟩ = 2N(x_i; θ̂), so
 *    ‖θ̂ - Σ λ_i y_i ∇N_i‖² = ‖θ̂‖² - 4 Σ λ_i q̂_i + λᵀQλ, q̂_i = q_i / min q.
 * 4. Find λ ≥ 0 minimising λᵀQλ - 4 q̂ᵀλ + penalty·τ·Σ_{q̂_i > 1+slack} λ_i²
 *    (τ = trace(Q)/n; see {@linkcode KktOptions.penalty}) by cyclic
 *    coordinate descent followed by an exact Lawson–Hanson active-set stage.
 * 5. Report the unpenalised residual at that λ, computed explicitly in
 *    parameter space, with the norm identities of a KKT point.
 *
 * Cost: O(n·m·d) for the pre-activations and the residual, O(n²·d) for
 * X·Xᵀ unless `options.gram` is given, O(n²·m) for Q, and O(n³) for λ.
 *
 * @example A single neuron solving (P) for one point in closed form
 * ```ts
 * import { kktResidual } from "./kkt.ts";
 * import assert from "node:assert/strict";
 * // x = (1, 0), y = +1: v² = 1/‖(x,1)‖ and (w, b) = v·(x,1)/‖(x,1)‖.
 * const v = 2 ** -0.25, c = v / Math.SQRT2;
 * const params = { w: [c, 0], b: [c], v: [v], d: 2, m: 1 };
 * const report = kktResidual(params, { x: [1, 0], y: [1] });
 * assert.ok(report.residual < 1e-12);
 * assert.ok(Math.abs(report.normRatio - 1) < 1e-12);
 * ```
 */
export function kktResidual(
  params: NetworkWeights,
  points: LabelledPoints,
  options: KktOptions = {},
): KktReport {
  requireRelu(params, "kktResidual");
  checkShapes(params, { ...points, gram: options.gram });
  const { w, b, v, m, d } = params;
  const { x, y } = points;
  const n = y.length;
  const marginSlack = options.marginSlack ?? DEFAULT_MARGIN_SLACK;
  const penalty = options.penalty ?? DEFAULT_PENALTY;
  const iterations = options.iterations ?? DEFAULT_ITERATIONS;
  const tolerance = options.tolerance ?? DEFAULT_TOLERANCE;

  // Neuron balance and ‖θ‖² on the original θ.
  let normSq = 0, maxImbalance = 0;
  for (let r = 0; r < m; r++) {
    let wr = 0;
    for (let k = 0; k < d; k++) wr += w[r * d + k] * w[r * d + k];
    normSq += wr + b[r] * b[r] + v[r] * v[r];
    maxImbalance = Math.max(
      maxImbalance,
      Math.abs(v[r] * v[r] - wr - b[r] * b[r]),
    );
  }
  const neuronImbalance = maxImbalance / (normSq / m);

  // 1. Margins.
  const z = batchPreActivations(params, x);
  const { q, minMargin } = pointMargins(z, { v, y });
  if (!(minMargin > 0)) {
    return {
      residual: Infinity,
      normSquared: NaN,
      twiceLambdaSum: NaN,
      normRatio: NaN,
      neuronImbalance,
      minMargin,
      supportSize: NaN,
      lambda: new Float64Array(n).fill(NaN),
      converged: false,
    };
  }

  // 2. Rescaling θ̂ = c·θ, c = 1/√(min q): ẑ = c·z, v̂ = c·v, N̂ = c²·N.
  const scale = 1 / Math.sqrt(minMargin);
  const qHat = q.map((qi) => qi / minMargin);
  const normSquared = normSq * scale * scale;

  // 3. Q and the penalised objective λᵀHλ - 2·rhsᵀλ with rhs = 2q̂.
  const gram = options.gram ?? gramMatrix(x, d);
  const h = buildQ(z, { v, y, gram, scale });
  let trace = 0;
  for (let i = 0; i < n; i++) trace += h[i * n + i];
  const tau = trace / n;
  const rhs = qHat.map((qi) => 2 * qi);
  const forced: boolean[] = [];
  for (let i = 0; i < n; i++) {
    forced.push(false);
    if (qHat[i] > 1 + marginSlack && penalty > 0) {
      if (penalty === Infinity) forced[i] = true;
      else h[i * n + i] += penalty * tau;
    }
  }
  if (forced.some((f) => f)) {
    // λ_i = 0 is forced: drop those coordinates from the problem.
    const keep = forced.flatMap((f, i) => (f ? [] : [i]));
    const k = keep.length;
    const hk = new Float64Array(k * k);
    for (let a = 0; a < k; a++) {
      for (let c = 0; c < k; c++) hk[a * k + c] = h[keep[a] * n + keep[c]];
    }
    const sub = solveNonNegative(
      hk,
      Float64Array.from(keep, (i) => rhs[i]),
      { iterations, tolerance },
    );
    const lambda = new Float64Array(n);
    keep.forEach((i, a) => (lambda[i] = sub.lambda[a]));
    return finish(lambda, sub.converged);
  }
  const solved = solveNonNegative(h, rhs, { iterations, tolerance });
  return finish(solved.lambda, solved.converged);

  /** 5. Explicit residual and the report. */
  function finish(lambda: Float64Array, converged: boolean): KktReport {
    let lambdaSum = 0, supportSize = 0;
    for (let i = 0; i < n; i++) {
      lambdaSum += lambda[i];
      if (lambda[i] > SUPPORT_THRESHOLD) supportSize++;
    }
    const resSq = residualSquared(params, {
      x: asFloat64(x),
      y,
      z,
      scale,
      lambda,
    });
    const twiceLambdaSum = 2 * lambdaSum;
    return {
      residual: Math.sqrt(resSq / normSquared),
      normSquared,
      twiceLambdaSum,
      normRatio: normSquared / twiceLambdaSum,
      neuronImbalance,
      minMargin,
      supportSize,
      lambda,
      converged,
    };
  }
}
