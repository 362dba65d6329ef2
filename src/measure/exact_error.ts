/**
 * The test error of a network on the cluster distribution, measured exactly
 * enough to see errors of 1e-12 (C2, C3, N1): no test set, but per cluster
 * the probability of an error, by importance sampling in the network's own
 * m-dimensional noise space.
 *
 * A fresh point of cluster j is x = μ_j + ξ with ξ ~ N(0, σ²I_d). The noise
 * reaches the network only through the pre-activations:
 *   ⟨w_r, x⟩ + b_r = a_jr + z_r,  a_j = Wμ_j + b,  z = Wξ ~ N(0, σ²WWᵀ),
 * an m-dimensional Gaussian. With a factor σ²WWᵀ = LLᵀ (pivoted Cholesky,
 * L of size m×r, r = rank), z = Lg for g ~ N(0, I_r), so one sample costs
 * m·r instead of m·d (the products of a cluster's samples are one matrix
 * product, through OpenBLAS when it loads), and the error probability of
 * cluster j is
 *   p_j = P(f_j(g) ≤ 0),  f_j(g) = y_j Σ_r v_r relu(a_jr + (Lg)_r),
 * (a zero output counts as an error, as in `classification.ts`). The test
 * error is (1/k) Σ_j p_j, the clusters being equally likely.
 *
 * Importance sampling. Where p_j is tiny, plain sampling sees no error. We
 * find the design point g*_j, the most likely error (the point of
 * {f_j ≤ 0} nearest the origin), by the Hasofer–Lind–Rackwitz–Fiessler
 * iteration g ← ((⟨∇f, g⟩ − f)/‖∇f‖²)·∇f from g = 0 (∇f = Lᵀ(y_j v ⊙
 * 1[a_j + Lg > 0]), the input gradient in g-space; exact for a network
 * linear near the cluster), then bisect along the ray to the boundary.
 * Samples come from the defensive mixture
 *   q = α·N(0, I) + (1 − α)·N(g*, I),
 * each weighted by the likelihood ratio
 *   w(g) = 1 / (α + (1 − α)·exp(⟨g*, g⟩ − ‖g*‖²/2)) ≤ 1/α,
 * so p̂_j = mean(w·1[f_j ≤ 0]) is unbiased whatever g* is (a poor design
 * point costs variance, never bias) and each term is bounded by 1/α. For a
 * half-space at distance β its relative variance grows only like β, so a
 * few hundred samples per cluster give a few percent at any rarity.
 *
 * Intervals: the standard error comes from the sample variance of the
 * weighted indicators. A cluster whose samples never erred contributes 0 to
 * the estimate and, to the upper bound, the Clopper–Pearson upper bound of
 * a zero count over those clusters' samples divided by α (since
 * q(f ≤ 0) ≥ α·p, a zero count bounds p); a zero is never reported as an
 * exact 0.
 *
 * ReLU networks only: {@linkcode exactTestError} throws a RangeError for an
 * activation power p ≠ 1 (`NetworkWeights.power`; its design-point search
 * and error indicator are written for relu). {@linkcode noiseFactor} uses
 * W alone and serves any power.
 *
 * @module
 */

import { loadOpenBlas, type OpenBlas } from "../backend/openblas.ts";
import { loadSimdGemm, type SimdGemm } from "../backend/simd_gemm.ts";
import type { ClusterModel } from "../model/data.ts";
import type { Rng } from "../model/rng.ts";
import {
  checkWeights,
  type NetworkWeights,
  requireRelu,
} from "../model/weights.ts";
import { clopperPearsonInterval } from "../stats/proportions.ts";
import { normalQuantile } from "../stats/quantiles.ts";

/** Default samples per cluster of {@linkcode exactTestError}. */
export const EXACT_ERROR_SAMPLES = 512;
/** Default share α of the untilted component of the proposal. */
export const DEFENSIVE_SHARE = 0.1;
/** Pivots below this fraction of the largest diagonal of σ²WWᵀ are dropped. */
export const PIVOT_TOLERANCE = 1e-12;
/** Iterations of the design-point search. */
const DESIGN_ITERATIONS = 30;
/** Bisection steps towards the error boundary along the design ray. */
const BISECTION_STEPS = 20;

/**
 * A factor L (m×r, row-major) of σ²WWᵀ = LLᵀ: the covariance of the
 * pre-activation noise z = Wξ, ξ ~ N(0, σ²I_d).
 */
export interface NoiseFactor {
  /** Width m (rows of L). */
  m: number;
  /** Rank r kept (columns of L). */
  r: number;
  /** L, m×r row-major. */
  l: Float64Array;
  /** L in float32, for the batched products. */
  l32: Float32Array;
}

/**
 * Pivoted Cholesky factor of σ²WWᵀ (float64): pivots are taken largest
 * diagonal first and the factorization stops when the largest remaining
 * diagonal is below {@linkcode PIVOT_TOLERANCE} times the largest initial
 * one (the dropped variance is at most that, per neuron). Rows of L stay in
 * neuron order.
 *
 * @example
 * ```ts
 * import { noiseFactor } from "./exact_error.ts";
 * import assert from "node:assert/strict";
 * // Two neurons with w = (3, 4) and (6, 8): rank 1, variance 25 and 100.
 * const f = noiseFactor({ d: 2, m: 2, w: [3, 4, 6, 8], b: [0, 0], v: [1, 1] }, 1);
 * assert.equal(f.r, 1);
 * assert.deepEqual([...f.l].map((x) => Math.abs(x)), [5, 10]);
 * ```
 */
export function noiseFactor(
  weights: NetworkWeights,
  sigma: number,
): NoiseFactor {
  checkWeights(weights);
  const { w, d, m } = weights;
  const s2 = sigma * sigma;
  // Gram matrix G = σ² W Wᵀ, symmetric, in float64.
  const g = new Float64Array(m * m);
  const row = new Float64Array(d);
  for (let r = 0; r < m; r++) {
    for (let t = 0; t < d; t++) row[t] = w[r * d + t];
    for (let s = 0; s <= r; s++) {
      let dot = 0;
      for (let t = 0; t < d; t++) dot += row[t] * w[s * d + t];
      g[r * m + s] = g[s * m + r] = s2 * dot;
    }
  }
  const diag = new Float64Array(m);
  let largest = 0;
  for (let r = 0; r < m; r++) {
    diag[r] = g[r * m + r];
    largest = Math.max(largest, diag[r]);
  }
  const cols: Float64Array[] = [];
  const used = new Uint8Array(m);
  while (cols.length < m) {
    let p = -1;
    for (let r = 0; r < m; r++) {
      if (!used[r] && (p < 0 || diag[r] > diag[p])) p = r;
    }
    if (p < 0 || !(diag[p] > PIVOT_TOLERANCE * largest)) break;
    used[p] = 1;
    const pivot = Math.sqrt(diag[p]);
    const col = new Float64Array(m);
    for (let r = 0; r < m; r++) {
      if (used[r] && r !== p) continue;
      let s = g[r * m + p];
      for (const c of cols) s -= c[r] * c[p];
      col[r] = r === p ? pivot : s / pivot;
    }
    for (let r = 0; r < m; r++) {
      if (!used[r]) diag[r] -= col[r] * col[r];
    }
    cols.push(col);
  }
  const r = cols.length;
  const l = new Float64Array(m * r);
  cols.forEach((c, j) => {
    for (let i = 0; i < m; i++) l[i * r + j] = c[i];
  });
  return { m, r, l, l32: Float32Array.from(l) };
}

/** One cluster's error problem: f(g) = y Σ v_r relu(a_r + (Lg)_r). */
interface ClusterProblem {
  factor: NoiseFactor;
  /** Pre-activations at the mean, a = Wμ + b. */
  a: Float64Array;
  /** y·v_r, the output weights signed by the cluster's label. */
  u: Float64Array;
}

/** z = a + Lg (written into `z`) and f(g) = Σ u_r relu(z_r). */
function margin(p: ClusterProblem, g: Float64Array, z: Float64Array): number {
  const { factor: { m, r, l }, a, u } = p;
  let f = 0;
  for (let i = 0; i < m; i++) {
    let s = a[i];
    const row = i * r;
    for (let c = 0; c < r; c++) s += l[row + c] * g[c];
    z[i] = s;
    if (s > 0) f += u[i] * s;
  }
  return f;
}

/** ∇f(g) = Lᵀ(u ⊙ 1[z > 0]) into `grad`, for z from {@linkcode margin}. */
function marginGradient(
  p: ClusterProblem,
  z: Float64Array,
  grad: Float64Array,
): void {
  const { factor: { m, r, l }, u } = p;
  grad.fill(0);
  for (let i = 0; i < m; i++) {
    if (!(z[i] > 0)) continue;
    const row = i * r;
    for (let c = 0; c < r; c++) grad[c] += l[row + c] * u[i];
  }
}

/** Euclidean norm. */
function norm(x: Float64Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] * x[i];
  return Math.sqrt(s);
}

/**
 * The design point of a cluster: a point of {f ≤ 0} near the origin (the
 * origin itself when f(0) ≤ 0; the last iterate when no error was found).
 */
function designPoint(p: ClusterProblem): Float64Array {
  const { m, r } = p.factor;
  const z = new Float64Array(m);
  let g = new Float64Array(r);
  if (margin(p, g, z) <= 0) return g;
  const grad = new Float64Array(r);
  let best: Float64Array | null = null;
  for (let it = 0; it < DESIGN_ITERATIONS; it++) {
    const f = margin(p, g, z);
    if (f <= 0 && (best === null || norm(g) < norm(best))) best = g.slice();
    marginGradient(p, z, grad);
    let gg = 0, gx = 0;
    for (let c = 0; c < r; c++) {
      gg += grad[c] * grad[c];
      gx += grad[c] * g[c];
    }
    if (!(gg > 0)) break;
    const scale = (gx - f) / gg;
    const next = new Float64Array(r);
    let moved = 0;
    for (let c = 0; c < r; c++) {
      next[c] = scale * grad[c];
      moved += (next[c] - g[c]) ** 2;
    }
    g = next;
    if (Math.sqrt(moved) <= 1e-9 * (1 + norm(g))) {
      if (margin(p, g, z) <= 0 && (best === null || norm(g) < norm(best))) {
        best = g.slice();
      }
      break;
    }
  }
  if (best === null) {
    // Step just past the last linearised boundary, if that errs.
    const past = g.map((x) => 1.001 * x);
    if (margin(p, past, z) <= 0) best = past;
    else return g;
  }
  // Bisect along the ray 0 → best for a point of {f ≤ 0} near the boundary.
  let lo = 0, hi = 1;
  const probe = new Float64Array(r);
  for (let it = 0; it < BISECTION_STEPS; it++) {
    const mid = (lo + hi) / 2;
    for (let c = 0; c < r; c++) probe[c] = mid * best[c];
    if (margin(p, probe, z) <= 0) hi = mid;
    else lo = mid;
  }
  return best.map((x) => hi * x);
}

/** log(e^a + e^b), stable. */
function logAddExp(a: number, b: number): number {
  const hi = Math.max(a, b);
  if (hi === -Infinity) return -Infinity;
  return hi + Math.log(Math.exp(a - hi) + Math.exp(b - hi));
}

/** Importance-sampling estimate of one cluster's error probability. */
interface ClusterEstimate {
  /** p̂_j. */
  p: number;
  /** Variance of p̂_j (sample variance / N). */
  variance: number;
  /** Samples in the error region. */
  failures: number;
  /** ‖g*‖: the design point's distance, in noise standard deviations. */
  distance: number;
}

/** Options of {@linkcode noiseProducts}. */
export interface NoiseProductOptions {
  /** Number of samples (rows of G). */
  samples: number;
  /**
   * The OpenBLAS handle to use, or `null` for the float64 products (default:
   * `loadOpenBlas()`, so OpenBLAS whenever it loads).
   */
  blas?: OpenBlas | null;
  /**
   * The float64 products without OpenBLAS: the WebAssembly SIMD `dgemm`
   * (default `loadSimdGemm()`, when it compiles), or `null` for the loops.
   * Both sum each entry in index order from 0: the same values bit for bit.
   */
  simd?: SimdGemm | null;
}

/**
 * The products z_s = L g_s of a block of samples: Z = G Lᵀ (samples × m,
 * row-major) for G (samples × r, row-major). With OpenBLAS (`sgemm`,
 * float32 products of float64 draws: relative rounding 1e-7, far below the
 * sampling error); otherwise in float64, by the WebAssembly SIMD `dgemm`
 * when it compiles, else in loops (each entry summed in index order from
 * 0 either way, so both give the same values).
 *
 * @example
 * ```ts
 * import { noiseFactor, noiseProducts } from "./exact_error.ts";
 * import assert from "node:assert/strict";
 * const factor = noiseFactor({ d: 2, m: 2, w: [1, 0, 0, 2], b: [0, 0], v: [1, 1] }, 1);
 * const z = noiseProducts(factor, new Float64Array([1, 1]), { samples: 1, blas: null });
 * assert.deepEqual(Array.from(z).sort(), [1, 2]);
 * ```
 */
export function noiseProducts(
  factor: NoiseFactor,
  g: Float64Array,
  options: NoiseProductOptions,
): ArrayLike<number> {
  const { m, r, l } = factor;
  const { samples } = options;
  if (g.length !== samples * r) {
    throw new RangeError(
      `g has length ${g.length}, expected samples·r = ${samples * r}`,
    );
  }
  const blas = m > 0 && r > 0
    ? (options.blas === undefined ? loadOpenBlas() : options.blas)
    : null;
  if (blas !== null) {
    const z = new Float32Array(samples * m);
    blas.sgemm(Float32Array.from(g), factor.l32, {
      m: samples,
      n: m,
      k: r,
      c: z,
      transB: true,
    });
    return z;
  }
  const z = new Float64Array(samples * m);
  const simd = m > 0 && r > 0
    ? (options.simd === undefined ? loadSimdGemm() : options.simd)
    : null;
  if (simd !== null) {
    simd.dgemm(g, l, { m: samples, n: m, k: r, c: z, transB: true });
    return z;
  }
  for (let s = 0; s < samples; s++) {
    for (let i = 0; i < m; i++) {
      let acc = 0;
      for (let c = 0; c < r; c++) acc += l[i * r + c] * g[s * r + c];
      z[s * m + i] = acc;
    }
  }
  return z;
}

/** Sample one cluster's error probability from the defensive mixture. */
function estimateCluster(
  p: ClusterProblem,
  options: { rng: Rng; samples: number; alpha: number },
): ClusterEstimate {
  const { rng, samples, alpha } = options;
  const { m, r } = p.factor;
  const { a, u } = p;
  const star = designPoint(p);
  const distance = norm(star);
  const half = (distance * distance) / 2;
  const tilted = distance > 0;
  const logAlpha = Math.log(alpha), logRest = Math.log1p(-alpha);
  // Draw every sample first (component, then r normals, sample by sample).
  const g = new Float64Array(samples * r);
  const dots = new Float64Array(samples);
  for (let s = 0; s < samples; s++) {
    const shifted = tilted && rng.uniform() >= alpha;
    let dot = 0;
    for (let c = 0; c < r; c++) {
      const x = rng.normal() + (shifted ? star[c] : 0);
      g[s * r + c] = x;
      dot += star[c] * x;
    }
    dots[s] = dot;
  }
  const z = noiseProducts(p.factor, g, { samples });
  let sum = 0, sumSq = 0, failures = 0;
  for (let s = 0; s < samples; s++) {
    let f = 0;
    for (let i = 0; i < m; i++) {
      const pre = a[i] + z[s * m + i];
      if (pre > 0) f += u[i] * pre;
    }
    if (f > 0) continue;
    failures++;
    const weight = tilted
      ? Math.exp(-logAddExp(logAlpha, logRest + dots[s] - half))
      : 1;
    sum += weight;
    sumSq += weight * weight;
  }
  const mean = sum / samples;
  const variance = samples > 1
    ? Math.max(0, sumSq / samples - mean * mean) / (samples - 1)
    : 0;
  return { p: mean, variance, failures, distance };
}

/** The network without its neurons of output weight 0 (the same function), in float64. */
function dropSilentNeurons(
  weights: NetworkWeights,
): NetworkWeights<Float64Array> {
  const { d, m } = weights;
  const rows: number[] = [];
  for (let r = 0; r < m; r++) if (weights.v[r] !== 0) rows.push(r);
  const w = new Float64Array(rows.length * d);
  rows.forEach((r, i) => {
    for (let t = 0; t < d; t++) w[i * d + t] = weights.w[r * d + t];
  });
  return {
    d,
    m: rows.length,
    w,
    b: Float64Array.from(rows, (r) => weights.b[r]),
    v: Float64Array.from(rows, (r) => weights.v[r]),
  };
}

/** Options of {@linkcode exactTestError}. */
export interface ExactErrorOptions {
  /** The generator every sample is drawn from (the trial's). */
  rng: Rng;
  /** Samples per cluster (default {@linkcode EXACT_ERROR_SAMPLES}). */
  samplesPerCluster?: number;
  /** Share α of the untilted component, in (0, 1] (default {@linkcode DEFENSIVE_SHARE}); 1 is plain sampling. */
  defensiveShare?: number;
  /** Two-sided level of the interval (default 0.95). */
  confidence?: number;
}

/** What {@linkcode exactTestError} measures. */
export interface ExactError {
  /** Estimated test error (1/k) Σ_j p_j. */
  error: number;
  /** Its standard error. */
  standardError: number;
  /** Lower end of the interval (≥ 0). */
  low: number;
  /** Upper end of the interval (never 0: a zero count enters as a bound). */
  high: number;
  /** Samples that erred, over all clusters. */
  failures: number;
  /** Samples drawn, over all clusters. */
  samples: number;
  /** Clusters none of whose samples erred. */
  zeroClusters: number;
  /** Estimated error probability p_j of each cluster. */
  perCluster: Float64Array;
  /** Distance ‖g*_j‖ of each cluster's design point (0: the mean errs). */
  designDistance: Float64Array;
  /** Rank r of the noise factor. */
  rank: number;
}

/**
 * The test error of a network on a cluster model, by importance sampling in
 * its m-dimensional pre-activation noise (see the module doc), with a
 * two-sided interval. All draws come from `options.rng`, cluster by
 * cluster, in index order.
 *
 * @example
 * ```ts
 * import { exactTestError } from "./exact_error.ts";
 * import { clusterModel } from "../model/data.ts";
 * import { Rng } from "../model/rng.ts";
 * import assert from "node:assert/strict";
 * // N(x) = ⟨s, x⟩ with s = Σ_j y_j μ_j: error Φ(-√(d/k)) exactly.
 * const rng = new Rng(3);
 * const model = clusterModel(rng, { d: 100, k: 4 });
 * const w = new Float64Array(2 * 100);
 * for (let j = 0; j < 4; j++) {
 *   for (let t = 0; t < 100; t++) {
 *     const s = model.clusterLabels[j] * model.clusterMeans[j * 100 + t];
 *     w[t] += s;
 *     w[100 + t] -= s;
 *   }
 * }
 * const net = { d: 100, m: 2, w, b: [0, 0], v: [1, -1] };
 * const { error, low, high } = exactTestError(net, model, { rng });
 * assert.ok(low < 2.87e-7 && 2.87e-7 < high); // Φ(-5)
 * assert.ok(Math.abs(error / 2.87e-7 - 1) < 0.1);
 * ```
 */
export function exactTestError(
  weights: NetworkWeights,
  model: ClusterModel,
  options: ExactErrorOptions,
): ExactError {
  const {
    rng,
    samplesPerCluster = EXACT_ERROR_SAMPLES,
    defensiveShare = DEFENSIVE_SHARE,
    confidence = 0.95,
  } = options;
  if (!Number.isInteger(samplesPerCluster) || samplesPerCluster < 2) {
    throw new RangeError(
      `samplesPerCluster must be an integer ≥ 2, got ${samplesPerCluster}`,
    );
  }
  if (!(defensiveShare > 0 && defensiveShare <= 1)) {
    throw new RangeError(
      `defensiveShare must be in (0, 1], got ${defensiveShare}`,
    );
  }
  checkWeights(weights);
  requireRelu(weights, "exactTestError");
  const { d, k, clusterMeans, clusterLabels, sigma } = model;
  if (weights.d !== d) {
    throw new RangeError(`network has d=${weights.d}, model d=${d}`);
  }
  // Neurons with v_r = 0 (e.g. the zero neurons a construction is padded
  // with) do not change f: drop them, exactly.
  const kept = dropSilentNeurons(weights);
  const { w, b, v, m } = kept;
  const factor = noiseFactor(kept, sigma);
  const perCluster = new Float64Array(k);
  const designDistance = new Float64Array(k);
  let variance = 0, failures = 0, zeroClusters = 0;
  for (let j = 0; j < k; j++) {
    const a = new Float64Array(m);
    const u = new Float64Array(m);
    for (let r = 0; r < m; r++) {
      let s = b[r];
      for (let t = 0; t < d; t++) s += w[r * d + t] * clusterMeans[j * d + t];
      a[r] = s;
      u[r] = clusterLabels[j] * v[r];
    }
    const est = estimateCluster({ factor, a, u }, {
      rng,
      samples: samplesPerCluster,
      alpha: defensiveShare,
    });
    perCluster[j] = est.p;
    designDistance[j] = est.distance;
    variance += est.variance;
    failures += est.failures;
    if (est.failures === 0) zeroClusters++;
  }
  const error = perCluster.reduce((s, p) => s + p, 0) / k;
  const standardError = Math.sqrt(variance) / k;
  const z = normalQuantile(1 - (1 - confidence) / 2);
  // Clusters that never erred: Σ_j q_j(f ≤ 0) over them is at most
  // zeroClusters·(Clopper–Pearson upper bound of 0 errors in their samples),
  // and p_j ≤ q_j(f ≤ 0)/α.
  const zeroBound = zeroClusters === 0 ? 0 : (zeroClusters *
    clopperPearsonInterval(0, zeroClusters * samplesPerCluster, {
      confidence,
    }).high) / (defensiveShare * k);
  return {
    error,
    standardError,
    low: Math.max(0, error - z * standardError),
    high: Math.min(1, error + z * standardError + zeroBound),
    failures,
    samples: k * samplesPerCluster,
    zeroClusters,
    perCluster,
    designDistance,
    rank: factor.r,
  };
}
