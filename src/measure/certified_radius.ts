/**
 * A sound certified l2 radius for a two-layer ReLU network.
 *
 * For N(x) = Σ_r v_r relu(⟨w_r, x⟩ + b_r), a point x and a label y, write
 * a_r = ⟨w_r, x⟩ + b_r and n_r = ‖w_r‖. The per-neuron interval bound gives,
 * for every ε ≥ 0,
 *
 *   g(ε) = Σ_{r: y v_r > 0} y v_r relu(a_r - n_r ε)
 *        - Σ_{r: y v_r < 0} |y v_r| relu(a_r + n_r ε),
 *
 * and {@linkcode certifiedRadius} returns ε* = the smallest ε ≥ 0 with
 * g(ε) ≤ 0 (0 when g(0) ≤ 0, `Infinity` when g stays positive).
 *
 * Soundness (every z with ‖z‖ < ε* keeps y·N(x + z) > 0):
 *
 * 1. For ‖z‖ ≤ ε, Cauchy–Schwarz gives |⟨w_r, z⟩| ≤ n_r ε, so the
 *    pre-activation ⟨w_r, x + z⟩ + b_r = a_r + ⟨w_r, z⟩ lies in
 *    [a_r - n_r ε, a_r + n_r ε].
 * 2. relu is non-decreasing, so a term with y v_r > 0 is at least
 *    y v_r relu(a_r - n_r ε), and a term with y v_r < 0 is at least
 *    y v_r relu(a_r + n_r ε) = -|y v_r| relu(a_r + n_r ε). Summing,
 *    y·N(x + z) ≥ g(ε) whenever ‖z‖ ≤ ε.
 * 3. Each term of g is non-increasing in ε, so g is non-increasing; it is
 *    continuous and piecewise linear. By the choice of ε*, g(ε) > 0 for every
 *    ε in [0, ε*).
 * 4. Given z with ‖z‖ < ε*, take ε = ‖z‖: then y·N(x + z) ≥ g(‖z‖) > 0.
 *
 * Hence the l2 distance from x to the set {x' : y·N(x') ≤ 0} is at least ε*,
 * and every exact flip radius along a direction (see `flip_radius.ts`) is at
 * least ε*. The bound is exact for a single active neuron and loose when
 * several neurons cannot reach their worst case with one z.
 *
 * Computation: g(ε) = Σ_r y v_r relu(a_r + ε s_r) with s_r = -n_r when
 * y v_r > 0 and s_r = +n_r when y v_r < 0, which is exactly the line function
 * of `flipRadius`, so ε* is found by the same exact O(m log m) walk over the
 * sorted kinks.
 *
 * @module
 */

import { flipRadius } from "./flip_radius.ts";
import { pointPreActivations, rowNorms } from "../model/forward.ts";
import type { LabelledPoint, LabelledPoints } from "../model/data.ts";
import { type NetworkWeights } from "../model/weights.ts";

/**
 * The interval bound of a network at one point: pre-activations a_r
 * (`offsets`), hidden row norms n_r = ‖w_r‖ (`rowNorms`) and output weights
 * v_r, all of length m.
 */
export interface IntervalBound {
  /** Pre-activations a_r = ⟨w_r, x⟩ + b_r at the point. */
  offsets: ArrayLike<number>;
  /** Row norms n_r = ‖w_r‖ (finite, ≥ 0). */
  rowNorms: ArrayLike<number>;
  /** Output weights v_r. */
  outputWeights: ArrayLike<number>;
}

/**
 * The certified l2 radius ε* from an {@linkcode IntervalBound}
 * (pre-activations a_r, row norms n_r = ‖w_r‖, output weights v_r): the
 * smallest ε ≥ 0 with g(ε) ≤ 0 (see the module doc for g and the soundness proof).
 * Returns 0 when y·N(x) ≤ 0 and `Infinity` when g never reaches 0.
 *
 * @example One neuron: the bound is exact
 * ```ts
 * import { certifiedRadius } from "./certified_radius.ts";
 * import assert from "node:assert/strict";
 * // y N(x + z) = relu(2 + ⟨w, z⟩) with ‖w‖ = 4: zero once ⟨w, z⟩ = -2.
 * const bound = { offsets: [2], rowNorms: [4], outputWeights: [1] };
 * assert.equal(certifiedRadius(bound, 1), 0.5);
 * assert.equal(certifiedRadius(bound, -1), 0);
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
  const slopes = new Float64Array(m);
  for (let r = 0; r < m; r++) {
    const n = rowNorms[r];
    if (!(n >= 0) || !Number.isFinite(n)) {
      throw new RangeError(`certifiedRadius: bad row norm ${n} at neuron ${r}`);
    }
    slopes[r] = label * outputWeights[r] > 0 ? -n : n;
  }
  return flipRadius({ offsets, slopes, outputWeights }, label);
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
      { offsets, rowNorms: norms, outputWeights: v },
      y[i],
    );
  });
}
