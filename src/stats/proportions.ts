/**
 * Pass rates as binomial proportions: confidence intervals (Wilson score and
 * exact Clopper–Pearson), the one-sided exact binomial tests of a pass rate
 * against a fixed rate (the p-value of a check's verdict), and the one-sided
 * Fisher exact test used to compare a current pass rate with a baseline.
 *
 * @module
 */

import {
  checkConfidence,
  checkPassedTrials,
  checkProbability,
} from "./checks.ts";
import { normalQuantile } from "./quantiles.ts";
import { inverseRegularizedIncompleteBeta, logGamma } from "./special.ts";

/** A closed interval `[low, high]`. */
export interface Interval {
  /** Lower end. */
  low: number;
  /** Upper end. */
  high: number;
}

/** Options of the confidence intervals. */
export interface IntervalOptions {
  /** Two-sided confidence level in (0, 1). Default 0.95. */
  confidence?: number;
}

/** A pass count: `passed` of `trials`. */
export interface PassCount {
  /** Number of trials that passed. */
  passed: number;
  /** Number of trials. */
  trials: number;
}

/** Check a pass count and the options of an interval; the confidence level. */
function checkedConfidence(
  count: PassCount,
  options: IntervalOptions,
): number {
  const { confidence = 0.95 } = options;
  checkPassedTrials(["passed", count.passed], ["trials", count.trials]);
  checkConfidence(confidence);
  return confidence;
}

/**
 * Wilson score confidence interval for a binomial proportion
 * `passed / trials` at two-sided level `confidence`. With no trials it is
 * `[0, 1]`; the ends are exactly 0 when `passed = 0` and exactly 1 when
 * `passed = trials`.
 *
 * @example
 * ```ts
 * import { wilsonInterval } from "./proportions.ts";
 * import assert from "node:assert/strict";
 * const { low, high } = wilsonInterval(8, 10);
 * assert.ok(Math.abs(low - 0.4901625) < 1e-7 && Math.abs(high - 0.9433178) < 1e-7);
 * ```
 */
export function wilsonInterval(
  passed: number,
  trials: number,
  options: IntervalOptions = {},
): Interval {
  const confidence = checkedConfidence({ passed, trials }, options);
  if (trials === 0) return { low: 0, high: 1 };
  const z = normalQuantile(1 - (1 - confidence) / 2);
  const z2 = z * z;
  const phat = passed / trials;
  const denominator = 1 + z2 / trials;
  const centre = (phat + z2 / (2 * trials)) / denominator;
  const half = (z *
    Math.sqrt(
      (phat * (1 - phat)) / trials + z2 / (4 * trials * trials),
    )) / denominator;
  return {
    low: passed === 0 ? 0 : Math.max(0, centre - half),
    high: passed === trials ? 1 : Math.min(1, centre + half),
  };
}

/**
 * Exact (Clopper–Pearson) confidence interval for a binomial proportion at
 * two-sided level `confidence`: `low` is the `α/2` quantile of
 * Beta(passed, trials - passed + 1) and `high` the `1 - α/2` quantile of
 * Beta(passed + 1, trials - passed), with `low = 0` when `passed = 0` and
 * `high = 1` when `passed = trials` (so no trials gives `[0, 1]`). Its
 * coverage is at least `confidence` for every true rate.
 *
 * @example
 * ```ts
 * import { clopperPearsonInterval } from "./proportions.ts";
 * import assert from "node:assert/strict";
 * const { low, high } = clopperPearsonInterval(10, 10);
 * assert.ok(Math.abs(low - 0.6915029) < 1e-7 && high === 1);
 * ```
 */
export function clopperPearsonInterval(
  passed: number,
  trials: number,
  options: IntervalOptions = {},
): Interval {
  const alpha = 1 - checkedConfidence({ passed, trials }, options);
  const low = passed === 0 ? 0 : inverseRegularizedIncompleteBeta(alpha / 2, {
    a: passed,
    b: trials - passed + 1,
  });
  // The upper quantile through the mirrored Beta keeps precision for small α.
  const high = passed === trials ? 1 : 1 -
    inverseRegularizedIncompleteBeta(alpha / 2, {
      a: trials - passed,
      b: passed + 1,
    });
  return { low, high };
}

/** log of the binomial coefficient C(n, k). */
function logChoose(n: number, k: number): number {
  return logGamma(n + 1) - logGamma(k + 1) - logGamma(n - k + 1);
}

/** Σ exp(t) over log terms, summed relative to the largest, capped at 1. */
function sumOfExps(logTerms: number[]): number {
  let largest = -Infinity;
  for (const term of logTerms) largest = Math.max(largest, term);
  if (largest === -Infinity) return 0;
  let sum = 0;
  for (const term of logTerms) sum += Math.exp(term - largest);
  return Math.min(1, Math.exp(largest) * sum);
}

/** P(X = k) for X ~ Binomial(n, p), in log space (exact at p = 0 and 1). */
function logBinomialPmf(k: number, n: number, p: number): number {
  if (p === 0) return k === 0 ? 0 : -Infinity;
  if (p === 1) return k === n ? 0 : -Infinity;
  return logChoose(n, k) + k * Math.log(p) + (n - k) * Math.log1p(-p);
}

/** Check a pass count and a rate; the sum of the pmf over `from..to`. */
function binomialSum(
  count: PassCount,
  range: { p: number; from: number; to: number },
): number {
  checkPassedTrials(["passed", count.passed], ["trials", count.trials]);
  checkProbability("p", range.p);
  const terms: number[] = [];
  for (let k = range.from; k <= range.to; k++) {
    terms.push(logBinomialPmf(k, count.trials, range.p));
  }
  return sumOfExps(terms);
}

/**
 * One-sided exact binomial test of H0 "the pass rate is at most `p`"
 * against "it is above": the p-value `P(X ≥ passed)` for X ~
 * Binomial(trials, p), summed term by term in log space. It is 1 when
 * `passed = 0`; all trials passing gives `p^trials`.
 *
 * @example
 * ```ts
 * import { binomialUpperTail } from "./proportions.ts";
 * import assert from "node:assert/strict";
 * // 20 of 20 at a target rate of 0.8: 0.8^20 ≈ 0.0115.
 * assert.ok(Math.abs(binomialUpperTail({ passed: 20, trials: 20 }, 0.8) - 0.8 ** 20) < 1e-15);
 * ```
 */
export function binomialUpperTail(count: PassCount, p: number): number {
  const tail = binomialSum(count, { p, from: count.passed, to: count.trials });
  return count.passed === 0 ? 1 : tail;
}

/**
 * One-sided exact binomial test of H0 "the pass rate is at least `p`"
 * against "it is below": the p-value `P(X ≤ passed)` for X ~
 * Binomial(trials, p). It is 1 when `passed = trials`; no trial passing
 * gives `(1 - p)^trials`.
 *
 * @example
 * ```ts
 * import { binomialLowerTail } from "./proportions.ts";
 * import assert from "node:assert/strict";
 * // A control passing 0 of 30 times against a ceiling of 0.2: 0.8^30 ≈ 0.0012.
 * assert.ok(Math.abs(binomialLowerTail({ passed: 0, trials: 30 }, 0.2) - 0.8 ** 30) < 1e-15);
 * ```
 */
export function binomialLowerTail(count: PassCount, p: number): number {
  const tail = binomialSum(count, { p, from: 0, to: count.passed });
  return count.passed === count.trials ? 1 : tail;
}

/**
 * One-sided Fisher exact test of H1 "the current pass rate is lower than the
 * baseline pass rate". Conditioning on the margins of the 2×2 table
 * (baseline/current × passed/failed), the number of current passes `X` is
 * hypergeometric; the p-value is `P(X ≤ current.passed)`. The pmf is computed
 * in log space with {@linkcode logGamma} and summed relative to its largest
 * term.
 *
 * @example
 * ```ts
 * import { fisherExactLowerTail } from "./proportions.ts";
 * import assert from "node:assert/strict";
 * // Same counts on both sides: not evidence of a drop.
 * assert.ok(fisherExactLowerTail(
 *   { passed: 10, trials: 20 },
 *   { passed: 10, trials: 20 },
 * ) > 0.5);
 * ```
 */
export function fisherExactLowerTail(
  baseline: PassCount,
  current: PassCount,
): number {
  const { passed: baselinePassed, trials: baselineTrials } = baseline;
  const { passed: currentPassed, trials: currentTrials } = current;
  checkPassedTrials(
    ["baselinePassed", baselinePassed],
    ["baselineTrials", baselineTrials],
  );
  checkPassedTrials(
    ["currentPassed", currentPassed],
    ["currentTrials", currentTrials],
  );
  const total = baselineTrials + currentTrials;
  const totalPassed = baselinePassed + currentPassed;
  const totalFailed = total - totalPassed;
  const lowest = Math.max(0, currentTrials - totalFailed);
  const highest = Math.min(totalPassed, currentTrials);
  if (currentPassed >= highest) return 1;
  const logDenominator = logChoose(total, currentTrials);
  const logTerms: number[] = [];
  for (let x = lowest; x <= currentPassed; x++) {
    logTerms.push(
      logChoose(totalPassed, x) +
        logChoose(totalFailed, currentTrials - x) - logDenominator,
    );
  }
  return sumOfExps(logTerms);
}
