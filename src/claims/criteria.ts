/**
 * Criteria that more than one claim checks, written once: the thresholds
 * that C2, C6 and C7 state and that N1 applies again on instances that break
 * a hypothesis. A claim exposes them among its own named constants (e.g.
 * `c2Constants.maxTestError`); N1 takes them from here, not from the other
 * claims.
 *
 * @example
 * ```ts
 * import { sharedCriteria } from "./criteria.ts";
 * import assert from "node:assert/strict";
 * assert.equal(sharedCriteria.maxTestError, 0.01);
 * ```
 *
 * @module
 */

/** The thresholds shared by several claims. */
export const sharedCriteria = {
  /** C2 and N1: a network generalizes when its test error is at most this. */
  maxTestError: 0.01,
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
