/**
 * Criteria that more than one claim checks, written once: the thresholds
 * that C2, C6 and C7 state and that C3 and N1 apply again (C3 on wider
 * networks, N1 on instances that break a hypothesis). A claim exposes them
 * among its own named constants (e.g. `c2Constants.rateExponent`); C3 and
 * N1 take them from here, not from the other claims.
 *
 * The generalization criterion (C2, C3, N1): a network generalizes at
 * (d, k) when the upper end of the 95% interval of its exact test error
 * (`measure/exact_error.ts`) is at most exp(-c·d/k) with c =
 * {@linkcode sharedCriteria}.generalizationExponent = 1/4: exponentially small
 * in d/k at half the averaging network's exponent 1/2 (its error is about
 * Φ(-√(d/k)) ≤ exp(-d/(2k))).
 *
 * @example
 * ```ts
 * import { generalizationThreshold, sharedCriteria } from "./criteria.ts";
 * import assert from "node:assert/strict";
 * assert.equal(sharedCriteria.generalizationExponent, 0.25);
 * assert.equal(generalizationThreshold({ d: 400, k: 10 }), Math.exp(-10));
 * ```
 *
 * @module
 */

/**
 * The fewest trials any check sees, at both profiles. A run's checks form
 * one Holm–Bonferroni family (about 40–50 members); a check expected to fail
 * that passes 0 of n trials has p = 0.8^n against the control ceiling 0.2
 * (and a prediction passing n of n has the same p against the target 0.8),
 * and 0.8^32 ≈ 7.9e-4 < 0.05/50 = 1e-3 while 0.8^30 ≈ 1.2e-3 is not: with
 * fewer than 32 trials a check could not reach its verdict after adjustment,
 * however clear its data. Fixed from that arithmetic, not from results.
 */
export const MIN_TRIALS = 32;

/** The thresholds shared by several claims. */
export const sharedCriteria = {
  /**
   * C2, C3 and N1: a network generalizes when its exact test error (upper
   * 95% end) is at most exp(-generalizationExponent·d/k).
   */
  generalizationExponent: 0.25,
  /**
   * C2, C3 and N1: importance samples per cluster of the exact test error
   * (relative standard error of a few percent at any rarity).
   */
  errorSamplesPerCluster: 256,
  /**
   * C6 and N1: a neuron is significant when v_r² + ‖w_r‖² + b_r² is at least
   * this fraction of the largest.
   */
  significance: 0.1,
  /** C6 and N1: the median cosine of significant neurons with u± must be at least this. */
  neuronAlignment: 0.8,
  /**
   * C7 and N1: the median flip radius / √(d/k) must lie in
   * [1/flipOrderFactor, flipOrderFactor].
   */
  flipOrderFactor: 2,
} as const;

/** Why each shared criterion has its value (fixed before looking at data). */
export const sharedCriteriaReasons: Readonly<
  Record<keyof typeof sharedCriteria, string>
> = {
  generalizationExponent:
    "half the averaging network's exponent 1/2 (its error is Φ(-√(d/k)) ≤ exp(-d/(2k))): exponentially small in d/k, with room for the flow's own constant, not tuned to it",
  errorSamplesPerCluster:
    "importance sampling's relative variance per sample is about 1.25β/(1-α) at design-point distance β: 256 samples give ≲ 23% per cluster for β ≤ 10, ≲ 7% over k ≥ 10 clusters, below the spread between instances",
  significance:
    "neurons carrying less than a tenth of the largest neuron's mass barely change the output",
  neuronAlignment:
    "the averaging neurons measure about 0.9; unaligned random directions measure about 0",
  flipOrderFactor:
    "the order of √(d/k), not its constant: a factor 2 either way",
};

/** The sizes a generalization threshold depends on. */
export interface RatioSizes {
  /** Input dimension d. */
  d: number;
  /** Number of clusters k. */
  k: number;
}

/**
 * The generalization threshold exp(-c·d/k) at (d, k), with c =
 * `sharedCriteria.generalizationExponent`.
 *
 * @example
 * ```ts
 * import { generalizationThreshold } from "./criteria.ts";
 * import assert from "node:assert/strict";
 * assert.ok(generalizationThreshold({ d: 260, k: 20 }) < 1 / 20);
 * ```
 */
export function generalizationThreshold(sizes: RatioSizes): number {
  return Math.exp(
    -sharedCriteria.generalizationExponent * sizes.d / sizes.k,
  );
}

/**
 * The d/k at which the generalization threshold exp(-d/(4k)) sits at
 * 1/(√2·k), the geometric middle of [1/(2k), 1/k]: 4·ln(√2·k), rounded. A
 * configuration there puts the one-cluster memorizer (error ≈ 1/k, the
 * near twin of C2's and C3's checks) 1.2–1.5× above the threshold.
 *
 * @example
 * ```ts
 * import { nearTwinRatio } from "./criteria.ts";
 * import assert from "node:assert/strict";
 * assert.equal(nearTwinRatio(16), 12);
 * assert.equal(nearTwinRatio(20), 13);
 * assert.equal(nearTwinRatio(40), 16);
 * ```
 */
export function nearTwinRatio(k: number): number {
  return Math.round(
    Math.log(Math.SQRT2 * k) / sharedCriteria.generalizationExponent,
  );
}

/** The wording of the generalization criterion in check descriptions. */
export const GENERALIZATION_CRITERION =
  "exact test error (upper 95% end) ≤ exp(-d/(4k))";
