/**
 * The one weight type of the two-layer ReLU network
 * N(x) = Σ_r v_r relu(⟨w_r, x⟩ + b_r): every layer of the suite (training,
 * measurements, constructions) passes a network as a {@linkcode NetworkWeights}.
 * Trained networks hold `Float32Array`s (the tensor backends' precision);
 * measurements accept any array of numbers and work in float64.
 *
 * @module
 */

/**
 * Weights of a two-layer ReLU network of width `m` on inputs of dimension
 * `d`. The array type defaults to any array of numbers; a trained network is
 * a `NetworkWeights<Float32Array>`.
 *
 * @example
 * ```ts
 * import { checkWeights, type NetworkWeights } from "./weights.ts";
 * const net: NetworkWeights = { d: 2, m: 1, w: [1, 0], b: [0], v: [1] };
 * checkWeights(net); // lengths agree with d and m
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
}

/** Throw a RangeError unless the weight arrays have the lengths `d` and `m` say. */
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
}
