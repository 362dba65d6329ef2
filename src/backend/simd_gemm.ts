/**
 * Single- and double-precision matrix products on WebAssembly SIMD: the
 * products of the `wasm` backend, where OpenBLAS is absent. The kernels are
 * written here, instruction by instruction, and assembled at load time
 * (`./wasm_encoder.ts`), so nothing is installed and no binary is shipped.
 *
 * {@linkcode SimdGemm.sgemm} and {@linkcode SimdGemm.dgemm} take the
 * arguments of OpenBLAS's (`SgemmOptions` of `./openblas.ts`, checked the
 * same way by `resolveGemm`): row-major C ← alpha·op(A)·op(B) + beta·C.
 * Each call copies A and B as stored into the module's memory (one block
 * copy each; only a transposed B is rearranged, into panels of 8 (float32)
 * or 4 (float64) columns, and when A has fewer rows the product is run as
 * Cᵀ = B·op(A)ᵀ, packing A instead; with both transposed, as Cᵀ = B·A,
 * packing nothing), and a kernel computes every 4×8 (4×4) tile of
 * the product in eight SIMD registers, one rank-1 update per step of the
 * depth, reading A by rows or, transposed, by columns in place. Tiles past
 * the edges of C read zeros or other entries of the copies and are
 * dropped; the tiles are copied back into C, scaled by alpha, with beta·C
 * added. Copying costs O(mk + kn + mn) against the product's mkn
 * multiply-adds.
 *
 * Each entry of the product is summed over the depth in order, from zero,
 * with separate multiplies and adds (WebAssembly SIMD has no fused
 * multiply-add), so a float64 product with alpha = 1 and beta = 0 equals
 * the plain loop `s = 0; for (p) s += a[i][p]·b[p][j]` bit for bit. A float32 product accumulates in float32, as
 * `sgemm` does; its sums run in another order than OpenBLAS's, so the two
 * agree to rounding only.
 *
 * {@linkcode loadSimdGemm} compiles the module once per process or worker;
 * it returns null when the engine lacks WebAssembly SIMD (then
 * {@linkcode simdGemmLoadError} says so).
 *
 * @example
 * ```ts
 * import { loadSimdGemm } from "./simd_gemm.ts";
 * import assert from "node:assert/strict";
 * const simd = loadSimdGemm();
 * if (simd !== null) {
 *   const c = new Float64Array(4);
 *   simd.dgemm(new Float64Array([1, 2, 3, 4]), new Float64Array([5, 6, 7, 8]), { m: 2, n: 2, k: 2, c });
 *   assert.deepEqual([...c], [19, 22, 43, 50]);
 * }
 * ```
 *
 * @module
 */

import {
  Code,
  encodeModule,
  type FunctionSpec,
  I32,
  V128,
  type ValueType,
} from "./wasm_encoder.ts";
import { errorMessage } from "../base/errors.ts";
import { resolveGemm, type SgemmOptions } from "./openblas.ts";

/** Rows of op(A) per kernel tile. */
const TILE_ROWS = 4;

/**
 * Rows of a tile of the kernels of {@linkcode gemmKernelFunction}: the
 * product's rows are computed in groups of this many.
 */
export const SIMD_TILE_ROWS = TILE_ROWS;
/** Bytes of a SIMD register. */
const VECTOR_BYTES = 16;
/** Bytes of a WebAssembly memory page. */
const PAGE_BYTES = 65536;

/** One precision of the kernels: element size, tile width and SIMD opcodes. */
interface Precision {
  /** `32` or `64`, in the export names. */
  bits: 32 | 64;
  /** Bytes per element. */
  bytes: 4 | 8;
  /** Columns of a tile: two SIMD registers. */
  columns: number;
  /** `v128.load32_splat` or `v128.load64_splat`. */
  splat: number;
  /** `f32x4.add` or `f64x2.add`. */
  add: number;
  /** `f32x4.mul` or `f64x2.mul`. */
  mul: number;
}

/** float32: 4×8 tiles. */
const F32: Precision = {
  bits: 32,
  bytes: 4,
  columns: 8,
  splat: 0x09,
  add: 0xe4,
  mul: 0xe6,
};

/** float64: 4×4 tiles. */
const F64: Precision = {
  bits: 64,
  bytes: 8,
  columns: 4,
  splat: 0x0a,
  add: 0xf0,
  mul: 0xf2,
};

/**
 * How a kernel reads its operands: A as stored row-major (`transA` false:
 * the tile's 4 rows are 4 strided streams) or transposed (the tile's 4
 * values at one depth are adjacent); B as stored row-major (`packedB`
 * false: the tile's columns at one depth are adjacent, rows `ldb` apart)
 * or packed into column panels (`columns` wide, one panel after another).
 */
export interface GemmLayout {
  /** op(A) = Aᵀ: A is read by columns. */
  transA: boolean;
  /** B is packed into column panels. */
  packedB: boolean;
}

/** A layout (local name). */
type Layout = GemmLayout;

/** Every layout, in the order of the kernels' names. */
const LAYOUTS: readonly Layout[] = [
  { transA: false, packedB: false },
  { transA: true, packedB: false },
  { transA: false, packedB: true },
  { transA: true, packedB: true },
];

/**
 * Columns of a tile of the float32 (8) or float64 (4) kernels of
 * {@linkcode gemmKernelFunction}.
 *
 * @example
 * ```ts
 * import { simdTileColumns } from "./simd_gemm.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual([simdTileColumns(32), simdTileColumns(64)], [8, 4]);
 * ```
 */
export function simdTileColumns(bits: 32 | 64): number {
  return (bits === 32 ? F32 : F64).columns;
}

/**
 * The kernel of one precision and layout as a function to put into a
 * module of one's own (`./wasm_encoder.ts`), exported as
 * `gemm32_nr`, `gemm32_tr`, `gemm32_np`, `gemm32_tp` (`gemm64_…`):
 * parameters (i32 byte offsets, byte strides and counts) `a`, `lda`, `b`,
 * `ldb`, `c`, `ldc`, `rowPanels`, `columnPanels`, `depth`. For every tile
 * ({@linkcode SIMD_TILE_ROWS} rows, {@linkcode simdTileColumns} columns)
 * of the rowPanels·4 by columnPanels·columns product it sums `depth`
 * rank-1 updates in order from zero and stores the tile into C (rows `ldc`
 * bytes apart), overwriting it. A and B are read as `layout` says, `lda`
 * and `ldb` bytes between stored rows (`ldb` unused when B is packed);
 * every row and column a tile touches must lie in memory.
 *
 * @example
 * ```ts
 * import { gemmKernelFunction } from "./simd_gemm.ts";
 * import assert from "node:assert/strict";
 * const f = gemmKernelFunction(32, { transA: false, packedB: false });
 * assert.equal(f.name, "gemm32_nr");
 * assert.equal(f.params.length, 9);
 * ```
 */
export function gemmKernelFunction(
  bits: 32 | 64,
  layout: GemmLayout,
): FunctionSpec {
  return kernelFunction(bits === 32 ? F32 : F64, layout);
}

/** Export name of a kernel, e.g. `gemm32_tp` (A transposed, B packed). */
function kernelName(precision: Precision, layout: Layout): string {
  return `gemm${precision.bits}_${layout.transA ? "t" : "n"}${
    layout.packedB ? "p" : "r"
  }`;
}

/** i32 opcodes used by the kernels. */
const I32_EQZ = 0x45, I32_GE_U = 0x4f;
const I32_ADD = 0x6a, I32_SUB = 0x6b, I32_MUL = 0x6c;
/** SIMD opcodes (after the 0xfd prefix) used by the kernels. */
const V128_LOAD = 0x00, V128_STORE = 0x0b, V128_CONST = 0x0c;

/**
 * One kernel: parameters (i32 byte offsets, byte strides and counts) `a`,
 * `lda`, `b`, `ldb`, `c`, `ldc`, `rowPanels`, `columnPanels`, `depth`. For
 * every tile (4 rows, `columns` columns) of the rowPanels·4 by
 * columnPanels·columns product it sums `depth` rank-1 updates in eight
 * SIMD registers and stores the tile into C (row-major, rows `ldc` bytes
 * apart). A and B are read as `layout` says, with `lda`, `ldb` the byte
 * distance between stored rows (`ldb` unused when B is packed).
 */
function kernelFunction(precision: Precision, layout: Layout): FunctionSpec {
  const { bytes, columns, splat, add, mul } = precision;
  const { transA, packedB } = layout;
  const A = 0, LDA = 1, B = 2, LDB = 3, C = 4, LDC = 5;
  const ROW_PANELS = 6, COLUMN_PANELS = 7, DEPTH = 8;
  const ROW = 9, COLUMN = 10, LEFT = 11, A_BASE = 12, PB = 13, PC = 14;
  const PA = 15; // PA … PA + 3: one pointer per row (one in all when transA)
  const ACC = PA + TILE_ROWS; // row r: ACC + 2r, ACC + 2r + 1
  const B0 = ACC + 2 * TILE_ROWS, B1 = B0 + 1, AV = B1 + 1;
  const locals: ValueType[] = [
    ...new Array<ValueType>(ACC - ROW).fill(I32),
    ...new Array<ValueType>(AV - ACC + 1).fill(V128),
  ];
  const tileBytes = columns * bytes;
  const code = new Code();
  const increment = (local: number, by: () => void) => {
    code.localGet(local);
    by();
    code.op(I32_ADD).localSet(local);
  };
  const addConst = (local: number, amount: number) =>
    increment(local, () => code.i32Const(amount));

  code.i32Const(0).localSet(ROW).block().loop();
  code.localGet(ROW).localGet(ROW_PANELS).op(I32_GE_U).brIf(1);
  // A_BASE: the tile's first row (transA: its first column) of A.
  code.localGet(A).localGet(ROW).i32Const(TILE_ROWS).op(I32_MUL);
  if (transA) code.i32Const(bytes);
  else code.localGet(LDA);
  code.op(I32_MUL).op(I32_ADD).localSet(A_BASE);
  code.i32Const(0).localSet(COLUMN).block().loop();
  code.localGet(COLUMN).localGet(COLUMN_PANELS).op(I32_GE_U).brIf(1);
  for (let q = 0; q < 2 * TILE_ROWS; q++) {
    code.simd(V128_CONST).op(...new Array<number>(VECTOR_BYTES).fill(0))
      .localSet(ACC + q);
  }
  code.localGet(A_BASE).localSet(PA);
  if (!transA) {
    for (let r = 1; r < TILE_ROWS; r++) {
      code.localGet(PA + r - 1).localGet(LDA).op(I32_ADD).localSet(PA + r);
    }
  }
  // PB: the tile's first column of B at depth 0.
  code.localGet(B).localGet(COLUMN);
  if (packedB) code.localGet(DEPTH).op(I32_MUL);
  code.i32Const(tileBytes).op(I32_MUL).op(I32_ADD).localSet(PB);
  code.localGet(DEPTH).localSet(LEFT);
  code.block().localGet(LEFT).op(I32_EQZ).brIf(0).loop();
  code.localGet(PB).simd(V128_LOAD, { align: 4, offset: 0 }).localSet(B0);
  code.localGet(PB).simd(V128_LOAD, { align: 4, offset: VECTOR_BYTES })
    .localSet(B1);
  for (let r = 0; r < TILE_ROWS; r++) {
    const memarg = {
      align: bytes === 4 ? 2 : 3,
      offset: transA ? r * bytes : 0,
    };
    code.localGet(transA ? PA : PA + r).simd(splat, memarg).localSet(AV);
    for (const [acc, bv] of [[ACC + 2 * r, B0], [ACC + 2 * r + 1, B1]]) {
      code.localGet(acc).localGet(AV).localGet(bv).simd(mul).simd(add)
        .localSet(acc);
    }
  }
  if (transA) increment(PA, () => code.localGet(LDA));
  else for (let r = 0; r < TILE_ROWS; r++) addConst(PA + r, bytes);
  if (packedB) addConst(PB, tileBytes);
  else increment(PB, () => code.localGet(LDB));
  code.localGet(LEFT).i32Const(1).op(I32_SUB).localSet(LEFT);
  code.localGet(LEFT).brIf(0).end().end();
  // PC = C + ROW·TILE_ROWS·LDC + COLUMN·tileBytes
  code.localGet(C).localGet(ROW).i32Const(TILE_ROWS).op(I32_MUL)
    .localGet(LDC).op(I32_MUL).op(I32_ADD)
    .localGet(COLUMN).i32Const(tileBytes).op(I32_MUL).op(I32_ADD)
    .localSet(PC);
  for (let r = 0; r < TILE_ROWS; r++) {
    code.localGet(PC).localGet(ACC + 2 * r)
      .simd(V128_STORE, { align: 4, offset: 0 });
    code.localGet(PC).localGet(ACC + 2 * r + 1)
      .simd(V128_STORE, { align: 4, offset: VECTOR_BYTES });
    increment(PC, () => code.localGet(LDC));
  }
  addConst(COLUMN, 1);
  code.br(0).end().end();
  addConst(ROW, 1);
  code.br(0).end().end();
  return {
    name: kernelName(precision, layout),
    params: new Array<ValueType>(DEPTH + 1).fill(I32),
    results: [],
    locals,
    body: code,
  };
}

/** Scalar opcodes of the packing functions: bit copies of 4 or 8 bytes. */
const I32_LOAD = 0x28, I64_LOAD = 0x29, I32_STORE = 0x36, I64_STORE = 0x37;
const I32_DIV_U = 0x6e, I32_REM_U = 0x70;

/**
 * The packing function of a precision (`pack32`, `pack64`): parameters
 * (i32) `src`, `ldb` (bytes between stored rows), `dst`, `n`, `depth`.
 * Copies op(B) = Bᵀ, B stored n×depth at `src`, into column panels at
 * `dst`: element (p, j) goes to panel ⌊j/columns⌋ (depth·columns elements
 * each), entry p·columns + j mod columns. Bits are copied as they are.
 */
function packFunction(precision: Precision): FunctionSpec {
  const { bytes, columns } = precision;
  const SRC = 0, LDB = 1, DST = 2, N = 3, DEPTH = 4;
  const J = 5, LEFT = 6, FROM = 7, TO = 8;
  const tileBytes = columns * bytes;
  const [load, store] = bytes === 4
    ? [I32_LOAD, I32_STORE]
    : [I64_LOAD, I64_STORE];
  const align = bytes === 4 ? 2 : 3;
  const code = new Code();
  code.i32Const(0).localSet(J).block().loop();
  code.localGet(J).localGet(N).op(I32_GE_U).brIf(1);
  // FROM = SRC + J·LDB
  code.localGet(SRC).localGet(J).localGet(LDB).op(I32_MUL).op(I32_ADD)
    .localSet(FROM);
  // TO = DST + (J / columns)·DEPTH·tileBytes + (J mod columns)·bytes
  code.localGet(DST)
    .localGet(J).i32Const(columns).op(I32_DIV_U)
    .localGet(DEPTH).op(I32_MUL).i32Const(tileBytes).op(I32_MUL).op(I32_ADD)
    .localGet(J).i32Const(columns).op(I32_REM_U).i32Const(bytes).op(I32_MUL)
    .op(I32_ADD).localSet(TO);
  code.localGet(DEPTH).localSet(LEFT);
  code.block().localGet(LEFT).op(I32_EQZ).brIf(0).loop();
  code.localGet(TO).localGet(FROM).op(load, align, 0).op(store, align, 0);
  code.localGet(FROM).i32Const(bytes).op(I32_ADD).localSet(FROM);
  code.localGet(TO).i32Const(tileBytes).op(I32_ADD).localSet(TO);
  code.localGet(LEFT).i32Const(1).op(I32_SUB).localSet(LEFT);
  code.localGet(LEFT).brIf(0).end().end();
  code.localGet(J).i32Const(1).op(I32_ADD).localSet(J);
  code.br(0).end().end();
  return {
    name: `pack${precision.bits}`,
    params: new Array<ValueType>(DEPTH + 1).fill(I32),
    results: [],
    locals: new Array<ValueType>(TO - J + 1).fill(I32),
    body: code,
  };
}

/**
 * The bytes of the kernel module: a kernel per precision and layout
 * (`gemm32_nr`, `gemm32_tr`, `gemm32_np`, `gemm32_tp` and the same for
 * 64; see {@linkcode kernelFunction}), a packing function per precision
 * (`pack32`, `pack64`, {@linkcode packFunction}) and their memory, exported
 * as `memory`.
 *
 * @example
 * ```ts
 * import { simdGemmModule } from "./simd_gemm.ts";
 * import assert from "node:assert/strict";
 * const bytes = simdGemmModule();
 * assert.deepEqual([...bytes.slice(0, 4)], [0, 0x61, 0x73, 0x6d]); // "\0asm"
 * ```
 */
export function simdGemmModule(): Uint8Array<ArrayBuffer> {
  return encodeModule({
    functions: [F32, F64].flatMap((precision) => [
      ...LAYOUTS.map((layout) => kernelFunction(precision, layout)),
      packFunction(precision),
    ]),
    memoryPages: 16,
  });
}

/** A packing function as exported (see {@linkcode packFunction}). */
type Pack = (
  src: number,
  ldb: number,
  dst: number,
  n: number,
  depth: number,
) => void;

/** A kernel as exported (see {@linkcode kernelFunction}). */
type Kernel = (
  a: number,
  lda: number,
  b: number,
  ldb: number,
  c: number,
  ldc: number,
  rowPanels: number,
  columnPanels: number,
  depth: number,
) => void;

/** Matrix products on WebAssembly SIMD (see the module doc). */
export interface SimdGemm {
  /**
   * Row-major `C ← alpha·op(A)·op(B) + beta·C` in float32, with the
   * options and checks of OpenBLAS's `sgemm` (`SgemmOptions` of
   * `./openblas.ts`).
   */
  sgemm(
    a: Float32Array,
    b: Float32Array,
    options: SgemmOptions<Float32Array>,
  ): void;
  /** The same product in float64. */
  dgemm(
    a: Float64Array,
    b: Float64Array,
    options: SgemmOptions<Float64Array>,
  ): void;
}

/** The module's memory with a typed view of each precision. */
class Workspace {
  readonly #memory: WebAssembly.Memory;
  #f32: Float32Array;
  #f64: Float64Array;

  constructor(memory: WebAssembly.Memory) {
    this.#memory = memory;
    this.#f32 = new Float32Array(memory.buffer);
    this.#f64 = new Float64Array(memory.buffer);
  }

  /** Grow the memory to at least `bytes` (views are renewed). */
  reserve(bytes: number): void {
    const have = this.#memory.buffer.byteLength;
    if (bytes <= have) return;
    this.#memory.grow(Math.ceil((bytes - have) / PAGE_BYTES));
    this.#f32 = new Float32Array(this.#memory.buffer);
    this.#f64 = new Float64Array(this.#memory.buffer);
  }

  /** The float32 view. */
  get f32(): Float32Array {
    return this.#f32;
  }

  /** The float64 view. */
  get f64(): Float64Array {
    return this.#f64;
  }
}

/** Round `x` up to a multiple of `step`. */
function roundUp(x: number, step: number): number {
  return Math.ceil(x / step) * step;
}

/**
 * Elements a stored `rows`×`cols` row-major matrix with row stride `ld`
 * spans (0 when empty).
 */
function extent(rows: number, cols: number, ld: number): number {
  return rows === 0 || cols === 0 ? 0 : (rows - 1) * ld + cols;
}

/**
 * C ← alpha·P + beta·C for the m×n top-left block of the padded product P
 * (row stride `stride`) at element `at` of `w`.
 */
function unpack<T extends Float32Array | Float64Array>(
  w: T,
  at: number,
  out: { c: T; m: number; n: number; ldc: number; stride: number },
  scale: { alpha: number; beta: number },
): void {
  const { c, m, n, ldc, stride } = out;
  const { alpha, beta } = scale;
  for (let i = 0; i < m; i++) {
    const from = at + i * stride, to = i * ldc;
    if (beta === 0 && alpha === 1) {
      c.set(w.subarray(from, from + n), to);
    } else if (beta === 0) {
      for (let j = 0; j < n; j++) c[to + j] = alpha * w[from + j];
    } else {
      for (let j = 0; j < n; j++) {
        c[to + j] = alpha * w[from + j] + beta * c[to + j];
      }
    }
  }
}

/**
 * C ← alpha·Pᵀ + beta·C for the n×m top-left block of the padded product
 * P (row stride `stride`) at element `at` of `w`: C (m×n) from Pᵀ.
 */
function unpackTransposed<T extends Float32Array | Float64Array>(
  w: T,
  at: number,
  out: { c: T; m: number; n: number; ldc: number; stride: number },
  scale: { alpha: number; beta: number },
): void {
  const { c, m, n, ldc, stride } = out;
  const { alpha, beta } = scale;
  for (let i = 0; i < m; i++) {
    const to = i * ldc, from = at + i;
    if (beta === 0 && alpha === 1) {
      for (let j = 0; j < n; j++) c[to + j] = w[from + j * stride];
    } else if (beta === 0) {
      for (let j = 0; j < n; j++) c[to + j] = alpha * w[from + j * stride];
    } else {
      for (let j = 0; j < n; j++) {
        c[to + j] = alpha * w[from + j * stride] + beta * c[to + j];
      }
    }
  }
}

/** The products of one compiled module. */
function simdProducts(instance: WebAssembly.Instance): SimdGemm {
  const exports = instance.exports;
  const workspace = new Workspace(exports.memory as WebAssembly.Memory);
  const kernel = (precision: Precision, layout: Layout) =>
    exports[kernelName(precision, layout)] as Kernel;
  const kernels = new Map(
    [F32, F64].map((precision) => [
      precision,
      LAYOUTS.map((layout) => kernel(precision, layout)),
    ]),
  );
  const packs = new Map(
    [F32, F64].map((precision) => [
      precision,
      exports[`pack${precision.bits}`] as Pack,
    ]),
  );

  /** One checked product in `precision` on the view `view()`. */
  const product = <T extends Float32Array | Float64Array>(
    precision: Precision,
    view: () => T,
    operands: { a: T; b: T; options: SgemmOptions<T> },
  ): void => {
    const { a, b, options } = operands;
    const routine = precision.bits === 32 ? "sgemm" : "dgemm";
    const gemm = resolveGemm(routine, a, b, options);
    if (gemm === null) return;
    const { m, n, k, c, transA, transB, alpha, beta, lda, ldb, ldc } = gemm;
    if (alpha === 0) {
      // No product: C ← beta·C (as BLAS, which never reads A or B then).
      for (let i = 0; i < m; i++) {
        const row = c.subarray(i * ldc, i * ldc + n);
        if (beta === 0) row.fill(0);
        else for (let j = 0; j < n; j++) row[j] *= beta;
      }
      return;
    }
    // With B transposed the product may run as Cᵀ = op(B)ᵀ·op(A)ᵀ: with no
    // rearranging at all when A is transposed too, else packing the
    // smaller operand.
    const swap = transB && (transA || m < n);
    const left = swap
      ? { x: b, ld: ldb, rows: n, trans: false }
      : { x: a, ld: lda, rows: m, trans: transA };
    const right = swap
      ? { x: a, ld: lda, cols: m, packed: !transA }
      : { x: b, ld: ldb, cols: n, packed: transB };
    const { columns, bytes } = precision;
    const rows = roundUp(left.rows, TILE_ROWS);
    const cols = roundUp(right.cols, columns);
    // The left operand as stored, then what the padded tiles read past it
    // (zeroed).
    const lStored = left.trans
      ? extent(k, left.rows, left.ld)
      : extent(left.rows, k, left.ld);
    const lRead = left.trans
      ? extent(k, rows, left.ld)
      : extent(rows, k, left.ld);
    // The right one as stored; packed, it is rearranged into panels at rAt
    // from its copy at pAt (the product overwrites the copy later).
    const rStored = right.packed
      ? extent(right.cols, k, right.ld)
      : extent(k, right.cols, right.ld);
    const rRead = right.packed ? k * cols : extent(k, cols, right.ld);
    const lAt = 0;
    const rAt = roundUp(lAt + Math.max(lStored, lRead), TILE_ROWS);
    const pAt = roundUp(rAt + Math.max(rStored, rRead), TILE_ROWS);
    workspace.reserve((pAt + Math.max(rows * cols, rStored)) * bytes);
    const w = view();
    w.set(left.x.subarray(0, lStored), lAt);
    w.fill(0, lAt + lStored, rAt);
    if (right.packed) {
      w.set(right.x.subarray(0, rStored), pAt);
      w.fill(0, rAt + (cols - columns) * k, rAt + cols * k); // last panel
      packs.get(precision)!(
        pAt * bytes,
        right.ld * bytes,
        rAt * bytes,
        right.cols,
        k,
      );
    } else {
      w.set(right.x.subarray(0, rStored), rAt);
      w.fill(0, rAt + rStored, pAt);
    }
    const kernel = (left.trans ? 1 : 0) + (right.packed ? 2 : 0);
    kernels.get(precision)![kernel](
      lAt * bytes,
      left.ld * bytes,
      rAt * bytes,
      right.ld * bytes,
      pAt * bytes,
      cols * bytes,
      rows / TILE_ROWS,
      cols / columns,
      k,
    );
    const out = { c, m, n, ldc, stride: cols };
    if (swap) unpackTransposed(w, pAt, out, { alpha, beta });
    else unpack(w, pAt, out, { alpha, beta });
  };

  return {
    sgemm(a, b, options) {
      product(F32, () => workspace.f32, { a, b, options });
    },
    dgemm(a, b, options) {
      product(F64, () => workspace.f64, { a, b, options });
    },
  };
}

let cached: SimdGemm | null = null;
let lastError: string | null = null;

/**
 * The SIMD matrix products, compiled on the first call and cached; null
 * when this WebAssembly engine cannot compile them (no SIMD).
 *
 * @example
 * ```ts
 * import { loadSimdGemm, simdGemmLoadError } from "./simd_gemm.ts";
 * import assert from "node:assert/strict";
 * const simd = loadSimdGemm();
 * assert.equal(loadSimdGemm(), simd); // cached
 * if (simd === null) console.log(simdGemmLoadError());
 * ```
 */
export function loadSimdGemm(): SimdGemm | null {
  if (cached !== null) return cached;
  try {
    const bytes = simdGemmModule();
    if (!WebAssembly.validate(bytes)) {
      lastError = "this WebAssembly engine does not support SIMD";
      return null;
    }
    cached = simdProducts(
      new WebAssembly.Instance(new WebAssembly.Module(bytes)),
    );
    lastError = null;
    return cached;
  } catch (e) {
    lastError = `the SIMD kernels failed to compile: ${errorMessage(e)}`;
    return null;
  }
}

/**
 * Why the last {@linkcode loadSimdGemm} returned null, or null when it
 * succeeded (or was never called).
 *
 * @example
 * ```ts
 * import { loadSimdGemm, simdGemmLoadError } from "./simd_gemm.ts";
 * import assert from "node:assert/strict";
 * if (loadSimdGemm() !== null) assert.equal(simdGemmLoadError(), null);
 * ```
 */
export function simdGemmLoadError(): string | null {
  return lastError;
}
