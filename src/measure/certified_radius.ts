/**
 * A sound certified l2 radius for a two-layer ReLU network, and the paper's
 * robust network N*.
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

import { flipRadius, preActivations } from "./flip_radius.ts";
import { checkWeights, type NetworkWeights } from "../model/weights.ts";

/**
 * The certified l2 radius ε* from pre-activations a_r (`offsets`), hidden
 * row norms n_r = ‖w_r‖ (`rowNorms`) and output weights v_r: the smallest
 * ε ≥ 0 with g(ε) ≤ 0 (see the module doc for g and the soundness proof).
 * Returns 0 when y·N(x) ≤ 0 and `Infinity` when g never reaches 0.
 *
 * @example One neuron: the bound is exact
 * ```ts
 * import { certifiedRadius } from "./certified_radius.ts";
 * import assert from "node:assert/strict";
 * // y N(x + z) = relu(2 + ⟨w, z⟩) with ‖w‖ = 4: zero once ⟨w, z⟩ = -2.
 * assert.equal(certifiedRadius([2], [4], [1], 1), 0.5);
 * assert.equal(certifiedRadius([2], [4], [1], -1), 0);
 * ```
 */
export function certifiedRadius(
  offsets: ArrayLike<number>,
  rowNorms: ArrayLike<number>,
  outputWeights: ArrayLike<number>,
  label: number,
): number {
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
  return flipRadius(offsets, slopes, outputWeights, label);
}

/**
 * The certified l2 radius of a network at `x` with label `label`: a lower
 * bound on the distance from x to any point where label·N ≤ 0. See
 * {@linkcode certifiedRadius}.
 *
 * @example
 * ```ts
 * import { certifiedRadiusAt } from "./certified_radius.ts";
 * import assert from "node:assert/strict";
 * const net = { w: [3, 4], b: [-5], v: [1], d: 2, m: 1 }; // relu(3x1 + 4x2 - 5)
 * assert.equal(certifiedRadiusAt(net, [3, 4], 1), 4); // a = 20, ‖w‖ = 5
 * ```
 */
export function certifiedRadiusAt(
  weights: NetworkWeights,
  x: ArrayLike<number>,
  label: number,
): number {
  return certifiedRadius(
    preActivations(weights, x),
    rowNorms(weights),
    weights.v,
    label,
  );
}

/** The norms ‖w_r‖ of every neuron's weight vector. */
export function rowNorms(weights: NetworkWeights): Float64Array {
  const { w, d, m } = weights;
  const norms = new Float64Array(m);
  for (let r = 0; r < m; r++) {
    let s = 0;
    const row = r * d;
    for (let i = 0; i < d; i++) s += w[row + i] * w[row + i];
    norms[r] = Math.sqrt(s);
  }
  return norms;
}

/**
 * {@linkcode certifiedRadiusAt} for n points (x n×d row-major, labels y),
 * with the row norms computed once.
 *
 * @example
 * ```ts
 * import { certifiedRadii } from "./certified_radius.ts";
 * import assert from "node:assert/strict";
 * // N(x) = relu(x1 - 1): a point at x1 = 3 is certified for radius 2.
 * const net = { w: [1, 0], b: [-1], v: [1], d: 2, m: 1 };
 * const x = new Float64Array([3, 0, 5, 1]);
 * assert.deepEqual(certifiedRadii(net, x, [1, 1], 2), [2, 4]);
 * ```
 */
export function certifiedRadii(
  weights: NetworkWeights,
  x: Float32Array | Float64Array,
  y: ArrayLike<number>,
  n: number,
): number[] {
  const { d, v } = weights;
  const norms = rowNorms(weights);
  return Array.from({ length: n }, (_, i) => {
    const point = x.subarray(i * d, (i + 1) * d);
    return certifiedRadius(preActivations(weights, point), norms, v, y[i]);
  });
}

/**
 * The paper's robust network N*(x) = Σ_j y_j relu(⟨μ_j, x⟩ - d/2): one neuron
 * per cluster, w_j = μ_j, b_j = -d/2, v_j = y_j, width m = k.
 *
 * With orthogonal means of norm √d, at x = μ_j only neuron j is active, with
 * pre-activation d/2 and ‖w_j‖ = √d, so the certified radius is exactly √d/2
 * (reached by z = -μ_j/2).
 *
 * @param clusterMeans the means μ_j, row-major k×d
 * @param clusterLabels the cluster labels y_j (±1), length k
 * @param d input dimension
 * @param k number of clusters
 *
 * @example
 * ```ts
 * import { certifiedRadiusAt, robustNetwork } from "./certified_radius.ts";
 * import assert from "node:assert/strict";
 * const means = new Float64Array([2, 0, 0, 0, 0, 2, 0, 0]); // √d e_1, √d e_2 with d = 4
 * const net = robustNetwork(means, [1, -1], 4, 2);
 * assert.equal(certifiedRadiusAt(net, [2, 0, 0, 0], 1), 1); // √d / 2
 * ```
 */
export function robustNetwork(
  clusterMeans: Float64Array,
  clusterLabels: ArrayLike<number>,
  d: number,
  k: number,
): NetworkWeights<Float64Array> {
  const weights: NetworkWeights<Float64Array> = {
    w: Float64Array.from(clusterMeans),
    b: new Float64Array(k).fill(-d / 2),
    v: Float64Array.from(clusterLabels),
    d,
    m: k,
  };
  checkWeights(weights);
  return weights;
}
