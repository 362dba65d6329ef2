/**
 * Distance to a sign flip of a two-layer network along a line: exact for
 * the ReLU network, up to a named subdivision and bisection tolerance for
 * the polynomial ReLU relu(z)^p.
 *
 * For N(x) = Σ_r v_r relu(⟨w_r, x⟩ + b_r)^p and a unit direction u, the
 * pre-activations along x + t·u are z_r(t) = a_r + t·c_r with
 * a_r = ⟨w_r, x⟩ + b_r and c_r = ⟨w_r, u⟩, so
 * f(t) = N(x + t·u) = Σ_r v_r relu(a_r + t·c_r)^p is continuous in t, with
 * kinks (where a neuron switches on or off) at t_r = -a_r / c_r.
 *
 * p = 1: f is piecewise linear. {@linkcode flipRadius} sorts the positive
 * kinks and walks the linear pieces, keeping the value and slope of y·f,
 * and solves the linear equation on the first piece where y·f reaches 0:
 * the answer is exact up to floating-point rounding, in O(m log m).
 *
 * p ≠ 1: the walk is the same, but between two kinks f is a smooth sum of
 * powers, not a line. Each piece [t_k, t_{k+1}] is cut into
 * {@linkcode FLIP_SUBDIVISIONS} equal sub-intervals; y·f is evaluated at
 * their ends in order, and the first sub-interval whose right end has
 * y·f ≤ 0 is bisected to the relative width
 * {@linkcode FLIP_BISECTION_TOLERANCE}; the right end of the final bracket
 * (where y·f ≤ 0 was evaluated) is returned. After the last kink the
 * piece is unbounded: it is scanned on a geometric grid (octaves
 * [s·2^(j−1), s·2^j] past the last kink, each cut into
 * {@linkcode FLIP_SUBDIVISIONS} sub-intervals, s the larger of the last
 * kink and the scale at which the remaining neurons become proportional),
 * until a bound shows y·f > 0 forever, or after
 * {@linkcode FLIP_MAX_OCTAVES} octaves (then there is no flip, `Infinity`).
 * A piece (or octave) on which a lower bound of y·f is positive is not
 * scanned: each term v_r y relu(a_r + t·c_r)^p is monotone in t, so its
 * smaller end value bounds it, and a positive sum of those proves there is
 * no crossing (the scan would find none; this only saves time). Cost: the
 * sort, then O(m) per evaluation of y·f, two per skipped piece and
 * FLIP_SUBDIVISIONS (plus about 40 for a bisection) per scanned one.
 *
 * What this finds for p ≠ 1: the first crossing up to the subdivision. If
 * y·f dips to ≤ 0 and back to > 0 inside one sub-interval (a pair of roots
 * closer than a sub-interval), that dip is missed and a later crossing, or
 * `Infinity`, is reported. A missed dip can only make a reported flip
 * radius larger than the true first crossing, never smaller: every radius
 * returned is a t where y·f(t) ≤ 0 was evaluated (or where no neuron is
 * active, f ≡ 0), and every flip the attacks report is moreover verified in
 * float64 with the network's forward pass (`./attacks/verify.ts`). Upper
 * bounds on the robust radius built on it stay sound.
 *
 * @module
 */

import { neuronSlopes, pointPreActivations } from "../model/forward.ts";
import type { LabelledPoint } from "../model/data.ts";
import { networkPower, type NetworkWeights } from "../model/weights.ts";

/**
 * For p ≠ 1, the number of equal sub-intervals each piece between two kinks
 * (and each octave past the last kink) is cut into when looking for the
 * first sign change of y·f (see the module doc).
 */
export const FLIP_SUBDIVISIONS = 16;

/**
 * For p ≠ 1, the relative width to which a sign change is bisected: the
 * bracket [lo, hi] stops once hi − lo ≤ this·hi, and hi is returned.
 */
export const FLIP_BISECTION_TOLERANCE = 1e-12;

/**
 * For p ≠ 1, how many octaves past the last kink are scanned before the
 * line is declared never to flip: a flip more than 2^40 ≈ 10¹² times the
 * scale s past the last kink is reported as `Infinity`. Reached only when
 * the growing neurons' leading terms cancel, so that no bound settles the
 * sign; beyond it float64 would lose the offsets a_r in a_r + t·c_r and
 * could see cancellation as a zero.
 */
export const FLIP_MAX_OCTAVES = 40;

/** Largest number of halvings of one bisection (a guard; the tolerance stops it first). */
const MAX_BISECTIONS = 200;

/**
 * A network restricted to a line x + t·u: f(t) = Σ_r v_r relu(a_r + t·c_r)^p,
 * with `offsets` a_r (the pre-activations at t = 0), `slopes` c_r and
 * `outputWeights` v_r, all of length m, and the power p (default 1).
 */
export interface ReluLine {
  /** Pre-activations a_r at t = 0. */
  offsets: ArrayLike<number>;
  /** Rates c_r = ⟨w_r, u⟩ along the (unit) direction. */
  slopes: ArrayLike<number>;
  /** Output weights v_r. */
  outputWeights: ArrayLike<number>;
  /** The power p ≥ 1 of the activation relu(z)^p (default 1). */
  power?: number;
}

/** Options of {@linkcode flipRadius} and {@linkcode flipRadiusAlong}. */
export interface FlipRadiusOptions {
  /** Largest radius of interest: a flip beyond it is `Infinity` (default `Infinity`). */
  maxRadius?: number;
}

/**
 * The smallest t ≥ 0 with label·f(t) ≤ 0 on a {@linkcode ReluLine}
 * f(t) = Σ_r v_r relu(a_r + t·c_r)^p: exact for p = 1, and for p ≠ 1 the
 * first crossing up to the subdivision of the module doc (never an earlier
 * t than the true first crossing, up to the bisection tolerance
 * {@linkcode FLIP_BISECTION_TOLERANCE}).
 *
 * Returns 0 when label·f(0) ≤ 0 (already misclassified, or on the decision
 * boundary), and `Infinity` when label·f stays positive on [0, maxRadius]
 * (a flip beyond `maxRadius` is reported as `Infinity`). f is linear after its
 * last kink for p = 1 (a sum of growing powers for p ≠ 1), so a flip beyond
 * every kink is found too.
 *
 * Neuron r is active just after t = 0 when a_r > 0, or a_r = 0 and c_r > 0;
 * it switches at t_r = -a_r/c_r > 0 when a_r and c_r have opposite signs
 * (on if c_r > 0, off if c_r < 0), changing the slope by ±v_r·c_r; neurons
 * with c_r = 0 are constant. Kinks at equal times are applied together (a
 * piece of length 0 does not change the value). Rounding: g = label·f is
 * carried from piece to piece, so a value within m·2⁻⁵² times the largest
 * Σ_active |v_r (a_r + t c_r)| seen so far counts as 0, and g is exactly 0
 * once no neuron is active (this catches g touching 0 at a kink, e.g. when
 * the last active neuron switches off). Cost O(m log m). For p ≠ 1 the
 * neurons switch at the same kinks and g is exactly 0 once none is active,
 * but there is no rounding tolerance on the value: a t counts as a flip
 * when label·f(t) ≤ 0 is evaluated there.
 *
 * @param line the offsets a_r, slopes c_r, output weights v_r and power p
 * @param label the label y (usually ±1); the flip is where y·f(t) ≤ 0
 * @param options `maxRadius`, the largest t of interest (default `Infinity`)
 *
 * @example Flip beyond the only kink
 * ```ts
 * import { flipRadius } from "./flip_radius.ts";
 * import assert from "node:assert/strict";
 * // f(t) = relu(1 - t) - 0.5 relu(t - 0): f = 1 - 1.5 t until t = 1.
 * const line = { offsets: [1, 0], slopes: [-1, 1], outputWeights: [1, -0.5] };
 * assert.equal(flipRadius(line, 1), 2 / 3);
 * assert.equal(flipRadius(line, 1, { maxRadius: 0.5 }), Infinity);
 * ```
 *
 * @example p = 2: f(t) = relu(1 − t)² − relu(t)², zero at t = 1/2
 * ```ts
 * import { flipRadius } from "./flip_radius.ts";
 * import assert from "node:assert/strict";
 * const line = { offsets: [1, 0], slopes: [-1, 1], outputWeights: [1, -1], power: 2 };
 * const t = flipRadius(line, 1);
 * assert.ok(t >= 0.5 && t - 0.5 < 1e-12);
 * ```
 */
export function flipRadius(
  line: ReluLine,
  label: number,
  options: FlipRadiusOptions = {},
): number {
  const { offsets, slopes, outputWeights } = line;
  const { maxRadius = Infinity } = options;
  const m = offsets.length;
  if (slopes.length !== m || outputWeights.length !== m) {
    throw new RangeError(
      `flipRadius: lengths differ (offsets ${m}, slopes ${slopes.length}, ` +
        `outputWeights ${outputWeights.length})`,
    );
  }
  if (!Number.isFinite(label)) {
    throw new RangeError(`flipRadius: label must be finite, got ${label}`);
  }
  if (Number.isNaN(maxRadius) || maxRadius < 0) {
    throw new RangeError(`flipRadius: maxRadius must be ≥ 0, got ${maxRadius}`);
  }
  const power = networkPower({ v: outputWeights, power: line.power });
  if (power !== 1) return powerFlipRadius(line, { label, maxRadius, power });
  // g(t) = label·f(t) = value + slope·(t - t0) on the current piece, and
  // mag(t) = Σ_active |q_r| (a_r + c_r t) ≥ |g(t)| likewise: it scales the
  // rounding tolerance below which a value counts as 0.
  let value = 0, slope = 0, mag = 0, magSlope = 0, active = 0;
  const times = new Float64Array(m);
  const kinks: number[] = [];
  for (let r = 0; r < m; r++) {
    const a = offsets[r], c = slopes[r], q = label * outputWeights[r];
    if (!Number.isFinite(a) || !Number.isFinite(c) || !Number.isFinite(q)) {
      throw new RangeError(`flipRadius: non-finite input at neuron ${r}`);
    }
    if (q === 0) continue;
    if (a > 0 || (a === 0 && c > 0)) {
      value += q * a;
      slope += q * c;
      mag += Math.abs(q) * a;
      magSlope += Math.abs(q) * c;
      active++;
    }
    if ((a > 0 && c < 0) || (a < 0 && c > 0)) {
      const t = -a / c;
      if (!Number.isFinite(t)) continue; // switches beyond any float
      times[r] = t;
      kinks.push(r);
    }
  }
  const relTol = Math.max(1, m) * Number.EPSILON;
  let maxMag = mag;
  if (value <= relTol * maxMag) return 0;
  kinks.sort((i, j) => times[i] - times[j]);
  let t0 = 0;
  for (const r of kinks) {
    const tk = times[r];
    const end = value + slope * (tk - t0);
    if (end <= relTol * maxMag) {
      // value > 0 at t0, so slope < 0 here; the root lies in [t0, tk].
      const root = Math.min(tk, t0 + value / -slope);
      return root <= maxRadius ? root : Infinity;
    }
    value = end;
    mag += magSlope * (tk - t0);
    maxMag = Math.max(maxMag, mag);
    t0 = tk;
    if (t0 > maxRadius) return Infinity;
    const c = slopes[r], q = label * outputWeights[r];
    const on = c > 0 ? 1 : -1;
    slope += on * q * c;
    magSlope += on * Math.abs(q) * c;
    active += on;
    if (active === 0) return t0 <= maxRadius ? t0 : Infinity; // g ≡ 0 from t0
  }
  if (slope >= 0) return Infinity;
  const root = t0 + value / -slope;
  return root <= maxRadius ? root : Infinity;
}

/** A labelled point and a direction to move it along. */
export interface LineAttack extends LabelledPoint {
  /** The direction u (length d, not necessarily normalised, non-zero). */
  direction: ArrayLike<number>;
}

/**
 * The flip radius of a network at `x` along `direction` u (normalised here):
 * the smallest t ≥ 0 with label·N(x + t·u/‖u‖) ≤ 0, or `Infinity` if there is
 * none up to `maxRadius`. See {@linkcode flipRadius}.
 *
 * @example
 * ```ts
 * import { flipRadiusAlong } from "./flip_radius.ts";
 * import assert from "node:assert/strict";
 * // N(x) = relu(x1 - 1): from (3, 0) towards -e1 it reaches 0 at x1 = 1.
 * const net = { w: [1, 0], b: [-1], v: [1], d: 2, m: 1 };
 * assert.equal(flipRadiusAlong(net, { x: [3, 0], direction: [-2, 0], label: 1 }), 2);
 * ```
 */
export function flipRadiusAlong(
  weights: NetworkWeights,
  attack: LineAttack,
  options: FlipRadiusOptions = {},
): number {
  const { x, direction: u, label } = attack;
  const offsets = pointPreActivations(weights, x);
  const { d } = weights;
  if (u.length !== d) {
    throw new RangeError(`direction has length ${u.length}, expected d=${d}`);
  }
  let norm2 = 0;
  for (let i = 0; i < d; i++) norm2 += u[i] * u[i];
  const norm = Math.sqrt(norm2);
  if (!(norm > 0) || !Number.isFinite(norm)) {
    throw new RangeError(
      "flipRadiusAlong: direction must be non-zero and finite",
    );
  }
  const slopes = neuronSlopes(weights, u).map((s) => s / norm);
  return flipRadius(
    { offsets, slopes, outputWeights: weights.v, power: weights.power },
    label,
    options,
  );
}

/** label·f on a piece where the active neurons do not change. */
interface SignedLine {
  /** label·f(t). */
  value(t: number): number;
  /** A lower bound on label·f over [from, to] (see {@linkcode signedLine}). */
  lowerBound(from: number, to: number): number;
}

/**
 * label·f(t) = Σ_{r ∈ active} q_r relu(a_r + t·c_r)^p with q_r = label·v_r,
 * over the neurons listed in `active` (each clamped at 0, so a neuron at
 * its kink adds nothing whatever the rounding of a_r + t·c_r), and a lower
 * bound on it over an interval: each term is monotone in t (relu(·)^p is
 * non-decreasing and a_r + t·c_r linear), so it is smallest at an end,
 * q_r relu(min z_r)^p for q_r > 0 and q_r relu(max z_r)^p for q_r < 0.
 */
function signedLine(
  at: {
    offsets: ArrayLike<number>;
    slopes: ArrayLike<number>;
    q: Float64Array;
    power: number;
  },
  active: readonly number[],
): SignedLine {
  const { offsets, slopes, q, power } = at;
  return {
    value(t) {
      let s = 0;
      for (const r of active) {
        const z = offsets[r] + t * slopes[r];
        if (z > 0) s += q[r] * z ** power;
      }
      return s;
    },
    lowerBound(from, to) {
      let s = 0;
      for (const r of active) {
        const z0 = offsets[r] + from * slopes[r];
        const z1 = offsets[r] + to * slopes[r];
        const z = q[r] > 0 ? Math.min(z0, z1) : Math.max(z0, z1);
        if (z > 0) s += q[r] * z ** power;
      }
      return s;
    },
  };
}

/**
 * Bisect a sign change of g on [lo, hi] (g(lo) > 0, g(hi) ≤ 0) to the
 * relative width {@linkcode FLIP_BISECTION_TOLERANCE}; returns hi.
 */
function bisectCrossing(
  g: (t: number) => number,
  bracket: { lo: number; hi: number },
): number {
  let { lo, hi } = bracket;
  for (let it = 0; it < MAX_BISECTIONS; it++) {
    if (hi - lo <= FLIP_BISECTION_TOLERANCE * hi) break;
    const mid = lo + (hi - lo) / 2;
    if (!(mid > lo && mid < hi)) break;
    if (g(mid) <= 0) hi = mid;
    else lo = mid;
  }
  return hi;
}

/**
 * The first crossing of g on [from, to] seen on a grid of
 * {@linkcode FLIP_SUBDIVISIONS} equal sub-intervals (g(from) > 0), bisected;
 * null when g > 0 at every grid point. A span whose lower bound is
 * positive has no crossing and is not scanned (the scan would find none:
 * the result is the same, at two evaluations instead of
 * {@linkcode FLIP_SUBDIVISIONS}).
 */
function crossingOn(
  line: SignedLine,
  span: { from: number; to: number },
): number | null {
  const { from, to } = span;
  if (!(to > from)) return null;
  if (line.lowerBound(from, to) > 0) return null;
  const g = (t: number) => line.value(t);
  const h = (to - from) / FLIP_SUBDIVISIONS;
  let left = from;
  for (let i = 1; i <= FLIP_SUBDIVISIONS; i++) {
    const right = i === FLIP_SUBDIVISIONS ? to : from + i * h;
    if (g(right) <= 0) return bisectCrossing(g, { lo: left, hi: right });
    left = right;
  }
  return null;
}

/** The p ≠ 1 walk of {@linkcode flipRadius} (see the module doc). */
function powerFlipRadius(
  line: ReluLine,
  at: { label: number; maxRadius: number; power: number },
): number {
  const { offsets, slopes, outputWeights } = line;
  const { label, maxRadius, power } = at;
  const m = offsets.length;
  const q = new Float64Array(m);
  const times = new Float64Array(m);
  const kinks: number[] = [];
  const active: number[] = [];
  for (let r = 0; r < m; r++) {
    const a = offsets[r], c = slopes[r];
    q[r] = label * outputWeights[r];
    if (!Number.isFinite(a) || !Number.isFinite(c) || !Number.isFinite(q[r])) {
      throw new RangeError(`flipRadius: non-finite input at neuron ${r}`);
    }
    if (q[r] === 0) continue;
    if (a > 0 || (a === 0 && c > 0)) active.push(r);
    if ((a > 0 && c < 0) || (a < 0 && c > 0)) {
      const t = -a / c;
      if (!Number.isFinite(t)) continue; // switches beyond any float
      times[r] = t;
      kinks.push(r);
    }
  }
  const g = signedLine({ offsets, slopes, q, power }, active);
  if (!(g.value(0) > 0)) return 0;
  kinks.sort((i, j) => times[i] - times[j]);
  let t0 = 0;
  for (const r of kinks) {
    const tk = times[r];
    if (tk > t0) {
      const root = crossingOn(g, { from: t0, to: Math.min(tk, maxRadius) });
      if (root !== null) return root;
      if (tk > maxRadius) return Infinity;
      t0 = tk;
    }
    if (slopes[r] > 0) active.push(r);
    else active.splice(active.indexOf(r), 1);
    if (active.length === 0) return t0; // g ≡ 0 from t0
  }
  return tailCrossing(g, {
    offsets,
    slopes,
    q,
    power,
    active,
    start: t0,
    maxRadius,
  });
}

/**
 * The first crossing of g past the last kink `start` (see the module doc):
 * the active neurons there no longer switch, and with u = t − start each
 * is q_r (α_r + c_r u)^p, α_r = a_r + c_r·start ≥ 0. Writing
 * β_r = α_r/c_r ∈ [0, B] for the growing ones (c_r > 0), K for the constant
 * ones (c_r = 0), P = Σ_{q_r > 0} q_r c_r^p and N = Σ_{q_r < 0} |q_r| c_r^p
 * over the growing ones,
 *
 *   g ≥ L(u) = K + u^p·(P − N·(1 + B/u)^p),
 *
 * and the bracket increases with u: once it is > 0 and L(u) > 0 (with a
 * margin for rounding), g > 0 for every later u, and there is no flip.
 */
function tailCrossing(
  g: SignedLine,
  at: {
    offsets: ArrayLike<number>;
    slopes: ArrayLike<number>;
    q: Float64Array;
    power: number;
    active: readonly number[];
    start: number;
    maxRadius: number;
  },
): number {
  const { offsets, slopes, q, power, active, start, maxRadius } = at;
  let constant = 0, plus = 0, minus = 0, reach = 0, settles = true;
  for (const r of active) {
    const c = slopes[r];
    const alpha = Math.max(0, offsets[r] + c * start);
    if (c < 0) settles = false; // only when its kink overflowed
    else if (c === 0) constant += q[r] * alpha ** power;
    else {
      if (q[r] > 0) plus += q[r] * c ** power;
      else minus += -q[r] * c ** power;
      reach = Math.max(reach, alpha / c);
    }
  }
  const lead = plus - minus;
  let scale = Math.max(start, reach);
  if (scale === 0) {
    // Every growing neuron starts at 0 here: g = K + (P − N)·u^p exactly.
    if (!(lead < 0)) return Infinity;
    scale = (g.value(start) / -lead) ** (1 / power);
  }
  // Rounding margin of the bound L(u) (float64 sums of m terms).
  const margin = 1e-9;
  let from = start;
  for (let octave = 0; octave <= FLIP_MAX_OCTAVES; octave++) {
    const u = scale * 2 ** octave;
    if (from > maxRadius) return Infinity;
    const to = Math.min(start + u, maxRadius);
    const root = crossingOn(g, { from, to });
    if (root !== null) return root;
    if (start + u >= maxRadius) return Infinity;
    from = start + u;
    const bracket = plus - minus * (1 + reach / u) ** power;
    const bound = constant + u ** power * bracket;
    const size = Math.abs(constant) + (plus + minus) * (u + reach) ** power;
    if (settles && bracket > 0 && bound > margin * size) return Infinity;
  }
  return Infinity;
}
