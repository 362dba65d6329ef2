/**
 * The model layer: the paper's setting as data. Seeded randomness
 * (`rng.ts`), the cluster distribution (`data.ts`), the network's weights
 * (`weights.ts`, with the power p of the activation relu(z)^p), its float32
 * tensor evaluation and initialization (`network.ts`), its float64 forward
 * pass at one point (`forward.ts`), the normalised polynomial-ReLU network
 * (`power_network.ts`), and one random instance drawn from a trial seed
 * (`instance.ts`).
 *
 * @example
 * ```ts
 * import { defaultInstance, drawInstance, networkOutput } from "./mod.ts";
 * import assert from "node:assert/strict";
 * const instance = drawInstance(1, { ...defaultInstance, d: 20, k: 2, n: 4, m: 3, nTest: 2 });
 * const x = instance.train.x.subarray(0, 20);
 * assert.ok(Number.isFinite(networkOutput(instance.init, x)));
 * ```
 *
 * @module
 */

export {
  classMeanSum,
  clusterLabels,
  type ClusterModel,
  clusterModel,
  type ClusterModelOptions,
  type ClusterSample,
  clustersSeen,
  correlationBound,
  type LabelledPoint,
  type LabelledPoints,
  type MeansKind,
  sampleClusters,
  type SampleSpec,
  signedMeanSum,
} from "./data.ts";
export {
  networkOutput,
  neuronSlopes,
  outputFromPreActivations,
  pointPreActivations,
  reluPower,
  reluPowerSlope,
  rowNorms,
} from "./forward.ts";
export {
  defaultInstance,
  drawInstance,
  type Instance,
  type InstanceParams,
  MEANS_KINDS,
} from "./instance.ts";
export {
  initialWeights,
  type InitSpec,
  inputGradients,
  networkOutputs,
  neuronBalance,
  parameterGradients,
  parameterNormSquared,
  tensorPreActivations,
  transposeInto,
  transposeRows,
} from "./network.ts";
export { powerNetwork, type PowerNetworkOptions } from "./power_network.ts";
export { hashString, Rng, type TrialId, trialSeed } from "./rng.ts";
export {
  checkWeights,
  networkPower,
  type NetworkWeights,
  requireRelu,
} from "./weights.ts";
