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
 * @module
 */

/** A closed interval `[low, high]`. */
export interface Interval {
  /** Lower end. */
  low: number;
  /** Upper end. */
  high: number;
}

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

// ---------------------------------------------------------------------------
// Argument checks

function checkCount(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 0) {
    throw new RangeError(
      `${name} must be a non-negative integer, got ${value}`,
    );
  }
}

function checkPassedTrials(
  passedName: string,
  passed: number,
  trialsName: string,
  trials: number,
): void {
  checkCount(passedName, passed);
  checkCount(trialsName, trials);
  if (passed > trials) {
    throw new RangeError(
      `${passedName} (${passed}) must not exceed ${trialsName} (${trials})`,
    );
  }
}

function checkConfidence(confidence: number): void {
  if (!(confidence > 0 && confidence < 1)) {
    throw new RangeError(`confidence must be in (0, 1), got ${confidence}`);
  }
}

function checkProbability(name: string, p: number): void {
  if (!(p >= 0 && p <= 1)) {
    throw new RangeError(`${name} must be in [0, 1], got ${p}`);
  }
}

function checkPositive(name: string, value: number): void {
  if (!(value > 0) || !Number.isFinite(value)) {
    throw new RangeError(
      `${name} must be a finite positive number, got ${value}`,
    );
  }
}

// ---------------------------------------------------------------------------
// Special functions

const LANCZOS_G = 7;
const LANCZOS_COEFFICIENTS = [
  0.99999999999980993,
  676.5203681218851,
  -1259.1392167224028,
  771.32342877765313,
  -176.61502916214059,
  12.507343278686905,
  -0.13857109526572012,
  9.9843695780195716e-6,
  1.5056327351493116e-7,
];
const LOG_SQRT_2PI = 0.91893853320467274178;

/**
 * Natural logarithm of the absolute value of the gamma function, by the
 * Lanczos approximation (g = 7, 9 terms; relative error about 1e-15) with the
 * reflection formula below 1/2. Returns `Infinity` at the poles 0, -1, -2, …
 *
 * @example
 * ```ts
 * import { logGamma } from "./stats.ts";
 * import assert from "node:assert/strict";
 * assert.ok(Math.abs(logGamma(5) - Math.log(24)) < 1e-13);
 * ```
 */
export function logGamma(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x === Infinity) return Infinity;
  if (x <= 0 && Number.isInteger(x)) return Infinity;
  if (x < 0.5) {
    // Γ(x) Γ(1 - x) = π / sin(πx)
    return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) -
      logGamma(1 - x);
  }
  if (x === 1 || x === 2) return 0;
  const z = x - 1;
  let sum = LANCZOS_COEFFICIENTS[0];
  for (let i = 1; i < LANCZOS_COEFFICIENTS.length; i++) {
    sum += LANCZOS_COEFFICIENTS[i] / (z + i);
  }
  const t = z + LANCZOS_G + 0.5;
  return LOG_SQRT_2PI + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

/**
 * Remainder of Stirling's series, `log Γ(x) - ((x - ½) log x - x + ½ log 2π)`,
 * for `x ≥ 10` (absolute error below 1e-17 there).
 */
function stirlingCorrection(x: number): number {
  const r = 1 / (x * x);
  return (1 / 12 +
    r * (-1 / 360 +
        r * (1 / 1260 +
            r * (-1 / 1680 +
                r * (1 / 1188 + r * (-691 / 360360 + r * (1 / 156))))))) / x;
}

/**
 * log B(a, b) = log Γ(a) + log Γ(b) - log Γ(a + b), arranged as in R's
 * `lbeta` so that large arguments do not cancel catastrophically.
 */
function logBeta(a: number, b: number): number {
  const p = Math.min(a, b);
  const q = Math.max(a, b);
  const s = p + q;
  if (p >= 10) {
    const correction = stirlingCorrection(p) + stirlingCorrection(q) -
      stirlingCorrection(s);
    return -0.5 * Math.log(q) + LOG_SQRT_2PI + correction +
      (p - 0.5) * Math.log(p / s) + q * Math.log1p(-p / s);
  }
  if (q >= 10) {
    const correction = stirlingCorrection(q) - stirlingCorrection(s);
    return logGamma(p) + correction + p - p * Math.log(s) +
      (q - 0.5) * Math.log1p(-p / s);
  }
  return logGamma(p) + logGamma(q) - logGamma(s);
}

/**
 * log of the front factor `x^a (1-x)^b / B(a, b)` of the incomplete beta.
 * For `a, b ≥ 10` it is written around the mode, `d = x(a+b) - a`, as
 * `½ log(ab / (2π(a+b))) - corrections + a log1p(d/a) + b log1p(-d/b)`,
 * which avoids the cancellation of terms of size `a + b`.
 */
function logBetaFront(x: number, a: number, b: number): number {
  if (Math.min(a, b) < 10) {
    return a * Math.log(x) + b * Math.log1p(-x) - logBeta(a, b);
  }
  const s = a + b;
  const d = x * s - a;
  const correction = stirlingCorrection(a) + stirlingCorrection(b) -
    stirlingCorrection(s);
  return 0.5 * Math.log((a / s) * b / (2 * Math.PI)) - correction +
    a * Math.log1p(d / a) + b * Math.log1p(-d / b);
}

const TINY = 1e-300;
const EPS = 1e-16;

/** Continued fraction for I_x(a, b) by the modified Lentz method (NR 6.4). */
function betaContinuedFraction(x: number, a: number, b: number): number {
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  const maxIterations = 10000 + 10 * Math.ceil(Math.sqrt(Math.max(a, b)));
  for (let m = 1; m <= maxIterations; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPS) return h;
  }
  throw new RangeError(
    `regularizedIncompleteBeta: continued fraction did not converge for x=${x}, a=${a}, b=${b}`,
  );
}

/**
 * Regularized incomplete beta function
 * `I_x(a, b) = B(x; a, b) / B(a, b)`, for `0 ≤ x ≤ 1`, `a, b > 0`: the
 * Beta(a, b) cumulative distribution function. Evaluated by the continued
 * fraction of Numerical Recipes (§6.4) with the front factor from
 * {@linkcode logGamma}, using `I_x(a, b) = 1 - I_{1-x}(b, a)` on the side
 * where the fraction converges fast.
 *
 * @example
 * ```ts
 * import { regularizedIncompleteBeta } from "./stats.ts";
 * import assert from "node:assert/strict";
 * // I_x(2, 1) = x²
 * assert.ok(Math.abs(regularizedIncompleteBeta(0.3, 2, 1) - 0.09) < 1e-14);
 * ```
 */
export function regularizedIncompleteBeta(
  x: number,
  a: number,
  b: number,
): number {
  checkProbability("x", x);
  checkPositive("a", a);
  checkPositive("b", b);
  if (x === 0) return 0;
  if (x === 1) return 1;
  const logFront = logBetaFront(x, a, b);
  if (x < (a + 1) / (a + b + 2)) {
    return Math.exp(logFront) * betaContinuedFraction(x, a, b) / a;
  }
  const upper = Math.exp(logFront) * betaContinuedFraction(1 - x, b, a) / b;
  return 1 - upper;
}

/** Beta(a, b) density at x in (0, 1), given log B(a, b). */
function betaDensity(x: number, a: number, b: number, lbeta: number): number {
  return Math.exp((a - 1) * Math.log(x) + (b - 1) * Math.log1p(-x) - lbeta);
}

/** Starting point of the inverse (Numerical Recipes 3rd ed., `invbetai`). */
function inverseBetaGuess(p: number, a: number, b: number): number {
  if (a >= 1 && b >= 1) {
    const pp = p < 0.5 ? p : 1 - p;
    const t = Math.sqrt(-2 * Math.log(pp));
    let x = (2.30753 + t * 0.27061) / (1 + t * (0.99229 + t * 0.04481)) - t;
    if (p < 0.5) x = -x;
    const al = (x * x - 3) / 6;
    const h = 2 / (1 / (2 * a - 1) + 1 / (2 * b - 1));
    const w = (x * Math.sqrt(al + h)) / h -
      (1 / (2 * b - 1) - 1 / (2 * a - 1)) * (al + 5 / 6 - 2 / (3 * h));
    return a / (a + b * Math.exp(2 * w));
  }
  const lna = Math.log(a / (a + b));
  const lnb = Math.log(b / (a + b));
  const t = Math.exp(a * lna) / a;
  const u = Math.exp(b * lnb) / b;
  const w = t + u;
  if (p < t / w) return Math.pow(a * w * p, 1 / a);
  return 1 - Math.pow(b * w * (1 - p), 1 / b);
}

/**
 * Inverse of {@linkcode regularizedIncompleteBeta} in `x`: the `p`-quantile
 * of the Beta(a, b) distribution. Halley/Newton steps from the Numerical
 * Recipes starting point, safeguarded by a bisection bracket that always
 * contains the root (split on a log scale near 0 and 1), so it converges
 * for every `p` in [0, 1] and `a, b > 0`. The result is within a few ulps
 * of the exact quantile (far below the 1e-10 required); a quantile below
 * the smallest double returns 0.
 *
 * @example
 * ```ts
 * import { inverseRegularizedIncompleteBeta } from "./stats.ts";
 * import assert from "node:assert/strict";
 * // Beta(2, 1) has CDF x², so its 0.25-quantile is 0.5
 * assert.ok(Math.abs(inverseRegularizedIncompleteBeta(0.25, 2, 1) - 0.5) < 1e-12);
 * ```
 */
export function inverseRegularizedIncompleteBeta(
  p: number,
  a: number,
  b: number,
): number {
  checkProbability("p", p);
  checkPositive("a", a);
  checkPositive("b", b);
  if (p === 0) return 0;
  if (p === 1) return 1;
  const lbeta = logBeta(a, b);
  let lo = 0;
  let hi = 1;
  let x = inverseBetaGuess(p, a, b);
  if (!(x > 0 && x < 1)) x = 0.5;
  // As in `rtsafe` (Numerical Recipes 9.4): a Newton step is taken only if it
  // stays inside the bracket and is less than half the step before last.
  let step = 1;
  let stepBefore = 1;
  for (let iteration = 0; iteration < 2000; iteration++) {
    const f = regularizedIncompleteBeta(x, a, b) - p;
    if (f === 0) return x;
    if (f < 0) lo = x;
    else hi = x;
    const density = betaDensity(x, a, b, lbeta);
    let next = NaN;
    if (density > 0 && Number.isFinite(density)) {
      const u = f / density;
      // Halley correction, limited as in Numerical Recipes `invbetai`.
      const curvature = (a - 1) / x - (b - 1) / (1 - x);
      next = x - u / (1 - 0.5 * Math.min(1, u * curvature));
    }
    if (
      !(next > lo && next < hi) ||
      Math.abs(x - next) > 0.5 * Math.abs(stepBefore)
    ) {
      next = bisectUnitBracket(lo, hi);
      if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
      // The bracket is two adjacent doubles: no point lies strictly inside.
      if (!(next > lo && next < hi)) return f < 0 ? hi : lo;
    }
    stepBefore = step;
    step = x - next;
    if (Math.abs(step) <= 4 * Number.EPSILON * Math.min(x, 1 - x)) {
      return next;
    }
    if (hi - lo <= 4 * Number.EPSILON * Math.min(lo + hi, 2 - lo - hi)) {
      return next;
    }
    x = next;
  }
  return x;
}

/**
 * A point inside the bracket `(lo, hi)` of [0, 1] that splits it evenly, on a
 * log scale when the bracket spans orders of magnitude next to 0 or 1, so
 * that quantiles as small as 1e-300 (or as close to 1) are found quickly.
 */
function bisectUnitBracket(lo: number, hi: number): number {
  if (hi <= 0.5) return bisectNearZero(lo, hi);
  if (lo >= 0.5) return 1 - bisectNearZero(1 - hi, 1 - lo);
  return 0.5 * (lo + hi);
}

function bisectNearZero(lo: number, hi: number): number {
  if (lo === 0) return hi < 1e-3 ? hi / 16 : hi / 2;
  if (hi > 8 * lo) return Math.sqrt(lo) * Math.sqrt(hi);
  return 0.5 * (lo + hi);
}

/**
 * Quantile (inverse CDF) of the standard normal distribution, by Wichura's
 * algorithm AS 241 (PPND16), relative accuracy about 1e-16.
 * Returns `-Infinity` at 0 and `Infinity` at 1.
 *
 * @example
 * ```ts
 * import { normalQuantile } from "./stats.ts";
 * import assert from "node:assert/strict";
 * assert.ok(Math.abs(normalQuantile(0.975) - 1.959963985) < 1e-9);
 * ```
 */
export function normalQuantile(p: number): number {
  checkProbability("p", p);
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  const q = p - 0.5;
  if (Math.abs(q) <= 0.425) {
    const r = 0.180625 - q * q;
    return (q *
      (((((((r * 2509.0809287301226727 + 33430.575583588128105) * r +
                            67265.770927008700853) * r +
                        45921.953931549871457) * r +
                    13731.693765509461125) * r + 1971.5909503065514427) * r +
            133.14166789178437745) * r + 3.387132872796366608)) /
      (((((((r * 5226.495278852545925 + 28729.085735721942674) * r +
                            39307.89580009271061) * r + 21213.794301586595867) *
                      r +
                    5394.1960214247511077) * r + 687.1870074920579083) * r +
            42.313330701600911252) * r + 1);
  }
  let r = Math.sqrt(-Math.log(q < 0 ? p : 1 - p));
  let value: number;
  if (r <= 5) {
    r -= 1.6;
    value = (((((((r * 7.7454501427834140764e-4 + 0.0227238449892691845833) *
                            r + 0.24178072517745061177) * r +
                      1.27045825245236838258) * r +
                  3.64784832476320460504) * r + 5.7694972214606914055) * r +
          4.6303378461565452959) * r + 1.42343711074968357734) /
      (((((((r * 1.05075007164441684324e-9 + 5.475938084995344946e-4) * r +
                            0.0151986665636164571966) * r +
                        0.14810397642748007459) * r +
                    0.68976733498510000455) * r + 1.6763848301838038494) * r +
            2.05319162663775882187) * r + 1);
  } else {
    r -= 5;
    value = (((((((r * 2.01033439929228813265e-7 + 2.71155556874348757815e-5) *
                            r + 0.0012426609473880784386) * r +
                      0.026532189526576123093) * r +
                  0.29656057182850489123) * r + 1.7848265399172913358) * r +
          5.4637849111641143699) * r + 6.6579046435011037772) /
      (((((((r * 2.04426310338993978564e-15 + 1.4215117583164458887e-7) * r +
                            1.8463183175100546818e-5) * r +
                        7.868691311456132591e-4) * r +
                    0.0148753612908506148525) * r + 0.13692988092273580531) *
              r +
            0.59983220655588793769) * r + 1);
  }
  return q < 0 ? -value : value;
}

/**
 * Quantile of Student's t distribution with `df` degrees of freedom (any
 * positive real; `Infinity` gives the normal quantile), through the inverse
 * regularized incomplete beta: `P(|T| > t) = I_{df/(df+t²)}(df/2, 1/2)`.
 *
 * @example
 * ```ts
 * import { studentTQuantile } from "./stats.ts";
 * import assert from "node:assert/strict";
 * assert.ok(Math.abs(studentTQuantile(0.975, 10) - 2.228138852) < 1e-9);
 * ```
 */
export function studentTQuantile(p: number, df: number): number {
  checkProbability("p", p);
  if (!(df > 0)) {
    throw new RangeError(`df must be positive, got ${df}`);
  }
  if (df === Infinity) return normalQuantile(p);
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  if (p === 0.5) return 0;
  const upper = p > 0.5;
  // Two-sided tail probability α = P(|T| > |t|), and its complement.
  const alpha = upper ? 2 * (1 - p) : 2 * p;
  const centre = upper ? 2 * p - 1 : 1 - 2 * p;
  let t: number;
  if (alpha <= 0.5) {
    // x = df / (df + t²) is small: solve for it directly.
    const x = inverseRegularizedIncompleteBeta(alpha, df / 2, 0.5);
    t = Math.sqrt((df * (1 - x)) / x);
  } else {
    // y = t² / (df + t²) is small: solve for it via the symmetric function.
    const y = inverseRegularizedIncompleteBeta(centre, 0.5, df / 2);
    t = Math.sqrt((df * y) / (1 - y));
  }
  return upper ? t : -t;
}

// ---------------------------------------------------------------------------
// Intervals and tests on pass rates

/**
 * Wilson score confidence interval for a binomial proportion
 * `passed / trials` at two-sided level `confidence`. With no trials it is
 * `[0, 1]`; the ends are exactly 0 when `passed = 0` and exactly 1 when
 * `passed = trials`.
 *
 * @example
 * ```ts
 * import { wilsonInterval } from "./stats.ts";
 * import assert from "node:assert/strict";
 * const { low, high } = wilsonInterval(8, 10);
 * assert.ok(Math.abs(low - 0.4901625) < 1e-7 && Math.abs(high - 0.9433178) < 1e-7);
 * ```
 */
export function wilsonInterval(
  passed: number,
  trials: number,
  confidence = 0.95,
): Interval {
  checkPassedTrials("passed", passed, "trials", trials);
  checkConfidence(confidence);
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
 * import { clopperPearsonInterval } from "./stats.ts";
 * import assert from "node:assert/strict";
 * const { low, high } = clopperPearsonInterval(10, 10);
 * assert.ok(Math.abs(low - 0.6915029) < 1e-7 && high === 1);
 * ```
 */
export function clopperPearsonInterval(
  passed: number,
  trials: number,
  confidence = 0.95,
): Interval {
  checkPassedTrials("passed", passed, "trials", trials);
  checkConfidence(confidence);
  const alpha = 1 - confidence;
  const low = passed === 0
    ? 0
    : inverseRegularizedIncompleteBeta(alpha / 2, passed, trials - passed + 1);
  // The upper quantile through the mirrored Beta keeps precision for small α.
  const high = passed === trials ? 1 : 1 -
    inverseRegularizedIncompleteBeta(alpha / 2, trials - passed, passed + 1);
  return { low, high };
}

/** log of the binomial coefficient C(n, k). */
function logChoose(n: number, k: number): number {
  return logGamma(n + 1) - logGamma(k + 1) - logGamma(n - k + 1);
}

/**
 * One-sided Fisher exact test of H1 "the current pass rate is lower than the
 * baseline pass rate". Conditioning on the margins of the 2×2 table
 * (baseline/current × passed/failed), the number of current passes `X` is
 * hypergeometric; the p-value is `P(X ≤ currentPassed)`. The pmf is computed
 * in log space with {@linkcode logGamma} and summed relative to its largest
 * term.
 *
 * @example
 * ```ts
 * import { fisherExactLowerTail } from "./stats.ts";
 * import assert from "node:assert/strict";
 * // Same counts on both sides: not evidence of a drop.
 * assert.ok(fisherExactLowerTail(10, 20, 10, 20) > 0.5);
 * ```
 */
export function fisherExactLowerTail(
  baselinePassed: number,
  baselineTrials: number,
  currentPassed: number,
  currentTrials: number,
): number {
  checkPassedTrials(
    "baselinePassed",
    baselinePassed,
    "baselineTrials",
    baselineTrials,
  );
  checkPassedTrials(
    "currentPassed",
    currentPassed,
    "currentTrials",
    currentTrials,
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
  let largest = -Infinity;
  for (const term of logTerms) largest = Math.max(largest, term);
  let sum = 0;
  for (const term of logTerms) sum += Math.exp(term - largest);
  return Math.min(1, Math.exp(largest) * sum);
}

// ---------------------------------------------------------------------------
// Descriptive statistics

function sortedCopy(values: ArrayLike<number>): Float64Array {
  return Float64Array.from(values).sort();
}

/**
 * Arithmetic mean; `NaN` for empty input.
 *
 * @example
 * ```ts
 * import { mean } from "./stats.ts";
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
 * import { quantile } from "./stats.ts";
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
 * import { median } from "./stats.ts";
 * import assert from "node:assert/strict";
 * assert.equal(median([4, 1, 3, 2]), 2.5);
 * ```
 */
export function median(values: ArrayLike<number>): number {
  return quantile(values, 0.5);
}

// ---------------------------------------------------------------------------
// Regression

/**
 * Ordinary least-squares fit of `y ≈ intercept + slope · x` with a two-sided
 * Student-t confidence interval on the slope (df = n - 2). Throws a
 * `RangeError` when the lengths differ, when there are fewer than 3 points,
 * when a value is not finite, or when all `x` are equal.
 *
 * @example
 * ```ts
 * import { linearFit } from "./stats.ts";
 * import assert from "node:assert/strict";
 * const fit = linearFit([0, 1, 2, 3], [1, 3, 5, 7]);
 * assert.ok(Math.abs(fit.slope - 2) < 1e-12 && Math.abs(fit.intercept - 1) < 1e-12);
 * ```
 */
export function linearFit(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  confidence = 0.95,
): LinearFit {
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

// ---------------------------------------------------------------------------
// Sampling

/**
 * Number of successes in `trials` independent Bernoulli(`p`) draws from
 * `rng` (one uniform per trial).
 *
 * @example
 * ```ts
 * import { binomialSample } from "./stats.ts";
 * import { Rng } from "../model/rng.ts";
 * import assert from "node:assert/strict";
 * assert.equal(binomialSample(new Rng(1n), 5, 1), 5);
 * ```
 */
export function binomialSample(
  rng: { uniform(): number },
  trials: number,
  p: number,
): number {
  checkCount("trials", trials);
  checkProbability("p", p);
  let successes = 0;
  for (let i = 0; i < trials; i++) {
    if (rng.uniform() < p) successes++;
  }
  return successes;
}
