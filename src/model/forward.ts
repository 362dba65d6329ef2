/**
 * The float64 forward pass of the two-layer ReLU network
 * N(x) = Σ_r v_r relu(⟨w_r, x⟩ + b_r) at one point, in plain TypeScript (no
 * tensors), as the exact measurements (flip and certified radii) need it:
 * the pre-activations a_r = ⟨w_r, x⟩ + b_r, the output, the slopes
 * c_r = ⟨w_r, u⟩ of the pre-activations along a direction u, and the row
 * norms ‖w_r‖. Each sum runs in index order from its first term (the bias
 * for a pre-activation), so results do not depend on where they are called.
 *
 * The float32 batch evaluation with tfjs tensors (used with trained
 * networks on whole samples) is in `network.ts`.
 *
 * @module
 */

import { checkWeights, type NetworkWeights } from "./weights.ts";

/**
 * The pre-activations a_r = ⟨w_r, x⟩ + b_r of every neuron at one point `x`
 * (length d), in float64.
 *
 * @example
 * ```ts
 * import { pointPreActivations } from "./forward.ts";
 * import assert from "node:assert/strict";
 * const net = { w: [1, 2, 0, 1], b: [0, -1], v: [1, 1], d: 2, m: 2 };
 * assert.deepEqual(Array.from(pointPreActivations(net, [1, 1])), [3, 0]);
 * ```
 */
export function pointPreActivations(
  weights: NetworkWeights,
  x: ArrayLike<number>,
): Float64Array {
  checkWeights(weights);
  if (x.length !== weights.d) {
    throw new RangeError(
      `point has length ${x.length}, expected d=${weights.d}`,
    );
  }
  return rowProducts(weights, x, { start: weights.b });
}

/**
 * The network output N(x) = Σ_r v_r relu(⟨w_r, x⟩ + b_r) at one point, in
 * float64.
 *
 * @example
 * ```ts
 * import { networkOutput } from "./forward.ts";
 * import assert from "node:assert/strict";
 * const net = { w: [1, 0, 0, 1], b: [0, 0], v: [1, -1], d: 2, m: 2 };
 * assert.equal(networkOutput(net, [3, 1]), 2);
 * assert.equal(networkOutput(net, [-3, 1]), -1);
 * ```
 */
export function networkOutput(
  weights: NetworkWeights,
  x: ArrayLike<number>,
): number {
  const a = pointPreActivations(weights, x);
  let out = 0;
  for (let r = 0; r < a.length; r++) {
    if (a[r] > 0) out += weights.v[r] * a[r];
  }
  return out;
}

/**
 * The slopes c_r = ⟨w_r, u⟩ of every neuron's pre-activation along a
 * direction u (length d, not normalised).
 *
 * @example
 * ```ts
 * import { neuronSlopes } from "./forward.ts";
 * import assert from "node:assert/strict";
 * const net = { w: [1, 0, 0, -1], b: [0, 0], v: [1, 1], d: 2, m: 2 };
 * assert.deepEqual([...neuronSlopes(net, [3, 4])], [3, -4]);
 * ```
 */
export function neuronSlopes(
  weights: NetworkWeights,
  u: ArrayLike<number>,
): Float64Array {
  return rowProducts(weights, u);
}

/**
 * ⟨w_r, u⟩ for every neuron r, each sum started from `start[r]` (from 0
 * without `start`) and run over i = 0, …, d-1 in order.
 */
function rowProducts(
  weights: NetworkWeights,
  u: ArrayLike<number>,
  options: { start?: ArrayLike<number> } = {},
): Float64Array {
  const { w, d, m } = weights;
  const { start } = options;
  const out = new Float64Array(m);
  for (let r = 0; r < m; r++) {
    let s = start === undefined ? 0 : start[r];
    const row = r * d;
    for (let i = 0; i < d; i++) s += w[row + i] * u[i];
    out[r] = s;
  }
  return out;
}

/**
 * The norms ‖w_r‖ of every neuron's weight vector.
 *
 * @example
 * ```ts
 * import { rowNorms } from "./forward.ts";
 * import assert from "node:assert/strict";
 * const net = { w: [3, 4, 0, 2], b: [0, 0], v: [1, 1], d: 2, m: 2 };
 * assert.deepEqual([...rowNorms(net)], [5, 2]);
 * ```
 */
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
