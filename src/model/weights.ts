/**
 * The one weight type of the two-layer network
 * N(x) = Σ_r v_r relu(⟨w_r, x⟩ + b_r)^p: every layer of the suite
 * (training, measurements, constructions) passes a network as a
 * {@linkcode NetworkWeights}. The power p (`power`, default 1) selects the
 * polynomial ReLU activation relu(z)^p; p = 1 is the paper's ReLU network,
 * and the only one the training code and the KKT measurements handle (they
 * throw a RangeError on any other p, see {@linkcode requireRelu}).
 * Trained networks hold `Float32Array`s (the tensor backends' precision);
 * measurements accept any array of numbers and work in float64.
 *
 * @module
 */

/**
 * Weights of a two-layer network of width `m` on inputs of dimension `d`,
 * N(x) = Σ_r v_r relu(⟨w_r, x⟩ + b_r)^p with p = `power` (default 1: the
 * ReLU network). The array type defaults to any array of numbers; a trained
 * network is a `NetworkWeights<Float32Array>`.
 *
 * A normalised polynomial-ReLU neuron v·relu(⟨w, x⟩ + b)^p/‖w‖^(p−1) (Min &
 * Vidal's form) is a neuron of this form with output weight v/‖w‖^(p−1);
 * `powerNetwork` (`power_network.ts`) builds it.
 *
 * @example
 * ```ts
 * import { checkWeights, type NetworkWeights } from "./weights.ts";
 * const net: NetworkWeights = { d: 2, m: 1, w: [1, 0], b: [0], v: [1] };
 * checkWeights(net); // lengths agree with d and m
 * checkWeights({ ...net, power: 3 }); // relu(x1)^3
 * ```
 */
export interface NetworkWeights<
  A extends ArrayLike<number> = ArrayLike<number>,
> {
  /** Input dimension d. */
  d: number;
  /** Width m (number of hidden neurons). */
  m: number;
  /** Hidden weights w_r, row-major m×d (row r is w_r). */
  w: A;
  /** Hidden biases b_r, length m. */
  b: A;
  /** Output weights v_r, length m. */
  v: A;
  /** The power p ≥ 1 of the activation relu(z)^p (absent: 1, the ReLU network). */
  power?: number;
}

/**
 * Throw a RangeError unless the weight arrays have the lengths `d` and `m`
 * say and the power, when given, is finite and ≥ 1.
 *
 * @example
 * ```ts
 * import { checkWeights } from "./weights.ts";
 * import assert from "node:assert/strict";
 * const net = { d: 1, m: 1, w: [1], b: [0], v: [1] };
 * assert.throws(() => checkWeights({ ...net, power: 0.5 }), RangeError);
 * assert.throws(() => checkWeights({ ...net, m: 2 }), RangeError);
 * ```
 */
export function checkWeights(weights: NetworkWeights): void {
  const { w, b, v, d, m } = weights;
  if (!Number.isInteger(d) || d < 1 || !Number.isInteger(m) || m < 0) {
    throw new RangeError(`bad network shape d=${d}, m=${m}`);
  }
  if (w.length !== m * d || b.length !== m || v.length !== m) {
    throw new RangeError(
      `network arrays do not match d=${d}, m=${m}: ` +
        `w ${w.length}, b ${b.length}, v ${v.length}`,
    );
  }
  networkPower(weights);
}

/**
 * The output weights and the power of a network: what decides its
 * activation (a {@linkcode NetworkWeights}, or the weights of the
 * multiclass network, which have output weights too).
 */
export type PoweredWeights = { v: ArrayLike<number>; power?: number };

/**
 * The power p of a network's activation relu(z)^p: `weights.power`, or 1
 * when it is absent. Throws a RangeError when it is not finite or below 1.
 *
 * @example
 * ```ts
 * import { networkPower } from "./weights.ts";
 * import assert from "node:assert/strict";
 * const net = { d: 1, m: 1, w: [1], b: [0], v: [1] };
 * assert.equal(networkPower(net), 1);
 * assert.equal(networkPower({ ...net, power: 2.5 }), 2.5);
 * assert.throws(() => networkPower({ ...net, power: Infinity }), RangeError);
 * ```
 */
export function networkPower(weights: PoweredWeights): number {
  const { power } = weights;
  if (power === undefined) return 1;
  if (typeof power !== "number" || !Number.isFinite(power) || power < 1) {
    throw new RangeError(
      `network power must be a finite number ≥ 1, got ${power}`,
    );
  }
  return power;
}

/**
 * Throw a RangeError naming the function `name` unless the network is a
 * ReLU network (power absent or 1): the guard of every computation written
 * for p = 1 only (the tensor gradients, the flow, the KKT and margin
 * measurements, the multiclass code), so that none silently returns the
 * ReLU answer for another power.
 *
 * @example
 * ```ts
 * import { requireRelu } from "./weights.ts";
 * import assert from "node:assert/strict";
 * const net = { d: 1, m: 1, w: [1], b: [0], v: [1] };
 * requireRelu(net, "myMeasure"); // p = 1: fine
 * assert.throws(() => requireRelu({ ...net, power: 2 }, "myMeasure"), /myMeasure/);
 * ```
 */
export function requireRelu(weights: PoweredWeights, name: string): void {
  const power = networkPower(weights);
  if (power !== 1) {
    throw new RangeError(
      `${name}: only the ReLU network (power 1) is supported, got power ${power}`,
    );
  }
}
