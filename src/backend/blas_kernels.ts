/**
 * OpenBLAS kernels for the TensorFlow.js `cpu` backend: the `blas` backend
 * of `./backends.ts` is the `cpu` backend with its `BatchMatMul` kernel, and
 * the product inside `_FusedMatMul` (bias + activation follow as separate
 * kernels, `./fused_matmul.ts`), replaced by calls to `cblas_sgemm` through
 * `Deno.dlopen` (`./openblas.ts`).
 *
 * {@linkcode installBlasKernels} swaps the kernels in (saving the originals)
 * and {@linkcode restoreCpuKernels} puts the originals back. Inputs the
 * OpenBLAS path does not handle (other dtypes, mismatched shapes, batch
 * shapes other than "equal" or "one side is 1") go to the original kernels.
 *
 * @example Swap the kernels in and out (when OpenBLAS is installed)
 * ```ts
 * import { installBlasKernels, restoreCpuKernels } from "./blas_kernels.ts";
 * import { loadOpenBlas } from "./openblas.ts";
 * import * as tf from "@tensorflow/tfjs-core";
 * import "@tensorflow/tfjs-backend-cpu";
 * import assert from "node:assert/strict";
 * if (loadOpenBlas() !== null) {
 *   const original = tf.getKernel(tf.BatchMatMul, "cpu");
 *   installBlasKernels();
 *   assert.notEqual(tf.getKernel(tf.BatchMatMul, "cpu"), original);
 *   restoreCpuKernels();
 *   assert.equal(tf.getKernel(tf.BatchMatMul, "cpu"), original);
 * }
 * ```
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs-core";
import type { MathBackendCPU } from "@tensorflow/tfjs-backend-cpu";
import "@tensorflow/tfjs-backend-cpu";
import {
  decomposedFusedMatMul,
  type MatMulOptions,
  replaceKernel,
} from "./fused_matmul.ts";
import { loadOpenBlas, type OpenBlas, openBlasLoadError } from "./openblas.ts";

/** The `cpu` backend's own kernels, saved while the OpenBLAS ones are registered. */
let savedCpuKernels: Map<string, tf.KernelConfig> | null = null;

/**
 * Replace the cpu `BatchMatMul` and `_FusedMatMul` kernels by the OpenBLAS
 * ones (once: does nothing while they are installed). Throws an `Error`
 * when the cpu backend lacks either kernel. Call only when
 * {@linkcode loadOpenBlas} succeeds.
 */
export function installBlasKernels(): void {
  if (savedCpuKernels !== null) return;
  const saved = new Map<string, tf.KernelConfig>();
  for (const kernelName of [tf.BatchMatMul, tf._FusedMatMul]) {
    const original = tf.getKernel(kernelName, "cpu");
    if (original === undefined) {
      throw new Error(`the cpu backend has no ${kernelName} kernel to replace`);
    }
    saved.set(kernelName, original);
  }
  const batchMatMul = saved.get(tf.BatchMatMul)!;
  const fusedMatMul = saved.get(tf._FusedMatMul)!;
  replaceKernel({
    kernelName: tf.BatchMatMul,
    backendName: "cpu",
    kernelFunc: (args) =>
      blasBatchMatMul(args.inputs as tf.BatchMatMulInputs, {
        ...(args.attrs as unknown as tf.BatchMatMulAttrs),
        backend: args.backend as MathBackendCPU,
      }) ?? batchMatMul.kernelFunc(args),
  });
  replaceKernel({
    kernelName: tf._FusedMatMul,
    backendName: "cpu",
    kernelFunc: (args) =>
      decomposedFusedMatMul(args, {
        backendName: "cpu",
        matMul: blasBatchMatMul,
      }) ?? fusedMatMul.kernelFunc(args),
  });
  savedCpuKernels = saved;
}

/**
 * Put back the cpu kernels saved by {@linkcode installBlasKernels} (does
 * nothing when the OpenBLAS kernels are not installed).
 */
export function restoreCpuKernels(): void {
  if (savedCpuKernels === null) return;
  for (const config of savedCpuKernels.values()) replaceKernel(config);
  savedCpuKernels = null;
}

/**
 * Whether the OpenBLAS kernels are installed.
 *
 * @example
 * ```ts
 * import { blasKernelsInstalled, restoreCpuKernels } from "./blas_kernels.ts";
 * import assert from "node:assert/strict";
 * restoreCpuKernels();
 * assert.equal(blasKernelsInstalled(), false);
 * ```
 */
export function blasKernelsInstalled(): boolean {
  return savedCpuKernels !== null;
}

/** The Float32Array behind a cpu-backend tensor, or null if it has none. */
function float32Values(
  backend: MathBackendCPU,
  t: tf.TensorInfo,
): Float32Array | null {
  if (t.dtype !== "float32") return null;
  const values = backend.data.get(t.dataId)?.values;
  return values instanceof Float32Array ? values : null;
}

/** The loaded OpenBLAS, or an Error if it was closed and cannot be reopened. */
function requireBlas(): OpenBlas {
  const blas = loadOpenBlas();
  if (blas === null) {
    throw new Error(
      `OpenBLAS is no longer loadable: ${openBlasLoadError() ?? "unknown"}`,
    );
  }
  return blas;
}

/**
 * `BatchMatMul` of the cpu backend `options.backend` through
 * `cblas_sgemm`. Returns null (so that the original kernel runs, and
 * reports any error) for non-float32 inputs, mismatched inner dimensions
 * and batch shapes other than "equal" or "one side is 1".
 *
 * @example
 * ```ts
 * import { blasBatchMatMul } from "./blas_kernels.ts";
 * import { loadOpenBlas } from "./openblas.ts";
 * import * as tf from "@tensorflow/tfjs-core";
 * import "@tensorflow/tfjs-backend-cpu";
 * import assert from "node:assert/strict";
 * await tf.setBackend("cpu");
 * if (loadOpenBlas() !== null) {
 *   const a = tf.tensor2d([[1, 2]]), b = tf.tensor2d([[3], [4]]);
 *   const options = { transposeA: false, transposeB: false, backend: tf.backend() };
 *   const out = blasBatchMatMul({ a, b }, options)!;
 *   assert.deepEqual(out.shape, [1, 1]);
 *   assert.equal(blasBatchMatMul({ a: tf.cast(a, "int32"), b }, options), null);
 * }
 * ```
 */
export function blasBatchMatMul(
  inputs: tf.BatchMatMulInputs,
  options: MatMulOptions,
): tf.TensorInfo | null {
  const { a, b } = inputs;
  if (a === undefined || b === undefined) return null;
  const backend = options.backend as MathBackendCPU;
  const transA = options.transposeA, transB = options.transposeB;
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
  const aValues = float32Values(backend, a);
  const bValues = float32Values(backend, b);
  if (aValues === null || bValues === null) return null;
  const blas = requireBlas();
  const batch = Math.max(batchA, batchB);
  const out = new Float32Array(batch * m * n);
  // Tight row strides (the sgemm defaults): max(1, columns as stored).
  if (batchB === 1 && !transA) {
    // Stack A's batches as rows: one (batch·m)×k by k×n product.
    blas.sgemm(aValues, bValues, { m: batch * m, n, k, c: out, transB });
  } else {
    const aStep = batchA === 1 ? 0 : m * k, bStep = batchB === 1 ? 0 : k * n;
    for (let i = 0; i < batch; i++) {
      blas.sgemm(
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
  return backend.makeTensorInfo([...batchShape, m, n], "float32", out);
}
