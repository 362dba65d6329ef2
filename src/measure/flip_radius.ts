/**
 * Exact distance to a sign flip of a two-layer ReLU network along a line.
 *
 * For N(x) = Σ_r v_r relu(⟨w_r, x⟩ + b_r) and a unit direction u, the
 * pre-activations along x + t·u are z_r(t) = a_r + t·c_r with
 * a_r = ⟨w_r, x⟩ + b_r and c_r = ⟨w_r, u⟩, so
 * f(t) = N(x + t·u) = Σ_r v_r relu(a_r + t·c_r) is continuous and piecewise
 * linear in t, with kinks at t_r = -a_r / c_r. {@linkcode flipRadius} sorts the
 * positive kinks and walks the linear pieces, keeping the value and slope of
 * y·f, and solves the linear equation on the first piece where y·f reaches 0:
 * the answer is exact up to floating-point rounding, in O(m log m).
 *
 * @module
 */

import { neuronSlopes, pointPreActivations } from "../model/forward.ts";
import type { LabelledPoint } from "../model/data.ts";
import { type NetworkWeights } from "../model/weights.ts";

/**
 * A network restricted to a line x + t·u: f(t) = Σ_r v_r relu(a_r + t·c_r),
 * with `offsets` a_r (the pre-activations at t = 0), `slopes` c_r and
 * `outputWeights` v_r, all of length m.
 */
export interface ReluLine {
  /** Pre-activations a_r at t = 0. */
  offsets: ArrayLike<number>;
  /** Rates c_r = ⟨w_r, u⟩ along the (unit) direction. */
  slopes: ArrayLike<number>;
  /** Output weights v_r. */
  outputWeights: ArrayLike<number>;
}

/** Options of {@linkcode flipRadius} and {@linkcode flipRadiusAlong}. */
export interface FlipRadiusOptions {
  /** Largest radius of interest: a flip beyond it is `Infinity` (default `Infinity`). */
  maxRadius?: number;
}

/**
 * The smallest t ≥ 0 with label·f(t) ≤ 0 on a {@linkcode ReluLine}
 * f(t) = Σ_r v_r relu(a_r + t·c_r).
 *
 * Returns 0 when label·f(0) ≤ 0 (already misclassified, or on the decision
 * boundary), and `Infinity` when label·f stays positive on [0, maxRadius]
 * (a flip beyond `maxRadius` is reported as `Infinity`). f is linear after its
 * last kink, so a flip beyond every kink is found too.
 *
 * Neuron r is active just after t = 0 when a_r > 0, or a_r = 0 and c_r > 0;
 * it switches at t_r = -a_r/c_r > 0 when a_r and c_r have opposite signs
 * (on if c_r > 0, off if c_r < 0), changing the slope by ±v_r·c_r; neurons
 * with c_r = 0 are constant. Kinks at equal times are applied together (a
 * piece of length 0 does not change the value). Rounding: g = label·f is
 * carried from piece to piece, so a value within m·2⁻⁵² times the largest
 * Σ_active |v_r (a_r + t c_r)| seen so far counts as 0, and g is exactly 0
 * once no neuron is active (this catches g touching 0 at a kink, e.g. when
 * the last active neuron switches off). Cost O(m log m).
 *
 * @param line the offsets a_r, slopes c_r and output weights v_r
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
    { offsets, slopes, outputWeights: weights.v },
    label,
    options,
  );
}
