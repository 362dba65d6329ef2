/**
 * Quantile functions of the standard normal and Student-t distributions,
 * and the Student-t distribution function (for the p-value of a fitted
 * slope).
 *
 * @module
 */

import { checkProbability } from "./checks.ts";
import {
  inverseRegularizedIncompleteBeta,
  regularizedIncompleteBeta,
} from "./special.ts";

/**
 * Quantile (inverse CDF) of the standard normal distribution, by Wichura's
 * algorithm AS 241 (PPND16), relative accuracy about 1e-16.
 * Returns `-Infinity` at 0 and `Infinity` at 1.
 *
 * @example
 * ```ts
 * import { normalQuantile } from "./quantiles.ts";
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
 * import { studentTQuantile } from "./quantiles.ts";
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
    const x = inverseRegularizedIncompleteBeta(alpha, {
      a: df / 2,
      b: 0.5,
    });
    t = Math.sqrt((df * (1 - x)) / x);
  } else {
    // y = t² / (df + t²) is small: solve for it via the symmetric function.
    const y = inverseRegularizedIncompleteBeta(centre, {
      a: 0.5,
      b: df / 2,
    });
    t = Math.sqrt((df * y) / (1 - y));
  }
  return upper ? t : -t;
}

/**
 * Distribution function P(T ≤ t) of Student's t with `df` degrees of
 * freedom, from `P(|T| > |t|) = I_{df/(df+t²)}(df/2, 1/2)`. It is 0 at
 * `-Infinity`, 1 at `Infinity`, and the normal distribution function is
 * not used for `df = Infinity` (a `RangeError`, as for `df ≤ 0` or a NaN
 * `t`).
 *
 * @example
 * ```ts
 * import { studentTCdf } from "./quantiles.ts";
 * import assert from "node:assert/strict";
 * assert.ok(Math.abs(studentTCdf(2.228138852, 10) - 0.975) < 1e-9);
 * assert.equal(studentTCdf(0, 3), 0.5);
 * ```
 */
export function studentTCdf(t: number, df: number): number {
  if (!(df > 0) || !Number.isFinite(df)) {
    throw new RangeError(`df must be finite and positive, got ${df}`);
  }
  if (Number.isNaN(t)) throw new RangeError("t must be a number, got NaN");
  if (t === Infinity) return 1;
  if (t === -Infinity) return 0;
  const tail = 0.5 * regularizedIncompleteBeta(df / (df + t * t), {
    a: df / 2,
    b: 0.5,
  });
  return t < 0 ? tail : 1 - tail;
}
