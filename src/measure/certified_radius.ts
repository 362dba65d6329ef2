/**
 * A sound certified l2 radius for a two-layer network with the activation
 * relu(z)^p, p ≥ 1 (p = 1: the ReLU network).
 *
 * For N(x) = Σ_r v_r relu(⟨w_r, x⟩ + b_r)^p, a point x and a label y, write
 * a_r = ⟨w_r, x⟩ + b_r and n_r = ‖w_r‖. The per-neuron interval bound gives,
 * for every ε ≥ 0,
 *
 *   g(ε) = Σ_{r: y v_r > 0} y v_r relu(a_r - n_r ε)^p
 *        - Σ_{r: y v_r < 0} |y v_r| relu(a_r + n_r ε)^p,
 *
 * and {@linkcode certifiedRadius} returns ε* = the smallest ε ≥ 0 with
 * g(ε) ≤ 0 (0 when g(0) ≤ 0, `Infinity` when g stays positive) for p = 1,
 * and a lower bound on it for p ≠ 1 (below).
 *
 * Soundness (every z with ‖z‖ < ε* keeps y·N(x + z) > 0), for any p ≥ 1:
 *
 * 1. For ‖z‖ ≤ ε, Cauchy–Schwarz gives |⟨w_r, z⟩| ≤ n_r ε, so the
 *    pre-activation ⟨w_r, x + z⟩ + b_r = a_r + ⟨w_r, z⟩ lies in
 *    [a_r - n_r ε, a_r + n_r ε].
 * 2. relu is non-decreasing, and so is s ↦ s^p on s ≥ 0 (p ≥ 1 > 0), hence
 *    so is their composition relu(·)^p. A term with y v_r > 0 is therefore
 *    at least y v_r relu(a_r - n_r ε)^p, and a term with y v_r < 0 is at
 *    least y v_r relu(a_r + n_r ε)^p = -|y v_r| relu(a_r + n_r ε)^p.
 *    Summing, y·N(x + z) ≥ g(ε) whenever ‖z‖ ≤ ε.
 * 3. Each term of g is non-increasing in ε (the same monotonicity), so g is
 *    non-increasing; it is continuous (piecewise linear for p = 1). By the
 *    choice of ε*, g(ε) > 0 for every ε in [0, ε*).
 * 4. Given z with ‖z‖ < ε*, take ε = ‖z‖: then y·N(x + z) ≥ g(‖z‖) > 0.
 *
 * Hence the l2 distance from x to the set {x' : y·N(x') ≤ 0} is at least ε*,
 * and every flip radius along a direction (see `flip_radius.ts`) is at
 * least ε*. The same holds for any ε̂ ≤ ε*, which is what the p ≠ 1
 * computation returns. The bound is exact for a single active neuron (for
 * every p: a_r/n_r) and loose when several neurons cannot reach their worst
 * case with one z.
 *
 * Computation, p = 1: g(ε) = Σ_r y v_r relu(a_r + ε s_r) with s_r = -n_r
 * when y v_r > 0 and s_r = +n_r when y v_r < 0, which is exactly the line
 * function of `flipRadius`, so ε* is found by the same exact O(m log m)
 * walk over the sorted kinks.
 *
 * Computation, p ≠ 1: g is non-increasing, so its zero set is [ε*, ∞) and
 * bisection cannot miss it. A bracket [lo, hi] with g(lo) > 0 ≥ g(hi) is
 * found first: past E = max a_r/n_r over the neurons with y v_r > 0 every
 * positive term is constant, so g(E) > 0 with no growing negative term
 * means g > 0 for ever (`Infinity`); otherwise hi doubles from E (or from
 * the scale of the growing negative terms) until g(hi) ≤ 0, which happens
 * since those terms grow without bound. The bracket is then halved until
 * hi − lo ≤ {@linkcode CERTIFIED_BISECTION_TOLERANCE}·hi, and its lower end
 * lo is returned: g(lo) > 0 was evaluated there, so lo ≤ ε* (up to the
 * rounding of g in float64, as for p = 1). Cost O(m) per evaluation of g,
 * about 45 evaluations plus the bracketing.
 *
 * @module
 */

import { flipRadius } from "./flip_radius.ts";
import { pointPreActivations, rowNorms } from "../model/forward.ts";
import type { LabelledPoint, LabelledPoints } from "../model/data.ts";
import { networkPower, type NetworkWeights } from "../model/weights.ts";

/**
 * For p ≠ 1, the relative width of the final bisection bracket [lo, hi]
 * of the certified radius (hi − lo ≤ this·hi); lo is returned.
 */
export const CERTIFIED_BISECTION_TOLERANCE = 1e-12;

/** Largest number of doublings (and of halvings) of the p ≠ 1 bracket. */
const MAX_BRACKET_STEPS = 2200;

/**
 * The interval bound of a network at one point: pre-activations a_r
 * (`offsets`), hidden row norms n_r = ‖w_r‖ (`rowNorms`) and output weights
 * v_r, all of length m, and the power p of the activation (default 1).
 */
export interface IntervalBound {
  /** Pre-activations a_r = ⟨w_r, x⟩ + b_r at the point. */
  offsets: ArrayLike<number>;
  /** Row norms n_r = ‖w_r‖ (finite, ≥ 0). */
  rowNorms: ArrayLike<number>;
  /** Output weights v_r. */
  outputWeights: ArrayLike<number>;
  /** The power p ≥ 1 of the activation relu(z)^p (default 1). */
  power?: number;
}

/**
 * The certified l2 radius ε* from an {@linkcode IntervalBound}
 * (pre-activations a_r, row norms n_r = ‖w_r‖, output weights v_r, power
 * p): the smallest ε ≥ 0 with g(ε) ≤ 0 for p = 1, and for p ≠ 1 the lower
 * end of a bisection bracket of it, within the relative
 * {@linkcode CERTIFIED_BISECTION_TOLERANCE} below it (see the module doc
 * for g and the soundness proof). Returns 0 when y·N(x) ≤ 0 and `Infinity`
 * when g never reaches 0.
 *
 * @example One neuron: the bound is exact
 * ```ts
 * import { certifiedRadius } from "./certified_radius.ts";
 * import assert from "node:assert/strict";
 * // y N(x + z) = relu(2 + ⟨w, z⟩) with ‖w‖ = 4: zero once ⟨w, z⟩ = -2.
 * const bound = { offsets: [2], rowNorms: [4], outputWeights: [1] };
 * assert.equal(certifiedRadius(bound, 1), 0.5);
 * assert.equal(certifiedRadius(bound, -1), 0);
 * // The same neuron cubed, relu(2 + ⟨w, z⟩)³: the same radius, from below.
 * const cubic = certifiedRadius({ ...bound, power: 3 }, 1);
 * assert.ok(cubic <= 0.5 && cubic > 0.5 * (1 - 1e-12));
 * ```
 */
export function certifiedRadius(bound: IntervalBound, label: number): number {
  const { offsets, rowNorms, outputWeights } = bound;
  const m = offsets.length;
  if (rowNorms.length !== m || outputWeights.length !== m) {
    throw new RangeError(
      `certifiedRadius: lengths differ (offsets ${m}, rowNorms ` +
        `${rowNorms.length}, outputWeights ${outputWeights.length})`,
    );
  }
  const power = networkPower({ v: outputWeights, power: bound.power });
  const slopes = new Float64Array(m);
  for (let r = 0; r < m; r++) {
    const n = rowNorms[r];
    if (!(n >= 0) || !Number.isFinite(n)) {
      throw new RangeError(`certifiedRadius: bad row norm ${n} at neuron ${r}`);
    }
    slopes[r] = label * outputWeights[r] > 0 ? -n : n;
  }
  if (power !== 1) {
    return powerCertifiedRadius(
      { offsets, slopes, outputWeights, power },
      label,
    );
  }
  return flipRadius({ offsets, slopes, outputWeights }, label);
}

/**
 * The p ≠ 1 certificate of {@linkcode certifiedRadius}: the lower end of a
 * bisection bracket of the zero of the non-increasing
 * g(ε) = Σ_r q_r relu(a_r + ε s_r)^p, q_r = label·v_r (see the module doc).
 */
function powerCertifiedRadius(
  bound: {
    offsets: ArrayLike<number>;
    slopes: Float64Array;
    outputWeights: ArrayLike<number>;
    power: number;
  },
  label: number,
): number {
  const { offsets, slopes, outputWeights, power } = bound;
  const m = offsets.length;
  const q = new Float64Array(m);
  let settle = 0, scale = 0, grows = false, constant = 0;
  for (let r = 0; r < m; r++) {
    const a = offsets[r], s = slopes[r];
    q[r] = label * outputWeights[r];
    if (!Number.isFinite(a) || !Number.isFinite(q[r])) {
      throw new RangeError(`certifiedRadius: non-finite input at neuron ${r}`);
    }
    if (q[r] === 0) continue;
    if (s === 0) {
      if (a > 0) constant += q[r] * a ** power;
      continue;
    }
    scale = Math.max(scale, Math.abs(a) / Math.abs(s));
    // A positive term vanishes past a_r/n_r; a negative one grows for ever.
    if (q[r] > 0) settle = Math.max(settle, a / -s);
    else grows = true;
  }
  const g = (eps: number): number => {
    let sum = 0;
    for (let r = 0; r < m; r++) {
      const z = offsets[r] + eps * slopes[r];
      if (z > 0 && q[r] !== 0) sum += q[r] * z ** power;
    }
    return sum;
  };
  if (!(g(0) > 0)) return 0;
  let lo = 0, hi = settle;
  if (!grows) {
    // Past `settle` g is the constant of the neurons with n_r = 0 (the
    // moving terms have vanished): positive means positive for ever.
    if (constant > 0) return Infinity;
  } else {
    if (!(hi > 0)) hi = scale > 0 ? scale : 1;
    for (let step = 0; g(hi) > 0; step++) {
      // hi only certifies where g(hi) > 0 was seen (a bracket never closed).
      if (step === MAX_BRACKET_STEPS || !Number.isFinite(2 * hi)) return hi;
      lo = hi;
      hi *= 2;
    }
  }
  for (let step = 0; step < MAX_BRACKET_STEPS; step++) {
    if (hi - lo <= CERTIFIED_BISECTION_TOLERANCE * hi) break;
    const mid = lo + (hi - lo) / 2;
    if (!(mid > lo && mid < hi)) break;
    if (g(mid) > 0) lo = mid;
    else hi = mid;
  }
  return lo;
}

/**
 * The certified l2 radius of a network at a point `x` with label `label`: a
 * lower bound on the distance from x to any point where label·N ≤ 0. See
 * {@linkcode certifiedRadius}.
 *
 * @example
 * ```ts
 * import { certifiedRadiusAt } from "./certified_radius.ts";
 * import assert from "node:assert/strict";
 * const net = { w: [3, 4], b: [-5], v: [1], d: 2, m: 1 }; // relu(3x1 + 4x2 - 5)
 * assert.equal(certifiedRadiusAt(net, { x: [3, 4], label: 1 }), 4); // a = 20, ‖w‖ = 5
 * ```
 */
export function certifiedRadiusAt(
  weights: NetworkWeights,
  point: LabelledPoint,
): number {
  return certifiedRadius({
    offsets: pointPreActivations(weights, point.x),
    rowNorms: rowNorms(weights),
    outputWeights: weights.v,
    power: weights.power,
  }, point.label);
}

/**
 * {@linkcode certifiedRadiusAt} for n labelled points (x n×d row-major,
 * labels y, n = `y.length`), with the row norms computed once.
 *
 * @example
 * ```ts
 * import { certifiedRadii } from "./certified_radius.ts";
 * import assert from "node:assert/strict";
 * // N(x) = relu(x1 - 1): a point at x1 = 3 is certified for radius 2.
 * const net = { w: [1, 0], b: [-1], v: [1], d: 2, m: 1 };
 * const x = new Float64Array([3, 0, 5, 1]);
 * assert.deepEqual(certifiedRadii(net, { x, y: [1, 1] }), [2, 4]);
 * ```
 */
export function certifiedRadii(
  weights: NetworkWeights,
  points: LabelledPoints<Float32Array | Float64Array>,
): number[] {
  const { d, v } = weights;
  const { x, y } = points;
  const norms = rowNorms(weights);
  return Array.from({ length: y.length }, (_, i) => {
    const offsets = pointPreActivations(
      weights,
      x.subarray(i * d, (i + 1) * d),
    );
    return certifiedRadius(
      { offsets, rowNorms: norms, outputWeights: v, power: weights.power },
      y[i],
    );
  });
}
