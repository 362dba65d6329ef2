import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import {
  installSimdKernels,
  restoreWasmKernels,
  simdKernelsInstalled,
} from "./simd_kernels.ts";
import { backendAvailable, describeBackend, initBackend } from "./backends.ts";
import { loadSimdGemm } from "./simd_gemm.ts";
import { Rng } from "../model/rng.ts";
import { maxRelativeError, randomTensor } from "../../fixtures/numeric.ts";

const ignore = !backendAvailable("wasm") || loadSimdGemm() === null;
const rng = new Rng(0x51dn);

Deno.test({
  name: "the wasm backend runs BatchMatMul on the SIMD kernels",
  ignore,
  fn: async () => {
    await initBackend("wasm");
    assert.equal(simdKernelsInstalled(), true);
    assert.match(describeBackend("wasm"), /WebAssembly SIMD kernels/);
    const original = tf.getKernel(tf.BatchMatMul, "wasm");
    assert.equal(installSimdKernels(), true); // already there: unchanged
    assert.equal(tf.getKernel(tf.BatchMatMul, "wasm"), original);
  },
});

Deno.test({
  name: "SIMD BatchMatMul matches the original wasm kernel",
  ignore,
  fn: async () => {
    await initBackend("wasm");
    const cases: [number[], number[], boolean, boolean][] = [
      [[5, 7], [7, 3], false, false],
      [[7, 5], [3, 7], true, true],
      [[30, 100], [9, 100], false, true], // the attacks' P·Wᵀ
      [[4, 5, 7], [1, 7, 3], false, false],
      [[4, 7, 5], [1, 7, 3], true, false],
      [[1, 5, 7], [2, 3, 7], false, true],
      [[2, 5, 7], [2, 7, 3], false, false],
    ];
    for (const [aShape, bShape, transposeA, transposeB] of cases) {
      const a = randomTensor(rng, aShape), b = randomTensor(rng, bShape);
      const simd = tf.matMul(a, b, transposeA, transposeB);
      restoreWasmKernels();
      const want = tf.matMul(a, b, transposeA, transposeB);
      installSimdKernels();
      assert.deepEqual(simd.shape, want.shape);
      assert.ok(maxRelativeError(simd.dataSync(), want.dataSync()) < 1e-5);
      tf.dispose([a, b, simd, want]);
    }
    // Inputs it leaves to the original kernel still work (int32 operands).
    const ints = tf.tensor2d([[1, 2]], [1, 2], "int32");
    const col = tf.tensor2d([[3], [4]], [2, 1], "int32");
    assert.throws(() => tf.matMul(ints, col), /float32/);
    tf.dispose([ints, col]);
  },
});

Deno.test({
  name: "the fused product with a bias goes through the SIMD kernel too",
  ignore,
  fn: async () => {
    await initBackend("wasm");
    const a = randomTensor(rng, [6, 5]), b = randomTensor(rng, [4, 5]);
    const bias = randomTensor(rng, [4]);
    const fused = tf.fused.matMul({
      a,
      b,
      transposeB: true,
      bias,
      activation: "relu",
    });
    const plain = tf.relu(tf.add(tf.matMul(a, b, false, true), bias));
    assert.ok(maxRelativeError(fused.dataSync(), plain.dataSync()) < 1e-6);
    tf.dispose([a, b, bias, fused, plain]);
  },
});
