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
import { gemmBatchMatMul } from "./gemm_batch_matmul.ts";
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
 * `cblas_sgemm` (`gemmBatchMatMul` of `./gemm_batch_matmul.ts`). Returns
 * null (so that the original kernel runs, and reports any error) for
 * non-float32 inputs, mismatched inner dimensions and batch shapes other
 * than "equal" or "one side is 1".
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
  const backend = options.backend as MathBackendCPU;
  return gemmBatchMatMul(inputs, options, {
    values: (t) => float32Values(backend, t),
    sgemm: (a, b, o) => requireBlas().sgemm(a, b, o),
    output: (shape, values) => backend.makeTensorInfo(shape, "float32", values),
  });
}
