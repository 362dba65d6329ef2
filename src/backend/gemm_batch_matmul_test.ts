import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import type { MathBackendCPU } from "@tensorflow/tfjs-backend-cpu";
import { type GemmBackend, gemmBatchMatMul } from "./gemm_batch_matmul.ts";
import { initBackend } from "./backends.ts";
import type { SgemmOptions } from "./openblas.ts";
import { Rng } from "../model/rng.ts";
import { maxRelativeError, randomTensor } from "../../fixtures/numeric.ts";

await initBackend("cpu");
const rng = new Rng(0x6e11n);
const backend = tf.backend() as MathBackendCPU;

/** A plain-loop sgemm (tight strides) that records its calls. */
function loopBackend(calls: SgemmOptions[]): GemmBackend {
  return {
    values: (t) => backend.readSync(t.dataId) as Float32Array,
    sgemm(a, b, o) {
      calls.push(o);
      const { m, n, k, c, transA = false, transB = false } = o;
      for (let i = 0; i < m; i++) {
        for (let j = 0; j < n; j++) {
          let s = 0;
          for (let p = 0; p < k; p++) {
            s += (transA ? a[p * m + i] : a[i * k + p]) *
              (transB ? b[j * k + p] : b[p * n + j]);
          }
          c[i * n + j] = s;
        }
      }
    },
    output: (shape, values) => backend.makeTensorInfo(shape, "float32", values),
  };
}

Deno.test("gemmBatchMatMul matches tf.matMul, with broadcast batches", () => {
  const cases: [number[], number[], boolean, boolean, number][] = [
    // shapes, transposes, and the number of sgemm calls expected
    [[5, 7], [7, 3], false, false, 1],
    [[7, 5], [3, 7], true, true, 1],
    [[4, 5, 7], [1, 7, 3], false, false, 1], // A's batches stacked
    [[4, 7, 5], [1, 7, 3], true, false, 4],
    [[1, 5, 7], [2, 3, 7], false, true, 2],
    [[2, 5, 7], [2, 7, 3], false, false, 2],
  ];
  for (const [aShape, bShape, transposeA, transposeB, count] of cases) {
    const a = randomTensor(rng, aShape), b = randomTensor(rng, bShape);
    const calls: SgemmOptions[] = [];
    const out = gemmBatchMatMul(
      { a, b },
      { transposeA, transposeB },
      loopBackend(calls),
    );
    const want = tf.matMul(a, b, transposeA, transposeB);
    assert.ok(out !== null);
    assert.deepEqual(out.shape, want.shape);
    const got = backend.readSync(out.dataId) as Float32Array;
    assert.ok(maxRelativeError(got, want.dataSync()) < 1e-5);
    assert.equal(calls.length, count);
    backend.disposeData(out.dataId);
    tf.dispose([a, b, want]);
  }
});

Deno.test("gemmBatchMatMul returns null for what it does not handle", () => {
  const io = loopBackend([]);
  const attrs = { transposeA: false, transposeB: false };
  const a = randomTensor(rng, [2, 3]), b = randomTensor(rng, [3, 2]);
  const ints = tf.cast(a, "int32");
  const wrongInner = randomTensor(rng, [4, 2]);
  const vector = randomTensor(rng, [3]);
  const batch2 = randomTensor(rng, [2, 2, 3]),
    batch3 = randomTensor(rng, [3, 3, 2]);
  assert.equal(gemmBatchMatMul({ a: ints, b }, attrs, io), null);
  assert.equal(gemmBatchMatMul({ a, b: wrongInner }, attrs, io), null);
  assert.equal(gemmBatchMatMul({ a: vector, b }, attrs, io), null);
  assert.equal(gemmBatchMatMul({ a: batch2, b: batch3 }, attrs, io), null);
  assert.equal(
    gemmBatchMatMul({ a } as unknown as tf.BatchMatMulInputs, attrs, io),
    null,
  );
  const noValues = { ...io, values: () => null };
  assert.equal(gemmBatchMatMul({ a, b }, attrs, noValues), null);
  tf.dispose([a, b, ints, wrongInner, vector, batch2, batch3]);
});
