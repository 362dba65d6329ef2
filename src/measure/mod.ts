/**
 * The measure layer: what the claims measure on a network, in plain float64
 * arithmetic unless said otherwise.
 *
 * - `flip_radius.ts`: the exact distance to a sign flip along a line.
 * - `certified_radius.ts`: a sound certified l2 radius (interval bound).
 * - `flips.ts`: flip radii over a whole test set along C4's direction, and
 *   the random-direction control.
 * - `alignment.ts`: cosines of neurons with the class mean sums.
 * - `classification.ts`: classification error on a sample.
 * - `kkt.ts`: the KKT residual of the max-margin problem.
 * - `constructions.ts`: the robust network N* and the harmful interpolator
 *   N_bad, built by hand.
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
  cosine,
  neuronAlignments,
} from "./alignment.ts";
export {
  certifiedRadii,
  certifiedRadius,
  certifiedRadiusAt,
  type IntervalBound,
} from "./certified_radius.ts";
export { classificationError } from "./classification.ts";
export {
  badInterpolator,
  type ClusterMeans,
  robustNetwork,
} from "./constructions.ts";
export {
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
  gradientGram,
  gramMatrix,
  type KktOptions,
  type KktReport,
  kktResidual,
} from "./kkt.ts";
// Minimum-norm attacks, the radius brackets and the pair ceiling.
export * from "./attacks/mod.ts";
