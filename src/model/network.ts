/**
 * The two-layer ReLU network of the paper, N(x; θ) = Σ_r v_r relu(⟨w_r, x⟩ + b_r)
 * with θ = (W, b, v) all trained: its weights as plain arrays, a small random
 * initialization from our own generator, and its output, θ-gradient and
 * input-gradient evaluated with tfjs tensors (float32). A batch of n points
 * is an n×d row-major array; n is its length divided by d. The float64
 * evaluation used by the measurements is in `forward.ts`.
 *
 * N is 2-homogeneous in θ: N(x; cθ) = c² N(x; θ) for c > 0, so
 * ⟨θ, ∇_θ N(x; θ)⟩ = 2 N(x; θ) (Euler's identity, with the relu derivative
 * 1[z > 0]); the gradient-flow integrator uses it to track ‖θ‖² exactly.
 *
 * Power: {@linkcode networkOutputs} and {@linkcode tensorPreActivations}
 * honour a network's `power` p (the activation relu(z)^p of `weights.ts`);
 * the gradients ({@linkcode inputGradients}, {@linkcode parameterGradients})
 * and {@linkcode neuronBalance} (what the ReLU flow conserves) are written
 * for p = 1 and throw a RangeError for any other power.
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs-core";
import type { Rng } from "./rng.ts";
import { networkPower, type NetworkWeights, requireRelu } from "./weights.ts";

/**
 * Transpose a rows×cols row-major matrix (cols = `a.length / rows`) into a
 * new cols×rows one.
 *
 * @example
 * ```ts
 * import { transposeRows } from "./network.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual([...transposeRows([1, 2, 3, 4, 5, 6], 2)], [1, 4, 2, 5, 3, 6]);
 * ```
 */
export function transposeRows(
  a: ArrayLike<number>,
  rows: number,
): Float32Array {
  return transposeInto(a, rows, new Float32Array(a.length));
}

/**
 * Write the transpose of a rows×cols row-major matrix (cols = length/rows)
 * into `out` (cols×rows) and return it; the element type is `out`'s.
 *
 * @example
 * ```ts
 * import { transposeInto } from "./network.ts";
 * import assert from "node:assert/strict";
 * const t = transposeInto([1, 2, 3, 4, 5, 6], 2, new Float64Array(6));
 * assert.deepEqual(Array.from(t), [1, 4, 2, 5, 3, 6]);
 * ```
 */
export function transposeInto<T extends Float32Array | Float64Array>(
  a: ArrayLike<number>,
  rows: number,
  out: T,
): T {
  const cols = a.length / rows;
  if (!Number.isInteger(cols)) {
    throw new RangeError(`array of length ${a.length} has no ${rows} rows`);
  }
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) out[j * rows + i] = a[i * cols + j];
  }
  return out;
}

/** The number n of points of an n×d batch; throws unless `x` has n·d entries. */
function batchSize(weights: NetworkWeights, x: ArrayLike<number>): number {
  const n = x.length / weights.d;
  if (!Number.isInteger(n)) {
    throw new RangeError(
      `batch of length ${x.length} is not a multiple of d=${weights.d}`,
    );
  }
  return n;
}

/** The shape and scale of an initialization. */
export interface InitSpec {
  /** Input dimension d. */
  d: number;
  /** Width m. */
  m: number;
  /** Initialization scale α > 0. */
  initScale: number;
}

/**
 * A small random initialization at scale α: w_r ~ N(0, α²/d·I_d) (so
 * ‖w_r‖ ≈ α), b_r ~ N(0, α²), v_r ~ N(0, α²). All draws come from `rng`, in
 * that order.
 *
 * @example
 * ```ts
 * import { initialWeights } from "./network.ts";
 * import { Rng } from "./rng.ts";
 * import assert from "node:assert/strict";
 * const init = initialWeights(new Rng(1), { d: 3, m: 2, initScale: 1e-3 });
 * assert.equal(init.w.length, 6);
 * ```
 */
export function initialWeights(
  rng: Rng,
  spec: InitSpec,
): NetworkWeights<Float32Array> {
  const { d, m, initScale } = spec;
  if (!(initScale > 0)) {
    throw new RangeError(`initScale must be > 0, got ${initScale}`);
  }
  const w = Float32Array.from(rng.normalArray(m * d, initScale / Math.sqrt(d)));
  const b = Float32Array.from(rng.normalArray(m, initScale));
  const v = Float32Array.from(rng.normalArray(m, initScale));
  return { d, m, w, b, v };
}

/** ‖θ‖² = ‖W‖² + ‖b‖² + ‖v‖², in double precision. */
export function parameterNormSquared(
  weights: NetworkWeights<Float32Array>,
): number {
  let s = 0;
  for (const a of [weights.w, weights.b, weights.v]) {
    for (let i = 0; i < a.length; i++) s += a[i] * a[i];
  }
  return s;
}

/**
 * Per-neuron v_r² - ‖w_r‖² - b_r², the quantities gradient flow conserves
 * exactly on the ReLU network (throws a RangeError for a power p ≠ 1,
 * whose flow conserves other quantities).
 */
export function neuronBalance(
  weights: NetworkWeights<Float32Array>,
): Float64Array {
  requireRelu(weights, "neuronBalance");
  const { d, m, w, b, v } = weights;
  const out = new Float64Array(m);
  for (let r = 0; r < m; r++) {
    let s = 0;
    for (let t = 0; t < d; t++) s += w[r * d + t] * w[r * d + t];
    out[r] = v[r] * v[r] - s - b[r] * b[r];
  }
  return out;
}

/**
 * The pre-activations of a batch in float32 tensors: Z = X Wᵀ + b (n×m
 * row-major) for the n×d points X (the same for every power p).
 */
export function tensorPreActivations(
  weights: NetworkWeights<Float32Array>,
  x: Float32Array,
): Float32Array {
  return tf.tidy(() => preActivationTensor(weights, x))
    .dataSync() as Float32Array;
}

/** Z = X Wᵀ + b as an n×m tensor; call it inside `tf.tidy`. */
function preActivationTensor(
  weights: NetworkWeights<Float32Array>,
  x: Float32Array,
): tf.Tensor2D {
  const { d, m } = weights;
  const xs = tf.tensor2d(x, [batchSize(weights, x), d]);
  const wt = tf.tensor2d(transposeRows(weights.w, m), [d, m]);
  return tf.add(tf.matMul(xs, wt), tf.tensor1d(weights.b));
}

/**
 * Network outputs N(x_i) = Σ_r v_r relu(z_ir)^p for n points (n×d
 * row-major): the pre-activations z in float32 tensors, the sum over
 * neurons in float64 (p = `weights.power`, default 1).
 *
 * @example
 * ```ts
 * import { networkOutputs } from "./network.ts";
 * import { initBackend } from "../backend/backends.ts";
 * import assert from "node:assert/strict";
 * await initBackend("cpu");
 * const weights = {
 *   d: 2, m: 2,
 *   w: new Float32Array([1, 0, 0, 1]),
 *   b: new Float32Array([0, -1]),
 *   v: new Float32Array([1, -2]),
 * };
 * const out = networkOutputs(weights, new Float32Array([3, 4]));
 * assert.equal(out[0], 3 - 2 * 3);
 * const cubic = networkOutputs({ ...weights, power: 3 }, new Float32Array([3, 4]));
 * assert.equal(cubic[0], 27 - 2 * 27);
 * ```
 */
export function networkOutputs(
  weights: NetworkWeights<Float32Array>,
  x: Float32Array,
): Float64Array {
  const power = networkPower(weights);
  const n = batchSize(weights, x);
  const z = tensorPreActivations(weights, x);
  const { m, v } = weights;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    if (power === 1) {
      for (let r = 0; r < m; r++) {
        const zr = z[i * m + r];
        if (zr > 0) s += v[r] * zr;
      }
    } else {
      for (let r = 0; r < m; r++) {
        const zr = z[i * m + r];
        if (zr > 0) s += v[r] * zr ** power;
      }
    }
    out[i] = s;
  }
  return out;
}

/**
 * Input gradients ∇_x N(x_i) = Σ_r v_r 1[z_ri > 0] w_r for n points, n×d
 * row-major, of a ReLU network (throws a RangeError for a power p ≠ 1; the
 * attacks' `AttackBatch` has the gradient of any power).
 */
export function inputGradients(
  weights: NetworkWeights<Float32Array>,
  x: Float32Array,
): Float32Array {
  requireRelu(weights, "inputGradients");
  const { d, m } = weights;
  return tf.tidy(() => {
    const z = preActivationTensor(weights, x);
    const w = tf.tensor2d(weights.w, [m, d]);
    const coeff = tf.mul(
      tf.step(z),
      tf.reshape(tf.tensor1d(weights.v), [1, m]),
    );
    return tf.matMul(coeff, w);
  }).dataSync() as Float32Array;
}

/**
 * The θ-gradient of N at each of n points, as an n×(m·d + 2m) row-major
 * matrix with blocks (∂/∂W row-major, ∂/∂b, ∂/∂v):
 * ∂N/∂w_r = v_r s_r x, ∂N/∂b_r = v_r s_r, ∂N/∂v_r = relu(z_r), s_r = 1[z_r > 0].
 * Meant for checks on small networks (it has n·m·d entries). ReLU networks
 * only: throws a RangeError for a power p ≠ 1.
 */
export function parameterGradients(
  weights: NetworkWeights<Float32Array>,
  x: Float32Array,
): Float64Array {
  requireRelu(weights, "parameterGradients");
  const { d, m, v } = weights;
  const n = batchSize(weights, x);
  const z = tensorPreActivations(weights, x);
  const p = m * d + 2 * m;
  const out = new Float64Array(n * p);
  for (let i = 0; i < n; i++) {
    for (let r = 0; r < m; r++) {
      const zr = z[i * m + r];
      if (zr <= 0) continue;
      for (let t = 0; t < d; t++) out[i * p + r * d + t] = v[r] * x[i * d + t];
      out[i * p + m * d + r] = v[r];
      out[i * p + m * d + m + r] = zr;
    }
  }
  return out;
}
