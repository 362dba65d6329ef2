/**
 * The TensorFlow.js `BatchMatMul` kernel as calls of a row-major `sgemm`,
 * whichever library runs it: OpenBLAS for the `cpu` backend
 * (`./blas_kernels.ts`), the WebAssembly SIMD kernels for the `wasm`
 * backend (`./simd_kernels.ts`). {@linkcode gemmBatchMatMul} sorts out the
 * shapes, the transposes and the batch broadcasting; a
 * {@linkcode GemmBackend} says how to read a tensor's values, how to
 * multiply, and how to make the output tensor.
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs-core";
import type { SgemmOptions } from "./openblas.ts";

/** What {@linkcode gemmBatchMatMul} needs from a backend and a library. */
export interface GemmBackend {
  /** The float32 values of a tensor (a view or a copy), or null when it has none. */
  values(t: tf.TensorInfo): Float32Array | null;
  /** Row-major `C ← alpha·op(A)·op(B) + beta·C` (see `SgemmOptions`). */
  sgemm(a: Float32Array, b: Float32Array, options: SgemmOptions): void;
  /** A new tensor of the backend with this shape and these values. */
  output(shape: number[], values: Float32Array): tf.TensorInfo;
}

/**
 * `BatchMatMul` of `inputs` (with the transposes of `attrs`) through
 * `backend.sgemm`. Returns null (so that the caller runs the backend's own
 * kernel, which reports any error) for inputs of rank below 2, mismatched
 * inner dimensions, batch shapes other than "equal" or "one side is 1", and
 * tensors without float32 values. A's batches are stacked into one product
 * when B has a single batch and A is not transposed; otherwise each batch
 * is one `sgemm` call.
 *
 * @example A product on the cpu backend through a plain-loop sgemm
 * ```ts
 * import { gemmBatchMatMul } from "./gemm_batch_matmul.ts";
 * import * as tf from "@tensorflow/tfjs-core";
 * import type { MathBackendCPU } from "@tensorflow/tfjs-backend-cpu";
 * import "@tensorflow/tfjs-backend-cpu";
 * import assert from "node:assert/strict";
 * await tf.setBackend("cpu");
 * const backend = tf.backend() as MathBackendCPU;
 * const io = {
 *   values: (t: tf.TensorInfo) => backend.readSync(t.dataId) as Float32Array,
 *   sgemm: (a: Float32Array, b: Float32Array, o: { m: number; n: number; k: number; c: Float32Array }) => {
 *     for (let i = 0; i < o.m; i++) {
 *       for (let j = 0; j < o.n; j++) {
 *         let s = 0;
 *         for (let p = 0; p < o.k; p++) s += a[i * o.k + p] * b[p * o.n + j];
 *         o.c[i * o.n + j] = s;
 *       }
 *     }
 *   },
 *   output: (shape: number[], values: Float32Array) => backend.makeTensorInfo(shape, "float32", values),
 * };
 * const a = tf.tensor2d([[1, 2]]), b = tf.tensor2d([[3], [4]]);
 * const out = gemmBatchMatMul({ a, b }, { transposeA: false, transposeB: false }, io)!;
 * assert.deepEqual([...(backend.readSync(out.dataId) as Float32Array)], [11]);
 * ```
 */
export function gemmBatchMatMul(
  inputs: tf.BatchMatMulInputs,
  attrs: tf.BatchMatMulAttrs,
  backend: GemmBackend,
): tf.TensorInfo | null {
  const { a, b } = inputs;
  if (a === undefined || b === undefined) return null;
  const transA = attrs.transposeA, transB = attrs.transposeB;
  const aRank = a.shape.length, bRank = b.shape.length;
  if (aRank < 2 || bRank < 2) return null;
  const m = transA ? a.shape[aRank - 1] : a.shape[aRank - 2];
  const kA = transA ? a.shape[aRank - 2] : a.shape[aRank - 1];
  const kB = transB ? b.shape[bRank - 1] : b.shape[bRank - 2];
  const n = transB ? b.shape[bRank - 2] : b.shape[bRank - 1];
  if (kA !== kB) return null;
  const k = kA;
  const batchShapeA = a.shape.slice(0, -2), batchShapeB = b.shape.slice(0, -2);
  const batchA = tf.util.sizeFromShape(batchShapeA);
  const batchB = tf.util.sizeFromShape(batchShapeB);
  const sameBatch = tf.util.arraysEqual(batchShapeA, batchShapeB);
  const aIsOne = batchShapeA.every((d) => d === 1);
  const bIsOne = batchShapeB.every((d) => d === 1);
  if (!sameBatch && !aIsOne && !bIsOne) return null;
  const batchShape = tf.broadcast_util.assertAndGetBroadcastShape(
    batchShapeA,
    batchShapeB,
  );
  if (a.dtype !== "float32" || b.dtype !== "float32") return null;
  const aValues = backend.values(a);
  const bValues = backend.values(b);
  if (aValues === null || bValues === null) return null;
  const batch = Math.max(batchA, batchB);
  const out = new Float32Array(batch * m * n);
  // Tight row strides (the sgemm defaults): max(1, columns as stored).
  if (batchB === 1 && !transA) {
    // Stack A's batches as rows: one (batch·m)×k by k×n product.
    backend.sgemm(aValues, bValues, { m: batch * m, n, k, c: out, transB });
  } else {
    const aStep = batchA === 1 ? 0 : m * k, bStep = batchB === 1 ? 0 : k * n;
    for (let i = 0; i < batch; i++) {
      backend.sgemm(
        aValues.subarray(i * aStep, i * aStep + m * k),
        bValues.subarray(i * bStep, i * bStep + k * n),
        {
          m,
          n,
          k,
          c: out.subarray(i * m * n, (i + 1) * m * n),
          transA,
          transB,
        },
      );
    }
  }
  return backend.output([...batchShape, m, n], out);
}
