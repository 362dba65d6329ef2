/**
 * Networks of the paper's class built by hand rather than trained, on which
 * the claims measure what gradient flow does not reach:
 *
 * - {@linkcode robustNetwork}: the robust network N*(x) = Σ_j y_j
 *   relu(⟨μ_j, x⟩ - d/2) of C5 and C7, width k.
 * - {@linkcode badInterpolator}: the harmful interpolator N_bad of C1 and C3
 *   (PAPER.md), width n + 2:
 *   N_bad(x) = 10d·Σ_i y_i relu(⟨ξ_i, x⟩ - d/2) - ⟨Σ_j y_j μ_j, x⟩, where
 *   ξ_i = x_i - μ_{c(i)} is the noise of training point i, and the linear
 *   term is two relus (-⟨s,x⟩ = -relu(⟨s,x⟩) + relu(-⟨s,x⟩)).
 *
 * - {@linkcode oneClusterMemorizer}: the interpolator of C2's and C3's near
 *   twin, N*'s neurons for every cluster but one, c, whose training points
 *   it memorizes instead (noise neurons, as N_bad does):
 *   N_c(x) = Σ_{j≠c} y_j relu(⟨μ_j, x⟩ - d/2) + Σ_{i: c(i)=c} y_c relu(⟨ξ_i, x⟩ - d/2).
 *   It fits the training set and is right on every cluster but c, where no
 *   neuron fires on a fresh point (N_c = 0, an error): test error ≈ 1/k,
 *   whatever d is — the smallest error an interpolator that fails to learn
 *   a cluster can have.
 * - {@linkcode padWidth}: a network with zero neurons appended, so that a
 *   construction has the width of the trained network it is compared with
 *   (same architecture, same function).
 *
 * On a training point only its own noise neuron of N_bad is active
 * (⟨ξ_i, x_i⟩ ≈ d, while ⟨ξ_j, x_i⟩ = O(√d) for j ≠ i), giving margin
 * ≈ 5d² - d > 0; on a fresh point no noise neuron is active and
 * N_bad = -⟨s, x⟩ has the wrong sign. The same holds of N_c's noise
 * neurons, which need d/2 ≫ √(2d)·(a few): d ≳ 200.
 *
 * @module
 */

import {
  type ClusterModel,
  type ClusterSample,
  signedMeanSum,
} from "../model/data.ts";
import { checkWeights, type NetworkWeights } from "../model/weights.ts";

/** Cluster means and labels (a {@linkcode ClusterModel} is one). */
export interface ClusterMeans {
  /** Input dimension d. */
  d: number;
  /** Number of clusters k. */
  k: number;
  /** The means μ_j, row-major k×d. */
  clusterMeans: Float64Array;
  /** The cluster labels y_j (±1), length k. */
  clusterLabels: ArrayLike<number>;
}

/**
 * The paper's robust network N*(x) = Σ_j y_j relu(⟨μ_j, x⟩ - d/2): one neuron
 * per cluster, w_j = μ_j, b_j = -d/2, v_j = y_j, width m = k.
 *
 * With orthogonal means of norm √d, at x = μ_j only neuron j is active, with
 * pre-activation d/2 and ‖w_j‖ = √d, so the certified radius is exactly √d/2
 * (reached by z = -μ_j/2).
 *
 * @param clusters the means μ_j (row-major k×d), their labels y_j (±1), d
 *   and k: a {@linkcode ClusterModel} is one
 *
 * @example
 * ```ts
 * import { robustNetwork } from "./constructions.ts";
 * import { certifiedRadiusAt } from "./certified_radius.ts";
 * import assert from "node:assert/strict";
 * const clusterMeans = new Float64Array([2, 0, 0, 0, 0, 2, 0, 0]); // √d e_1, √d e_2 with d = 4
 * const net = robustNetwork({ clusterMeans, clusterLabels: [1, -1], d: 4, k: 2 });
 * assert.equal(certifiedRadiusAt(net, { x: [2, 0, 0, 0], label: 1 }), 1); // √d / 2
 * ```
 */
export function robustNetwork(
  clusters: ClusterMeans,
): NetworkWeights<Float64Array> {
  const { clusterMeans, clusterLabels, d, k } = clusters;
  const weights: NetworkWeights<Float64Array> = {
    w: Float64Array.from(clusterMeans),
    b: new Float64Array(k).fill(-d / 2),
    v: Float64Array.from(clusterLabels),
    d,
    m: k,
  };
  checkWeights(weights);
  return weights;
}

/**
 * The weights of N_bad for a training sample of a cluster model (see the
 * module doc): width n + 2, or `options.width` with zero neurons appended.
 *
 * @example
 * ```ts
 * import { badInterpolator } from "./constructions.ts";
 * import { clusterModel, sampleClusters } from "../model/data.ts";
 * import { Rng } from "../model/rng.ts";
 * import assert from "node:assert/strict";
 * const rng = new Rng(1);
 * const model = clusterModel(rng, { d: 50, k: 2 });
 * const train = sampleClusters(rng, { model, n: 4 });
 * assert.equal(badInterpolator(model, train).m, 4 + 2);
 * ```
 */
export function badInterpolator(
  model: ClusterModel,
  train: ClusterSample,
  options: WidthOptions = {},
): NetworkWeights<Float32Array> {
  const { d, clusterMeans } = model;
  const { n, x, y, cluster } = train;
  const m = n + 2;
  const w = new Float32Array(m * d);
  const b = new Float32Array(m);
  const v = new Float32Array(m);
  for (let i = 0; i < n; i++) {
    const j = cluster[i];
    for (let t = 0; t < d; t++) {
      w[i * d + t] = x[i * d + t] - clusterMeans[j * d + t];
    }
    b[i] = -d / 2;
    v[i] = 10 * d * y[i];
  }
  const s = signedMeanSum(model);
  for (let t = 0; t < d; t++) {
    w[n * d + t] = s[t];
    w[(n + 1) * d + t] = -s[t];
  }
  v[n] = -1;
  v[n + 1] = 1;
  return padWidth({ d, m, w, b, v }, Math.max(m, options.width ?? m));
}

/** Options of the constructions that can be padded to a given width. */
export interface WidthOptions {
  /**
   * Width of the architecture: zero neurons are appended up to it when the
   * construction is narrower; a wider construction keeps its own width
   * (default: its own width).
   */
  width?: number;
}

/**
 * The same network with zero neurons (w_r = 0, b_r = 0, v_r = 0) appended up
 * to width `width`: the same function, in the architecture of width
 * `width` (with the same activation power, when the network has one).
 * Throws a RangeError when `width` is below the network's width.
 *
 * @example
 * ```ts
 * import { padWidth } from "./constructions.ts";
 * import assert from "node:assert/strict";
 * const net = { d: 2, m: 1, w: new Float32Array([1, 0]), b: new Float32Array([0]), v: new Float32Array([1]) };
 * const wide = padWidth(net, 3);
 * assert.equal(wide.m, 3);
 * assert.deepEqual([...wide.v], [1, 0, 0]);
 * ```
 */
export function padWidth(
  weights: NetworkWeights<Float32Array>,
  width: number,
): NetworkWeights<Float32Array> {
  checkWeights(weights);
  const { d, m } = weights;
  if (!Number.isInteger(width) || width < m) {
    throw new RangeError(
      `width must be an integer ≥ the network's width ${m}, got ${width}`,
    );
  }
  if (width === m) return weights;
  const w = new Float32Array(width * d);
  const b = new Float32Array(width);
  const v = new Float32Array(width);
  w.set(weights.w);
  b.set(weights.b);
  v.set(weights.v);
  const { power } = weights;
  return power === undefined
    ? { d, m: width, w, b, v }
    : { d, m: width, w, b, v, power };
}

/** Options of {@linkcode oneClusterMemorizer}. */
export interface MemorizerOptions extends WidthOptions {
  /**
   * The cluster c memorized instead of learned (default: the cluster of
   * the first training point, so that it is seen; clusters are
   * exchangeable).
   */
  cluster?: number;
}

/**
 * The interpolator N_c of the module doc: N*'s neuron for every cluster
 * j ≠ c, a noise neuron relu(⟨ξ_i, x⟩ - d/2) with output weight y_c for
 * every training point i of cluster c. Width k - 1 + n_c (padded with
 * `options.width`).
 *
 * @example
 * ```ts
 * import { oneClusterMemorizer } from "./constructions.ts";
 * import { classificationError } from "./classification.ts";
 * import { initBackend } from "../backend/backends.ts";
 * import { clusterModel, sampleClusters } from "../model/data.ts";
 * import { Rng } from "../model/rng.ts";
 * import assert from "node:assert/strict";
 * await initBackend("cpu");
 * const rng = new Rng(2);
 * const model = clusterModel(rng, { d: 300, k: 5 });
 * const train = sampleClusters(rng, { model, n: 30 });
 * const net = oneClusterMemorizer(model, train);
 * assert.equal(classificationError(net, train), 0);
 * ```
 */
export function oneClusterMemorizer(
  model: ClusterModel,
  train: ClusterSample,
  options: MemorizerOptions = {},
): NetworkWeights<Float32Array> {
  const { d, k, clusterMeans, clusterLabels } = model;
  const { n, x, cluster } = train;
  const c = options.cluster ?? cluster[0];
  if (!Number.isInteger(c) || c < 0 || c >= k) {
    throw new RangeError(`cluster must be an integer in [0, ${k}), got ${c}`);
  }
  const own: number[] = [];
  for (let i = 0; i < n; i++) if (cluster[i] === c) own.push(i);
  const m = k - 1 + own.length;
  const w = new Float32Array(m * d);
  const b = new Float32Array(m).fill(-d / 2);
  const v = new Float32Array(m);
  let r = 0;
  for (let j = 0; j < k; j++) {
    if (j === c) continue;
    for (let t = 0; t < d; t++) w[r * d + t] = clusterMeans[j * d + t];
    v[r++] = clusterLabels[j];
  }
  for (const i of own) {
    for (let t = 0; t < d; t++) {
      w[r * d + t] = x[i * d + t] - clusterMeans[c * d + t];
    }
    v[r++] = clusterLabels[c];
  }
  return padWidth({ d, m, w, b, v }, Math.max(m, options.width ?? m));
}
