/**
 * Choice and set-up of the TensorFlow.js backend that runs the tensors.
 *
 * The backends are one data list, {@linkcode BACKENDS} (in the spirit of the
 * TensorFlow.js kernel registry): each entry says what it is, whether it can
 * run here and how to start it, and {@linkcode initBackend},
 * {@linkcode backendAvailable}, {@linkcode describeBackend} and
 * {@linkcode BACKEND_NAMES} all read from it. Three backends are offered,
 * fastest first:
 *
 * - `"blas"`: the TensorFlow.js `cpu` backend whose `BatchMatMul` (and, for
 *   bias + ReLU, `_FusedMatMul`) kernels are replaced by calls to the system
 *   OpenBLAS `cblas_sgemm` through `Deno.dlopen` (see `./blas_kernels.ts`
 *   and `./openblas.ts`). Needs `libopenblas.so.0` and `--allow-ffi`.
 * - `"wasm"`: the TensorFlow.js WebAssembly backend (XNNPACK), loaded from the
 *   `.wasm` files in `node_modules`, with its fused matrix product corrected
 *   (`./fused_matmul.ts`) and, when the engine has WebAssembly SIMD, its
 *   `BatchMatMul` replaced by the suite's own SIMD kernels
 *   (`./simd_kernels.ts`, `./simd_gemm.ts`); needs `--allow-read` only.
 * - `"cpu"`: the plain TensorFlow.js JavaScript backend, the reference.
 *
 * `"auto"` (in {@linkcode BACKEND_CHOICES}, not a backend of its own) picks
 * `"blas"` when OpenBLAS loads, else `"wasm"`.
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

import { errorMessage } from "../base/errors.ts";
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import { setWasmPaths } from "@tensorflow/tfjs-backend-wasm";
import { installBlasKernels, restoreCpuKernels } from "./blas_kernels.ts";
import { fixWasmFusedMatMul } from "./fused_matmul.ts";
import { installSimdKernels, simdKernelsInstalled } from "./simd_kernels.ts";
import { loadOpenBlas, openBlasLoadError } from "./openblas.ts";

/** A concrete tensor backend: the name of an entry of {@linkcode BACKENDS}. */
export type BackendName = "wasm" | "blas" | "cpu";

/** A backend, or `"auto"` for the fastest one available. */
export type BackendChoice = BackendName | "auto";

/** One entry of the backend list {@linkcode BACKENDS}. */
export interface BackendSpec {
  /** The name users choose it by. */
  readonly name: BackendName;
  /** The TensorFlow.js backend it runs on (`tf.getBackend()` once started). */
  readonly tfjsBackend: "cpu" | "wasm";
  /**
   * A one-line description for logs and reports, e.g.
   * `"blas (OpenBLAS 0.3.21 via Deno.dlopen, 1 thread)"`; says why when the
   * backend is unavailable.
   */
  describe(): string;
  /** Whether it can be used in this process. */
  available(): boolean;
  /**
   * Register its kernels and start its TensorFlow.js backend. Throws an
   * `Error` when it cannot start. Use {@linkcode initBackend}, which also
   * remembers the backend in use.
   */
  init(): Promise<void>;
}

/** Directory of the TensorFlow.js `.wasm` binaries, as a `file:` URL. */
const WASM_DIR = new URL(
  "../../node_modules/@tensorflow/tfjs-backend-wasm/dist/",
  import.meta.url,
);

/** Whether `setWasmPaths` has been called. */
let wasmPathSet = false;

/** Whether the wasm binary is readable. */
function wasmAvailable(): boolean {
  try {
    return Deno.statSync(new URL("tfjs-backend-wasm.wasm", WASM_DIR)).isFile;
  } catch {
    return false;
  }
}

/**
 * Switch TensorFlow.js to `tfName` and wait until it is ready; an `Error`
 * (ending in `hint`) when it fails to start.
 */
async function startTfjs(tfName: string, hint = ""): Promise<void> {
  let ok: boolean;
  try {
    ok = await tf.setBackend(tfName);
  } catch (e) {
    throw new Error(
      `TensorFlow.js backend "${tfName}" failed to start: ${errorMessage(e)}`,
    );
  }
  if (!ok) {
    throw new Error(`TensorFlow.js backend "${tfName}" failed to start${hint}`);
  }
  await tf.ready();
}

/**
 * All concrete backends, fastest first. {@linkcode initBackend},
 * {@linkcode backendAvailable}, {@linkcode describeBackend} and
 * {@linkcode BACKEND_NAMES} read from this list.
 *
 * @example
 * ```ts
 * import { BACKENDS } from "./backends.ts";
 * for (const backend of BACKENDS) {
 *   console.log(backend.available() ? backend.describe() : `${backend.name}: unavailable`);
 * }
 * ```
 */
export const BACKENDS: readonly BackendSpec[] = [
  {
    name: "blas",
    tfjsBackend: "cpu",
    describe() {
      const blas = loadOpenBlas();
      if (blas === null) {
        return `blas (unavailable: ${openBlasLoadError() ?? "unknown reason"})`;
      }
      const threads = blas.threads();
      const version = /OpenBLAS\s+(\S+)/.exec(blas.config())?.[1];
      return `blas (OpenBLAS${version ? " " + version : ""} via Deno.dlopen, ` +
        `${threads} thread${threads === 1 ? "" : "s"})`;
    },
    available: () => loadOpenBlas() !== null,
    async init() {
      if (loadOpenBlas() === null) {
        throw new Error(
          `backend "blas" needs the system OpenBLAS (Debian package libopenblas0) ` +
            `and the --allow-ffi permission, but it could not be loaded: ` +
            `${openBlasLoadError() ?? "unknown reason"}. ` +
            `Choose "wasm", "cpu" or "auto" instead.`,
        );
      }
      installBlasKernels();
      await startTfjs("cpu");
    },
  },
  {
    name: "wasm",
    tfjsBackend: "wasm",
    describe() {
      if (!wasmAvailable()) {
        return `wasm (unavailable: no wasm binary in ${WASM_DIR.href})`;
      }
      // Known only once the wasm backend has started.
      const simd = tf.env().getFlags()["WASM_HAS_SIMD_SUPPORT"] === true;
      const products = simdKernelsInstalled()
        ? "; matrix products on the suite's WebAssembly SIMD kernels"
        : "";
      return `wasm (TensorFlow.js WebAssembly/XNNPACK, ${
        simd ? "SIMD, " : ""
      }1 thread${products})`;
    },
    available: wasmAvailable,
    async init() {
      restoreCpuKernels();
      if (!wasmPathSet) {
        setWasmPaths(WASM_DIR.href);
        wasmPathSet = true;
      }
      fixWasmFusedMatMul();
      installSimdKernels();
      await startTfjs("wasm", ` (wasm files expected in ${WASM_DIR.href})`);
    },
  },
  {
    name: "cpu",
    tfjsBackend: "cpu",
    describe: () => "cpu (TensorFlow.js plain JavaScript)",
    available: () => true,
    async init() {
      restoreCpuKernels();
      await startTfjs("cpu");
    },
  },
];

/**
 * The names of all concrete backends ({@linkcode BACKENDS}), fastest first.
 *
 * @example
 * ```ts
 * import { BACKEND_NAMES } from "./backends.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(BACKEND_NAMES, ["blas", "wasm", "cpu"]);
 * ```
 */
export const BACKEND_NAMES: readonly BackendName[] = BACKENDS.map((b) =>
  b.name
);

/**
 * Every value a `--backend` option may take: `"auto"`, then
 * {@linkcode BACKEND_NAMES}.
 *
 * @example
 * ```ts
 * import { BACKEND_CHOICES } from "./backends.ts";
 * console.log(`--backend ${BACKEND_CHOICES.join(" | ")}`);
 * ```
 */
export const BACKEND_CHOICES: readonly BackendChoice[] = [
  "auto",
  ...BACKEND_NAMES,
];

/**
 * Whether `value` is one of {@linkcode BACKEND_CHOICES}.
 *
 * @example
 * ```ts
 * import { isBackendChoice } from "./backends.ts";
 * import assert from "node:assert/strict";
 * assert.equal(isBackendChoice("auto"), true);
 * assert.equal(isBackendChoice("gpu"), false);
 * ```
 */
export function isBackendChoice(value: string): value is BackendChoice {
  return (BACKEND_CHOICES as readonly string[]).includes(value);
}

/** The entry of `name` in {@linkcode BACKENDS}; an `Error` for other names. */
function backendSpec(name: BackendName): BackendSpec {
  const spec = BACKENDS.find((b) => b.name === name);
  if (spec === undefined) throw new Error(`unknown backend "${name}"`);
  return spec;
}

/** The backend {@linkcode initBackend} last set up, if any. */
let current: BackendName | null = null;

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
  const spec = backendSpec(
    choice === "auto" ? (backendAvailable("blas") ? "blas" : "wasm") : choice,
  );
  if (spec.name === current && tf.getBackend() === spec.tfjsBackend) {
    return spec.name;
  }
  await spec.init();
  current = spec.name;
  return spec.name;
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
  return backendSpec(name).available();
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
  return backendSpec(name).describe();
}
