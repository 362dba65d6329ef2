/**
 * The approximate KKT quantities of a 2-homogeneous network for the
 * max-margin problem (P) min ½‖θ‖² s.t. q_i = y_i N(x_i; θ) ≥ 1, in the
 * sense of Lyu & Li (2020): θ̂ (θ rescaled so that min_i q̂_i = 1) is an
 * (ε, δ)-approximate KKT point when, for some λ ≥ 0 and some h_i in the
 * Clarke subdifferential ∂°q_i(θ̂),
 *
 *   ‖θ̂ - Σ_i λ_i h_i‖ ≤ ε‖θ̂‖   (stationarity)   and
 *   Σ_i λ_i (q̂_i - 1) ≤ δ        (complementary slackness).
 *
 * For N(x) = Σ_r v_r relu(⟨w_r, x⟩ + b_r) the subgradients of q_i are
 * h_i = y_i (v_r s_ri x_i, v_r s_ri, relu(z_ri))_r with s_ri = 1 when
 * z_ri > 0, 0 when z_ri < 0, and any s_ri ∈ [0, 1] at a kink z_ri = 0.
 *
 * Why the kink matters: late in training, neurons slide along their kinks
 * (training points with z_ri ≈ 0), which an explicit Euler step cannot
 * follow: it chatters across them, so the instantaneous activations
 * 1[z_ri > 0] are the wrong selection from the subdifferential and the
 * residual with them stalls at a floor that no step size removes. Here a
 * pair (r, i) counts as at the kink when a relative change κ of neuron r's
 * incoming weights (w_r, b_r) can move z_ri to 0, i.e.
 *
 *   |z_ri| ≤ κ · ‖(w_r, b_r)‖ · ‖(x_i, 1)‖       (κ = `kinkRadius`),
 *
 * a Goldstein-type κ-subdifferential, which tends to Clarke's as κ → 0.
 * For such pairs s_ri ∈ [0, 1] is fitted jointly with λ.
 *
 * The joint fit min_{λ ≥ 0, s ∈ [0,1]} ‖θ̂ - Σ_i λ_i h_i(s)‖² is convex in
 * (λ, α = λ·s) and is solved by alternating exact minimisations: λ by
 * non-negative least squares at fixed s (`solveNonNegative` of `./kkt.ts`),
 * then s neuron by neuron by box-constrained coordinate descent at fixed λ
 * (for λ_i = 0 the s_ri that makes λ_i most useful). Every round lowers the
 * objective; the reported residual is that of the last (λ, s), computed
 * explicitly in parameter space, so it is an upper bound on the best one.
 *
 * Reported besides: the residual with the instantaneous activations (plain
 * NNLS, no penalty), the slackness Σλ_i(q̂_i - 1) of the fitted λ, ‖θ̂‖²/2Σλ,
 * and the flow's own multipliers λ_i ∝ -ℓ′(q_i) = σ(-q_i) (no fitting):
 * cos∠(θ, -∇L) and the residual sin∠(θ, -∇L) they leave.
 *
 * And each neuron's dual value with the fitted (λ, s),
 *
 *   γ_r = ⟨θ̂_r, Σ_i λ_i h_i⟩/‖θ̂_r‖² = Σ_i λ_i y_i v_r (s_ri z_ri + relu(z_ri))/‖θ_r‖²,
 *
 * θ_r = (w_r, b_r, v_r): the residual's component along neuron r's own
 * parameters is (1 - γ_r)‖θ̂_r‖, so γ_r = 1 for every neuron of a KKT
 * point, and Σ_r (1 - γ_r)²‖θ̂_r‖² ≤ ε²‖θ̂‖². Under gradient flow
 * d‖θ_r‖²/dt = 4Σ_i c_i q_ri (q_ri neuron r's part of q_i, c_i the loss
 * weights), so with the flow's weights close to λ a neuron's share of ‖θ‖²
 * changes like (‖θ‖²)^{γ_r - 1}: a neuron with γ_r < 1 loses its share, but
 * only as a power γ_r - 1 of ‖θ‖² ∝ log t (`./kkt_floor.ts`).
 *
 * ReLU networks only: {@linkcode approximateKkt} throws a RangeError for
 * an activation power p ≠ 1 (`NetworkWeights.power`).
 *
 * @module
 */

import type { LabelledPoints } from "../model/data.ts";
import { type NetworkWeights, requireRelu } from "../model/weights.ts";
import {
  batchPreActivations,
  checkShapes,
  gramMatrix,
  pointMargins,
  residualSquared,
  solveNonNegative,
} from "./kkt.ts";

/** Options of {@linkcode approximateKkt}. */
export interface ApproximateKktOptions {
  /** Precomputed X·Xᵀ (`n × n`), e.g. from `gramMatrix`. */
  gram?: Float64Array;
  /**
   * κ ≥ 0: (r, i) is at the kink when |z_ri| ≤ κ‖(w_r, b_r)‖‖(x_i, 1)‖
   * (see the module doc). Default 0: only exact zeros.
   */
  kinkRadius?: number;
  /** Most alternating rounds of the joint fit (default 60). */
  maxRounds?: number;
  /** Stop when a round lowers the objective by less than this, relative (default 1e-6). */
  tolerance?: number;
}

/** Result of {@linkcode approximateKkt}. */
export interface ApproximateKktReport {
  /**
   * ‖θ̂ - Σ λ_i h_i‖/‖θ̂‖ with λ ≥ 0 and the kink activations s fitted
   * jointly: the stationarity ε. `Infinity` when min margin ≤ 0.
   */
  residual: number;
  /** The same with s = 1[z > 0] fixed (plain NNLS over λ only). */
  residualFixed: number;
  /** Σ_i λ_i (q̂_i - 1) for the jointly fitted λ: the slackness δ. */
  slackness: number;
  /** Σ_i λ_i (q̂_i - 1) / Σ_i λ_i: the λ-weighted mean excess margin. */
  relativeSlackness: number;
  /** ‖θ̂‖² / (2Σλ) for the jointly fitted λ (1 at a KKT point). */
  normRatio: number;
  /** cos∠(θ, -∇L(θ)), the flow's direction against θ. */
  flowCosine: number;
  /** Residual with the flow's multipliers λ ∝ σ(-q) (best common scale): sin∠(θ, -∇L). */
  flowResidual: number;
  /** Pairs (r, i) at a kink (see `kinkRadius`). */
  kinkPairs: number;
  /** Kink pairs whose point carries a multiplier λ_i > 0 in the joint fit. */
  supportKinkPairs: number;
  /** Number of λ_i > 1e-9 in the joint fit. */
  supportSize: number;
  /** min_i q_i of θ as given. */
  minMargin: number;
  /** min_i q_i / ‖θ‖². */
  normalizedMargin: number;
  /** The jointly fitted multipliers of θ̂. */
  lambda: Float64Array;
  /** The jointly fitted activations s_ri (`n × m`, row i is point i). */
  activations: Float64Array;
  /** Each neuron's dual value γ_r (see the module doc; NaN for θ_r = 0). */
  neuronDuals: Float64Array;
  /** Alternating rounds taken. */
  rounds: number;
  /** Whether the rounds met the tolerance before `maxRounds`. */
  converged: boolean;
}

const DEFAULT_MAX_ROUNDS = 60;
const DEFAULT_TOLERANCE = 1e-6;
/** The NNLS solver's settings (those of `kktResidual`'s defaults). */
const NNLS = { iterations: 500, tolerance: 1e-10 };
/** λ_i above this count towards the support. */
const SUPPORT_THRESHOLD = 1e-9;
/** Coordinate-descent sweeps of one neuron's activations per round. */
const ACTIVATION_SWEEPS = 50;

/** The pieces every fit needs, at θ̂. */
interface Problem {
  params: NetworkWeights;
  x: Float64Array;
  y: ArrayLike<number>;
  n: number;
  /** Pre-activations of θ (not rescaled), n×m. */
  z: Float64Array;
  /** θ̂ = scale·θ. */
  scale: number;
  gram: Float64Array;
  /** q̂_i. */
  qHat: Float64Array;
  /** ‖θ̂‖². */
  normSquared: number;
}

/** rhs_i = y_i ⟨θ̂, ∇N_i(s)⟩ = y_i Σ_r v̂_r (s_ri ẑ_ri + relu(ẑ_ri)). */
function linearTerm(problem: Problem, s: Float64Array): Float64Array {
  const { params, y, n, z, scale } = problem;
  const { v, m } = params;
  const rhs = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let t = 0;
    for (let r = 0; r < m; r++) {
      const zz = scale * z[i * m + r];
      t += scale * v[r] * (s[i * m + r] * zz + (zz > 0 ? zz : 0));
    }
    rhs[i] = y[i] * t;
  }
  return rhs;
}

/**
 * Q(s)_ij = y_i y_j [(G_ij + 1) Σ_r v̂_r² s_ri s_rj + Σ_r relu(ẑ_ri) relu(ẑ_rj)]
 * for activations that differ from the fixed ones 1[z > 0] only at kink
 * pairs: the parts without kink pairs are computed once, and each call adds
 * the kink terms, O(n · #kink pairs) instead of O(n² m).
 */
function kinkGramBuilder(
  problem: Problem,
  at: { outside: Float64Array; kinks: number[][] },
): (s: Float64Array) => Float64Array {
  const { params, y, gram, scale, n, z } = problem;
  const { v, m } = params;
  const { outside: base, kinks } = at;
  const vSquared = Float64Array.from(v, (vr) => (scale * vr) ** 2);
  // A0 = Σ_r v̂_r² f_ri f_rj and C = Σ_r relu(ẑ_ri) relu(ẑ_rj), once.
  const weighted = new Float64Array(n * m);
  const relu = new Float64Array(n * m);
  for (let k = 0; k < n * m; k++) {
    weighted[k] = vSquared[k % m] * base[k];
    relu[k] = z[k] > 0 ? scale * z[k] : 0;
  }
  const a0 = new Float64Array(n * n);
  const c = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      let sa = 0, sc = 0;
      for (let r = 0; r < m; r++) {
        sa += weighted[i * m + r] * base[j * m + r];
        sc += relu[i * m + r] * relu[j * m + r];
      }
      a0[i * n + j] = a0[j * n + i] = sa;
      c[i * n + j] = c[j * n + i] = sc;
    }
  }
  return (s) => {
    const a = a0.slice();
    for (let r = 0; r < m; r++) {
      const list = kinks[r];
      if (list.length === 0) continue;
      const w2 = vSquared[r];
      for (const i of list) {
        const si = s[i * m + r];
        if (si === 0) continue;
        const t = w2 * si;
        for (let j = 0; j < n; j++) {
          const f = base[j * m + r];
          if (f !== 0) {
            a[i * n + j] += t * f;
            a[j * n + i] += t * f;
          }
        }
        for (const k of list) a[i * n + k] += t * s[k * m + r];
      }
    }
    const q = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        const k = i * n + j;
        q[k] = y[i] * y[j] * ((gram[k] + 1) * a[k] + c[k]);
      }
    }
    return q;
  };
}

/** λ by NNLS at fixed s; returns λ and the objective f = ‖θ̂ - Σλh‖². */
function fitLambda(
  problem: Problem,
  fit: { s: Float64Array; q: Float64Array; start?: Float64Array },
): { lambda: Float64Array; objective: number } {
  const { normSquared, n } = problem;
  const { s, q: h, start } = fit;
  const rhs = linearTerm(problem, s);
  const { lambda } = solveNonNegative(h, rhs, { ...NNLS, start });
  let f = normSquared;
  for (let i = 0; i < n; i++) {
    if (lambda[i] === 0) continue;
    let hl = 0;
    for (let j = 0; j < n; j++) hl += h[i * n + j] * lambda[j];
    f += lambda[i] * (hl - 2 * rhs[i]);
  }
  return { lambda, objective: f };
}

/**
 * The activations of neuron r at its kink pairs `kinks` (point indices),
 * minimising ‖u_r - v̂_r Σ_{i ∈ kinks} λ_i y_i s_ri (x_i, 1)‖² over
 * s ∈ [0, 1] by exact coordinate descent, where u_r is neuron r's (w, b)
 * residual without its kink pairs. Points with λ_i = 0 get the s_ri that
 * makes increasing λ_i most useful (1 when it lowers the residual).
 */
function fitNeuronActivations(
  problem: Problem,
  at: {
    r: number;
    kinks: number[];
    lambda: Float64Array;
    s: Float64Array;
    /** The activations 1[z > 0] with every kink pair set to 0. */
    outside: Float64Array;
  },
): void {
  const { params, y, n, z, scale, gram } = problem;
  const { m, v } = params;
  const { r, kinks, lambda, s, outside } = at;
  const vHat = scale * v[r];
  // ⟨u_r, (x_i, 1)⟩ = ẑ_ri - v̂_r Σ_{j ∉ kinks} λ_j y_j s_rj (G_ij + 1).
  const base = kinks.map((i) => {
    let t = 0;
    for (let j = 0; j < n; j++) {
      if (lambda[j] !== 0 && outside[j * m + r] !== 0) {
        t += lambda[j] * y[j] * (gram[i * n + j] + 1);
      }
    }
    return scale * z[i * m + r] - vHat * t;
  });
  const a = kinks.map((i) => vHat * lambda[i] * y[i]);
  const K = kinks.length;
  const cur = kinks.map((i) => s[i * m + r]);
  for (let sweep = 0; sweep < ACTIVATION_SWEEPS; sweep++) {
    let change = 0;
    for (let p = 0; p < K; p++) {
      if (a[p] === 0) continue;
      const i = kinks[p];
      // Negative half-gradient: a_p (⟨u_r, x̃_i⟩ - Σ_q a_q s_q ⟨x̃_i, x̃_q⟩).
      let g = base[p];
      for (let q = 0; q < K; q++) {
        if (a[q] === 0 || cur[q] === 0) continue;
        g -= a[q] * cur[q] * (gram[i * n + kinks[q]] + 1);
      }
      const curvature = a[p] * a[p] * (gram[i * n + i] + 1);
      const next = Math.min(1, Math.max(0, cur[p] + (a[p] * g) / curvature));
      change = Math.max(change, Math.abs(next - cur[p]));
      cur[p] = next;
    }
    if (change < 1e-9) break;
  }
  // λ_i = 0: s_ri = 1 when y_i v̂_r ⟨e_r, (x_i, 1)⟩ > 0 (e_r the residual).
  for (let p = 0; p < K; p++) {
    if (a[p] !== 0) continue;
    const i = kinks[p];
    let t = base[p];
    for (let q = 0; q < K; q++) {
      if (a[q] !== 0 && cur[q] !== 0) {
        t -= a[q] * cur[q] * (gram[i * n + kinks[q]] + 1);
      }
    }
    cur[p] = y[i] * vHat * t > 0 ? 1 : 0;
  }
  kinks.forEach((i, p) => (s[i * m + r] = cur[p]));
}

/**
 * The approximate KKT quantities of θ on (X, y) (see the module doc).
 * Cost per alternating round: O(n²m) for Q, O(n³) for λ; plus O(n·m·d)
 * for the explicit residuals.
 *
 * @example The solution of (P) for one point: a KKT point, and the flow's direction
 * ```ts
 * import { approximateKkt } from "./approximate_kkt.ts";
 * import assert from "node:assert/strict";
 * // x = (1, 0), y = +1: (w, b) ∝ (x, 1) = (1, 0, 1) and v² = ‖(w, b)‖².
 * const v = 2 ** -0.25, c = v / Math.SQRT2;
 * const params = { w: [c, 0], b: [c], v: [v], d: 2, m: 1 };
 * const one = approximateKkt(params, { x: [1, 0], y: [1] });
 * assert.ok(one.residual < 1e-9 && Math.abs(one.normRatio - 1) < 1e-9);
 * assert.ok(one.flowCosine > 1 - 1e-12);
 * ```
 */
export function approximateKkt(
  params: NetworkWeights,
  points: LabelledPoints,
  options: ApproximateKktOptions = {},
): ApproximateKktReport {
  requireRelu(params, "approximateKkt");
  checkShapes(params, { ...points, gram: options.gram });
  const { m, d, w, b, v } = params;
  const { y } = points;
  const n = y.length;
  const kinkRadius = options.kinkRadius ?? 0;
  const maxRounds = options.maxRounds ?? DEFAULT_MAX_ROUNDS;
  const tolerance = options.tolerance ?? DEFAULT_TOLERANCE;
  const x = Float64Array.from(points.x);
  const z = batchPreActivations(params, x);
  const { q, minMargin } = pointMargins(z, { v, y });
  let normSq = 0;
  const neuronNorm = new Float64Array(m);
  for (let r = 0; r < m; r++) {
    let s = b[r] * b[r];
    for (let k = 0; k < d; k++) s += w[r * d + k] ** 2;
    neuronNorm[r] = Math.sqrt(s);
    normSq += s + v[r] * v[r];
  }
  if (!(minMargin > 0)) {
    return {
      residual: Infinity,
      residualFixed: Infinity,
      slackness: NaN,
      relativeSlackness: NaN,
      normRatio: NaN,
      flowCosine: NaN,
      flowResidual: NaN,
      kinkPairs: NaN,
      supportKinkPairs: NaN,
      supportSize: NaN,
      minMargin,
      normalizedMargin: minMargin / normSq,
      lambda: new Float64Array(n).fill(NaN),
      activations: new Float64Array(n * m).fill(NaN),
      neuronDuals: new Float64Array(m).fill(NaN),
      rounds: 0,
      converged: false,
    };
  }
  const gram = options.gram ?? gramMatrix(x, d);
  const scale = 1 / Math.sqrt(minMargin);
  const problem: Problem = {
    params,
    x,
    y,
    n,
    z,
    scale,
    gram,
    qHat: q.map((qi) => qi / minMargin),
    normSquared: normSq * scale * scale,
  };
  const sqrtNorm = Math.sqrt(problem.normSquared);

  // Instantaneous activations, and the kink pairs of each neuron.
  const fixed = new Float64Array(n * m);
  const kinks: number[][] = Array.from({ length: m }, () => []);
  let kinkPairs = 0;
  for (let i = 0; i < n; i++) {
    const xNorm = Math.sqrt(gram[i * n + i] + 1);
    for (let r = 0; r < m; r++) {
      const zz = z[i * m + r];
      fixed[i * m + r] = zz > 0 ? 1 : 0;
      if (Math.abs(zz) <= kinkRadius * neuronNorm[r] * xNorm) {
        kinks[r].push(i);
        kinkPairs++;
      }
    }
  }

  // The flow's own multipliers: λ ∝ σ(-q_i), scaled by its best factor.
  const logWeights = Array.from(q, (qi) => -softplus(qi));
  const top = Math.max(...logWeights);
  const omega = Float64Array.from(logWeights, (l) => Math.exp(l - top));
  const outside = fixed.slice();
  kinks.forEach((list, r) => list.forEach((i) => (outside[i * m + r] = 0)));
  const gramOf = kinkGramBuilder(problem, { outside, kinks });
  const qFixed = gramOf(fixed);
  let radial = 0, curvature = 0;
  for (let i = 0; i < n; i++) {
    radial += omega[i] * 2 * problem.qHat[i];
    let t = 0;
    for (let j = 0; j < n; j++) t += qFixed[i * n + j] * omega[j];
    curvature += omega[i] * t;
  }
  // With λ = c·ω at its best c, ‖θ̂ - Σλh‖² = ‖θ̂‖² (1 - cos²).
  const flowCosine = radial / (sqrtNorm * Math.sqrt(curvature));
  const flowResidual = Math.sqrt(Math.max(0, 1 - flowCosine * flowCosine));

  // Plain NNLS at the instantaneous activations (residual from the
  // objective: at residuals ≥ 1e-4 the cancellation costs 8 of 16 digits).
  const plain = fitLambda(problem, { s: fixed, q: qFixed });
  const residualFixed = Math.sqrt(
    Math.max(0, plain.objective) / problem.normSquared,
  );

  // Joint fit of λ and the kink activations.
  const s = fixed.slice();
  let lambda = plain.lambda, objective = plain.objective;
  let rounds = 0, converged = kinkPairs === 0;
  while (!converged && rounds < maxRounds) {
    rounds++;
    for (let r = 0; r < m; r++) {
      if (kinks[r].length > 0) {
        fitNeuronActivations(problem, {
          r,
          kinks: kinks[r],
          lambda,
          s,
          outside,
        });
      }
    }
    const next = fitLambda(problem, { s, q: gramOf(s), start: lambda });
    const drop = objective - next.objective;
    if (next.objective <= objective) {
      lambda = next.lambda;
      objective = next.objective;
    }
    converged = !(drop > tolerance * Math.max(objective, 0));
  }
  const residual = Math.sqrt(
    residualSquared(params, { x, y, z, scale, lambda, activations: s }) /
      problem.normSquared,
  );
  let lambdaSum = 0, slackness = 0, supportSize = 0, supportKinkPairs = 0;
  for (let i = 0; i < n; i++) {
    lambdaSum += lambda[i];
    slackness += lambda[i] * (problem.qHat[i] - 1);
    if (lambda[i] > SUPPORT_THRESHOLD) supportSize++;
  }
  for (const list of kinks) {
    for (const i of list) if (lambda[i] > 0) supportKinkPairs++;
  }
  // γ_r = Σ_i λ_i y_i v_r (s_ri z_ri + relu(z_ri))/‖θ_r‖² (module doc).
  const neuronDuals = new Float64Array(m);
  for (let r = 0; r < m; r++) {
    let t = 0;
    for (let i = 0; i < n; i++) {
      const zz = z[i * m + r];
      if (lambda[i] > 0) {
        t += lambda[i] * y[i] * (s[i * m + r] * zz + (zz > 0 ? zz : 0));
      }
    }
    const norm = neuronNorm[r] ** 2 + v[r] * v[r];
    neuronDuals[r] = norm > 0 ? (v[r] * t) / norm : NaN;
  }
  return {
    residual,
    residualFixed,
    slackness,
    relativeSlackness: slackness / lambdaSum,
    normRatio: problem.normSquared / (2 * lambdaSum),
    flowCosine,
    flowResidual,
    kinkPairs,
    supportKinkPairs,
    supportSize,
    minMargin,
    normalizedMargin: minMargin / normSq,
    lambda,
    activations: s,
    neuronDuals,
    rounds,
    converged,
  };
}

/** log(1 + e^q), stable for all q. */
function softplus(q: number): number {
  return Math.max(q, 0) + Math.log1p(Math.exp(-Math.abs(q)));
}
