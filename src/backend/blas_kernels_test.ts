import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import {
  blasBatchMatMul,
  blasKernelsInstalled,
  installBlasKernels,
  restoreCpuKernels,
} from "./blas_kernels.ts";
import { initBackend } from "./backends.ts";
import { loadOpenBlas } from "./openblas.ts";
import { Rng } from "../model/rng.ts";
import { maxRelativeError, randomTensor } from "../../fixtures/numeric.ts";

const ignore = loadOpenBlas() === null;
await initBackend("cpu");
const rng = new Rng(0x5eedn);

/** A tensor of standard normal draws. */
const randn = (shape: number[]) => randomTensor(rng, shape);

/** `blasBatchMatMul` on the cpu backend, read back and released (or null). */
function blasProduct(
  inputs: tf.BatchMatMulInputs,
  attrs: tf.BatchMatMulAttrs,
): { shape: number[]; values: Float32Array } | null {
  const backend = tf.backend();
  const out = blasBatchMatMul(inputs, { ...attrs, backend });
  if (out === null) return null;
  const values = backend.readSync(out.dataId) as Float32Array;
  backend.disposeData(out.dataId);
  return { shape: out.shape, values };
}

Deno.test({
  name: "install swaps in the OpenBLAS kernels once, restore puts them back",
  ignore,
  fn: () => {
    const batchMatMul = tf.getKernel(tf.BatchMatMul, "cpu");
    const fused = tf.getKernel(tf._FusedMatMul, "cpu");
    assert.equal(blasKernelsInstalled(), false);
    installBlasKernels();
    assert.equal(blasKernelsInstalled(), true);
    const patched = tf.getKernel(tf.BatchMatMul, "cpu");
    assert.notEqual(patched, batchMatMul);
    assert.notEqual(tf.getKernel(tf._FusedMatMul, "cpu"), fused);
    installBlasKernels();
    assert.equal(tf.getKernel(tf.BatchMatMul, "cpu"), patched);
    restoreCpuKernels();
    assert.equal(blasKernelsInstalled(), false);
    assert.equal(tf.getKernel(tf.BatchMatMul, "cpu"), batchMatMul);
    assert.equal(tf.getKernel(tf._FusedMatMul, "cpu"), fused);
    restoreCpuKernels(); // nothing to restore
    assert.equal(tf.getKernel(tf.BatchMatMul, "cpu"), batchMatMul);
  },
});

Deno.test({
  name: "blasBatchMatMul matches the cpu kernel, with broadcast batches",
  ignore,
  fn: () => {
    const cases: [number[], number[], boolean, boolean][] = [
      [[5, 7], [7, 3], false, false],
      [[7, 5], [3, 7], true, true],
      [[4, 5, 7], [1, 7, 3], false, false], // stacked as one product
      [[4, 7, 5], [1, 7, 3], true, false],
      [[1, 5, 7], [2, 3, 7], false, true],
      [[2, 5, 7], [2, 7, 3], false, false],
    ];
    for (const [aShape, bShape, transposeA, transposeB] of cases) {
      const a = randn(aShape), b = randn(bShape);
      const got = blasProduct({ a, b }, { transposeA, transposeB });
      const want = tf.matMul(a, b, transposeA, transposeB);
      assert.ok(got !== null);
      assert.deepEqual(got.shape, want.shape);
      assert.ok(maxRelativeError(got.values, want.dataSync()) < 1e-5);
      tf.dispose([a, b, want]);
    }
  },
});

Deno.test({
  name: "blasBatchMatMul leaves what it cannot do to the original kernel",
  ignore,
  fn: () => {
    const attrs = { transposeA: false, transposeB: false };
    const a = randn([2, 3]), b = randn([3, 2]);
    const ints = tf.cast(a, "int32");
    const wrongInner = randn([4, 2]);
    const vector = randn([3]);
    const batch2 = randn([2, 2, 3]), batch3 = randn([3, 3, 2]);
    assert.equal(blasProduct({ a: ints, b }, attrs), null);
    assert.equal(blasProduct({ a, b: wrongInner }, attrs), null);
    assert.equal(blasProduct({ a: vector, b }, attrs), null);
    assert.equal(blasProduct({ a: batch2, b: batch3 }, attrs), null);
    assert.equal(
      blasProduct({ a } as unknown as tf.BatchMatMulInputs, attrs),
      null,
    );
    tf.dispose([a, b, ints, wrongInner, vector, batch2, batch3]);
  },
});
