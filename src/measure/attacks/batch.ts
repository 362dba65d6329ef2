/**
 * The batch an attack works on: a network
 * N(x) = Σ_r v_r relu(⟨w_r, x⟩ + b_r)^p (p = `weights.power`, default 1:
 * the ReLU network) and n labelled points (x_i, y_i), with the forward pass
 * and the input gradient of every point evaluated together as matrix
 * products. Attacks see the network only through this module (and the
 * float64 forward pass of `../../model/forward.ts` that verifies their
 * flips): they know nothing of cluster means, nor of p.
 *
 * Per-row output weights: given `outputWeights` V (n×m row-major), row i
 * is attacked on its own network N_i(x) = Σ_r V_ir relu(⟨w_r, x⟩ + b_r)^p,
 * with W, b and p shared (the pair networks f_j − f_l of a k-output
 * network, say): read v_r below as V_ir. Everything an attack reads goes
 * through {@linkcode AttackBatch.outputWeights} and
 * {@linkcode AttackBatch.network} of the row; without `outputWeights`
 * every row has `weights.v`.
 *
 * For perturbations z_i (the rows of Z, B×d, for B of the n points) the
 * pre-activations at x_i + z_i are
 *
 *   A = A⁰ + Z Wᵀ,   A⁰_ir = ⟨w_r, x_i⟩ + b_r,
 *
 * the margin is M_i = y_i N(x_i + z_i) = y_i Σ_r v_r relu(A_ir)^p (a flip
 * is M_i ≤ 0), and its gradient in z_i is
 *
 *   ∇M_i = y_i Σ_r v_r p relu(A_ir)^(p−1) w_r,
 *   i.e.  G = C W with C_ir = y_i v_r p relu(A_ir)^(p−1),
 *
 * (C_ir = y_i V_ir p relu(A_ir)^(p−1) with per-row output weights),
 * which for p = 1 is C_ir = y_i v_r 1[A_ir > 0] (the Clarke subgradient
 * with relu'(0) = 0, as in `../../model/network.ts`); for p > 1 the
 * activation is differentiable and C_ir = 0 at A_ir = 0 anyway.
 * A⁰ is computed once, in float64 (`pointPreActivations`); the two products
 * Z Wᵀ and C W run in float32 on the active TensorFlow.js backend (OpenBLAS
 * sgemm on `blas`). Splitting off A⁰ puts the float32 rounding on the small
 * term only (‖z‖ is a fraction of ‖x‖), and costs two products per
 * evaluation, where `networkOutputs` plus `inputGradients` of
 * `../../model/network.ts` would take three, each re-transposing W.
 * Attacks use these float32 values to search; every flip they report is then
 * placed exactly along its direction and verified in float64 (`./verify.ts`).
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs-core";
import type { LabelledPoint, LabelledPoints } from "../../model/data.ts";
import {
  outputFromPreActivations,
  pointPreActivations,
} from "../../model/forward.ts";
import {
  checkWeights,
  networkPower,
  type NetworkWeights,
} from "../../model/weights.ts";

/** The margins and their gradients at B perturbed points. */
export interface Linearization {
  /** M_i = y_i N(x_i + z_i), length B (float64 sums of the float32 products). */
  margins: Float64Array;
  /** ∇_z M_i, B×d row-major. */
  gradients: Float32Array;
}

/** Options of the {@linkcode AttackBatch} constructor. */
export interface AttackBatchOptions {
  /**
   * Per-row output weights V, n×m row-major: row i is attacked on the
   * network with hidden layer `weights.w`, `weights.b` (and power) and
   * output weights V_i· (default: every row on `weights.v`).
   */
  outputWeights?: ArrayLike<number>;
}

/**
 * A network and n labelled points prepared for batched attacks: the points
 * (float64 copies), their labels, the float64 pre-activations A⁰ and clean
 * margins y_i N(x_i), and batched margins, gradients and neuron slopes (see
 * the module doc).
 *
 * @example
 * ```ts
 * import { AttackBatch } from "./batch.ts";
 * import { initBackend } from "../../backend/backends.ts";
 * import assert from "node:assert/strict";
 * await initBackend("cpu");
 * // N(x) = relu(x1) - relu(-x1) = x1 on the line.
 * const net = { d: 2, m: 2, w: [1, 0, -1, 0], b: [0, 0], v: [1, -1] };
 * const batch = new AttackBatch(net, { x: [2, 0, -3, 1], y: [1, -1] });
 * assert.deepEqual([...batch.margins], [2, 3]);
 * const lin = batch.linearize({ rows: [0], z: new Float64Array([-0.5, 0]) });
 * assert.equal(lin.margins[0], 1.5);
 * assert.deepEqual([...lin.gradients], [1, 0]);
 * ```
 *
 * @example p = 3: M = relu(x1)³ and ∇M = 3 relu(x1)² e1
 * ```ts
 * import { AttackBatch } from "./batch.ts";
 * import { initBackend } from "../../backend/backends.ts";
 * import assert from "node:assert/strict";
 * await initBackend("cpu");
 * const net = { d: 2, m: 1, w: [1, 0], b: [0], v: [1], power: 3 };
 * const batch = new AttackBatch(net, { x: [2, 5], y: [1] });
 * assert.deepEqual([...batch.margins], [8]);
 * const lin = batch.linearize({ rows: [0], z: new Float64Array([-1, 0]) });
 * assert.equal(lin.margins[0], 1);
 * assert.deepEqual([...lin.gradients], [3, 0]);
 * ```
 *
 * @example Per-row output weights: row 1 is attacked on −N
 * ```ts
 * import { AttackBatch } from "./batch.ts";
 * import { initBackend } from "../../backend/backends.ts";
 * import assert from "node:assert/strict";
 * await initBackend("cpu");
 * const net = { d: 2, m: 2, w: [1, 0, -1, 0], b: [0, 0], v: [1, -1] };
 * const points = { x: [2, 0, 2, 0], y: [1, -1] };
 * const batch = new AttackBatch(net, points, { outputWeights: [1, -1, -1, 1] });
 * assert.deepEqual([...batch.margins], [2, 2]);
 * assert.deepEqual(Array.from(batch.network(1).v), [-1, 1]);
 * ```
 */
export class AttackBatch {
  /**
   * The network as given: with per-row output weights, only its hidden
   * layer and power are used (see {@linkcode AttackBatch.network}).
   */
  readonly weights: NetworkWeights;
  /** Input dimension d. */
  readonly d: number;
  /** Width m. */
  readonly m: number;
  /** Number of points n. */
  readonly n: number;
  /** The points, n×d row-major, float64. */
  readonly x: Float64Array;
  /** The labels y_i. */
  readonly labels: Float64Array;
  /** A⁰: pre-activations at the clean points, n×m row-major, float64. */
  readonly offsets: Float64Array;
  /** Clean margins y_i N(x_i) in float64 (≤ 0: misclassified, radius 0). */
  readonly margins: Float64Array;
  /** The power p of the activation relu(z)^p (1: the ReLU network). */
  readonly power: number;
  /** Whether the rows carry output weights of their own. */
  readonly perRow: boolean;
  /** W as float32, m×d (uploaded for each product). */
  readonly #w32: Float32Array;
  /** Per-row output weights V (n×m), or `weights.v` shared by every row. */
  readonly #v: ArrayLike<number>;

  /**
   * Prepare `points` (x n×d row-major, labels y) for attacks on `weights`
   * (or, given `options.outputWeights`, on each row's own output weights).
   * Costs n·m·d float64 multiply-adds (the pre-activations A⁰).
   */
  constructor(
    weights: NetworkWeights,
    points: LabelledPoints,
    options: AttackBatchOptions = {},
  ) {
    checkWeights(weights);
    const { d, m } = weights;
    const n = points.y.length;
    if (points.x.length !== n * d) {
      throw new RangeError(
        `AttackBatch: x has length ${points.x.length}, expected n·d = ${n * d}`,
      );
    }
    const { outputWeights } = options;
    if (outputWeights !== undefined && outputWeights.length !== n * m) {
      throw new RangeError(
        `AttackBatch: outputWeights has length ${outputWeights.length}, expected n·m = ${
          n * m
        }`,
      );
    }
    this.perRow = outputWeights !== undefined;
    this.#v = outputWeights === undefined
      ? weights.v
      : Float64Array.from(outputWeights);
    this.weights = weights;
    this.d = d;
    this.m = m;
    this.n = n;
    this.x = Float64Array.from(points.x);
    this.labels = Float64Array.from(points.y);
    this.power = networkPower(weights);
    this.offsets = new Float64Array(n * m);
    this.margins = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const a = pointPreActivations(weights, this.point(i));
      this.offsets.set(a, i * m);
      this.margins[i] = this.labels[i] *
        outputFromPreActivations(a, {
          v: this.outputWeights(i),
          power: this.power,
        });
    }
    this.#w32 = Float32Array.from(weights.w);
  }

  /** The output weights of row i's network (`weights.v` unless per-row). */
  outputWeights(i: number): ArrayLike<number> {
    if (!this.perRow) return this.#v;
    const v = this.#v as Float64Array;
    return v.subarray(i * this.m, (i + 1) * this.m);
  }

  /** Row i's network (`weights` itself unless the rows carry output weights). */
  network(i: number): NetworkWeights {
    return this.perRow
      ? { ...this.weights, v: this.outputWeights(i) }
      : this.weights;
  }

  /** Point i (a view of length d into {@linkcode AttackBatch.x}). */
  point(i: number): Float64Array {
    return this.x.subarray(i * this.d, (i + 1) * this.d);
  }

  /** Point i with its label. */
  labelled(i: number): LabelledPoint {
    return { x: this.point(i), label: this.labels[i] };
  }

  /**
   * Margins M_i = y_i N(x_i + z_i) and gradients ∇_z M_i for the points
   * `rows` (indices into the batch) perturbed by the rows of `z`
   * (rows.length×d, row-major): two float32 products on the active backend
   * (see the module doc for the power p).
   */
  linearize(
    at: { rows: readonly number[]; z: Float64Array },
  ): Linearization {
    const { rows, z } = at;
    const { d, m } = this;
    const count = rows.length;
    if (z.length !== count * d) {
      throw new RangeError(
        `linearize: z has length ${z.length}, expected ${count}·${d}`,
      );
    }
    const margins = new Float64Array(count);
    if (count === 0 || m === 0) {
      rows.forEach((i, k) => margins[k] = this.margins[i]);
      return { margins, gradients: new Float32Array(count * d) };
    }
    const shift = this.#products(Float32Array.from(z), { transposeW: true });
    const coeff = new Float32Array(count * m);
    const v = this.#v;
    if (this.power !== 1) {
      this.#powerCoefficients({ rows, shift }, { margins, coeff });
      return {
        margins,
        gradients: this.#products(coeff, { transposeW: false }),
      };
    }
    for (let k = 0; k < count; k++) {
      const i = rows[k], y = this.labels[i];
      const row = this.perRow ? i * m : 0;
      let out = 0;
      for (let r = 0; r < m; r++) {
        const a = this.offsets[i * m + r] + shift[k * m + r];
        if (a > 0) {
          out += v[row + r] * a;
          coeff[k * m + r] = y * v[row + r];
        }
      }
      margins[k] = y * out;
    }
    return { margins, gradients: this.#products(coeff, { transposeW: false }) };
  }

  /**
   * For p ≠ 1, the margins M_k = y Σ_r v_r relu(A_kr)^p and the gradient
   * coefficients C_kr = y v_r p relu(A_kr)^(p−1) at A = A⁰ + shift (v_r:
   * the row's own output weights when per-row), written
   * into `out`.
   */
  #powerCoefficients(
    at: { rows: readonly number[]; shift: Float32Array },
    out: { margins: Float64Array; coeff: Float32Array },
  ): void {
    const { rows, shift } = at;
    const { margins, coeff } = out;
    const { m, power } = this;
    const v = this.#v;
    for (let k = 0; k < rows.length; k++) {
      const i = rows[k], y = this.labels[i];
      const row = this.perRow ? i * m : 0;
      let sum = 0;
      for (let r = 0; r < m; r++) {
        const a = this.offsets[i * m + r] + shift[k * m + r];
        if (a > 0) {
          sum += v[row + r] * a ** power;
          coeff[k * m + r] = y * v[row + r] * power * a ** (power - 1);
        }
      }
      margins[k] = y * sum;
    }
  }

  /**
   * The neuron slopes ⟨w_r, u_k⟩ of `count` directions u_k (rows of `u`,
   * count×d), count×m row-major, in float32: for screening many lines at
   * once (an exact line search recomputes them in float64).
   */
  slopes(u: Float64Array): Float32Array {
    if (u.length % this.d !== 0) {
      throw new RangeError(
        `slopes: u has length ${u.length}, not a multiple of d=${this.d}`,
      );
    }
    if (u.length === 0 || this.m === 0) {
      return new Float32Array((u.length / this.d) * this.m);
    }
    return this.#products(Float32Array.from(u), { transposeW: true });
  }

  /** P Wᵀ (P rows×d) or P W (P rows×m) on the active tfjs backend. */
  #products(
    p: Float32Array,
    options: { transposeW: boolean },
  ): Float32Array {
    const { d, m } = this;
    const inner = options.transposeW ? d : m;
    const product = tf.tidy(() =>
      tf.matMul(
        tf.tensor2d(p, [p.length / inner, inner]),
        tf.tensor2d(this.#w32, [m, d]),
        false,
        options.transposeW,
      )
    );
    const values = product.dataSync() as Float32Array;
    product.dispose();
    return values;
  }
}
