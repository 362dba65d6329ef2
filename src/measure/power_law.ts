/**
 * Power laws in two sizes, r ≈ e^c · d^a · k^b, fitted on a grid of cells
 * (one cell per (d, k), several trials each), and the test of a candidate
 * law (a₀, b₀) against the fit. C7 uses it to tell √(d/k) = (½, −½) from
 * √d = (½, 0), d/k = (1, −1) and √(d·k) = (½, ½): a grid that varies d and
 * k independently separates them, where a slope against one combination
 * (log(d/k), log(d·k)) cannot.
 *
 * The fit. Each cell j gives one value y_j = log(median of its trials'
 * values); ordinary least squares of y_j on (1, log d_j, log k_j) over the
 * G cells gives (ĉ, â, b̂). The residual variance s² = RSS/(G − 3) is the
 * between-cell scatter around the plane: it contains the trial noise of the
 * cell medians and any lack of fit of the power law (curvature, finite-size
 * corrections), so the intervals below widen when the law does not fit,
 * rather than resting on the trial count. With V = s²·[(XᵀX)⁻¹]_{(a,b)}, the
 * covariance of (â, b̂), the statistic
 *
 *   Q(a, b) = (θ − θ̂)ᵀ V⁻¹ (θ − θ̂),   θ = (a, b),
 *
 * satisfies Q/2 ~ F(2, G − 3) at the true (a, b) (Gaussian residuals), so
 * P(Q ≥ q) = (1 + q/(G − 3))^(−(G − 3)/2) exactly, and the joint 95%
 * region is {θ : Q(θ) ≤ q₉₅}, q₉₅ = ν((0.05)^(−2/ν) − 1), ν = G − 3.
 * The marginal intervals of a and b are the Student-t ones.
 *
 * A law with a tolerance. Finite sizes bend an asymptotic law a little
 * (C7 names the tolerance τ and why), so a law (a₀, b₀) is tested at the
 * point of the disc ‖θ − (a₀, b₀)‖ ≤ τ nearest to the fit in the metric of
 * V: Q_τ = min over the disc of Q, with p-value (1 + Q_τ/ν)^(−ν/2). The law
 * is inside the region (selected by the data) when that p-value is at
 * least 1 − confidence, i.e. the region meets the disc. The region's larger
 * semi-axis √(λ_max(V)·q₉₅), the fit's resolution, says whether it could
 * tell laws a given distance apart at all.
 *
 * Within-cell noise. {@linkcode PowerLawFit.withinSe} is the pooled
 * within-cell standard deviation of the log values over √(trials per
 * cell): the trial noise of a cell's log-mean alone. residualSd/withinSe
 * well above 1 says the between-cell scatter is mostly lack of fit.
 *
 * @module
 */

import { mean, median, studentTQuantile } from "../stats/mod.ts";

/** One cell of a grid: its sizes and the values of its trials. */
export interface PowerLawCell {
  /** Dimension d. */
  d: number;
  /** Number of clusters k. */
  k: number;
  /** The measured value of each trial (non-positive or non-finite ones are dropped). */
  values: readonly number[];
}

/** An interval. */
export interface Range {
  /** Lower end. */
  low: number;
  /** Upper end. */
  high: number;
}

/** The fit log r = c + a·log d + b·log k over a grid's cells. */
export interface PowerLawFit {
  /** Exponent of d. */
  a: number;
  /** Exponent of k. */
  b: number;
  /** Intercept c (natural log). */
  c: number;
  /** Covariance of (â, b̂): [V_aa, V_ab, V_bb]. */
  covariance: [number, number, number];
  /** Cells used (those with at least one value). */
  cells: number;
  /** Residual degrees of freedom ν = cells − 3. */
  df: number;
  /** Residual standard deviation s of the cells around the plane (log units). */
  residualSd: number;
  /** Pooled within-cell SD of the log values over √(trials per cell) (NaN with one trial per cell). */
  withinSe: number;
  /** Marginal interval of a at the fit's confidence. */
  aCi: Range;
  /** Marginal interval of b at the fit's confidence. */
  bCi: Range;
  /** Confidence level of the intervals and of the joint region. */
  confidence: number;
  /** q of the joint region {θ : Q(θ) ≤ q} at the confidence. */
  regionQuantile: number;
  /** The region's larger semi-axis √(λ_max(V)·q). */
  resolution: number;
}

/**
 * Fit log r = c + a·log d + b·log k on the cell medians (see the module
 * doc). Throws a RangeError with fewer than 4 usable cells or when log d
 * and log k are collinear over them (the grid does not vary d and k
 * independently).
 *
 * @example r = 3·√(d/k) exactly: a = ½, b = −½
 * ```ts
 * import { fitPowerLaw } from "./power_law.ts";
 * import assert from "node:assert/strict";
 * const cells = [];
 * for (const d of [100, 400, 1600]) {
 *   for (const k of [4, 16]) {
 *     const r = 3 * Math.sqrt(d / k);
 *     cells.push({ d, k, values: [r * 0.99, r, r * 1.01 + 1e-3 * d] });
 *   }
 * }
 * const fit = fitPowerLaw(cells);
 * assert.ok(Math.abs(fit.a - 0.5) < 0.01 && Math.abs(fit.b + 0.5) < 0.01);
 * assert.equal(fit.df, 3);
 * ```
 */
export function fitPowerLaw(
  cells: readonly PowerLawCell[],
  options: { confidence?: number } = {},
): PowerLawFit {
  const { confidence = 0.95 } = options;
  const used = cells.map((cell) => ({
    x1: Math.log(cell.d),
    x2: Math.log(cell.k),
    logs: cell.values.filter((v) => Number.isFinite(v) && v > 0).map(Math.log),
  })).filter((cell) => cell.logs.length > 0);
  const G = used.length;
  if (G < 4) {
    throw new RangeError(`fitPowerLaw: ${G} usable cells, need at least 4`);
  }
  const ys = used.map((cell) => median(cell.logs));
  const m1 = mean(used.map((c) => c.x1)), m2 = mean(used.map((c) => c.x2));
  const my = mean(ys);
  let s11 = 0, s12 = 0, s22 = 0, s1y = 0, s2y = 0;
  used.forEach((cell, j) => {
    const u = cell.x1 - m1, v = cell.x2 - m2, w = ys[j] - my;
    s11 += u * u;
    s12 += u * v;
    s22 += v * v;
    s1y += u * w;
    s2y += v * w;
  });
  const det = s11 * s22 - s12 * s12;
  if (!(det > 1e-12 * Math.max(1e-300, s11 * s22))) {
    throw new RangeError(
      "fitPowerLaw: log d and log k are collinear over the cells",
    );
  }
  const a = (s22 * s1y - s12 * s2y) / det;
  const b = (s11 * s2y - s12 * s1y) / det;
  const c = my - a * m1 - b * m2;
  let rss = 0;
  used.forEach((cell, j) => {
    rss += (ys[j] - (c + a * cell.x1 + b * cell.x2)) ** 2;
  });
  const df = G - 3;
  const s2 = rss / df;
  const covariance: [number, number, number] = [
    (s2 * s22) / det,
    (-s2 * s12) / det,
    (s2 * s11) / det,
  ];
  const t = studentTQuantile(1 - (1 - confidence) / 2, df);
  const half = (variance: number) => t * Math.sqrt(variance);
  const regionQuantile = df * (Math.pow(1 - confidence, -2 / df) - 1);
  const [vaa, vab, vbb] = covariance;
  const lambdaMax = (vaa + vbb) / 2 +
    Math.sqrt(((vaa - vbb) / 2) ** 2 + vab * vab);
  let within = 0, withinDf = 0;
  for (const cell of used) {
    const mu = mean(cell.logs);
    for (const l of cell.logs) within += (l - mu) ** 2;
    withinDf += cell.logs.length - 1;
  }
  const perCell = mean(used.map((cell) => cell.logs.length));
  return {
    a,
    b,
    c,
    covariance,
    cells: G,
    df,
    residualSd: Math.sqrt(s2),
    withinSe: withinDf > 0 ? Math.sqrt(within / withinDf / perCell) : NaN,
    aCi: { low: a - half(vaa), high: a + half(vaa) },
    bCi: { low: b - half(vbb), high: b + half(vbb) },
    confidence,
    regionQuantile,
    resolution: Math.sqrt(Math.max(0, lambdaMax) * regionQuantile),
  };
}

/** A candidate power law r ∝ d^a·k^b, by name. */
export interface PowerLaw {
  /** Name, e.g. `√(d/k)`. */
  name: string;
  /** Exponent of d. */
  a: number;
  /** Exponent of k. */
  b: number;
}

/** A law tested against a fit. */
export interface LawTest {
  /** The law. */
  law: PowerLaw;
  /** Euclidean distance from (â, b̂) to (a₀, b₀). */
  distance: number;
  /** Q_τ: the smallest Q over the tolerance disc (0 when the fit lies in it). */
  q: number;
  /** P(Q ≥ Q_τ) = (1 + Q_τ/ν)^(−ν/2). */
  pValue: number;
  /** Whether the law (with its tolerance) lies in the joint region: pValue ≥ 1 − confidence. */
  inside: boolean;
}

/** Q(θ) = (θ − θ̂)ᵀ V⁻¹ (θ − θ̂) for a fit (Infinity off a degenerate fit's point). */
function quadratic(fit: PowerLawFit, a: number, b: number): number {
  const [vaa, vab, vbb] = fit.covariance;
  const da = a - fit.a, db = b - fit.b;
  const det = vaa * vbb - vab * vab;
  if (!(det > 0)) return da === 0 && db === 0 ? 0 : Infinity;
  return (vbb * da * da - 2 * vab * da * db + vaa * db * db) / det;
}

/** Angles scanned on the tolerance circle before refining. */
const CIRCLE_STEPS = 720;

/**
 * Test a law (a₀, b₀) against a fit with tolerance τ (see the module doc):
 * the smallest Q over the disc of radius τ around it, its p-value, and
 * whether the law lies in the joint region.
 *
 * @example
 * ```ts
 * import { fitPowerLaw, testLaw } from "./power_law.ts";
 * import assert from "node:assert/strict";
 * const cells = [];
 * for (const d of [100, 400, 1600]) {
 *   for (const k of [4, 16]) {
 *     const r = Math.sqrt(d / k) * (1 + 0.01 * Math.sin(d + k));
 *     cells.push({ d, k, values: [r] });
 *   }
 * }
 * const fit = fitPowerLaw(cells);
 * const right = testLaw(fit, { name: "√(d/k)", a: 0.5, b: -0.5 }, { tolerance: 0.05 });
 * const wrong = testLaw(fit, { name: "√d", a: 0.5, b: 0 }, { tolerance: 0.05 });
 * assert.ok(right.inside && right.q === 0);
 * assert.ok(!wrong.inside && wrong.pValue < 1e-3);
 * ```
 */
export function testLaw(
  fit: PowerLawFit,
  law: PowerLaw,
  options: { tolerance: number },
): LawTest {
  const { tolerance } = options;
  if (!(tolerance >= 0)) {
    throw new RangeError(`tolerance must be ≥ 0, got ${tolerance}`);
  }
  const distance = Math.hypot(fit.a - law.a, fit.b - law.b);
  let q = 0;
  if (distance > tolerance) {
    const at = (angle: number) =>
      quadratic(
        fit,
        law.a + tolerance * Math.cos(angle),
        law.b + tolerance * Math.sin(angle),
      );
    const step = (2 * Math.PI) / CIRCLE_STEPS;
    let best = 0;
    for (let i = 1; i < CIRCLE_STEPS; i++) {
      if (at(i * step) < at(best * step)) best = i;
    }
    // Golden-section refinement within one step on either side.
    let lo = (best - 1) * step, hi = (best + 1) * step;
    const g = (Math.sqrt(5) - 1) / 2;
    for (let i = 0; i < 40; i++) {
      const x1 = hi - g * (hi - lo), x2 = lo + g * (hi - lo);
      if (at(x1) <= at(x2)) hi = x2;
      else lo = x1;
    }
    q = Math.min(at(best * step), at((lo + hi) / 2));
  }
  const pValue = q === Infinity ? 0 : Math.pow(1 + q / fit.df, -fit.df / 2);
  return {
    law,
    distance,
    q,
    pValue,
    inside: pValue >= 1 - fit.confidence,
  };
}
