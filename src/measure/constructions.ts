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
 * On a training point only its own noise neuron of N_bad is active
 * (⟨ξ_i, x_i⟩ ≈ d, while ⟨ξ_j, x_i⟩ = O(√d) for j ≠ i), giving margin
 * ≈ 5d² - d > 0; on a fresh point no noise neuron is active and
 * N_bad = -⟨s, x⟩ has the wrong sign.
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
 * module doc).
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
  return { d, m, w, b, v };
}
