/**
 * Feature averaging, measured (C6 and N1): how well each significant neuron
 * of a trained network lines up with the sum of its class's cluster means,
 * and the cosine of two vectors, used for input gradients too.
 *
 * @module
 */

import { classMeanSum, type ClusterModel } from "../model/data.ts";
import { type NetworkWeights } from "../model/weights.ts";

/**
 * The cosine ⟨a, b⟩ / (‖a‖‖b‖) of two vectors of the same length (NaN when
 * one is zero). The three sums run together in index order.
 *
 * @example
 * ```ts
 * import { cosine } from "./alignment.ts";
 * import assert from "node:assert/strict";
 * assert.equal(cosine([1, 0], [3, 0]), 1);
 * assert.equal(cosine([1, 0], [0, 2]), 0);
 * ```
 */
export function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) {
    throw new RangeError(`cosine: lengths differ (${a.length}, ${b.length})`);
  }
  let ab = 0, aa = 0, bb = 0;
  for (let t = 0; t < b.length; t++) {
    ab += a[t] * b[t];
    aa += a[t] * a[t];
    bb += b[t] * b[t];
  }
  return ab / Math.sqrt(aa * bb);
}

/** The class mean sums u+ = Σ_{y_j=+1} μ_j and u- = Σ_{y_j=-1} μ_j (length d each). */
export interface ClassMeanSums<A extends ArrayLike<number> = Float64Array> {
  /** u+, what neurons with v_r > 0 are compared with. */
  plus: A;
  /** u-, what neurons with v_r < 0 are compared with. */
  minus: A;
}

/**
 * The class mean sums u± of a cluster model.
 *
 * @example
 * ```ts
 * import { classMeanSums } from "./alignment.ts";
 * import { clusterModel } from "../model/data.ts";
 * import { Rng } from "../model/rng.ts";
 * import assert from "node:assert/strict";
 * const { plus, minus } = classMeanSums(clusterModel(new Rng(1), { d: 9, k: 3 }));
 * assert.equal(plus.length + minus.length, 18);
 * ```
 */
export function classMeanSums(model: ClusterModel): ClassMeanSums {
  return { plus: classMeanSum(model, 1), minus: classMeanSum(model, -1) };
}

/** Options of {@linkcode neuronAlignments}. */
export interface AlignmentOptions {
  /**
   * A neuron is significant when v_r² + ‖w_r‖² + b_r² is at least this
   * fraction of the largest such value.
   */
  significance: number;
}

/**
 * Cosines of each significant neuron's w_r with the sum of its class's means
 * (u+ when v_r > 0, u- otherwise), in neuron order.
 *
 * @example
 * ```ts
 * import { neuronAlignments } from "./alignment.ts";
 * import assert from "node:assert/strict";
 * const weights = {
 *   d: 2, m: 2,
 *   w: new Float32Array([1, 0, 0, 2]), b: new Float32Array([0, 0]), v: new Float32Array([1, -2]),
 * };
 * const cos = neuronAlignments(weights, { plus: [1, 0], minus: [0, 1] }, { significance: 0.1 });
 * assert.deepEqual(cos, [1, 1]);
 * ```
 */
export function neuronAlignments(
  weights: NetworkWeights<Float32Array>,
  sums: ClassMeanSums<ArrayLike<number>>,
  options: AlignmentOptions,
): number[] {
  const { d, m, w, b, v } = weights;
  const size = Array.from({ length: m }, (_, r) => {
    let s = v[r] * v[r] + b[r] * b[r];
    for (let t = 0; t < d; t++) s += w[r * d + t] * w[r * d + t];
    return s;
  });
  const largest = Math.max(...size);
  const out: number[] = [];
  for (let r = 0; r < m; r++) {
    if (size[r] < options.significance * largest) continue;
    const row = w.subarray(r * d, (r + 1) * d);
    out.push(cosine(row, v[r] > 0 ? sums.plus : sums.minus));
  }
  return out;
}
