import assert from "node:assert/strict";
import {
  Code,
  encodeModule,
  F64,
  I32,
  signedLeb,
  unsignedLeb,
  V128,
} from "./wasm_encoder.ts";

Deno.test("LEB128: known encodings and range checks", () => {
  assert.deepEqual(unsignedLeb(0), [0]);
  assert.deepEqual(unsignedLeb(127), [0x7f]);
  assert.deepEqual(unsignedLeb(128), [0x80, 0x01]);
  assert.deepEqual(unsignedLeb(0xffffffff), [0xff, 0xff, 0xff, 0xff, 0x0f]);
  assert.deepEqual(signedLeb(0), [0]);
  assert.deepEqual(signedLeb(-1), [0x7f]);
  assert.deepEqual(signedLeb(63), [0x3f]);
  assert.deepEqual(signedLeb(-64), [0x40]);
  assert.deepEqual(signedLeb(-65), [0xbf, 0x7f]);
  assert.deepEqual(signedLeb(-0x80000000), [0x80, 0x80, 0x80, 0x80, 0x78]);
  assert.throws(() => unsignedLeb(-1), RangeError);
  assert.throws(() => unsignedLeb(1.5), RangeError);
  assert.throws(() => signedLeb(0x80000000), RangeError);
});

Deno.test("encodeModule: a loop with locals runs (sum of 1..n)", () => {
  // locals: 0 n (param), 1 sum, 2 i
  const body = new Code()
    .block().loop()
    .localGet(2).localGet(0).op(0x4e).brIf(1) // i >= n (signed) → exit
    .localGet(2).i32Const(1).op(0x6a).localSet(2) // i += 1
    .localGet(1).localGet(2).op(0x6a).localSet(1) // sum += i
    .br(0).end().end()
    .localGet(1);
  const bytes = encodeModule({
    functions: [{
      name: "sum",
      params: [I32],
      results: [I32],
      locals: [I32, I32],
      body,
    }],
  });
  const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes));
  const sum = instance.exports.sum as (n: number) => number;
  assert.equal(sum(0), 0);
  assert.equal(sum(100), 5050);
});

Deno.test("encodeModule: memory and SIMD instructions (f64x2 axpy)", () => {
  // y[0..1] ← y + splat(x0)·z at byte offsets 0 (y), 16 (z), 32 (x0).
  const body = new Code()
    .i32Const(0)
    .i32Const(0).simd(0x00, { align: 4, offset: 0 }) // y
    .i32Const(32).simd(0x0a, { align: 3, offset: 0 }) // splat x0
    .i32Const(16).simd(0x00, { align: 4, offset: 0 }) // z
    .simd(0xf2) // f64x2.mul
    .simd(0xf0) // f64x2.add
    .simd(0x0b, { align: 4, offset: 0 }); // store
  const bytes = encodeModule({
    functions: [{ name: "axpy", params: [], results: [], locals: [], body }],
    memoryPages: 1,
  });
  if (!WebAssembly.validate(bytes)) return; // no SIMD here
  const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes));
  const memory = instance.exports.memory as WebAssembly.Memory;
  const view = new Float64Array(memory.buffer);
  view.set([1, 2, 10, 20, 0.5]);
  (instance.exports.axpy as () => void)();
  assert.deepEqual([...view.subarray(0, 2)], [6, 12]);
});

Deno.test("encodeModule: locals of several types are grouped into runs", () => {
  const body = new Code().localGet(3); // the second f64 local
  const bytes = encodeModule({
    functions: [{
      name: "f",
      params: [I32],
      results: [F64],
      locals: [I32, F64, F64, V128],
      body,
    }],
  });
  if (!WebAssembly.validate(bytes)) return; // v128 locals need SIMD
  const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes));
  assert.equal((instance.exports.f as (x: number) => number)(7), 0);
});
