/**
 * Choice and set-up of the TensorFlow.js backend that runs the tensors.
 *
 * Three backends are offered:
 *
 * - `"blas"`: the TensorFlow.js `cpu` backend whose `BatchMatMul` (and, for
 *   bias + ReLU, `_FusedMatMul`) kernels are replaced by calls to the system
 *   OpenBLAS `cblas_sgemm` through `Deno.dlopen` (see `./openblas.ts`).
 *   Needs `libopenblas.so.0` and `--allow-ffi`.
 * - `"wasm"`: the TensorFlow.js WebAssembly backend (XNNPACK), loaded from the
 *   `.wasm` files in `node_modules`; needs `--allow-read` only.
 * - `"cpu"`: the plain TensorFlow.js JavaScript backend, the reference.
 *
 * `"auto"` picks `"blas"` when OpenBLAS loads, else `"wasm"`.
 * {@linkcode initBackend} also turns on TensorFlow.js production mode, which
 * silences its console warnings, among them the "Hi, looks like you are
 * running TensorFlow.js in Node.js" banner that the `cpu` backend prints
 * under Deno.
 *
 * @example Use the reference backend
 * ```ts
 * import { initBackend } from "./backends.ts";
 * import * as tf from "@tensorflow/tfjs-core";
 * import assert from "node:assert/strict";
 * assert.equal(await initBackend("cpu"), "cpu");
 * assert.equal(tf.getBackend(), "cpu");
 * ```
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs-core";
import type { MathBackendCPU } from "@tensorflow/tfjs-backend-cpu";
import "@tensorflow/tfjs-backend-cpu";
import { setWasmPaths } from "@tensorflow/tfjs-backend-wasm";
import { loadOpenBlas, type OpenBlas, openBlasLoadError } from "./openblas.ts";

/** A concrete tensor backend. */
export type BackendName = "wasm" | "blas" | "cpu";

/** A backend, or `"auto"` for the fastest one available. */
export type BackendChoice = BackendName | "auto";

/** All concrete backends, fastest first. */
export const BACKEND_NAMES: readonly BackendName[] = ["blas", "wasm", "cpu"];

/** Directory of the TensorFlow.js `.wasm` binaries, as a `file:` URL. */
const WASM_DIR = new URL(
  "../../node_modules/@tensorflow/tfjs-backend-wasm/dist/",
  import.meta.url,
);

/** The backend {@linkcode initBackend} last set up, if any. */
let current: BackendName | null = null;
/** Whether {@linkcode fixWasmFusedMatMul} has replaced the wasm kernel. */
let wasmFusedFixed = false;
/** Whether `setWasmPaths` has been called. */
let wasmPathSet = false;
/** The `cpu` backend's own kernels, saved while the OpenBLAS ones are registered. */
let savedCpuKernels: Map<string, tf.KernelConfig> | null = null;

/**
 * Set up the TensorFlow.js backend and return which one is in use.
 *
 * Calling it again with the same choice does nothing; switching between
 * `"blas"` and `"cpu"` replaces or restores the `cpu` backend's matrix-product
 * kernels. Throws an `Error` when `"blas"` is asked for and OpenBLAS cannot
 * be loaded, or when the wasm backend fails to start.
 *
 * @example
 * ```ts
 * import { initBackend } from "./backends.ts";
 * import assert from "node:assert/strict";
 * const name = await initBackend("auto");
 * assert.ok(name === "blas" || name === "wasm");
 * ```
 */
export async function initBackend(choice: BackendChoice): Promise<BackendName> {
  tf.enableProdMode();
  const name: BackendName = choice === "auto"
    ? (backendAvailable("blas") ? "blas" : "wasm")
    : choice;
  const tfName = name === "wasm" ? "wasm" : "cpu";
  if (name === current && tf.getBackend() === tfName) return name;
  switch (name) {
    case "blas": {
      if (loadOpenBlas() === null) {
        throw new Error(
          `backend "blas" needs the system OpenBLAS (Debian package libopenblas0) ` +
            `and the --allow-ffi permission, but it could not be loaded: ` +
            `${openBlasLoadError() ?? "unknown reason"}. ` +
            `Choose "wasm", "cpu" or "auto" instead.`,
        );
      }
      installBlasKernels();
      break;
    }
    case "cpu":
    case "wasm":
      restoreCpuKernels();
      break;
    default:
      throw new Error(`unknown backend "${name satisfies never}"`);
  }
  if (name === "wasm") {
    if (!wasmPathSet) {
      setWasmPaths(WASM_DIR.href);
      wasmPathSet = true;
    }
    fixWasmFusedMatMul();
  }
  let ok: boolean;
  try {
    ok = await tf.setBackend(tfName);
  } catch (e) {
    throw new Error(
      `TensorFlow.js backend "${tfName}" failed to start: ${errorText(e)}`,
    );
  }
  if (!ok) {
    throw new Error(
      `TensorFlow.js backend "${tfName}" failed to start` +
        (name === "wasm" ? ` (wasm files expected in ${WASM_DIR.href})` : ""),
    );
  }
  await tf.ready();
  current = name;
  return name;
}

/**
 * Whether a backend can be used in this process: `"blas"` when OpenBLAS
 * loads, `"wasm"` when its binary is readable, `"cpu"` always.
 *
 * @example
 * ```ts
 * import { backendAvailable } from "./backends.ts";
 * import assert from "node:assert/strict";
 * assert.equal(backendAvailable("cpu"), true);
 * ```
 */
export function backendAvailable(name: BackendName): boolean {
  switch (name) {
    case "blas":
      return loadOpenBlas() !== null;
    case "wasm":
      try {
        return Deno.statSync(new URL("tfjs-backend-wasm.wasm", WASM_DIR))
          .isFile;
      } catch {
        return false;
      }
    case "cpu":
      return true;
  }
}

/**
 * A one-line description of a backend for logs and reports, e.g.
 * `"blas (OpenBLAS via Deno.dlopen, 2 threads)"`.
 *
 * @example
 * ```ts
 * import { describeBackend } from "./backends.ts";
 * import assert from "node:assert/strict";
 * assert.match(describeBackend("cpu"), /^cpu \(/);
 * ```
 */
export function describeBackend(name: BackendName): string {
  switch (name) {
    case "blas": {
      const blas = loadOpenBlas();
      if (blas === null) {
        return `blas (unavailable: ${openBlasLoadError() ?? "unknown reason"})`;
      }
      const threads = blas.threads();
      const version = /OpenBLAS\s+(\S+)/.exec(blas.config())?.[1];
      return `blas (OpenBLAS${version ? " " + version : ""} via Deno.dlopen, ` +
        `${threads} thread${threads === 1 ? "" : "s"})`;
    }
    case "wasm":
      if (!backendAvailable("wasm")) {
        return `wasm (unavailable: no wasm binary in ${WASM_DIR.href})`;
      }
      // Known only once the wasm backend has started.
      return tf.env().getFlags()["WASM_HAS_SIMD_SUPPORT"] === true
        ? "wasm (TensorFlow.js WebAssembly/XNNPACK, SIMD, 1 thread)"
        : "wasm (TensorFlow.js WebAssembly/XNNPACK, 1 thread)";
    case "cpu":
      return "cpu (TensorFlow.js plain JavaScript)";
  }
}

/** The message of an error-like value. */
function errorText(e: unknown): string {
  if (e instanceof Error) return e.message;
  if (typeof e === "object" && e !== null && "message" in e) {
    return String(e.message);
  }
  return String(e);
}

// ---------------------------------------------------------------------------
// OpenBLAS kernels for the cpu backend.

/** Replace the cpu `BatchMatMul` and `_FusedMatMul` kernels (once). */
function installBlasKernels(): void {
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
      blasBatchMatMul(
        args.inputs as tf.BatchMatMulInputs,
        args.attrs as unknown as tf.BatchMatMulAttrs,
        args.backend as MathBackendCPU,
      ) ?? batchMatMul.kernelFunc(args),
  });
  replaceKernel({
    kernelName: tf._FusedMatMul,
    backendName: "cpu",
    kernelFunc: (args) =>
      decomposedFusedMatMul(
        args,
        "cpu",
        (a, b, attrs) =>
          blasBatchMatMul({ a, b }, attrs, args.backend as MathBackendCPU),
      ) ?? fusedMatMul.kernelFunc(args),
  });
  savedCpuKernels = saved;
}

/** Put back the cpu kernels saved by {@linkcode installBlasKernels}. */
function restoreCpuKernels(): void {
  if (savedCpuKernels === null) return;
  for (const config of savedCpuKernels.values()) replaceKernel(config);
  savedCpuKernels = null;
}

/** Register `config`, unregistering any kernel of the same name first. */
function replaceKernel(config: tf.KernelConfig): void {
  if (tf.getKernel(config.kernelName, config.backendName) !== undefined) {
    tf.unregisterKernel(config.kernelName, config.backendName);
  }
  tf.registerKernel(config);
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

/**
 * `BatchMatMul` through `cblas_sgemm`. Returns null (so that the original
 * kernel runs, and reports any error) for non-float32 inputs, mismatched
 * inner dimensions and batch shapes other than "equal" or "one side is 1".
 */
function blasBatchMatMul(
  inputs: tf.BatchMatMulInputs,
  attrs: tf.BatchMatMulAttrs,
  backend: MathBackendCPU,
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
  const aValues = float32Values(backend, a);
  const bValues = float32Values(backend, b);
  if (aValues === null || bValues === null) return null;
  const blas = requireBlas();
  const batch = Math.max(batchA, batchB);
  const out = new Float32Array(batch * m * n);
  const lda = Math.max(1, transA ? m : k), ldb = Math.max(1, transB ? k : n);
  if (batchB === 1 && !transA) {
    // Stack A's batches as rows: one (batch·m)×k by k×n product.
    blas.sgemm(
      false,
      transB,
      batch * m,
      n,
      k,
      1,
      aValues,
      lda,
      bValues,
      ldb,
      0,
      out,
      Math.max(1, n),
    );
  } else {
    const aStep = batchA === 1 ? 0 : m * k, bStep = batchB === 1 ? 0 : k * n;
    for (let i = 0; i < batch; i++) {
      blas.sgemm(
        transA,
        transB,
        m,
        n,
        k,
        1,
        aValues.subarray(i * aStep, i * aStep + m * k),
        lda,
        bValues.subarray(i * bStep, i * bStep + k * n),
        ldb,
        0,
        out.subarray(i * m * n, (i + 1) * m * n),
        Math.max(1, n),
      );
    }
  }
  return backend.makeTensorInfo([...batchShape, m, n], "float32", out);
}

/** A matrix product on some backend, or null when it cannot handle the inputs. */
type MatMulFunc = (
  a: tf.TensorInfo,
  b: tf.TensorInfo,
  attrs: tf.BatchMatMulAttrs,
) => tf.TensorInfo | null;

/**
 * `_FusedMatMul` as three kernels of `backendName`: `matMul`, then `Add`
 * of the bias, then the activation kernel. Returns null (use the original
 * fused kernel) when `matMul` does or a needed kernel is missing.
 */
function decomposedFusedMatMul(
  args: Parameters<tf.KernelFunc>[0],
  backendName: string,
  matMul: MatMulFunc,
): tf.TensorInfo | null {
  const inputs = args.inputs as tf._FusedMatMulInputs;
  const attrs = args.attrs as unknown as tf._FusedMatMulAttrs;
  const backend = args.backend as tf.KernelBackend;
  const { bias, preluActivationWeights } = inputs;
  if (bias !== undefined && bias.dtype !== "float32") return null;
  const activation = activationStep(
    attrs.activation ?? "linear",
    attrs.leakyreluAlpha,
    preluActivationWeights,
  );
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
  let current = matMul(inputs.a, inputs.b, {
    transposeA: attrs.transposeA,
    transposeB: attrs.transposeB,
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

/**
 * The kernel applying a fused activation: `"none"` for `linear`, null when
 * it cannot be decomposed (prelu without weights).
 */
function activationStep(
  activation: tf.fused.Activation,
  leakyreluAlpha: number | undefined,
  preluWeights: tf.TensorInfo | undefined,
): "none" | {
  kernelName: string;
  inputs: tf.NamedTensorInfoMap;
  attrs: tf.NamedAttrMap;
} | null {
  switch (activation) {
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
        attrs: { alpha: leakyreluAlpha ?? 0.2 },
      };
    case "prelu":
      return preluWeights === undefined
        ? null
        : { kernelName: tf.Prelu, inputs: { alpha: preluWeights }, attrs: {} };
    default:
      return null;
  }
}

// ---------------------------------------------------------------------------
// Correction for the wasm backend.

/**
 * Replace the wasm `_FusedMatMul` kernel (once): in tfjs-backend-wasm 4.22
 * it adds the bias to the wrong entries whenever a bias is given and either
 * input is transposed or batched (found by `backend_test.ts`). With a bias,
 * the product now runs as wasm `BatchMatMul` + `Add` + activation kernels;
 * without one, the original kernel runs.
 */
function fixWasmFusedMatMul(): void {
  if (wasmFusedFixed) return;
  const original = tf.getKernel(tf._FusedMatMul, "wasm");
  if (original === undefined) return;
  replaceKernel({
    ...original,
    kernelFunc: (args) => {
      if (args.inputs.bias === undefined) return original.kernelFunc(args);
      return decomposedFusedMatMul(args, "wasm", (a, b, attrs) => {
        const matMul = tf.getKernel(tf.BatchMatMul, "wasm");
        if (matMul === undefined) return null;
        return matMul.kernelFunc({
          inputs: { a, b },
          backend: args.backend,
          attrs: { ...attrs },
        }) as tf.TensorInfo;
      }) ?? original.kernelFunc(args);
    },
  });
  wasmFusedFixed = true;
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
