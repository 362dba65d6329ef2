/**
 * Descriptive statistics: mean, sample quantiles and the median.
 *
 * @module
 */

import { checkProbability } from "./checks.ts";

/** A sorted float64 copy of `values` (NaN last). */
function sortedCopy(values: ArrayLike<number>): Float64Array {
  return Float64Array.from(values).sort();
}

/**
 * Arithmetic mean; `NaN` for empty input.
 *
 * @example
 * ```ts
 * import { mean } from "./descriptive.ts";
 * import assert from "node:assert/strict";
 * assert.equal(mean([1, 2, 3, 6]), 3);
 * ```
 */
export function mean(values: ArrayLike<number>): number {
  const n = values.length;
  if (n === 0) return NaN;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += values[i];
  return sum / n;
}

/**
 * Sample quantile by linear interpolation between order statistics (type 7
 * of Hyndman & Fan, R's default): with sorted values `x₀ ≤ … ≤ x_{n-1}` and
 * `h = (n - 1)q`, the result is `x_⌊h⌋ + (h - ⌊h⌋)(x_{⌊h⌋+1} - x_⌊h⌋)`.
 * `NaN` for empty input or when any value is `NaN`; `q` must be in [0, 1].
 *
 * @example
 * ```ts
 * import { quantile } from "./descriptive.ts";
 * import assert from "node:assert/strict";
 * assert.equal(quantile([3, 1, 4, 1, 5, 9, 2, 6], 0.25), 1.75);
 * ```
 */
export function quantile(values: ArrayLike<number>, q: number): number {
  checkProbability("q", q);
  const n = values.length;
  if (n === 0) return NaN;
  const sorted = sortedCopy(values);
  if (Number.isNaN(sorted[n - 1])) return NaN; // typed-array sort puts NaN last
  const h = (n - 1) * q;
  const below = Math.floor(h);
  if (below >= n - 1) return sorted[n - 1];
  const fraction = h - below;
  const a = sorted[below];
  const b = sorted[below + 1];
  return fraction === 0 ? a : a + fraction * (b - a);
}

/**
 * Sample median (the type-7 quantile at 1/2); `NaN` for empty input.
 *
 * @example
 * ```ts
 * import { median } from "./descriptive.ts";
 * import assert from "node:assert/strict";
 * assert.equal(median([4, 1, 3, 2]), 2.5);
 * ```
 */
export function median(values: ArrayLike<number>): number {
  return quantile(values, 0.5);
}
