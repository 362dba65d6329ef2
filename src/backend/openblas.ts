/**
 * Single-precision matrix products (`cblas_sgemm`) from the system OpenBLAS,
 * called through `Deno.dlopen`.
 *
 * {@linkcode loadOpenBlas} opens `libopenblas.so.0` (Debian `libopenblas0`),
 * or `libopenblas.so` as a fallback, once per process or worker and caches
 * the handle. It returns `null` when neither library can be opened (absent),
 * or without a granted `--allow-ffi` (it never prompts for it);
 * {@linkcode openBlasLoadError} then says why.
 *
 * All matrices are row-major (`CblasRowMajor`), as tensors are in
 * TensorFlow.js. Arguments are checked before the foreign call so that a
 * wrong dimension throws a `RangeError` instead of reading or writing outside
 * the arrays.
 *
 * @example Multiply two 2×2 matrices (when OpenBLAS is installed)
 * ```ts
 * import { loadOpenBlas } from "./openblas.ts";
 * import assert from "node:assert/strict";
 * const blas = loadOpenBlas();
 * if (blas !== null) {
 *   const a = new Float32Array([1, 2, 3, 4]);
 *   const b = new Float32Array([5, 6, 7, 8]);
 *   const c = new Float32Array(4);
 *   blas.sgemm(a, b, { m: 2, n: 2, k: 2, c });
 *   assert.deepEqual(Array.from(c), [19, 22, 43, 50]);
 * }
 * ```
 *
 * @module
 */

/** `CBLAS_ORDER` value for row-major storage. */
const CBLAS_ROW_MAJOR = 101;
/** `CBLAS_TRANSPOSE` value for "use the matrix as stored". */
const CBLAS_NO_TRANS = 111;
/** `CBLAS_TRANSPOSE` value for "use the transpose of the stored matrix". */
const CBLAS_TRANS = 112;

/** Library names tried in order by {@linkcode loadOpenBlas}. */
export const OPENBLAS_LIBRARY_NAMES: readonly string[] = [
  "libopenblas.so.0",
  "libopenblas.so",
];

const SYMBOLS = {
  cblas_sgemm: {
    parameters: [
      "i32", // order
      "i32", // transA
      "i32", // transB
      "i32", // m
      "i32", // n
      "i32", // k
      "f32", // alpha
      "buffer", // a
      "i32", // lda
      "buffer", // b
      "i32", // ldb
      "f32", // beta
      "buffer", // c
      "i32", // ldc
    ],
    result: "void",
  },
  openblas_get_num_threads: {
    parameters: [],
    result: "i32",
    optional: true,
  },
  openblas_set_num_threads: {
    parameters: ["i32"],
    result: "void",
    optional: true,
  },
  openblas_get_config: {
    parameters: [],
    result: "pointer",
    optional: true,
  },
} as const;

/**
 * Dimensions, output and layout of one {@linkcode OpenBlas.sgemm} call
 * `C ← alpha·op(A)·op(B) + beta·C`. The row strides `lda`, `ldb`, `ldc` are
 * those of the arrays as stored (so `lda ≥ k` without transpose, `lda ≥ m`
 * with it); each defaults to the tight one (at least 1).
 */
export interface SgemmOptions {
  /** Rows of `op(A)` and of C. */
  m: number;
  /** Columns of `op(B)` and of C. */
  n: number;
  /** Columns of `op(A)`, rows of `op(B)`. */
  k: number;
  /** The m×n output C, overwritten (`beta` 0) or accumulated into. */
  c: Float32Array;
  /** Use Aᵀ (A stored k×m); default false. */
  transA?: boolean;
  /** Use Bᵀ (B stored n×k); default false. */
  transB?: boolean;
  /** Scale of the product; default 1. */
  alpha?: number;
  /** Scale of the old C; default 0 (C is overwritten). */
  beta?: number;
  /** Row stride of A as stored; default `transA ? m : k`. */
  lda?: number;
  /** Row stride of B as stored; default `transB ? k : n`. */
  ldb?: number;
  /** Row stride of C; default `n`. */
  ldc?: number;
}

/** A loaded OpenBLAS library. */
export interface OpenBlas {
  /** The library file name that was opened (e.g. `"libopenblas.so.0"`). */
  readonly library: string;
  /**
   * Row-major `C ← alpha·op(A)·op(B) + beta·C`, where `op(A)` is m×k,
   * `op(B)` is k×n and `C` (`options.c`) is m×n; `op(X)` is `Xᵀ` when the
   * matching `trans` flag is set (see {@linkcode SgemmOptions} for the
   * defaults). Throws a `RangeError` when an array is too short for its
   * dimensions, and an `Error` after {@linkcode OpenBlas.close}.
   */
  sgemm(a: Float32Array, b: Float32Array, options: SgemmOptions): void;
  /** Number of threads OpenBLAS uses (`openblas_get_num_threads`), 1 if unknown. */
  threads(): number;
  /** Set the number of OpenBLAS threads (`openblas_set_num_threads`), if supported. */
  setThreads(count: number): void;
  /** The build description from `openblas_get_config` (version, core), or `""`. */
  config(): string;
  /** Close the library; the next {@linkcode loadOpenBlas} opens it again. */
  close(): void;
}

let cached: OpenBlas | null = null;
let lastError: string | null = null;

/**
 * Open the system OpenBLAS, trying {@linkcode OPENBLAS_LIBRARY_NAMES} in
 * order. The handle is cached: later calls return the same object until it
 * is closed. Returns `null` when no library could be opened.
 *
 * @example
 * ```ts
 * import { loadOpenBlas } from "./openblas.ts";
 * import assert from "node:assert/strict";
 * const blas = loadOpenBlas();
 * assert.equal(loadOpenBlas(), blas); // cached
 * if (blas !== null) assert.ok(blas.threads() >= 1);
 * ```
 */
export function loadOpenBlas(): OpenBlas | null {
  if (cached !== null) return cached;
  // Without a granted --allow-ffi, dlopen would prompt on a terminal: report
  // the library as unavailable instead.
  if (Deno.permissions.querySync({ name: "ffi" }).state !== "granted") {
    lastError = "no --allow-ffi permission";
    return null;
  }
  const errors: string[] = [];
  for (const name of OPENBLAS_LIBRARY_NAMES) {
    let lib: Deno.DynamicLibrary<typeof SYMBOLS>;
    try {
      lib = Deno.dlopen(name, SYMBOLS);
    } catch (e) {
      errors.push(`${name}: ${e instanceof Error ? e.message : String(e)}`);
      continue;
    }
    cached = wrap(name, lib);
    lastError = null;
    return cached;
  }
  lastError = errors.join("; ");
  return null;
}

/**
 * Why the last {@linkcode loadOpenBlas} call returned `null`, or `null` if
 * it succeeded (or was never called).
 *
 * @example
 * ```ts
 * import { loadOpenBlas, openBlasLoadError } from "./openblas.ts";
 * import assert from "node:assert/strict";
 * if (loadOpenBlas() !== null) assert.equal(openBlasLoadError(), null);
 * ```
 */
export function openBlasLoadError(): string | null {
  return lastError;
}

/** Throw a `RangeError` unless `x` is a non-negative 32-bit integer. */
function checkDim(name: string, x: number): void {
  if (!Number.isInteger(x) || x < 0 || x > 0x7fffffff) {
    throw new RangeError(
      `sgemm: ${name} must be a non-negative int32, got ${x}`,
    );
  }
}

/** One matrix operand of `sgemm` as stored: its name, extent and row stride. */
interface StoredMatrix {
  /** `a`, `b` or `c`, for messages. */
  name: string;
  /** Stored rows. */
  rows: number;
  /** Stored columns. */
  cols: number;
  /** Row stride. */
  ld: number;
}

/**
 * Throw a `RangeError` unless a `rows`×`cols` row-major matrix with row
 * stride `ld` fits in `array`.
 */
function checkMatrix(array: Float32Array, matrix: StoredMatrix): void {
  const { name, rows, cols, ld } = matrix;
  checkDim(`ld${name}`, ld);
  if (ld < Math.max(1, cols)) {
    throw new RangeError(
      `sgemm: ld${name}=${ld} is smaller than the ${cols} stored columns of ${name}`,
    );
  }
  const needed = rows === 0 || cols === 0 ? 0 : (rows - 1) * ld + cols;
  if (array.length < needed) {
    throw new RangeError(
      `sgemm: ${name} has ${array.length} elements, ${rows}×${cols} with stride ${ld} needs ${needed}`,
    );
  }
}

/** Build the {@linkcode OpenBlas} object around an opened library. */
function wrap(
  library: string,
  lib: Deno.DynamicLibrary<typeof SYMBOLS>,
): OpenBlas {
  let open = true;
  const sym = lib.symbols;
  const self: OpenBlas = {
    library,
    sgemm(a, b, options) {
      if (!open) throw new Error("sgemm: the OpenBLAS handle was closed");
      const { m, n, k, c, transA = false, transB = false } = options;
      const { alpha = 1, beta = 0 } = options;
      checkDim("m", m);
      checkDim("n", n);
      checkDim("k", k);
      const {
        lda = Math.max(1, transA ? m : k),
        ldb = Math.max(1, transB ? k : n),
        ldc = Math.max(1, n),
      } = options;
      checkMatrix(a, {
        name: "a",
        rows: transA ? k : m,
        cols: transA ? m : k,
        ld: lda,
      });
      checkMatrix(b, {
        name: "b",
        rows: transB ? n : k,
        cols: transB ? k : n,
        ld: ldb,
      });
      checkMatrix(c, { name: "c", rows: m, cols: n, ld: ldc });
      if (m === 0 || n === 0) return;
      if (k === 0) {
        // C ← beta·C; OpenBLAS would do the same, but empty A/B buffers may
        // be passed as null pointers, so stay in JavaScript.
        for (let i = 0; i < m; i++) {
          const row = c.subarray(i * ldc, i * ldc + n);
          if (beta === 0) row.fill(0);
          else for (let j = 0; j < n; j++) row[j] *= beta;
        }
        return;
      }
      sym.cblas_sgemm(
        CBLAS_ROW_MAJOR,
        transA ? CBLAS_TRANS : CBLAS_NO_TRANS,
        transB ? CBLAS_TRANS : CBLAS_NO_TRANS,
        m,
        n,
        k,
        alpha,
        a,
        lda,
        b,
        ldb,
        beta,
        c,
        ldc,
      );
    },
    threads() {
      if (!open || sym.openblas_get_num_threads === null) return 1;
      return sym.openblas_get_num_threads();
    },
    setThreads(count) {
      if (!Number.isInteger(count) || count < 1) {
        throw new RangeError(
          `setThreads: count must be a positive integer, got ${count}`,
        );
      }
      if (!open || sym.openblas_set_num_threads === null) return;
      sym.openblas_set_num_threads(count);
    },
    config() {
      if (!open || sym.openblas_get_config === null) return "";
      const ptr = sym.openblas_get_config();
      return ptr === null ? "" : Deno.UnsafePointerView.getCString(ptr).trim();
    },
    close() {
      if (!open) return;
      open = false;
      if (cached === self) cached = null;
      lib.close();
    },
  };
  return self;
}
