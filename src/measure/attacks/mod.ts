/**
 * Minimum-norm ℓ2 attacks on the two-layer network with the activation
 * relu(z)^p (p = `NetworkWeights.power`, default 1: the ReLU network),
 * written only against its forward pass and input gradient (they know
 * nothing of the cluster means, nor of p), with every reported flip
 * y·N(x + z) ≤ 0 verified in float64:
 *
 * - `batch.ts`: the network and points prepared for batched evaluation
 *   (margins and gradients as two matrix products).
 * - `verify.ts`: exact placement along a direction and float64 verification.
 * - `deepfool.ts`: DeepFool (iterated linearisation).
 * - `fmn.ts`: fast minimum-norm (FMN), warm-started from DeepFool.
 * - `malt.ts`: MALT-style targeted lines towards training points of the
 *   other label, refined by FMN.
 * - `ensemble.ts`: the bracket certified ≤ r ≤ best attack per point, and
 *   the soundness check.
 * - `pairs.ts`: the pair ceiling min(r(x), r(x′)) ≤ ‖μ_i − μ_j‖/2 and the
 *   check of certificates on coupled pairs.
 * - `subset.ts`: the seeded subset of points attacked.
 *
 * @example
 * ```ts
 * import { AttackBatch, bracketRobustRadii } from "./mod.ts";
 * import { initBackend } from "../../backend/backends.ts";
 * import assert from "node:assert/strict";
 * await initBackend("cpu");
 * const net = { d: 2, m: 1, w: [3, 4], b: [-5], v: [1] }; // relu(3x1 + 4x2 - 5)
 * const { brackets } = bracketRobustRadii(new AttackBatch(net, { x: [3, 4], y: [1] }));
 * assert.ok(brackets[0].width < 1e-9); // certified = attack = 4
 * ```
 *
 * @module
 */

export {
  AttackBatch,
  type AttackBatchOptions,
  type Linearization,
} from "./batch.ts";
export {
  deepFool,
  DEEPFOOL_MAX_ITERATIONS,
  DEEPFOOL_OVERSHOOT,
  DEEPFOOL_RESTART_SCALE,
  DEEPFOOL_RESTARTS,
  type DeepFoolOptions,
  firstOrderDistances,
} from "./deepfool.ts";
export {
  ATTACK_NAMES,
  type AttackName,
  type BracketOptions,
  type BracketReport,
  bracketRobustRadii,
  CREDIT_TOLERANCE,
  type RadiusBracket,
  SOUNDNESS_MARGIN,
  type SoundnessViolation,
  soundnessViolations,
} from "./ensemble.ts";
export {
  fastMinimumNorm,
  FMN_ALPHA_END,
  FMN_ALPHA_START,
  FMN_GAMMA_END,
  FMN_GAMMA_START,
  FMN_RESTART_NOISE,
  FMN_RESTARTS,
  FMN_STEPS,
  type FmnOptions,
} from "./fmn.ts";
export {
  MALT_TARGETS,
  maltAttack,
  type MaltOptions,
  nearestOpposite,
} from "./malt.ts";
export {
  checkPairCeilings,
  type CoupledPair,
  coupledPairs,
  type PairCeilingCheck,
  type PairCeilingOptions,
} from "./pairs.ts";
export { ATTACK_POINTS, attackSubset, pickPoints } from "./subset.ts";
export {
  type AttackRun,
  bestFlips,
  flipRadii,
  flipsAlong,
  isFlip,
  settleAlong,
  type Settled,
  type VerifiedFlip,
  VERIFY_NUDGES,
} from "./verify.ts";
