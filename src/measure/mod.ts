/**
 * The measure layer: what the claims measure on a network, in plain float64
 * arithmetic unless said otherwise.
 *
 * - `flip_radius.ts`: the exact distance to a sign flip along a line (for
 *   the activation relu(z)^p with p ≠ 1: up to a named subdivision).
 * - `certified_radius.ts`: a sound certified l2 radius (interval bound),
 *   for any power p ≥ 1.
 * - `flips.ts`: flip radii over a whole test set along C4's direction, and
 *   the random-direction control.
 * - `alignment.ts`: cosines of neurons with the class mean sums, single
 *   means and their start, and of input gradients with a direction.
 * - `multiclass.ts`: the one-label-per-cluster network's induced binary
 *   classifier (certificate, exact line flips, attack brackets, gradients).
 * - `classification.ts`: classification error on a sample.
 * - `exact_error.ts`: the test error on the cluster distribution itself, by
 *   importance sampling in the network's m-dimensional noise space.
 * - `kkt.ts`: the KKT residual of the max-margin problem.
 * - `approximate_kkt.ts`: the approximate KKT quantities of Lyu & Li
 *   (stationarity with Clarke activations at relu kinks, slackness, the
 *   flow's own multipliers, each neuron's dual value).
 * - `kkt_floor.ts`: the part of a KKT residual held by neurons that gradient
 *   flow removes only as a small power of log t.
 * - `margin_networks.ts`: normalized margins of 2-homogeneous networks, the
 *   averaging and per-cluster networks, in-span perturbations.
 * - `constructions.ts`: the robust network N*, the harmful interpolator
 *   N_bad and the one-cluster memorizer N_c, built by hand.
 * - `robustness.ts`: a network's radius brackets on attacked points (best
 *   attack, certificate, analytic and random directions), with the
 *   soundness check, as the claims read them.
 * - `power_law.ts`: the joint fit r ≈ e^c·d^a·k^b over a grid and the test
 *   of a candidate law against it.
 *
 * @example
 * ```ts
 * import { certifiedRadiusAt, flipRadiusAlong } from "./mod.ts";
 * import assert from "node:assert/strict";
 * const net = { w: [1, 0], b: [-1], v: [1], d: 2, m: 1 }; // relu(x1 - 1)
 * const attack = { x: [3, 0], direction: [-1, 0], label: 1 };
 * assert.equal(flipRadiusAlong(net, attack), 2);
 * assert.equal(certifiedRadiusAt(net, attack), 2);
 * ```
 *
 * @module
 */

export {
  type AlignmentOptions,
  type ClassMeanSums,
  classMeanSums,
  type ClusterCoverage,
  clusterCoverage,
  cosine,
  initialAlignments,
  inputGradientAt,
  meanAlignments,
  neuronAlignments,
  neuronClassAlignments,
  type NeuronVotes,
  neuronVotes,
  rowCosines,
  significantNeurons,
} from "./alignment.ts";
// The one-label-per-cluster network: induced classifier, brackets, twins.
export * from "./multiclass.ts";
export * from "./induced_radius.ts";
export * from "./one_label_network.ts";
export {
  CERTIFIED_BISECTION_TOLERANCE,
  certifiedRadii,
  certifiedRadius,
  certifiedRadiusAt,
  type IntervalBound,
} from "./certified_radius.ts";
export { classificationError } from "./classification.ts";
export {
  badInterpolator,
  type ClusterMeans,
  type MemorizerOptions,
  oneClusterMemorizer,
  padWidth,
  robustNetwork,
  type WidthOptions,
} from "./constructions.ts";
export {
  DEFENSIVE_SHARE,
  EXACT_ERROR_SAMPLES,
  type ExactError,
  type ExactErrorOptions,
  exactTestError,
  type NoiseFactor,
  noiseFactor,
  type NoiseProductOptions,
  noiseProducts,
  PIVOT_TOLERANCE,
} from "./exact_error.ts";
export {
  FLIP_BISECTION_TOLERANCE,
  FLIP_MAX_OCTAVES,
  FLIP_SUBDIVISIONS,
  flipRadius,
  flipRadiusAlong,
  type FlipRadiusOptions,
  type LineAttack,
  type ReluLine,
} from "./flip_radius.ts";
export {
  type FlipMeasurements,
  type FlipOptions,
  flipsOnTestSet,
  measureFlips,
  type RandomDirections,
  randomUnitVector,
  type TestSetFlipOptions,
} from "./flips.ts";
export {
  batchPreActivations,
  buildQ,
  checkShapes,
  gradientGram,
  gramMatrix,
  type KktOptions,
  type KktReport,
  kktResidual,
  pointMargins,
  type QInputs,
  type ResidualInputs,
  residualSquared,
  solveNonNegative,
} from "./kkt.ts";
export {
  approximateKkt,
  type ApproximateKktOptions,
  type ApproximateKktReport,
} from "./approximate_kkt.ts";
export { type KktFloor, kktFloor, type KktFloorInputs } from "./kkt_floor.ts";
export {
  averagingNetwork,
  balanceNeurons,
  type HomogeneousMargin,
  homogeneousMargin,
  inSpanPerturbation,
  margins,
  perClusterNetwork,
  perturbInSpan,
  type PerturbOptions,
} from "./margin_networks.ts";
export {
  fitPowerLaw,
  type LawTest,
  type PowerLaw,
  type PowerLawCell,
  type PowerLawFit,
  type Range,
  testLaw,
} from "./power_law.ts";
export {
  atLeastQuantile,
  atMostQuantile,
  attackedPoints,
  type RadiusViolation,
  radiusViolations,
  ratios,
  robustnessColumns,
  type RobustnessColumnsOptions,
  robustnessOf,
  type RobustnessOptions,
  type RobustnessReport,
  soundnessReason,
  unsoundOr,
} from "./robustness.ts";
// Minimum-norm attacks, the radius brackets and the pair ceiling.
export * from "./attacks/mod.ts";
