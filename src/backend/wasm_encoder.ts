/**
 * A minimal WebAssembly binary encoder: just enough of the format (one
 * memory, function types, functions with locals, exports, and the scalar,
 * control and SIMD instructions the kernels of `./simd_gemm.ts` use) to
 * build a module in TypeScript, with no tool chain and no binary file in
 * the repository. A body is written as a list of instructions with
 * {@linkcode Code}; {@linkcode encodeModule} lays out the sections.
 *
 * @example A function that adds two i32
 * ```ts
 * import { Code, encodeModule, I32 } from "./wasm_encoder.ts";
 * import assert from "node:assert/strict";
 * const body = new Code().localGet(0).localGet(1).op(0x6a); // i32.add
 * const bytes = encodeModule({
 *   functions: [{ name: "add", params: [I32, I32], results: [I32], locals: [], body }],
 * });
 * const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes));
 * const add = instance.exports.add as (a: number, b: number) => number;
 * assert.equal(add(2, 3), 5);
 * ```
 *
 * @module
 */

/** Value type `i32`. */
export const I32 = 0x7f;
/** Value type `f32`. */
export const F32 = 0x7d;
/** Value type `f64`. */
export const F64 = 0x7c;
/** Value type `v128` (SIMD). */
export const V128 = 0x7b;

/** A value type byte: {@linkcode I32}, {@linkcode F32}, {@linkcode F64} or {@linkcode V128}. */
export type ValueType = typeof I32 | typeof F32 | typeof F64 | typeof V128;

/**
 * Unsigned LEB128 encoding of a non-negative integer below 2³².
 *
 * @example
 * ```ts
 * import { unsignedLeb } from "./wasm_encoder.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(unsignedLeb(624485), [0xe5, 0x8e, 0x26]);
 * ```
 */
export function unsignedLeb(value: number): number[] {
  if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) {
    throw new RangeError(`unsignedLeb: ${value} is not a u32`);
  }
  const out: number[] = [];
  let rest = value;
  do {
    const byte = rest % 128;
    rest = Math.floor(rest / 128);
    out.push(rest === 0 ? byte : byte | 0x80);
  } while (rest !== 0);
  return out;
}

/**
 * Signed LEB128 encoding of an integer in the i32 range.
 *
 * @example
 * ```ts
 * import { signedLeb } from "./wasm_encoder.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(signedLeb(-123456), [0xc0, 0xbb, 0x78]);
 * assert.deepEqual(signedLeb(64), [0xc0, 0x00]);
 * ```
 */
export function signedLeb(value: number): number[] {
  if (!Number.isInteger(value) || value < -0x80000000 || value > 0x7fffffff) {
    throw new RangeError(`signedLeb: ${value} is not an i32`);
  }
  const out: number[] = [];
  let rest = value;
  for (;;) {
    const byte = rest & 0x7f;
    rest >>= 7;
    const done = (rest === 0 && (byte & 0x40) === 0) ||
      (rest === -1 && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return out;
  }
}

/** UTF-8 bytes of a name, prefixed by their length. */
function encodeName(name: string): number[] {
  const bytes = [...new TextEncoder().encode(name)];
  return [...unsignedLeb(bytes.length), ...bytes];
}

/** A vector: its length, then its encoded items. */
function encodeVector(items: number[][]): number[] {
  return [...unsignedLeb(items.length), ...items.flat()];
}

/** The SIMD instruction prefix byte. */
const SIMD_PREFIX = 0xfd;

/**
 * An instruction sequence under construction (a function body without its
 * locals and final `end`). Methods append and return `this`.
 */
export class Code {
  /** The encoded instructions so far. */
  readonly bytes: number[] = [];

  /** Append raw bytes (an opcode without immediates, e.g. `0x6a` i32.add). */
  op(...bytes: number[]): this {
    this.bytes.push(...bytes);
    return this;
  }

  /** `local.get index`. */
  localGet(index: number): this {
    return this.op(0x20, ...unsignedLeb(index));
  }

  /** `local.set index`. */
  localSet(index: number): this {
    return this.op(0x21, ...unsignedLeb(index));
  }

  /** `i32.const value`. */
  i32Const(value: number): this {
    return this.op(0x41, ...signedLeb(value));
  }

  /** `block` with no result. */
  block(): this {
    return this.op(0x02, 0x40);
  }

  /** `loop` with no result. */
  loop(): this {
    return this.op(0x03, 0x40);
  }

  /** `end` of a block or loop. */
  end(): this {
    return this.op(0x0b);
  }

  /** `br depth`. */
  br(depth: number): this {
    return this.op(0x0c, ...unsignedLeb(depth));
  }

  /** `br_if depth`. */
  brIf(depth: number): this {
    return this.op(0x0d, ...unsignedLeb(depth));
  }

  /**
   * A SIMD instruction `0xfd opcode`, with a memory argument (alignment as
   * a power of two, byte offset) for loads and stores.
   */
  simd(opcode: number, memarg?: { align: number; offset: number }): this {
    this.op(SIMD_PREFIX, ...unsignedLeb(opcode));
    if (memarg !== undefined) {
      this.op(...unsignedLeb(memarg.align), ...unsignedLeb(memarg.offset));
    }
    return this;
  }

  /** Append another sequence. */
  append(other: Code): this {
    return this.op(...other.bytes);
  }
}

/** One exported function of a module. */
export interface FunctionSpec {
  /** Export name. */
  name: string;
  /** Parameter types (locals 0 … params.length − 1). */
  params: ValueType[];
  /** Result types. */
  results: ValueType[];
  /** Types of the further locals, numbered after the parameters. */
  locals: ValueType[];
  /** The body, without the final `end`. */
  body: Code;
}

/** What {@linkcode encodeModule} builds. */
export interface ModuleSpec {
  /** The functions, all exported under their names. */
  functions: FunctionSpec[];
  /**
   * A memory of this many 64 KiB pages, exported as `memory` (none when
   * absent).
   */
  memoryPages?: number;
}

/** Local declarations: runs of equal types as (count, type) pairs. */
function encodeLocals(locals: ValueType[]): number[] {
  const runs: number[][] = [];
  for (let i = 0; i < locals.length;) {
    let j = i;
    while (j < locals.length && locals[j] === locals[i]) j++;
    runs.push([...unsignedLeb(j - i), locals[i]]);
    i = j;
  }
  return encodeVector(runs);
}

/** A section: id, byte length, content. */
function section(id: number, content: number[]): number[] {
  return [id, ...unsignedLeb(content.length), ...content];
}

/**
 * The bytes of a module with the given functions (one type each) and
 * optional memory. Validation is left to `WebAssembly.validate` or the
 * `WebAssembly.Module` constructor.
 */
export function encodeModule(spec: ModuleSpec): Uint8Array<ArrayBuffer> {
  const { functions, memoryPages } = spec;
  const types = functions.map((f) => [
    0x60,
    ...encodeVector(f.params.map((t) => [t])),
    ...encodeVector(f.results.map((t) => [t])),
  ]);
  const exports = functions.map((f, i) => [
    ...encodeName(f.name),
    0x00,
    ...unsignedLeb(i),
  ]);
  if (memoryPages !== undefined) {
    exports.push([...encodeName("memory"), 0x02, 0x00]);
  }
  const bodies = functions.map((f) => {
    const body = [...encodeLocals(f.locals), ...f.body.bytes, 0x0b];
    return [...unsignedLeb(body.length), ...body];
  });
  const bytes = [
    0x00,
    0x61,
    0x73,
    0x6d, // \0asm
    0x01,
    0x00,
    0x00,
    0x00, // version 1
    ...section(1, encodeVector(types)),
    ...section(3, encodeVector(functions.map((_, i) => unsignedLeb(i)))),
    ...(memoryPages === undefined
      ? []
      : section(5, encodeVector([[0x00, ...unsignedLeb(memoryPages)]]))),
    ...section(7, encodeVector(exports)),
    ...section(10, encodeVector(bodies)),
  ];
  return new Uint8Array(bytes);
}
