/**
 * The TensorFlow.js `wasm` backend's `BatchMatMul` kernel replaced by the
 * WebAssembly SIMD products of `./simd_gemm.ts` (through
 * `gemmBatchMatMul` of `./gemm_batch_matmul.ts`). tfjs-backend-wasm 4.22
 * hands each product to XNNPACK, which repacks the right operand at every
 * call (a new tensor each time in this suite) and is several times slower
 * again when an operand is transposed; the attacks' batched products
 * (P·Wᵀ and C·W, `../measure/attacks/batch.ts`) spent most of their time
 * there. The `wasm` backend of `./backends.ts` installs this kernel when
 * the SIMD kernels compile; inputs they do not handle go to the original
 * kernel. The fused product with a bias (`./fused_matmul.ts`) looks the
 * kernel up at each call, so it uses this one too.
 *
 * @example Swap the kernel in and out
 * ```ts
 * import { installSimdKernels, restoreWasmKernels } from "./simd_kernels.ts";
 * import * as tf from "@tensorflow/tfjs-core";
 * import "@tensorflow/tfjs-backend-wasm";
 * import assert from "node:assert/strict";
 * const original = tf.getKernel(tf.BatchMatMul, "wasm");
 * if (installSimdKernels()) {
 *   assert.notEqual(tf.getKernel(tf.BatchMatMul, "wasm"), original);
 *   restoreWasmKernels();
 *   assert.equal(tf.getKernel(tf.BatchMatMul, "wasm"), original);
 * }
 * ```
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs-core";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { gemmBatchMatMul } from "./gemm_batch_matmul.ts";
import { type MatMulOptions, replaceKernel } from "./fused_matmul.ts";
import { loadSimdGemm, type SimdGemm } from "./simd_gemm.ts";

/** The wasm backend's own `BatchMatMul`, saved while the SIMD one is registered. */
let savedWasmKernel: tf.KernelConfig | null = null;

/**
 * `BatchMatMul` of the wasm backend `options.backend` through the SIMD
 * `sgemm` of `simd`: the operands are read as views of the wasm heap, the
 * product is copied into a new tensor. Returns null (the original kernel
 * should run) where `gemmBatchMatMul` does.
 *
 * @example
 * ```ts
 * import { simdBatchMatMul } from "./simd_kernels.ts";
 * import { loadSimdGemm } from "./simd_gemm.ts";
 * import { initBackend } from "./backends.ts";
 * import * as tf from "@tensorflow/tfjs-core";
 * import assert from "node:assert/strict";
 * await initBackend("wasm");
 * const simd = loadSimdGemm();
 * if (simd !== null) {
 *   const a = tf.tensor2d([[1, 2]]), b = tf.tensor2d([[3], [4]]);
 *   const options = { transposeA: false, transposeB: false, backend: tf.backend() };
 *   const out = simdBatchMatMul({ a, b }, options, simd)!;
 *   assert.deepEqual([...(tf.backend().readSync(out.dataId) as Float32Array)], [11]);
 * }
 * ```
 */
export function simdBatchMatMul(
  inputs: tf.BatchMatMulInputs,
  options: MatMulOptions,
  simd: SimdGemm,
): tf.TensorInfo | null {
  const backend = options.backend as BackendWasm;
  return gemmBatchMatMul(inputs, options, {
    // Views of the heap stay valid: nothing allocates on it until `output`.
    values: (t) => {
      const values = backend.typedArrayFromHeap(t);
      return values instanceof Float32Array ? values : null;
    },
    sgemm: (a, b, o) => simd.sgemm(a, b, o),
    output: (shape, values) =>
      backend.makeOutput(shape, "float32", undefined, values),
  });
}

/**
 * Register the SIMD `BatchMatMul` for the wasm backend (once: does nothing
 * while it is installed). Returns false, and changes nothing, when the SIMD
 * kernels do not compile or the wasm backend has no `BatchMatMul` kernel.
 */
export function installSimdKernels(): boolean {
  if (savedWasmKernel !== null) return true;
  const simd = loadSimdGemm();
  const original = tf.getKernel(tf.BatchMatMul, "wasm");
  if (simd === null || original === undefined) return false;
  replaceKernel({
    // Keeps the original's setup (it binds the wasm function the fallback
    // calls).
    ...original,
    kernelFunc: (args) =>
      simdBatchMatMul(
        args.inputs as tf.BatchMatMulInputs,
        {
          ...(args.attrs as unknown as tf.BatchMatMulAttrs),
          backend: args.backend as tf.KernelBackend,
        },
        simd,
      ) ?? original.kernelFunc(args),
  });
  savedWasmKernel = original;
  return true;
}

/**
 * Put back the wasm `BatchMatMul` saved by {@linkcode installSimdKernels}
 * (does nothing when the SIMD kernel is not installed).
 */
export function restoreWasmKernels(): void {
  if (savedWasmKernel === null) return;
  replaceKernel(savedWasmKernel);
  savedWasmKernel = null;
}

/**
 * Whether the SIMD `BatchMatMul` is installed for the wasm backend.
 *
 * @example
 * ```ts
 * import { restoreWasmKernels, simdKernelsInstalled } from "./simd_kernels.ts";
 * import assert from "node:assert/strict";
 * restoreWasmKernels();
 * assert.equal(simdKernelsInstalled(), false);
 * ```
 */
export function simdKernelsInstalled(): boolean {
  return savedWasmKernel !== null;
}
