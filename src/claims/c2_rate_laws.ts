/**
 * The fits behind C2's rate: ln(error) against d/k, d and d/k² (each with
 * an intercept), compared by AIC; the profiled k exponent γ of x = d/k^γ
 * with its likelihood-ratio interval; and the verdict of the d/k law on a
 * set of errors, with the fitted slopes as its estimates.
 *
 * @module
 */

import { linearFit } from "../stats/regression.ts";
import { c2Constants } from "./c2_configs.ts";
import type { Assessment, Estimate, Expectation, Verdict } from "./types.ts";

/** A one-variable law ln(error) ≈ a + b·x, fitted. */
export interface LawFit {
  /** Name of the variable: `d/k`, `d` or `d/k²`. */
  law: string;
  /** Fitted slope b. */
  slope: number;
  /** 95% CI of the slope. */
  slopeCi: { low: number; high: number };
  /** Residual sum of squares. */
  rss: number;
  /** AIC = N·ln(RSS/N) + 2·3 (intercept, slope, residual variance). */
  aic: number;
}

/** The laws compared: the variable each one is linear in, and its estimate name. */
const LAWS: readonly {
  law: string;
  x: (d: number, k: number) => number;
  estimate: string;
}[] = [
  { law: "d/k", x: (d, k) => d / k, estimate: "slope_d_over_k" },
  { law: "d", x: (d) => d, estimate: "slope_d" },
  { law: "d/k²", x: (d, k) => d / (k * k), estimate: "slope_d_over_k2" },
];

/**
 * Fit ln(error) against d/k, d and d/k² (each with an intercept) and
 * return the fits, best (lowest AIC) first.
 *
 * @example
 * ```ts
 * import { fitRateLaws } from "./c2_rate_laws.ts";
 * import assert from "node:assert/strict";
 * const points = [10, 20, 40].flatMap((k) =>
 *   [4, 8, 16].map((r) => ({ d: r * k, k, lnError: -0.4 * r + 0.01 * Math.sin(r * k) }))
 * );
 * assert.equal(fitRateLaws(points)[0].law, "d/k");
 * ```
 */
export function fitRateLaws(
  points: readonly { d: number; k: number; lnError: number }[],
): LawFit[] {
  const n = points.length;
  const y = points.map((p) => p.lnError);
  return LAWS.map(({ law, x }) => {
    const xs = points.map((p) => x(p.d, p.k));
    const fit = linearFit(xs, y);
    let rss = 0;
    for (let i = 0; i < n; i++) {
      rss += (y[i] - fit.intercept - fit.slope * xs[i]) ** 2;
    }
    // A perfect fit would give -Infinity; floor the RSS at float resolution.
    const floor = 1e-300;
    return {
      law,
      slope: fit.slope,
      slopeCi: fit.slopeCi,
      rss,
      aic: n * Math.log(Math.max(rss, floor) / n) + 6,
    };
  }).sort((a, b) => a.aic - b.aic);
}

/** The k exponent γ of the law ln(error) ≈ a + b·d/k^γ, with its interval. */
export interface KExponent {
  /** The γ with the smallest residual sum of squares (grid step 0.01). */
  gamma: number;
  /** Lower end of the 95% likelihood-ratio interval. */
  low: number;
  /** Upper end of the 95% likelihood-ratio interval. */
  high: number;
}

/** χ²₁ quantile at 0.95: the likelihood-ratio bound of a one-parameter profile. */
const CHI2_1_95 = 3.841458820694124;

/**
 * Profile the k exponent γ of x = d/k^γ over [0, 3]: at each γ the linear
 * fit of ln(error) on x gives RSS(γ); γ̂ minimizes it, and the 95% interval
 * is where N·ln(RSS(γ)/RSS(γ̂)) ≤ χ²₁(0.95). The d/k law is γ = 1, the
 * d-only law γ = 0, d/k² is γ = 2.
 *
 * @example
 * ```ts
 * import { kExponent } from "./c2_rate_laws.ts";
 * import assert from "node:assert/strict";
 * const points = [10, 20, 40].flatMap((k) =>
 *   [4, 8, 16].map((r) => ({ d: r * k, k, lnError: -0.4 * r + 0.05 * Math.sin(r + k) }))
 * );
 * const { gamma, low, high } = kExponent(points);
 * assert.ok(low <= 1 && 1 <= high && Math.abs(gamma - 1) < 0.05);
 * ```
 */
export function kExponent(
  points: readonly { d: number; k: number; lnError: number }[],
): KExponent {
  const n = points.length;
  const y = points.map((p) => p.lnError);
  const grid = Array.from({ length: 301 }, (_, i) => i / 100);
  const rss = grid.map((gamma) => {
    const xs = points.map((p) => p.d / p.k ** gamma);
    const fit = linearFit(xs, y);
    let s = 0;
    for (let i = 0; i < n; i++) {
      s += (y[i] - fit.intercept - fit.slope * xs[i]) ** 2;
    }
    return Math.max(s, 1e-300);
  });
  let best = 0;
  for (let i = 1; i < grid.length; i++) if (rss[i] < rss[best]) best = i;
  const inside = grid.filter((_, i) =>
    n * Math.log(rss[i] / rss[best]) <= CHI2_1_95
  );
  return {
    gamma: grid[best],
    low: Math.min(...inside),
    high: Math.max(...inside),
  };
}

/** What {@linkcode rateLawAssessment} assesses. */
export interface RateLawSubject {
  /** Assessment name. */
  check: string;
  /** Expected verdict. */
  expect: Expectation;
  /** What the errors are of, for the detail (e.g. `gradient flow`). */
  network: string;
}

/**
 * The verdict of the d/k law on a set of errors: `holds` when d/k has the
 * lowest AIC by at least `aicMargin` and its slope's 95% CI is below 0,
 * `fails` when another law's AIC is lower by at least `aicMargin`,
 * `inconclusive` otherwise (or with fewer than 3 values of d/k or 2 of k).
 * Its `estimates`: each law's slope with its 95% interval
 * (`slope_d_over_k`, `slope_d`, `slope_d_over_k2`) and the profiled k
 * exponent `k_exponent` with its likelihood-ratio interval.
 */
export function rateLawAssessment(
  points: readonly {
    d: number;
    k: number;
    lnError: number;
    censored: boolean;
  }[],
  subject: RateLawSubject,
): Assessment {
  const { check, expect, network } = subject;
  const ratios = new Set(points.map((p) => p.d / p.k));
  const ks = new Set(points.map((p) => p.k));
  if (ratios.size < 3 || ks.size < 2) {
    return {
      check,
      expect,
      verdict: "inconclusive",
      detail:
        `${network}: ${ratios.size} values of d/k and ${ks.size} of k finished (need 3 and 2)`,
    };
  }
  const fits = fitRateLaws(points);
  const gamma = kExponent(points);
  const dk = fits.find((f) => f.law === "d/k")!;
  const others = fits.filter((f) => f.law !== "d/k");
  const margin = Math.min(...others.map((f) => f.aic - dk.aic));
  const { aicMargin } = c2Constants;
  const verdict: Verdict = margin >= aicMargin && dk.slopeCi.high < 0
    ? "holds"
    : margin <= -aicMargin
    ? "fails"
    : "inconclusive";
  const censored = points.filter((p) => p.censored).length;
  const f = (x: number) => x.toPrecision(3);
  const estimates: Record<string, Estimate> = {};
  for (const { law, estimate } of LAWS) {
    const fit = fits.find((x) => x.law === law)!;
    estimates[estimate] = {
      value: fit.slope,
      low: fit.slopeCi.low,
      high: fit.slopeCi.high,
    };
  }
  estimates.k_exponent = {
    value: gamma.gamma,
    low: gamma.low,
    high: gamma.high,
  };
  return {
    check,
    expect,
    verdict,
    estimates,
    detail:
      `${network}, ln(test error) ≈ a + b·x over ${points.length} trials (${ratios.size} d/k × ${ks.size} k): ` +
      fits.map((fit) =>
        `x=${fit.law}: b=${f(fit.slope)} [${f(fit.slopeCi.low)}, ${
          f(fit.slopeCi.high)
        }], RSS=${f(fit.rss)}, AIC=${fit.aic.toFixed(1)}`
      ).join("; ") +
      `; best ${fits[0].law}, ΔAIC(others − d/k) = ${margin.toFixed(1)} ` +
      `(k exponent of x = d/k^γ: γ̂ = ${gamma.gamma.toFixed(2)} [${
        gamma.low.toFixed(2)
      }, ${
        gamma.high.toFixed(2)
      }], 95% likelihood ratio; d/k is γ = 1, d is γ = 0) ` +
      `(holds when ≥ ${aicMargin} with the d/k slope's CI below 0, fails when ≤ -${aicMargin})` +
      (censored > 0
        ? `; ${censored} trial(s) without an erring sample enter at their upper bound`
        : ""),
  };
}
