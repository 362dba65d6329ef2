/**
 * The harmful interpolator of PAPER.md (C3), built in the same network class:
 * N_bad(x) = 10d·Σ_i y_i relu(⟨ξ_i, x⟩ - d/2) - ⟨Σ_j y_j μ_j, x⟩, where
 * ξ_i = x_i - μ_{c(i)} is the noise of training point i, and the linear term
 * is two relus (-⟨s,x⟩ = -relu(⟨s,x⟩) + relu(-⟨s,x⟩)). Width n + 2.
 *
 * On a training point only its own noise neuron is active (⟨ξ_i, x_i⟩ ≈ d,
 * while ⟨ξ_j, x_i⟩ = O(√d) for j ≠ i), giving margin ≈ 5d² - d > 0; on a fresh
 * point no noise neuron is active and N_bad = -⟨s, x⟩ has the wrong sign.
 *
 * @module
 */

import {
  type ClusterModel,
  type ClusterSample,
  signedMeanSum,
} from "../model/data.ts";
import { type NetworkWeights } from "../model/weights.ts";

/** The weights of N_bad for a training sample of a cluster model. */
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
