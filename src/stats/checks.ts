/**
 * Argument checks shared by the statistics modules: each throws a
 * `RangeError` naming the offending argument.
 *
 * @example
 * ```ts
 * import { checkProbability } from "./checks.ts";
 * import assert from "node:assert/strict";
 * checkProbability("p", 0.5);
 * assert.throws(() => checkProbability("p", 2), /p must be in \[0, 1\]/);
 * ```
 *
 * @module
 */

/** Throw unless `value` is a non-negative integer. */
export function checkCount(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 0) {
    throw new RangeError(
      `${name} must be a non-negative integer, got ${value}`,
    );
  }
}

/**
 * Throw unless both counts are non-negative integers and the passes do not
 * exceed the trials. Each count comes with its argument name, e.g.
 * `checkPassedTrials(["passed", 3], ["trials", 5])`.
 */
export function checkPassedTrials(
  passed: readonly [name: string, value: number],
  trials: readonly [name: string, value: number],
): void {
  checkCount(...passed);
  checkCount(...trials);
  if (passed[1] > trials[1]) {
    throw new RangeError(
      `${passed[0]} (${passed[1]}) must not exceed ${trials[0]} (${trials[1]})`,
    );
  }
}

/** Throw unless `confidence` is in (0, 1). */
export function checkConfidence(confidence: number): void {
  if (!(confidence > 0 && confidence < 1)) {
    throw new RangeError(`confidence must be in (0, 1), got ${confidence}`);
  }
}

/** Throw unless `p` is in [0, 1]. */
export function checkProbability(name: string, p: number): void {
  if (!(p >= 0 && p <= 1)) {
    throw new RangeError(`${name} must be in [0, 1], got ${p}`);
  }
}

/** Throw unless `value` is finite and positive. */
export function checkPositive(name: string, value: number): void {
  if (!(value > 0) || !Number.isFinite(value)) {
    throw new RangeError(
      `${name} must be a finite positive number, got ${value}`,
    );
  }
}
