/**
 * The polynomial ReLU network of Min & Vidal as a {@linkcode NetworkWeights}:
 * a neuron v·relu(⟨w, x⟩ + b)^p/‖w‖^(p−1), normalised by its weight norm so
 * that it is 1-homogeneous in x for b = 0, is the suite's neuron
 * v'·relu(⟨w, x⟩ + b)^p with output weight v' = v/‖w‖^(p−1). Every
 * measurement that honours `power` (the float64 forward pass, flip and
 * certified radii, the attacks) then applies to it unchanged.
 *
 * @module
 */

import { rowNorms } from "./forward.ts";
import { checkWeights, type NetworkWeights } from "./weights.ts";

/** Options of {@linkcode powerNetwork}. */
export interface PowerNetworkOptions {
  /**
   * Divide each output weight v_r by ‖w_r‖^(p−1), the normalised pReLU
   * neuron (default true); false keeps v_r as given.
   */
  normalized?: boolean;
}

/**
 * The network Σ_r v'_r relu(⟨w_r, x⟩ + b_r)^p with the hidden weights w, b
 * and output weights v of `weights` (float64 copies) and `power` p ≥ 1:
 * v'_r = v_r/‖w_r‖^(p−1) when `normalized` (the default), v'_r = v_r
 * otherwise. For p > 1 a zero row w_r = 0 gets v'_r = 0 (its normalised
 * neuron is undefined; the neuron is dropped); for p = 1 nothing is
 * divided. Throws a RangeError when `power` is not finite or below 1, or
 * when `weights` already carries a power other than 1 (build from the
 * plain weights instead).
 *
 * @example A normalised cubic neuron: v·relu(⟨w, x⟩)^3/‖w‖²
 * ```ts
 * import { powerNetwork } from "./power_network.ts";
 * import { networkOutput } from "./forward.ts";
 * import assert from "node:assert/strict";
 * const net = powerNetwork({ d: 2, m: 1, w: [3, 4], b: [0], v: [2] }, 3);
 * assert.equal(net.power, 3);
 * assert.deepEqual([...net.v], [2 / 25]);
 * assert.equal(networkOutput(net, [1, 0]), (2 * 27) / 25);
 * const raw = powerNetwork({ d: 2, m: 1, w: [3, 4], b: [0], v: [2] }, 3, { normalized: false });
 * assert.deepEqual([...raw.v], [2]);
 * ```
 */
export function powerNetwork(
  weights: NetworkWeights,
  power: number,
  options: PowerNetworkOptions = {},
): NetworkWeights<Float64Array> {
  checkWeights(weights);
  if (weights.power !== undefined && weights.power !== 1) {
    throw new RangeError(
      `powerNetwork: the weights already have power ${weights.power}`,
    );
  }
  if (!Number.isFinite(power) || power < 1) {
    throw new RangeError(
      `powerNetwork: power must be a finite number ≥ 1, got ${power}`,
    );
  }
  const { normalized = true } = options;
  const { d, m } = weights;
  const v = Float64Array.from(weights.v);
  if (normalized && power !== 1) {
    const norms = rowNorms(weights);
    for (let r = 0; r < m; r++) {
      v[r] = norms[r] > 0 ? v[r] / norms[r] ** (power - 1) : 0;
    }
  }
  return {
    d,
    m,
    w: Float64Array.from(weights.w),
    b: Float64Array.from(weights.b),
    v,
    power,
  };
}
