/**
 * Statistics of the suite, on plain double-precision numbers with no
 * dependencies: confidence intervals for a pass rate (Wilson score and exact
 * Clopper–Pearson), one-sided exact binomial tests of a pass rate, the
 * Holm–Bonferroni adjustment, the one-sided Fisher exact test used to
 * compare a current pass rate with a baseline, sample quantiles, ordinary
 * least squares with a Student-t interval and p-value on the slope, the
 * special functions these need (log-gamma, regularized incomplete beta and
 * its inverse, normal and Student-t quantiles, the Student-t distribution
 * function), and the constants of the verdict rules (`verdict_rules.ts`).
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
export { holmAdjust } from "./multiple_testing.ts";
export {
  binomialLowerTail,
  binomialUpperTail,
  clopperPearsonInterval,
  fisherExactLowerTail,
  type Interval,
  type IntervalOptions,
  type PassCount,
  wilsonInterval,
} from "./proportions.ts";
export { normalQuantile, studentTCdf, studentTQuantile } from "./quantiles.ts";
export {
  type LinearFit,
  linearFit,
  type LinearFitOptions,
  slopePValue,
  type SlopeTestOptions,
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
export {
  CONTROL_CEILING,
  DEFAULT_TARGET,
  FAMILY_ALPHA,
  MARGIN_BAND,
  SATURATION_SHARE,
  VERDICT_RULE_REASONS,
  VERDICT_RULES,
  type VerdictRuleName,
} from "./verdict_rules.ts";
