/**
 * TensorFlow.js `_FusedMatMul` (matrix product + bias + activation) run as
 * separate kernels, `matMul` then `Add` then the activation, and the
 * kernel-registry helper that swaps kernels in. Used twice:
 *
 * - by the OpenBLAS kernels of the `blas` backend (`./blas_kernels.ts`), so
 *   that the product of a fused call goes through `cblas_sgemm`;
 * - by {@linkcode fixWasmFusedMatMul}, which replaces the wasm backend's
 *   fused kernel: in tfjs-backend-wasm 4.22 it adds the bias to the wrong
 *   entries whenever a bias is given and either input is transposed or
 *   batched.
 *
 * @example The decomposed kernel on the cpu backend
 * ```ts
 * import { decomposedFusedMatMul, kernelMatMul } from "./fused_matmul.ts";
 * import * as tf from "@tensorflow/tfjs-core";
 * import "@tensorflow/tfjs-backend-cpu";
 * import assert from "node:assert/strict";
 * await tf.setBackend("cpu");
 * const a = tf.tensor2d([[1, -2]]), b = tf.tensor2d([[1], [1]]);
 * const bias = tf.tensor1d([0.5]);
 * const out = decomposedFusedMatMul({
 *   inputs: { a, b, bias },
 *   attrs: { transposeA: false, transposeB: false, activation: "relu" },
 *   backend: tf.backend(),
 * }, { backendName: "cpu", matMul: kernelMatMul("cpu") });
 * assert.ok(out !== null);
 * assert.deepEqual(Array.from(tf.backend().readSync(out.dataId) as Float32Array), [0]);
 * ```
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs-core";

/** The argument of a TensorFlow.js kernel function. */
export type KernelArgs = Parameters<tf.KernelFunc>[0];

/** Transposes and backend of one {@linkcode MatMulFunc} call. */
export interface MatMulOptions extends tf.BatchMatMulAttrs {
  /** The backend holding the operands and the result. */
  backend: tf.KernelBackend;
}

/**
 * A matrix product on some backend, or null when it cannot handle the
 * inputs (the caller then falls back to the original kernel).
 */
export type MatMulFunc = (
  inputs: tf.BatchMatMulInputs,
  options: MatMulOptions,
) => tf.TensorInfo | null;

/** Options of {@linkcode decomposedFusedMatMul}. */
export interface DecomposedFusedMatMulOptions {
  /** The backend whose `Add` and activation kernels run after the product. */
  backendName: string;
  /** The matrix product. */
  matMul: MatMulFunc;
}

/**
 * The `BatchMatMul` kernel registered for `backendName` (looked up at each
 * call) as a {@linkcode MatMulFunc}; null when there is none.
 *
 * @example
 * ```ts
 * import { kernelMatMul } from "./fused_matmul.ts";
 * import * as tf from "@tensorflow/tfjs-core";
 * import "@tensorflow/tfjs-backend-cpu";
 * import assert from "node:assert/strict";
 * await tf.setBackend("cpu");
 * const a = tf.tensor2d([[1, 2]]), b = tf.tensor2d([[3], [4]]);
 * const options = { transposeA: false, transposeB: false, backend: tf.backend() };
 * const out = kernelMatMul("cpu")({ a, b }, options)!;
 * assert.deepEqual(Array.from(tf.backend().readSync(out.dataId) as Float32Array), [11]);
 * assert.equal(kernelMatMul("none")({ a, b }, options), null);
 * ```
 */
export function kernelMatMul(backendName: string): MatMulFunc {
  return (inputs, { backend, ...attrs }) => {
    const matMul = tf.getKernel(tf.BatchMatMul, backendName);
    if (matMul === undefined) return null;
    return matMul.kernelFunc({
      inputs: { ...inputs },
      backend,
      attrs: { ...attrs },
    }) as tf.TensorInfo;
  };
}

/**
 * Register `config`, unregistering any kernel of the same name and backend
 * first.
 *
 * @example
 * ```ts
 * import { replaceKernel } from "./fused_matmul.ts";
 * import * as tf from "@tensorflow/tfjs-core";
 * import "@tensorflow/tfjs-backend-cpu";
 * import assert from "node:assert/strict";
 * const original = tf.getKernel(tf.Relu, "cpu")!;
 * replaceKernel({ ...original });
 * assert.notEqual(tf.getKernel(tf.Relu, "cpu"), original);
 * replaceKernel(original);
 * assert.equal(tf.getKernel(tf.Relu, "cpu"), original);
 * ```
 */
export function replaceKernel(config: tf.KernelConfig): void {
  if (tf.getKernel(config.kernelName, config.backendName) !== undefined) {
    tf.unregisterKernel(config.kernelName, config.backendName);
  }
  tf.registerKernel(config);
}

/** The kernel applying a fused activation, its extra inputs and attributes. */
interface ActivationStep {
  /** Kernel name, e.g. `Relu`. */
  kernelName: string;
  /** Inputs besides `x`. */
  inputs: tf.NamedTensorInfoMap;
  /** Attributes. */
  attrs: tf.NamedAttrMap;
}

/**
 * The kernel applying the fused activation of `attrs`: `"none"` for
 * `linear`, null when it cannot be decomposed (prelu without weights).
 */
function activationStep(
  attrs: tf._FusedMatMulAttrs,
  preluWeights: tf.TensorInfo | undefined,
): "none" | ActivationStep | null {
  switch (attrs.activation ?? "linear") {
    case "linear":
      return "none";
    case "relu":
      return { kernelName: tf.Relu, inputs: {}, attrs: {} };
    case "relu6":
      return { kernelName: tf.Relu6, inputs: {}, attrs: {} };
    case "elu":
      return { kernelName: tf.Elu, inputs: {}, attrs: {} };
    case "sigmoid":
      return { kernelName: tf.Sigmoid, inputs: {}, attrs: {} };
    case "leakyrelu":
      return {
        kernelName: tf.LeakyRelu,
        inputs: {},
        attrs: { alpha: attrs.leakyreluAlpha ?? 0.2 },
      };
    case "prelu":
      return preluWeights === undefined
        ? null
        : { kernelName: tf.Prelu, inputs: { alpha: preluWeights }, attrs: {} };
    default:
      return null;
  }
}

/**
 * `_FusedMatMul` (kernel arguments `args`) as three kernels of
 * `options.backendName`: `options.matMul`, then `Add` of the bias, then the
 * activation kernel; the intermediate results are released. Returns null
 * (use the original fused kernel) when `matMul` does or a needed kernel is
 * missing.
 */
export function decomposedFusedMatMul(
  args: KernelArgs,
  options: DecomposedFusedMatMulOptions,
): tf.TensorInfo | null {
  const { backendName, matMul } = options;
  const inputs = args.inputs as tf._FusedMatMulInputs;
  const attrs = args.attrs as unknown as tf._FusedMatMulAttrs;
  const backend = args.backend as tf.KernelBackend;
  const { bias, preluActivationWeights } = inputs;
  if (bias !== undefined && bias.dtype !== "float32") return null;
  const activation = activationStep(attrs, preluActivationWeights);
  if (activation === null) return null;
  const steps: [tf.KernelConfig, tf.NamedTensorInfoMap, tf.NamedAttrMap][] = [];
  if (bias !== undefined) {
    const add = tf.getKernel(tf.Add, backendName);
    if (add === undefined) return null;
    steps.push([add, { b: bias }, {}]);
  }
  if (activation !== "none") {
    const kernel = tf.getKernel(activation.kernelName, backendName);
    if (kernel === undefined) return null;
    steps.push([kernel, activation.inputs, activation.attrs]);
  }
  let current = matMul({ a: inputs.a, b: inputs.b }, {
    transposeA: attrs.transposeA,
    transposeB: attrs.transposeB,
    backend,
  });
  if (current === null) return null;
  for (const [kernel, extra, kernelAttrs] of steps) {
    const first = kernel.kernelName === tf.Add ? "a" : "x";
    const next = kernel.kernelFunc({
      inputs: { [first]: current, ...extra },
      backend,
      attrs: kernelAttrs,
    }) as tf.TensorInfo;
    backend.disposeData(current.dataId);
    current = next;
  }
  return current;
}

/** Whether {@linkcode fixWasmFusedMatMul} has replaced the wasm kernel. */
let wasmFusedFixed = false;

/**
 * Replace the wasm `_FusedMatMul` kernel (once, and only once the wasm
 * backend's kernels are registered): in tfjs-backend-wasm 4.22 it adds the
 * bias to the wrong entries whenever a bias is given and either input is
 * transposed or batched (found by `backends_test.ts`). With a bias, the
 * product now runs as wasm `BatchMatMul` + `Add` + activation kernels;
 * without one, the original kernel runs.
 *
 * @example
 * ```ts
 * import { fixWasmFusedMatMul } from "./fused_matmul.ts";
 * import "@tensorflow/tfjs-backend-wasm";
 * fixWasmFusedMatMul();
 * fixWasmFusedMatMul(); // does nothing the second time
 * ```
 */
export function fixWasmFusedMatMul(): void {
  if (wasmFusedFixed) return;
  const original = tf.getKernel(tf._FusedMatMul, "wasm");
  if (original === undefined) return;
  replaceKernel({
    ...original,
    kernelFunc: (args) => {
      if (args.inputs.bias === undefined) return original.kernelFunc(args);
      return decomposedFusedMatMul(args, {
        backendName: "wasm",
        matMul: kernelMatMul("wasm"),
      }) ?? original.kernelFunc(args);
    },
  });
  wasmFusedFixed = true;
}
