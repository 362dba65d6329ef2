/**
 * Statistics of the suite, on plain double-precision numbers with no
 * dependencies: confidence intervals for a pass rate (Wilson score and exact
 * Clopper–Pearson), the one-sided Fisher exact test used to compare a
 * current pass rate with a baseline, sample quantiles, ordinary least squares
 * with a Student-t interval on the slope, and the special functions these
 * need (log-gamma, regularized incomplete beta and its inverse, normal and
 * Student-t quantiles).
 *
 * Every function validates its arguments and throws a `RangeError` naming the
 * offending argument.
 *
 * @example
 * ```ts
 * import { clopperPearsonInterval, median } from "./mod.ts";
 * import assert from "node:assert/strict";
 * assert.equal(median([3, 1, 2]), 2);
 * assert.ok(clopperPearsonInterval(30, 30).low > 0.88);
 * ```
 *
 * @module
 */

export { mean, median, quantile } from "./descriptive.ts";
export {
  clopperPearsonInterval,
  fisherExactLowerTail,
  type Interval,
  type IntervalOptions,
  type PassCount,
  wilsonInterval,
} from "./proportions.ts";
export { normalQuantile, studentTQuantile } from "./quantiles.ts";
export {
  type LinearFit,
  linearFit,
  type LinearFitOptions,
} from "./regression.ts";
export {
  type Binomial,
  binomialSample,
  type UniformSource,
} from "./sampling.ts";
export {
  type BetaShape,
  inverseRegularizedIncompleteBeta,
  logGamma,
  regularizedIncompleteBeta,
} from "./special.ts";
