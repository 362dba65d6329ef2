/**
 * The `simd` engine of the gradient flow (see `./engine.ts`): the fused
 * Euler step of the native engine (`./native_engine.ts`) with every array
 * in the memory of a WebAssembly instance of its own, the matrix products
 * run in place by the SIMD kernels of `../backend/simd_gemm.ts` and the
 * elementwise work by the SIMD functions written below. It is what the
 * `wasm` backend runs, where OpenBLAS is absent: no tensor, no copy per
 * step except the n loss weights in and the n outputs out.
 *
 * Layout: the n×m arrays (pre-activations, relu(Z), G, K G, and Aᵀ, P0, P
 * of the span form) are stored with n rounded up to a multiple of 4 rows
 * and m up to a multiple of 8 columns, the padding kept at zero, so that
 * the kernels' 4×8 tiles and the 4-lane elementwise functions need no edge
 * cases (b and v are zero there, so padded neurons stay zero). The product
 * kernels read X, Wᵀ, K = X Xᵀ and G where they lie.
 *
 * Arithmetic, against the native engine: the products accumulate in
 * float32 in index order; relu(Z) and G are formed as there (float32
 * rounding of z = p + b and of c_i·v_r); the outputs N(x_i), the column
 * sums Δb = 1ᵀ G and Δv = cᵀ relu(Z) and the squared norms are summed in
 * double from exact products (in another order than the native loops, and
 * than OpenBLAS's float32 column sums); θ ← θ + h·D is computed in double
 * and rounded once, as there. So the two engines agree to float32 rounding.
 *
 * @example Twenty steps of the flow on a tiny problem
 * ```ts
 * import { createSimdEngine } from "./simd_engine.ts";
 * import { lossWeights } from "./engine.ts";
 * import { loadSimdGemm } from "../backend/simd_gemm.ts";
 * import assert from "node:assert/strict";
 * if (loadSimdGemm() !== null) {
 *   const data = { n: 2, d: 2, x: new Float32Array([1, 0, 0, 1]), y: new Float32Array([1, -1]) };
 *   const init = {
 *     d: 2, m: 2,
 *     w: new Float32Array([0.1, 0.2, 0.2, 0.1]),
 *     b: new Float32Array([0.1, 0.1]),
 *     v: new Float32Array([0.1, -0.1]),
 *   };
 *   const engine = createSimdEngine(data, init, { form: "span" });
 *   assert.equal(engine.kind, "simd");
 *   const before = lossWeights(engine.forward(), data.y).logLoss;
 *   for (let s = 0; s < 20; s++) {
 *     const { coefficients } = lossWeights(engine.forward(), data.y);
 *     engine.advance(0.05 / Math.sqrt(engine.direction(coefficients)));
 *   }
 *   assert.ok(lossWeights(engine.forward(), data.y).logLoss < before);
 * }
 * ```
 *
 * @module
 */

import {
  Code,
  encodeModule,
  F64,
  type FunctionSpec,
  I32,
  V128,
  type ValueType,
} from "../backend/wasm_encoder.ts";
import {
  gemmKernelFunction,
  loadSimdGemm,
  SIMD_TILE_ROWS,
  type SimdGemm,
  simdGemmLoadError,
  simdTileColumns,
} from "../backend/simd_gemm.ts";
import {
  type EngineOptions,
  firstLayerSquaredNorms,
  type FlowData,
  type FlowEngine,
  type NeuronNorms,
  pairedDot,
  resolveForm,
  rowSquaredNorms,
  SPAN_REFRESH_EVERY,
} from "./engine.ts";
import { transposeRows } from "../model/network.ts";
import { type NetworkWeights } from "../model/weights.ts";

/** Opcodes used below (SIMD ones after the 0xfd prefix). */
const OP = {
  i32Eqz: 0x45,
  i32Add: 0x6a,
  i32Sub: 0x6b,
  i32ShrU: 0x76,
  f64Add: 0xa0,
  f64Mul: 0xa2,
  f32Load: 0x2a,
  f64Store: 0x39,
  f64PromoteF32: 0xbb,
  v128Load: 0x00,
  v128Load32Splat: 0x09,
  v128Store: 0x0b,
  v128Const: 0x0c,
  shuffle: 0x0d,
  f64x2Splat: 0x14,
  f64x2ExtractLane: 0x21,
  f32x4Gt: 0x44,
  v128And: 0x4e,
  f32x4DemoteZero: 0x5e,
  f64x2PromoteLow: 0x5f,
  f32x4Abs: 0xe0,
  f32x4Add: 0xe4,
  f32x4Mul: 0xe6,
  f64x2Add: 0xf0,
  f64x2Mul: 0xf2,
} as const;

/** Natural alignments (log2 bytes) of the memory accesses. */
const ALIGN_F32 = 2, ALIGN_F64 = 3, ALIGN_V128 = 4;

/** The 16 bytes of a v128 constant with four float32 lanes `x`. */
function f32x4Bytes(x: number): number[] {
  return [...new Uint8Array(new Float32Array([x, x, x, x]).buffer)];
}

/** Lanes 2, 3 of the first operand moved to lanes 0, 1 (shuffle immediate). */
const HIGH_HALF = [8, 9, 10, 11, 12, 13, 14, 15, 8, 9, 10, 11, 12, 13, 14, 15];
/** Lanes 0, 1 of each operand: (a0, a1, b0, b1) (shuffle immediate). */
const LOW_HALVES = [0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23];

/** Instruction helpers over a {@linkcode Code}. */
class Emitter {
  readonly code = new Code();

  /** `local += bytes` (i32). */
  bump(local: number, bytes: number): this {
    this.code.localGet(local).i32Const(bytes).op(OP.i32Add).localSet(local);
    return this;
  }

  /** v128 load at `local + offset`. */
  load(local: number, offset = 0): this {
    this.code.localGet(local).simd(OP.v128Load, {
      align: ALIGN_V128,
      offset,
    });
    return this;
  }

  /** Store the v128 computed by `value` at `local + offset`. */
  store(local: number, value: () => void, offset = 0): this {
    this.code.localGet(local);
    value();
    this.code.simd(OP.v128Store, { align: ALIGN_V128, offset });
    return this;
  }

  /** Push the f64x2 of lanes 0, 1 of the f32x4 in `local`. */
  low(local: number): this {
    this.code.localGet(local).simd(OP.f64x2PromoteLow);
    return this;
  }

  /** Push the f64x2 of lanes 2, 3 of the f32x4 in `local`. */
  high(local: number): this {
    this.code.localGet(local).localGet(local).simd(OP.shuffle)
      .op(...HIGH_HALF).simd(OP.f64x2PromoteLow);
    return this;
  }

  /** Push a zero v128. */
  zero(): this {
    this.code.simd(OP.v128Const).op(...new Array<number>(16).fill(0));
    return this;
  }

  /** `i32 local ← from >> shift`. */
  shifted(local: number, from: number, shift: number): this {
    this.code.localGet(from).i32Const(shift).op(OP.i32ShrU).localSet(local);
    return this;
  }

  /**
   * `body` repeated `count` times (the local counts down to 0; nothing runs
   * when it starts at 0).
   */
  repeat(count: number, body: () => void): this {
    const c = this.code;
    c.block().localGet(count).op(OP.i32Eqz).brIf(0).loop();
    body();
    c.localGet(count).i32Const(1).op(OP.i32Sub).localSet(count);
    c.localGet(count).brIf(0).end().end();
    return this;
  }
}

/** `f64.const x`. */
function f64Const(x: number): number[] {
  return [0x44, ...new Uint8Array(new Float64Array([x]).buffer)];
}

/**
 * `activate(pre, b, v64, h, out, rows, width)`: for each of `rows` rows of
 * `width` float32 columns (a multiple of 4), z = pre + b (float32),
 * h = relu(z) = (z + |z|)/2, and out[i] = Σ_r v_r·relu(z_ir) in double
 * (`v64`: v in float64, `out`: float64).
 */
function activateFunction(): FunctionSpec {
  const PRE = 0, B = 1, V64 = 2, H = 3, OUT = 4, ROWS = 5, WIDTH = 6;
  const ROW_LEFT = 7, LEFT = 8, PB = 9, PV = 10;
  const T = 11, S0 = 12, S1 = 13;
  const e = new Emitter(), c = e.code;
  c.localGet(ROWS).localSet(ROW_LEFT);
  e.repeat(ROW_LEFT, () => {
    e.zero();
    c.localSet(S0);
    e.zero();
    c.localSet(S1);
    c.localGet(B).localSet(PB).localGet(V64).localSet(PV);
    e.shifted(LEFT, WIDTH, 2);
    e.repeat(LEFT, () => {
      // t = z + |z| with z = pre + b: twice relu(z), exactly.
      e.load(PRE).load(PB);
      c.simd(OP.f32x4Add).localSet(T);
      c.localGet(T).localGet(T).simd(OP.f32x4Abs).simd(OP.f32x4Add)
        .localSet(T);
      e.store(H, () => {
        c.localGet(T).simd(OP.v128Const).op(...f32x4Bytes(0.5))
          .simd(OP.f32x4Mul);
      });
      c.localGet(S0);
      e.low(T).load(PV);
      c.simd(OP.f64x2Mul).simd(OP.f64x2Add).localSet(S0);
      c.localGet(S1);
      e.high(T).load(PV, 16);
      c.simd(OP.f64x2Mul).simd(OP.f64x2Add).localSet(S1);
      e.bump(PRE, 16).bump(H, 16).bump(PB, 16).bump(PV, 32);
    });
    // out[i] = ½·Σ v·t
    c.localGet(OUT);
    c.localGet(S0).localGet(S1).simd(OP.f64x2Add).localSet(S0);
    c.localGet(S0).simd(OP.f64x2ExtractLane).op(0);
    c.localGet(S0).simd(OP.f64x2ExtractLane).op(1).op(OP.f64Add);
    c.op(...f64Const(0.5)).op(OP.f64Mul).op(OP.f64Store, ALIGN_F64, 0);
    e.bump(OUT, 8);
  });
  return {
    name: "activate",
    params: new Array<ValueType>(WIDTH + 1).fill(I32),
    results: [],
    locals: [I32, I32, I32, I32, V128, V128, V128],
    body: c,
  };
}

/**
 * `direction(h, c, v, g, db, dv, rows, width)`: G = (c vᵀ) ⊙ 1[h > 0]
 * (float32 products, as `Math.fround(c_i·v_r)`), and the column sums
 * db = 1ᵀ G, dv = cᵀ h in double (`db`, `dv`: `width` float64, zeroed
 * first).
 */
function directionFunction(): FunctionSpec {
  const H = 0, C = 1, V = 2, G = 3, DB = 4, DV = 5, ROWS = 6, WIDTH = 7;
  const ROW_LEFT = 8, LEFT = 9, PV = 10, PDB = 11, PDV = 12;
  const CS = 13, C64 = 14, HV = 15, GV = 16;
  const e = new Emitter(), c = e.code;
  // Zero db and dv: width/2 pairs each.
  c.localGet(DB).localSet(PDB).localGet(DV).localSet(PDV);
  e.shifted(LEFT, WIDTH, 1);
  e.repeat(LEFT, () => {
    e.store(PDB, () => e.zero()).store(PDV, () => e.zero());
    e.bump(PDB, 16).bump(PDV, 16);
  });
  c.localGet(ROWS).localSet(ROW_LEFT);
  e.repeat(ROW_LEFT, () => {
    c.localGet(C).simd(OP.v128Load32Splat, { align: ALIGN_F32, offset: 0 })
      .localSet(CS);
    e.low(CS);
    c.localSet(C64);
    c.localGet(V).localSet(PV).localGet(DB).localSet(PDB)
      .localGet(DV).localSet(PDV);
    e.shifted(LEFT, WIDTH, 2);
    e.repeat(LEFT, () => {
      e.load(H);
      c.localSet(HV);
      // g = (c_i·v) where h > 0, else +0
      c.localGet(CS);
      e.load(PV);
      c.simd(OP.f32x4Mul).localGet(HV);
      e.zero();
      c.simd(OP.f32x4Gt).simd(OP.v128And).localSet(GV);
      e.store(G, () => c.localGet(GV));
      for (const [offset, half] of [[0, "low"], [16, "high"]] as const) {
        e.store(PDB, () => {
          e.load(PDB, offset)[half](GV);
          c.simd(OP.f64x2Add);
        }, offset);
        e.store(PDV, () => {
          e.load(PDV, offset);
          c.localGet(C64);
          e[half](HV);
          c.simd(OP.f64x2Mul).simd(OP.f64x2Add);
        }, offset);
      }
      e.bump(H, 16).bump(G, 16).bump(PV, 16).bump(PDB, 32).bump(PDV, 32);
    });
    e.bump(C, 4);
  });
  return {
    name: "direction",
    params: new Array<ValueType>(WIDTH + 1).fill(I32),
    results: [],
    locals: [I32, I32, I32, I32, I32, V128, V128, V128, V128],
    body: c,
  };
}

/**
 * `axpy(y, x, h, count)`: y ← y + h·x over `count` float32 (a multiple of
 * 4), computed in double and rounded once (as `y[i] += h * x[i]` on a
 * Float32Array).
 */
function axpyFunction(): FunctionSpec {
  const Y = 0, X = 1, STEP = 2, COUNT = 3;
  const LEFT = 4, HV = 5, YV = 6, XV = 7, LO = 8;
  const e = new Emitter(), c = e.code;
  c.localGet(STEP).simd(OP.f64x2Splat).localSet(HV);
  e.shifted(LEFT, COUNT, 2);
  e.repeat(LEFT, () => {
    e.load(Y);
    c.localSet(YV);
    e.load(X);
    c.localSet(XV);
    // Lanes 0, 1 then 2, 3: promote(y) + h·promote(x), rounded to float32.
    e.low(YV);
    c.localGet(HV);
    e.low(XV);
    c.simd(OP.f64x2Mul).simd(OP.f64x2Add).simd(OP.f32x4DemoteZero)
      .localSet(LO);
    e.store(Y, () => {
      c.localGet(LO);
      e.high(YV);
      c.localGet(HV);
      e.high(XV);
      c.simd(OP.f64x2Mul).simd(OP.f64x2Add).simd(OP.f32x4DemoteZero);
      c.simd(OP.shuffle).op(...LOW_HALVES);
    });
    e.bump(Y, 16).bump(X, 16);
  });
  return {
    name: "axpy",
    params: [I32, I32, F64, I32],
    results: [],
    locals: [I32, V128, V128, V128, V128],
    body: c,
  };
}

/**
 * `dot(x, y, count)`: Σ x_i·y_i over `count` float32 (a multiple of 4), in
 * double from exact products.
 */
function dotFunction(): FunctionSpec {
  const X = 0, Y = 1, COUNT = 2;
  const LEFT = 3, S0 = 4, S1 = 5, XV = 6, YV = 7;
  const e = new Emitter(), c = e.code;
  e.zero();
  c.localSet(S0);
  e.zero();
  c.localSet(S1);
  e.shifted(LEFT, COUNT, 2);
  e.repeat(LEFT, () => {
    e.load(X);
    c.localSet(XV);
    e.load(Y);
    c.localSet(YV);
    c.localGet(S0);
    e.low(XV).low(YV);
    c.simd(OP.f64x2Mul).simd(OP.f64x2Add).localSet(S0);
    c.localGet(S1);
    e.high(XV).high(YV);
    c.simd(OP.f64x2Mul).simd(OP.f64x2Add).localSet(S1);
    e.bump(X, 16).bump(Y, 16);
  });
  c.localGet(S0).localGet(S1).simd(OP.f64x2Add).localSet(S0);
  c.localGet(S0).simd(OP.f64x2ExtractLane).op(0);
  c.localGet(S0).simd(OP.f64x2ExtractLane).op(1).op(OP.f64Add);
  return {
    name: "dot",
    params: [I32, I32, I32],
    results: [F64],
    locals: [I32, V128, V128, V128, V128],
    body: c,
  };
}

/** The exports of one engine instance. */
interface EngineExports {
  memory: WebAssembly.Memory;
  gemm32_nr: (...args: number[]) => void;
  gemm32_tr: (...args: number[]) => void;
  activate: (...args: number[]) => void;
  direction: (...args: number[]) => void;
  axpy: (y: number, x: number, h: number, count: number) => void;
  dot: (x: number, y: number, count: number) => number;
}

/** The compiled module of the engine (compiled once), or null without SIMD. */
let compiled: WebAssembly.Module | null | undefined;

/** The engine's module: the two float32 kernels it uses and the functions above. */
function engineModule(): WebAssembly.Module | null {
  if (compiled !== undefined) return compiled;
  const bytes = encodeModule({
    functions: [
      gemmKernelFunction(32, { transA: false, packedB: false }),
      gemmKernelFunction(32, { transA: true, packedB: false }),
      activateFunction(),
      directionFunction(),
      axpyFunction(),
      dotFunction(),
    ],
    memoryPages: 1,
  });
  compiled = WebAssembly.validate(bytes) ? new WebAssembly.Module(bytes) : null;
  return compiled;
}

/** Round `x` up to a multiple of `step`. */
function roundUp(x: number, step: number): number {
  return Math.ceil(x / step) * step;
}

/**
 * Byte offsets of arrays in an instance's memory, handed out in order,
 * each 16-byte aligned and followed by 64 bytes of slack (the kernels'
 * edge tiles may read a few elements past a matrix).
 */
class Arena {
  /** Bytes handed out so far. */
  size = 0;

  /** Reserve `count` elements of `bytes` bytes; returns the byte offset. */
  take(count: number, bytes: 4 | 8): number {
    const at = this.size;
    this.size = roundUp(at + count * bytes + 64, 16);
    return at;
  }
}

/**
 * A `rows`×`cols` row-major matrix copied into `view` at element `at`,
 * with row stride `stride` (the padding is left as it is: zero).
 */
function placeRows(
  view: Float32Array,
  at: number,
  matrix: { values: ArrayLike<number>; rows: number; cols: number },
  stride: number,
): void {
  const { values, rows, cols } = matrix;
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      view[at + i * stride + j] = values[i * cols + j];
    }
  }
}

/**
 * The top-left `rows`×`cols` block of a matrix stored at element `at` of
 * `view` with row stride `stride`, as a tight row-major array.
 */
function takeRows(
  view: Float32Array,
  at: number,
  block: { rows: number; cols: number },
  stride: number,
): Float32Array {
  const { rows, cols } = block;
  const out = new Float32Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    out.set(view.subarray(at + i * stride, at + i * stride + cols), i * cols);
  }
  return out;
}

/** The SIMD products, or an Error naming what is missing. */
function requireSimd(): SimdGemm {
  const simd = loadSimdGemm();
  if (simd === null) {
    throw new Error(
      `engine "simd" needs WebAssembly SIMD: ${simdGemmLoadError()}`,
    );
  }
  return simd;
}

/**
 * Build the `simd` engine for `data` from `init` (see the module doc and
 * {@linkcode FlowEngine} for the protocol); `options.form` defaults to
 * `auto`. Throws an `Error` when WebAssembly SIMD is missing. The engine
 * keeps its state in a WebAssembly memory of its own (freed with the
 * engine once unreferenced).
 */
export function createSimdEngine(
  data: FlowData,
  init: NetworkWeights<Float32Array>,
  options: EngineOptions = {},
): FlowEngine {
  const form = resolveForm(data, init, options);
  const simd = requireSimd();
  const module = engineModule();
  if (module === null) {
    throw new Error(`engine "simd": its WebAssembly module does not compile`);
  }
  const { n, d } = data;
  const m = init.m;
  const span = form === "span";
  const gram = span || d > n;
  const rows = roundUp(n, SIMD_TILE_ROWS);
  const width = roundUp(m, simdTileColumns(32));
  const dRows = roundUp(d, SIMD_TILE_ROWS);
  const nm = rows * width;

  // Memory layout (byte offsets).
  const arena = new Arena();
  const at = {
    b: arena.take(width, 4),
    v: arena.take(width, 4),
    v64: arena.take(width, 8),
    db: arena.take(width, 8),
    dv: arena.take(width, 8),
    c: arena.take(rows, 4),
    out: arena.take(rows, 8),
    h: arena.take(nm, 4),
    g: arena.take(nm, 4),
    k: gram ? arena.take(rows * rows, 4) : -1,
    kg: gram ? arena.take(nm, 4) : -1,
    // span form: Aᵀ, P0, P, K Aᵀ
    a: span ? arena.take(nm, 4) : -1,
    p0: span ? arena.take(nm, 4) : -1,
    p: span ? arena.take(nm, 4) : -1,
    ka: span ? arena.take(nm, 4) : -1,
    // plain form: X, Wᵀ, X Wᵀ, Xᵀ G
    x: span ? -1 : arena.take(rows * d, 4),
    wt: span ? -1 : arena.take(d * width, 4),
    xw: span ? -1 : arena.take(nm, 4),
    dw: span ? -1 : arena.take(dRows * width, 4),
  };
  const instance = new WebAssembly.Instance(module);
  const ex = instance.exports as unknown as EngineExports;
  const have = ex.memory.buffer.byteLength;
  if (arena.size > have) {
    ex.memory.grow(Math.ceil((arena.size - have) / 65536));
  }
  // The memory never grows again, so these views stay valid.
  const f32 = new Float32Array(ex.memory.buffer);
  const f64 = new Float64Array(ex.memory.buffer);
  const view32 = (byte: number, count: number) =>
    f32.subarray(byte / 4, byte / 4 + count);
  const view64 = (byte: number, count: number) =>
    f64.subarray(byte / 8, byte / 8 + count);
  const b = view32(at.b, m), v = view32(at.v, m);
  const v64 = view64(at.v64, m);
  const db64 = view64(at.db, m), dv64 = view64(at.dv, m);
  const coefficientsIn = view32(at.c, n);
  const outputs = view64(at.out, n);
  b.set(init.b);
  v.set(init.v);
  const db = new Float32Array(m), dv = new Float32Array(m);

  /** C ← A·B with the kernel of `transA`, every matrix at a byte offset. */
  const product = (
    a: number,
    lda: number,
    bb: number,
    c: number,
    shape: { rowPanels: number; depth: number; transA?: boolean },
  ) => {
    const kernel = shape.transA ? ex.gemm32_tr : ex.gemm32_nr;
    kernel(
      a,
      lda * 4,
      bb,
      width * 4,
      c,
      width * 4,
      shape.rowPanels,
      width / simdTileColumns(32),
      shape.depth,
    );
  };
  const rowPanels = rows / SIMD_TILE_ROWS;

  if (gram) {
    const kk = new Float32Array(n * n);
    simd.sgemm(data.x, data.x, { m: n, n, k: d, c: kk, transB: true });
    placeRows(f32, at.k / 4, { values: kk, rows: n, cols: n }, rows);
  }
  const w0Squared = new Float64Array(width);
  if (span) {
    w0Squared.set(rowSquaredNorms(init));
    const p0 = new Float32Array(n * m);
    simd.sgemm(data.x, init.w, { m: n, n: m, k: d, c: p0, transB: true });
    placeRows(f32, at.p0 / 4, { values: p0, rows: n, cols: m }, width);
    placeRows(f32, at.p / 4, { values: p0, rows: n, cols: m }, width);
  } else {
    f32.set(data.x, at.x / 4);
    const wt = transposeRows(init.w, m);
    placeRows(f32, at.wt / 4, { values: wt, rows: d, cols: m }, width);
  }
  let steps = 0;
  let haveForward = false;
  let haveDirection = false;

  return {
    kind: "simd",
    form,
    forward() {
      let pre = at.p;
      if (!span) {
        product(at.x, d, at.wt, at.xw, { rowPanels, depth: d });
        pre = at.xw;
      }
      v64.set(v);
      ex.activate(pre, at.b, at.v64, at.h, at.out, n, width);
      haveForward = true;
      haveDirection = false;
      return outputs;
    },
    direction(coefficients) {
      if (!haveForward) throw new Error("direction() needs a forward() first");
      coefficientsIn.set(coefficients);
      ex.direction(at.h, at.c, at.v, at.g, at.db, at.dv, n, width);
      db.set(db64);
      dv.set(dv64);
      let normSquared = pairedDot(db, db) + pairedDot(dv, dv);
      if (gram) {
        product(at.k, rows, at.g, at.kg, { rowPanels, depth: n });
        normSquared += ex.dot(at.g, at.kg, nm);
      } else {
        product(at.x, d, at.g, at.dw, {
          rowPanels: dRows / SIMD_TILE_ROWS,
          depth: n,
          transA: true,
        });
        normSquared += ex.dot(at.dw, at.dw, d * width);
      }
      haveForward = false;
      haveDirection = true;
      return normSquared;
    },
    advance(h) {
      if (!haveDirection) throw new Error("advance() needs a direction()");
      if (span) {
        ex.axpy(at.a, at.g, h, nm);
        if ((steps + 1) % SPAN_REFRESH_EVERY === 0) {
          // P = P0 + K Aᵀ
          product(at.k, rows, at.a, at.p, { rowPanels, depth: n });
          ex.axpy(at.p, at.p0, 1, nm);
        } else {
          ex.axpy(at.p, at.kg, h, nm);
        }
      } else {
        if (gram) {
          product(at.x, d, at.g, at.dw, {
            rowPanels: dRows / SIMD_TILE_ROWS,
            depth: n,
            transA: true,
          });
        }
        ex.axpy(at.wt, at.dw, h, d * width);
      }
      for (let r = 0; r < m; r++) {
        b[r] += h * db[r];
        v[r] += h * dv[r];
      }
      haveDirection = false;
      steps++;
    },
    neuronNorms(): NeuronNorms {
      let wSquared: Float64Array;
      if (span) {
        product(at.k, rows, at.a, at.ka, { rowPanels, depth: n });
        wSquared = firstLayerSquaredNorms({
          form: "span",
          w0Squared,
          at: view32(at.a, nm),
          p0: view32(at.p0, nm),
          ka: view32(at.ka, nm),
        }, width);
      } else {
        wSquared = firstLayerSquaredNorms({
          form: "plain",
          wt: view32(at.wt, d * width),
        }, width);
      }
      return { wSquared: wSquared.slice(0, m), b: b.slice(), v: v.slice() };
    },
    weights(): NetworkWeights<Float32Array> {
      let w: Float32Array;
      if (span) {
        // W = W0 + A X
        w = init.w.slice();
        const a = takeRows(f32, at.a / 4, { rows: n, cols: m }, width);
        simd.sgemm(a, data.x, { m, n: d, k: n, c: w, transA: true, beta: 1 });
      } else {
        w = transposeRows(
          takeRows(f32, at.wt / 4, { rows: d, cols: m }, width),
          d,
        );
      }
      return { d, m, w, b: b.slice(), v: v.slice() };
    },
    dispose() {
      haveForward = haveDirection = false;
    },
  };
}
