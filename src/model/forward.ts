/**
 * The float64 forward pass of the two-layer network
 * N(x) = Σ_r v_r relu(⟨w_r, x⟩ + b_r)^p at one point (p = `power`, default
 * 1: the ReLU network), in plain TypeScript (no tensors), as the exact
 * measurements (flip and certified radii) need it: the pre-activations
 * a_r = ⟨w_r, x⟩ + b_r, the output, the slopes c_r = ⟨w_r, u⟩ of the
 * pre-activations along a direction u, the row norms ‖w_r‖, and the
 * activation relu(z)^p with its derivative p·relu(z)^(p−1) per neuron. Each
 * sum runs in index order from its first term (the bias for a
 * pre-activation), so results do not depend on where they are called. The
 * pre-activations, slopes and row norms do not depend on p; for p = 1 every
 * result is the ReLU network's, computed as before the power existed.
 *
 * The float32 batch evaluation with tfjs tensors (used with trained
 * networks on whole samples) is in `network.ts`.
 *
 * @module
 */

import { checkWeights, networkPower, type NetworkWeights } from "./weights.ts";

/**
 * The activation relu(z)^p of one neuron (relu(z) = max(z, 0); p ≥ 1, not
 * checked here): z itself for p = 1 and z > 0, 0 for z ≤ 0.
 *
 * @example
 * ```ts
 * import { reluPower } from "./forward.ts";
 * import assert from "node:assert/strict";
 * assert.equal(reluPower(2, 3), 8);
 * assert.equal(reluPower(-2, 3), 0);
 * assert.equal(reluPower(0.5, 1), 0.5);
 * ```
 */
export function reluPower(z: number, power: number): number {
  if (!(z > 0)) return 0;
  // Small integer powers as products: a general power costs a call to pow.
  if (power === 1) return z;
  if (power === 2) return z * z;
  if (power === 3) return z * z * z;
  return z ** power;
}

/**
 * The derivative p·relu(z)^(p−1) of {@linkcode reluPower} in z, with the
 * Clarke choice 0 at the kink z = 0 for p = 1 (1[z > 0], as everywhere in
 * the suite); for p > 1 it is continuous and 0 at z = 0.
 *
 * @example
 * ```ts
 * import { reluPowerSlope } from "./forward.ts";
 * import assert from "node:assert/strict";
 * assert.equal(reluPowerSlope(2, 3), 12);
 * assert.equal(reluPowerSlope(0, 1), 0);
 * assert.equal(reluPowerSlope(0.5, 1), 1);
 * ```
 */
export function reluPowerSlope(z: number, power: number): number {
  if (!(z > 0)) return 0;
  if (power === 1) return 1;
  if (power === 2) return 2 * z;
  if (power === 3) return 3 * (z * z);
  return power * z ** (power - 1);
}

/**
 * The output Σ_r v_r relu(a_r)^p from the pre-activations a_r of one point
 * (length m), summed in index order over the active neurons (a_r > 0).
 * `power` defaults to 1.
 *
 * @example
 * ```ts
 * import { outputFromPreActivations } from "./forward.ts";
 * import assert from "node:assert/strict";
 * assert.equal(outputFromPreActivations([2, -1, 1], { v: [1, 5, -3] }), -1);
 * assert.equal(outputFromPreActivations([2, -1, 1], { v: [1, 5, -3], power: 2 }), 1);
 * ```
 */
export function outputFromPreActivations(
  a: ArrayLike<number>,
  net: { v: ArrayLike<number>; power?: number },
): number {
  const { v } = net;
  const power = networkPower(net);
  let out = 0;
  if (power === 1) {
    for (let r = 0; r < a.length; r++) {
      if (a[r] > 0) out += v[r] * a[r];
    }
  } else {
    for (let r = 0; r < a.length; r++) {
      if (a[r] > 0) out += v[r] * a[r] ** power;
    }
  }
  return out;
}

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
 * The network output N(x) = Σ_r v_r relu(⟨w_r, x⟩ + b_r)^p at one point, in
 * float64 (p = `weights.power`, default 1).
 *
 * @example
 * ```ts
 * import { networkOutput } from "./forward.ts";
 * import assert from "node:assert/strict";
 * const net = { w: [1, 0, 0, 1], b: [0, 0], v: [1, -1], d: 2, m: 2 };
 * assert.equal(networkOutput(net, [3, 1]), 2);
 * assert.equal(networkOutput(net, [-3, 1]), -1);
 * assert.equal(networkOutput({ ...net, power: 2 }, [3, 1]), 8); // 9 - 1
 * ```
 */
export function networkOutput(
  weights: NetworkWeights,
  x: ArrayLike<number>,
): number {
  return outputFromPreActivations(pointPreActivations(weights, x), weights);
}

/**
 * The slopes c_r = ⟨w_r, u⟩ of every neuron's pre-activation along a
 * direction u (length d, not normalised). They do not depend on the power
 * p: along x + t·u neuron r computes v_r relu(a_r + t·c_r)^p for any p (see
 * {@linkcode reluPowerSlope} for the activation's own slope).
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
  const sums = { d, start: options.start, out: new Float64Array(m) };
  // One loop per array type (float32 trained weights, float64 constructed
  // ones): a single loop fed both runs several times slower (polymorphic
  // element loads). Every body computes the same sums in the same order.
  // (A float64 copy of u holds the same numbers.)
  const u64 = u instanceof Float64Array ? u : Float64Array.from(u);
  if (w instanceof Float32Array) rowProducts32(w, u64, sums);
  else if (w instanceof Float64Array) rowProducts64(w, u64, sums);
  else rowProductsAny(w, u, sums);
  return sums.out;
}

/** Where {@linkcode rowProducts} writes its sums. */
interface RowSums {
  /** Input dimension (row length). */
  d: number;
  /** The first term of each sum (the bias), or none (0). */
  start?: ArrayLike<number>;
  /** One sum per row. */
  out: Float64Array;
}

// The typed loops run four rows at a time: four independent sums, each
// still in index order from its first term, so the same bits as one row at
// a time (JavaScript never fuses a multiply-add), at about twice the speed
// (a lone sum waits on its previous addition).

/** The sums of {@linkcode rowProducts} into `sums.out`, float32 weights. */
function rowProducts32(w: Float32Array, u: Float64Array, sums: RowSums): void {
  const { d, start, out } = sums;
  const m = out.length;
  let r = 0;
  for (; r + 3 < m; r += 4) {
    let s0 = start === undefined ? 0 : start[r];
    let s1 = start === undefined ? 0 : start[r + 1];
    let s2 = start === undefined ? 0 : start[r + 2];
    let s3 = start === undefined ? 0 : start[r + 3];
    const a0 = r * d, a1 = a0 + d, a2 = a1 + d, a3 = a2 + d;
    for (let i = 0; i < d; i++) {
      const ui = u[i];
      s0 += w[a0 + i] * ui;
      s1 += w[a1 + i] * ui;
      s2 += w[a2 + i] * ui;
      s3 += w[a3 + i] * ui;
    }
    out[r] = s0;
    out[r + 1] = s1;
    out[r + 2] = s2;
    out[r + 3] = s3;
  }
  for (; r < m; r++) {
    let s = start === undefined ? 0 : start[r];
    const row = r * d;
    for (let i = 0; i < d; i++) s += w[row + i] * u[i];
    out[r] = s;
  }
}

/** The sums of {@linkcode rowProducts} into `sums.out`, float64 weights. */
function rowProducts64(w: Float64Array, u: Float64Array, sums: RowSums): void {
  const { d, start, out } = sums;
  const m = out.length;
  let r = 0;
  for (; r + 3 < m; r += 4) {
    let s0 = start === undefined ? 0 : start[r];
    let s1 = start === undefined ? 0 : start[r + 1];
    let s2 = start === undefined ? 0 : start[r + 2];
    let s3 = start === undefined ? 0 : start[r + 3];
    const a0 = r * d, a1 = a0 + d, a2 = a1 + d, a3 = a2 + d;
    for (let i = 0; i < d; i++) {
      const ui = u[i];
      s0 += w[a0 + i] * ui;
      s1 += w[a1 + i] * ui;
      s2 += w[a2 + i] * ui;
      s3 += w[a3 + i] * ui;
    }
    out[r] = s0;
    out[r + 1] = s1;
    out[r + 2] = s2;
    out[r + 3] = s3;
  }
  for (; r < m; r++) {
    let s = start === undefined ? 0 : start[r];
    const row = r * d;
    for (let i = 0; i < d; i++) s += w[row + i] * u[i];
    out[r] = s;
  }
}

/** The sums of {@linkcode rowProducts} into `sums.out`, any arrays. */
function rowProductsAny(
  w: ArrayLike<number>,
  u: ArrayLike<number>,
  sums: RowSums,
): void {
  const { d, start, out } = sums;
  for (let r = 0; r < out.length; r++) {
    let s = start === undefined ? 0 : start[r];
    const row = r * d;
    for (let i = 0; i < d; i++) s += w[row + i] * u[i];
    out[r] = s;
  }
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
