/**
 * Multiple testing: the Holm–Bonferroni step-down adjustment, which keeps
 * the family-wise error rate (the chance of at least one false rejection
 * among all the tests of a family) at the chosen level for any dependence
 * between the tests.
 *
 * @module
 */

import { checkProbability } from "./checks.ts";

/**
 * Holm–Bonferroni adjusted p-values, in the order given. With the m
 * p-values sorted increasingly, p₍₁₎ ≤ … ≤ p₍ₘ₎, the adjusted value of
 * p₍ᵢ₎ is `max over j ≤ i of min(1, (m − j + 1)·p₍ⱼ₎)`; a test is rejected
 * at family-wise level α exactly when its adjusted p-value is below α.
 * Ties keep their order. Throws a `RangeError` for a value outside [0, 1].
 *
 * @example
 * ```ts
 * import { holmAdjust } from "./multiple_testing.ts";
 * import assert from "node:assert/strict";
 * // Sorted: 0.01·3 = 0.03, 0.02·2 = 0.04, max(0.04, 0.04·1) = 0.04.
 * const adjusted = holmAdjust([0.04, 0.01, 0.02]);
 * assert.deepEqual(adjusted.map((p) => Number(p.toFixed(10))), [0.04, 0.03, 0.04]);
 * ```
 */
export function holmAdjust(pValues: readonly number[]): number[] {
  pValues.forEach((p, i) => checkProbability(`pValues[${i}]`, p));
  const m = pValues.length;
  const order = pValues.map((_, i) => i).sort((a, b) =>
    pValues[a] - pValues[b] || a - b
  );
  const adjusted = new Array<number>(m);
  let running = 0;
  order.forEach((index, rank) => {
    running = Math.max(running, Math.min(1, (m - rank) * pValues[index]));
    adjusted[index] = running;
  });
  return adjusted;
}
