/**
 * Single- and double-precision matrix products (`cblas_sgemm`,
 * `cblas_dgemm`) from the system OpenBLAS, called through `Deno.dlopen`.
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

import { errorMessage } from "../base/errors.ts";

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

/** A `const char *f(void)` symbol that older builds may lack. */
const C_STRING_GETTER = {
  parameters: [],
  result: "pointer",
  optional: true,
} as const;

/** The foreign signature of `cblas_?gemm` with scalars of type `scalar`. */
function gemmSymbol<S extends "f32" | "f64">(scalar: S) {
  return {
    parameters: [
      "i32", // order
      "i32", // transA
      "i32", // transB
      "i32", // m
      "i32", // n
      "i32", // k
      scalar, // alpha
      "buffer", // a
      "i32", // lda
      "buffer", // b
      "i32", // ldb
      scalar, // beta
      "buffer", // c
      "i32", // ldc
    ],
    result: "void",
  } as const;
}

const SYMBOLS = {
  cblas_sgemm: gemmSymbol("f32"),
  cblas_dgemm: { ...gemmSymbol("f64"), optional: true },
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
  openblas_get_config: C_STRING_GETTER,
  openblas_get_corename: C_STRING_GETTER,
} as const;

/**
 * Dimensions, output and layout of one {@linkcode OpenBlas.sgemm} call
 * `C ← alpha·op(A)·op(B) + beta·C`. The row strides `lda`, `ldb`, `ldc` are
 * those of the arrays as stored (so `lda ≥ k` without transpose, `lda ≥ m`
 * with it); each defaults to the tight one (at least 1).
 */
export interface SgemmOptions<
  A extends Float32Array | Float64Array = Float32Array,
> {
  /** Rows of `op(A)` and of C. */
  m: number;
  /** Columns of `op(B)` and of C. */
  n: number;
  /** Columns of `op(A)`, rows of `op(B)`. */
  k: number;
  /** The m×n output C, overwritten (`beta` 0) or accumulated into. */
  c: A;
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
  /**
   * The same product in double precision (`cblas_dgemm`), with the same
   * options and checks; an `Error` when the library lacks `cblas_dgemm`
   * (see {@linkcode OpenBlas.hasDgemm}).
   */
  dgemm(
    a: Float64Array,
    b: Float64Array,
    options: SgemmOptions<Float64Array>,
  ): void;
  /** Whether the library exports `cblas_dgemm`. */
  hasDgemm(): boolean;
  /** Number of threads OpenBLAS uses (`openblas_get_num_threads`), 1 if unknown. */
  threads(): number;
  /** Set the number of OpenBLAS threads (`openblas_set_num_threads`), if supported. */
  setThreads(count: number): void;
  /** The build description from `openblas_get_config` (version, core), or `""`. */
  config(): string;
  /** The core type the kernels run for, from `openblas_get_corename` (e.g. `Haswell`), or `""`. */
  corename(): string;
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
      errors.push(`${name}: ${errorMessage(e)}`);
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
function checkDim(routine: string, [name, x]: [string, number]): void {
  if (!Number.isInteger(x) || x < 0 || x > 0x7fffffff) {
    throw new RangeError(
      `${routine}: ${name} must be a non-negative int32, got ${x}`,
    );
  }
}

/** One matrix operand of a gemm as stored: its name, extent and row stride. */
interface StoredMatrix {
  /** `sgemm` or `dgemm`, for messages. */
  routine: string;
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
function checkMatrix(
  array: Float32Array | Float64Array,
  matrix: StoredMatrix,
): void {
  const { routine, name, rows, cols, ld } = matrix;
  checkDim(routine, [`ld${name}`, ld]);
  if (ld < Math.max(1, cols)) {
    throw new RangeError(
      `${routine}: ld${name}=${ld} is smaller than the ${cols} stored columns of ${name}`,
    );
  }
  const needed = rows === 0 || cols === 0 ? 0 : (rows - 1) * ld + cols;
  if (array.length < needed) {
    throw new RangeError(
      `${routine}: ${name} has ${array.length} elements, ${rows}×${cols} with stride ${ld} needs ${needed}`,
    );
  }
}

/** The arguments of one `cblas_?gemm` call after the order flag. */
type GemmArgs<A> = [
  number,
  number,
  number,
  number,
  number,
  number,
  A,
  number,
  A,
  number,
  number,
  A,
  number,
];

/**
 * A gemm's options with every default filled in (see
 * {@linkcode SgemmOptions}): what {@linkcode resolveGemm} returns.
 */
export interface ResolvedGemm<A extends Float32Array | Float64Array> {
  /** Rows of `op(A)` and of C. */
  m: number;
  /** Columns of `op(B)` and of C. */
  n: number;
  /** Columns of `op(A)`, rows of `op(B)`. */
  k: number;
  /** The m×n output. */
  c: A;
  /** Whether A is used transposed. */
  transA: boolean;
  /** Whether B is used transposed. */
  transB: boolean;
  /** Scale of the product. */
  alpha: number;
  /** Scale of the old C. */
  beta: number;
  /** Row stride of A as stored. */
  lda: number;
  /** Row stride of B as stored. */
  ldb: number;
  /** Row stride of C. */
  ldc: number;
}

/**
 * Check a gemm's operands against its options (see {@linkcode SgemmOptions})
 * and fill in the defaults. Throws a `RangeError` naming `routine` when a
 * dimension is not an int32 or an array is too short. Returns null when no
 * product is left to run: C is empty, or k = 0 (then C ← beta·C has been
 * done here, since empty A/B buffers may be passed as null pointers).
 *
 * @example
 * ```ts
 * import { resolveGemm } from "./openblas.ts";
 * import assert from "node:assert/strict";
 * const c = new Float32Array(4);
 * const g = resolveGemm("sgemm", new Float32Array(6), new Float32Array(6), { m: 2, n: 2, k: 3, c })!;
 * assert.deepEqual([g.lda, g.ldb, g.ldc, g.alpha, g.beta], [3, 2, 2, 1, 0]);
 * assert.throws(() => resolveGemm("sgemm", new Float32Array(5), new Float32Array(6), { m: 2, n: 2, k: 3, c }), RangeError);
 * ```
 */
export function resolveGemm<A extends Float32Array | Float64Array>(
  routine: string,
  a: A,
  b: A,
  options: SgemmOptions<A>,
): ResolvedGemm<A> | null {
  const { m, n, k, c, transA = false, transB = false } = options;
  const { alpha = 1, beta = 0 } = options;
  checkDim(routine, ["m", m]);
  checkDim(routine, ["n", n]);
  checkDim(routine, ["k", k]);
  const {
    lda = Math.max(1, transA ? m : k),
    ldb = Math.max(1, transB ? k : n),
    ldc = Math.max(1, n),
  } = options;
  checkMatrix(a, {
    routine,
    name: "a",
    rows: transA ? k : m,
    cols: transA ? m : k,
    ld: lda,
  });
  checkMatrix(b, {
    routine,
    name: "b",
    rows: transB ? n : k,
    cols: transB ? k : n,
    ld: ldb,
  });
  checkMatrix(c, { routine, name: "c", rows: m, cols: n, ld: ldc });
  if (m === 0 || n === 0) return null;
  if (k === 0) {
    for (let i = 0; i < m; i++) {
      const row = c.subarray(i * ldc, i * ldc + n);
      if (beta === 0) row.fill(0);
      else for (let j = 0; j < n; j++) row[j] *= beta;
    }
    return null;
  }
  return { m, n, k, c, transA, transB, alpha, beta, lda, ldb, ldc };
}

/**
 * Check a gemm's operands ({@linkcode resolveGemm}) and run it: `call` gets
 * the foreign arguments after the order flag, or is skipped when C is empty
 * or k = 0.
 */
function checkedGemm<A extends Float32Array | Float64Array>(
  routine: string,
  operands: { a: A; b: A; options: SgemmOptions<A> },
  call: (...args: GemmArgs<A>) => void,
): void {
  const { a, b, options } = operands;
  const gemm = resolveGemm(routine, a, b, options);
  if (gemm === null) return;
  const { m, n, k, c, transA, transB, alpha, beta, lda, ldb, ldc } = gemm;
  call(
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
}

/** The string a `const char *f(void)` symbol returns, trimmed; `""` when absent or NULL. */
function cString(getter: (() => Deno.PointerValue) | null): string {
  const ptr = getter === null ? null : getter();
  return ptr === null ? "" : Deno.UnsafePointerView.getCString(ptr).trim();
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
      checkedGemm(
        "sgemm",
        { a, b, options },
        (...args) => sym.cblas_sgemm(CBLAS_ROW_MAJOR, ...args),
      );
    },
    dgemm(a, b, options) {
      if (!open) throw new Error("dgemm: the OpenBLAS handle was closed");
      const dgemm = sym.cblas_dgemm;
      if (dgemm === null) throw new Error("dgemm: cblas_dgemm is missing");
      checkedGemm(
        "dgemm",
        { a, b, options },
        (...args) => dgemm(CBLAS_ROW_MAJOR, ...args),
      );
    },
    hasDgemm() {
      return open && sym.cblas_dgemm !== null;
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
      return open ? cString(sym.openblas_get_config) : "";
    },
    corename() {
      return open ? cString(sym.openblas_get_corename) : "";
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
