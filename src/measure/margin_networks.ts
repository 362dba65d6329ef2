/**
 * Normalized margins of 2-homogeneous networks, and the networks claim C1
 * compares gradient flow with.
 *
 * N(x) = Σ_r v_r relu(⟨w_r, x⟩ + b_r) is 2-homogeneous in θ, and each
 * neuron may be rescaled, (w_r, b_r, v_r) → (c w_r, c b_r, v_r/c) with
 * c > 0, without changing N. The normalized margin of the function N is
 * therefore taken at the rescaling with the smallest ‖θ‖², the balanced one
 * (|v_r| = ‖(w_r, b_r)‖), where ‖θ‖² = Σ_r 2|v_r|·‖(w_r, b_r)‖:
 *
 *   γ(N) = min_i y_i N(x_i) / Σ_r 2|v_r|·‖(w_r, b_r)‖.
 *
 * It is what max-margin problem (P) maximizes, and every KKT point of (P) is
 * balanced, so for gradient flow (balanced up to its small initialization)
 * it equals min_i q_i/‖θ‖².
 *
 * The networks:
 * - {@linkcode averagingNetwork}: relu(⟨u+, x⟩) - relu(⟨u-, x⟩) with
 *   u± = Σ_{y_j = ±1} μ_j, the two-neuron feature-averaging network;
 * - {@linkcode perClusterNetwork}: Σ_j y_j relu(⟨μ_j, x⟩), one bias-free
 *   neuron per cluster (the robust alternative, without N*'s bias);
 * - {@linkcode balanceNeurons}: any network at its balanced rescaling;
 * - {@linkcode perturbInSpan}: a random perturbation of a network within
 *   the span of the training points, kept balanced (C1's near twin).
 *
 * Power: {@linkcode margins} are y_i N(x_i) for any activation power p;
 * the rest rests on the ReLU network's 2-homogeneity and neuron rescaling
 * and throws a RangeError for p ≠ 1 (`NetworkWeights.power`).
 *
 * @module
 */

import type { ClusterModel, LabelledPoints } from "../model/data.ts";
import { classMeanSum } from "../model/data.ts";
import type { Rng } from "../model/rng.ts";
import { outputFromPreActivations } from "../model/forward.ts";
import {
  checkWeights,
  type NetworkWeights,
  requireRelu,
} from "../model/weights.ts";

/** Normalized margin of a network, from {@linkcode homogeneousMargin}. */
export interface HomogeneousMargin {
  /** min_i y_i N(x_i). */
  minMargin: number;
  /** Σ_r 2|v_r|·‖(w_r, b_r)‖: ‖θ‖² at the balanced rescaling. */
  balancedNormSquared: number;
  /** γ = minMargin / balancedNormSquared. */
  normalizedMargin: number;
}

/** ‖(w_r, b_r)‖ for every neuron r. */
function incomingNorms(net: NetworkWeights): Float64Array {
  const { w, b, d, m } = net;
  const out = new Float64Array(m);
  for (let r = 0; r < m; r++) {
    let s = b[r] * b[r];
    for (let t = 0; t < d; t++) s += w[r * d + t] * w[r * d + t];
    out[r] = Math.sqrt(s);
  }
  return out;
}

/**
 * The margins y_i N(x_i) of every point, in float64 (with the network's
 * power p, default 1).
 *
 * @example
 * ```ts
 * import { margins } from "./margin_networks.ts";
 * import assert from "node:assert/strict";
 * const net = { d: 1, m: 1, w: [2], b: [0], v: [1] };
 * assert.deepEqual([...margins(net, { x: [1, 3], y: [1, -1] })], [2, -6]);
 * ```
 */
export function margins(
  net: NetworkWeights,
  points: LabelledPoints,
): Float64Array {
  checkWeights(net);
  const { w, b, v, d, m } = net;
  const { x, y } = points;
  const n = y.length;
  const out = new Float64Array(n);
  const z = new Float64Array(m);
  for (let i = 0; i < n; i++) {
    for (let r = 0; r < m; r++) {
      let s = 0;
      for (let t = 0; t < d; t++) s += w[r * d + t] * x[i * d + t];
      z[r] = s + b[r];
    }
    out[i] = y[i] * outputFromPreActivations(z, { v, power: net.power });
  }
  return out;
}

/**
 * The normalized margin γ of the function a network computes (see the
 * module doc).
 *
 * @example One neuron, unbalanced: γ does not depend on the rescaling
 * ```ts
 * import { homogeneousMargin } from "./margin_networks.ts";
 * import assert from "node:assert/strict";
 * const points = { x: [3, 4], y: [1] };
 * const a = homogeneousMargin({ d: 2, m: 1, w: [0.6, 0.8], b: [0], v: [4] }, points);
 * const b = homogeneousMargin({ d: 2, m: 1, w: [1.2, 1.6], b: [0], v: [2] }, points);
 * assert.ok(Math.abs(a.normalizedMargin - 2.5) < 1e-12);
 * assert.ok(Math.abs(a.normalizedMargin - b.normalizedMargin) < 1e-12);
 * ```
 */
export function homogeneousMargin(
  net: NetworkWeights,
  points: LabelledPoints,
): HomogeneousMargin {
  requireRelu(net, "homogeneousMargin");
  const q = margins(net, points);
  const norms = incomingNorms(net);
  let balancedNormSquared = 0;
  for (let r = 0; r < net.m; r++) {
    balancedNormSquared += 2 * Math.abs(net.v[r]) * norms[r];
  }
  const minMargin = Math.min(...q);
  return {
    minMargin,
    balancedNormSquared,
    normalizedMargin: minMargin / balancedNormSquared,
  };
}

/**
 * The same function at its balanced rescaling: each neuron scaled so that
 * |v_r| = ‖(w_r, b_r)‖ (neurons with v_r = 0 or (w_r, b_r) = 0 compute 0
 * and become all zeros).
 *
 * @example
 * ```ts
 * import { balanceNeurons } from "./margin_networks.ts";
 * import assert from "node:assert/strict";
 * const net = balanceNeurons({ d: 1, m: 1, w: [4], b: [0], v: [1] });
 * assert.deepEqual([net.w[0], net.v[0]], [2, 0.5 * 4]);
 * ```
 */
export function balanceNeurons(
  net: NetworkWeights,
): NetworkWeights<Float64Array> {
  checkWeights(net);
  requireRelu(net, "balanceNeurons");
  const { d, m } = net;
  const norms = incomingNorms(net);
  const w = new Float64Array(m * d);
  const b = new Float64Array(m);
  const v = new Float64Array(m);
  for (let r = 0; r < m; r++) {
    const vr = net.v[r];
    if (vr === 0 || norms[r] === 0) continue;
    // (c·(w, b), v/c) with c² = |v|/‖(w, b)‖.
    const c = Math.sqrt(Math.abs(vr) / norms[r]);
    for (let t = 0; t < d; t++) w[r * d + t] = c * net.w[r * d + t];
    b[r] = c * net.b[r];
    v[r] = vr / c;
  }
  return { d, m, w, b, v };
}

/**
 * The two-neuron averaging network relu(⟨u+, x⟩) - relu(⟨u-, x⟩), with
 * u± = Σ_{y_j = ±1} μ_j (no biases).
 *
 * @example
 * ```ts
 * import { averagingNetwork } from "./margin_networks.ts";
 * import assert from "node:assert/strict";
 * const model = {
 *   d: 2, k: 2, clusterMeans: new Float64Array([1, 0, 0, 1]),
 *   clusterLabels: new Int8Array([1, -1]), rho: 0, sigma: 1, kind: "orthogonal" as const,
 * };
 * assert.deepEqual([...averagingNetwork(model).w], [1, 0, 0, 1]);
 * ```
 */
export function averagingNetwork(
  model: ClusterModel,
): NetworkWeights<Float64Array> {
  const { d } = model;
  const w = new Float64Array(2 * d);
  w.set(classMeanSum(model, 1));
  w.set(classMeanSum(model, -1), d);
  return { d, m: 2, w, b: new Float64Array(2), v: Float64Array.from([1, -1]) };
}

/**
 * The bias-free one-neuron-per-cluster network Σ_j y_j relu(⟨μ_j, x⟩).
 *
 * @example
 * ```ts
 * import { perClusterNetwork } from "./margin_networks.ts";
 * import assert from "node:assert/strict";
 * const model = {
 *   d: 2, k: 2, clusterMeans: new Float64Array([1, 0, 0, 1]),
 *   clusterLabels: new Int8Array([1, -1]), rho: 0, sigma: 1, kind: "orthogonal" as const,
 * };
 * assert.deepEqual([...perClusterNetwork(model).v], [1, -1]);
 * ```
 */
export function perClusterNetwork(
  model: ClusterModel,
): NetworkWeights<Float64Array> {
  const { d, k, clusterMeans, clusterLabels } = model;
  return {
    d,
    m: k,
    w: Float64Array.from(clusterMeans),
    b: new Float64Array(k),
    v: Float64Array.from(clusterLabels),
  };
}

/** Options of {@linkcode perturbInSpan}. */
export interface PerturbOptions {
  /** Where the coefficients are drawn from ((n + 1)·m normal draws, in order). */
  rng: Rng;
  /** ‖θ' - θ‖ / ‖θ‖ of the result. */
  size: number;
}

/**
 * A random perturbation of `net` in the span of the training points, kept
 * balanced, at relative size `options.size`: see
 * {@linkcode inSpanPerturbation}.
 *
 * @example
 * ```ts
 * import { perturbInSpan } from "./margin_networks.ts";
 * import { Rng } from "../model/rng.ts";
 * import assert from "node:assert/strict";
 * const net = { d: 2, m: 1, w: [3, 0], b: [4], v: [5] };
 * const moved = perturbInSpan(net, { x: [1, 0, 0, 1], y: [1, 1] }, { rng: new Rng(1), size: 0.1 });
 * const dist = Math.hypot(moved.w[0] - 3, moved.w[1], moved.b[0] - 4, moved.v[0] - 5);
 * assert.ok(Math.abs(dist / Math.hypot(3, 4, 5) - 0.1) < 1e-6);
 * assert.ok(Math.abs(moved.v[0] ** 2 - moved.w[0] ** 2 - moved.w[1] ** 2 - moved.b[0] ** 2) < 1e-9);
 * ```
 */
export function perturbInSpan(
  net: NetworkWeights,
  points: LabelledPoints,
  options: PerturbOptions,
): NetworkWeights<Float64Array> {
  requireRelu(net, "perturbInSpan");
  return inSpanPerturbation(net, points, options.rng)(options.size);
}

/**
 * One random direction of perturbation of `net` in the span of the
 * training points, as a function of its size: Δ(w_r, b_r) =
 * Σ_i a_ri (x_i, 1) + a_r0 (0, 1) with a ~ N(0, 1) ((n + 1)·m draws from
 * `rng`, now) — the span in which gradient flow moves (w_r, b_r) — then
 * v_r = sign(v_r)·‖(w_r, b_r)‖ (so v_r² = ‖w_r‖² + b_r²), the change scaled
 * (by bisection on its one scale factor) so that ‖θ' - θ‖ = size·‖θ‖ to
 * 1e-9 relative.
 *
 * @example The same direction at two sizes
 * ```ts
 * import { inSpanPerturbation } from "./margin_networks.ts";
 * import { Rng } from "../model/rng.ts";
 * import assert from "node:assert/strict";
 * const net = { d: 2, m: 1, w: [3, 0], b: [4], v: [5] };
 * const move = inSpanPerturbation(net, { x: [1, 0, 0, 1], y: [1, 1] }, new Rng(1));
 * const [a, b] = [move(0.01), move(0.02)];
 * assert.ok(Math.abs((b.w[1] - 0) / (a.w[1] - 0) - 2) < 0.05);
 * ```
 */
export function inSpanPerturbation(
  net: NetworkWeights,
  points: LabelledPoints,
  rng: Rng,
): (size: number) => NetworkWeights<Float64Array> {
  checkWeights(net);
  requireRelu(net, "inSpanPerturbation");
  const { d, m } = net;
  const { x, y } = points;
  const n = y.length;
  const dw = new Float64Array(m * d);
  const db = new Float64Array(m);
  for (let r = 0; r < m; r++) {
    const a = rng.normalArray(n + 1);
    for (let i = 0; i < n; i++) {
      for (let t = 0; t < d; t++) dw[r * d + t] += a[i] * x[i * d + t];
      db[r] += a[i];
    }
    db[r] += a[n];
  }
  let norm = 0;
  for (let r = 0; r < m; r++) {
    norm += net.b[r] ** 2 + net.v[r] ** 2;
    for (let t = 0; t < d; t++) norm += net.w[r * d + t] ** 2;
  }
  norm = Math.sqrt(norm);
  const at = (scale: number): NetworkWeights<Float64Array> => {
    const w = Float64Array.from(net.w, (wt, j) => wt + scale * dw[j]);
    const b = Float64Array.from(net.b, (bt, r) => bt + scale * db[r]);
    const moved = { d, m, w, b, v: new Float64Array(m) };
    const norms = incomingNorms(moved);
    for (let r = 0; r < m; r++) {
      moved.v[r] = (net.v[r] < 0 ? -1 : 1) * norms[r];
    }
    return moved;
  };
  const distance = (moved: NetworkWeights<Float64Array>): number => {
    let s = 0;
    for (let j = 0; j < m * d; j++) s += (moved.w[j] - net.w[j]) ** 2;
    for (let r = 0; r < m; r++) {
      s += (moved.b[r] - net.b[r]) ** 2 + (moved.v[r] - net.v[r]) ** 2;
    }
    return Math.sqrt(s) / norm;
  };
  return (size) => {
    // The distance grows monotonically in the scale: bracket, then bisect.
    let low = 0, high = 1;
    while (distance(at(high)) < size) {
      low = high;
      high *= 2;
    }
    while (high - low > 1e-9 * high) {
      const mid = 0.5 * (low + high);
      if (distance(at(mid)) < size) low = mid;
      else high = mid;
    }
    return at(0.5 * (low + high));
  };
}
