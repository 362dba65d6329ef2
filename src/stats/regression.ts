/**
 * Ordinary least squares with a Student-t confidence interval on the slope,
 * and the one-sided t-test p-value of the slope.
 *
 * @module
 */

import { checkConfidence } from "./checks.ts";
import { mean } from "./descriptive.ts";
import { studentTCdf, studentTQuantile } from "./quantiles.ts";
import type { Interval } from "./proportions.ts";

/** Result of an ordinary least-squares fit `y ≈ intercept + slope · x`. */
export interface LinearFit {
  /** Least-squares slope. */
  slope: number;
  /** Least-squares intercept. */
  intercept: number;
  /** Standard error of the slope, `sqrt(s² / Σ(x - x̄)²)` with `s² = SSE/(n-2)`. */
  slopeStdErr: number;
  /** Two-sided Student-t confidence interval on the slope (df = n - 2). */
  slopeCi: Interval;
  /** Coefficient of determination `1 - SSE/SST` (1 when `y` is constant). */
  rSquared: number;
  /** Number of points. */
  n: number;
}

/** Options of {@linkcode linearFit}. */
export interface LinearFitOptions {
  /** Two-sided confidence level of the slope interval, in (0, 1). Default 0.95. */
  confidence?: number;
}

/**
 * Ordinary least-squares fit of `y ≈ intercept + slope · x` with a two-sided
 * Student-t confidence interval on the slope (df = n - 2). Throws a
 * `RangeError` when the lengths differ, when there are fewer than 3 points,
 * when a value is not finite, or when all `x` are equal.
 *
 * @example
 * ```ts
 * import { linearFit } from "./regression.ts";
 * import assert from "node:assert/strict";
 * const fit = linearFit([0, 1, 2, 3], [1, 3, 5, 7]);
 * assert.ok(Math.abs(fit.slope - 2) < 1e-12 && Math.abs(fit.intercept - 1) < 1e-12);
 * ```
 */
export function linearFit(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  options: LinearFitOptions = {},
): LinearFit {
  const { confidence = 0.95 } = options;
  checkConfidence(confidence);
  const n = x.length;
  if (y.length !== n) {
    throw new RangeError(
      `linearFit: x and y must have the same length, got ${n} and ${y.length}`,
    );
  }
  if (n < 3) {
    throw new RangeError(`linearFit: needs at least 3 points, got ${n}`);
  }
  let allEqual = true;
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(x[i]) || !Number.isFinite(y[i])) {
      throw new RangeError(
        `linearFit: non-finite value at index ${i} (x=${x[i]}, y=${y[i]})`,
      );
    }
    if (x[i] !== x[0]) allEqual = false;
  }
  if (allEqual) {
    throw new RangeError("linearFit: x is constant, the slope is undefined");
  }
  const xBar = mean(x);
  const yBar = mean(y);
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i] - xBar;
    const dy = y[i] - yBar;
    sxx += dx * dx;
    sxy += dx * dy;
    syy += dy * dy;
  }
  const slope = sxy / sxx;
  const intercept = yBar - slope * xBar;
  let sse = 0;
  for (let i = 0; i < n; i++) {
    const residual = y[i] - intercept - slope * x[i];
    sse += residual * residual;
  }
  const slopeStdErr = Math.sqrt(sse / (n - 2) / sxx);
  const t = studentTQuantile(1 - (1 - confidence) / 2, n - 2);
  const half = t * slopeStdErr;
  const rSquared = syy === 0 ? 1 : Math.min(1, Math.max(0, 1 - sse / syy));
  return {
    slope,
    intercept,
    slopeStdErr,
    slopeCi: { low: slope - half, high: slope + half },
    rSquared,
    n,
  };
}

/** Options of {@linkcode slopePValue}. */
export interface SlopeTestOptions {
  /** The alternative: the slope is `less` or `greater` than `value`. */
  alternative: "less" | "greater";
  /** The slope under H0 (default 0). */
  value?: number;
}

/**
 * One-sided t-test p-value of a fitted slope: with `t = (slope − value) /
 * slopeStdErr` and n − 2 degrees of freedom, `P(T ≤ t)` for the
 * alternative `less` and `P(T ≥ t)` for `greater`. A perfect fit (standard
 * error 0) gives 0 when the slope is on the alternative's side, else 1.
 *
 * @example
 * ```ts
 * import { linearFit, slopePValue } from "./regression.ts";
 * import assert from "node:assert/strict";
 * const fit = linearFit([1, 2, 3, 4, 5], [5.1, 3.9, 3.2, 1.8, 1.1]);
 * assert.ok(slopePValue(fit, { alternative: "less" }) < 0.001);
 * assert.ok(slopePValue(fit, { alternative: "greater" }) > 0.999);
 * ```
 */
export function slopePValue(fit: LinearFit, options: SlopeTestOptions): number {
  const { alternative, value = 0 } = options;
  const difference = fit.slope - value;
  if (fit.slopeStdErr === 0) {
    const onSide = alternative === "less" ? difference < 0 : difference > 0;
    return onSide ? 0 : 1;
  }
  const t = difference / fit.slopeStdErr;
  const below = studentTCdf(t, fit.n - 2);
  return alternative === "less" ? below : 1 - below;
}
