/**
 * One random instance of the paper's setting, drawn from a single trial seed:
 * cluster means and labels, a training set, an independent test set and a
 * small initialization, in that order from one {@linkcode Rng}. Every claim's
 * trial starts here (training is `flow/train.ts`).
 *
 * @example
 * ```ts
 * import { defaultInstance, drawInstance } from "./instance.ts";
 * import assert from "node:assert/strict";
 * const params = { ...defaultInstance, d: 20, k: 2, n: 8, m: 4, nTest: 5 };
 * const instance = drawInstance(7, params);
 * assert.equal(instance.train.n, 8);
 * assert.equal(instance.test.x.length, 5 * 20);
 * ```
 *
 * @module
 */

import {
  type ClusterModel,
  clusterModel,
  type ClusterSample,
  type MeansKind,
  sampleClusters,
} from "./data.ts";
import { initialWeights } from "./network.ts";
import { Rng } from "./rng.ts";
import { type NetworkWeights } from "./weights.ts";

/** Parameters of an instance (all written to trial rows). */
export interface InstanceParams {
  /** Input dimension d. */
  d: number;
  /** Number of clusters k. */
  k: number;
  /** Training-set size n. */
  n: number;
  /** Network width m. */
  m: number;
  /** Test-set size. */
  nTest: number;
  /** How the cluster means are drawn. */
  means: MeansKind;
  /** Pairwise correlation of `correlated` means. */
  correlation: number;
  /** Noise scale σ. */
  sigma: number;
  /** Initialization scale α. */
  initScale: number;
  /** ε of the integrator. */
  stepFraction: number;
  /** Step budget of the integrator. */
  maxSteps: number;
}

/** The kinds of cluster means. */
export const MEANS_KINDS: readonly MeansKind[] = [
  "orthogonal",
  "gaussian",
  "correlated",
];

/** Defaults shared by the claims (each config overrides what it needs). */
export const defaultInstance: InstanceParams = {
  d: 500,
  k: 10,
  n: 100,
  m: 100,
  nTest: 1000,
  means: "orthogonal",
  correlation: 0.5,
  sigma: 1,
  initScale: 1e-3,
  stepFraction: 0.01,
  maxSteps: 4000,
};

/** A drawn instance before training. */
export interface Instance {
  /** Its parameters. */
  params: InstanceParams;
  /** Cluster means and labels. */
  model: ClusterModel;
  /** Training set. */
  train: ClusterSample;
  /** Independent test set. */
  test: ClusterSample;
  /** Initialization. */
  init: NetworkWeights<Float32Array>;
  /** The generator, positioned after the draws above (for later draws of the trial). */
  rng: Rng;
}

/** Draw an instance from a trial seed. */
export function drawInstance(seed: number, params: InstanceParams): Instance {
  const rng = new Rng(seed);
  const model = clusterModel(rng, {
    d: params.d,
    k: params.k,
    kind: params.means,
    correlation: params.correlation,
    sigma: params.sigma,
  });
  const train = sampleClusters(rng, { model, n: params.n });
  const test = sampleClusters(rng, { model, n: params.nTest });
  const init = initialWeights(rng, params);
  return { params, model, train, test, init, rng };
}
