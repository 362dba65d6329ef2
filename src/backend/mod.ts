/**
 * The backend layer: which TensorFlow.js backend runs the tensors, the
 * system OpenBLAS behind both the `blas` backend and the flow's `native`
 * engine, and the WebAssembly SIMD products behind the `wasm` backend and
 * the flow's `simd` engine.
 *
 * - `./backends.ts`: the backend list {@linkcode BACKENDS} and
 *   {@linkcode initBackend}, {@linkcode backendAvailable},
 *   {@linkcode describeBackend}, {@linkcode BACKEND_NAMES},
 *   {@linkcode BACKEND_CHOICES} that read from it.
 * - `./init_worker.ts`: {@linkcode initWorker}, the set-up of a thread that
 *   runs trials.
 * - `./openblas.ts`: {@linkcode loadOpenBlas} and its `sgemm`.
 * - `./simd_gemm.ts`: {@linkcode loadSimdGemm}, the WebAssembly SIMD
 *   `sgemm` and `dgemm` of the `wasm` backend (with the same options),
 *   assembled by `./wasm_encoder.ts`.
 * - `./blas_kernels.ts`, `./simd_kernels.ts` and `./fused_matmul.ts`: the
 *   TensorFlow.js kernels the backends register (internal;
 *   {@linkcode initBackend} installs them).
 *
 * @example
 * ```ts
 * import { BACKEND_NAMES, describeBackend, initBackend } from "./mod.ts";
 * const name = await initBackend("auto");
 * console.log(describeBackend(name), BACKEND_NAMES);
 * ```
 *
 * @module
 */

export {
  BACKEND_CHOICES,
  BACKEND_NAMES,
  backendAvailable,
  type BackendChoice,
  type BackendName,
  BACKENDS,
  type BackendSpec,
  describeBackend,
  initBackend,
  isBackendChoice,
} from "./backends.ts";
export { initWorker } from "./init_worker.ts";
export {
  loadOpenBlas,
  type OpenBlas,
  OPENBLAS_LIBRARY_NAMES,
  openBlasLoadError,
  type SgemmOptions,
} from "./openblas.ts";
export { loadSimdGemm, type SimdGemm, simdGemmLoadError } from "./simd_gemm.ts";
