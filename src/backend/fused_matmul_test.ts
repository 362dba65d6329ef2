import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import {
  decomposedFusedMatMul,
  fixWasmFusedMatMul,
  kernelMatMul,
  replaceKernel,
} from "./fused_matmul.ts";
import { backendAvailable, type BackendName, initBackend } from "./backends.ts";
import { Rng } from "../model/rng.ts";
import { randomTensor } from "../../fixtures/numeric.ts";

await initBackend("cpu");
const rng = new Rng(31n);

/** A tensor of standard normal draws. */
const randn = (shape: number[]) => randomTensor(rng, shape);

/** Read and release a kernel's output. */
function take(info: tf.TensorInfo): Float32Array {
  const values = tf.backend().readSync(info.dataId) as Float32Array;
  tf.backend().disposeData(info.dataId);
  return values;
}

/** The arguments of a `_FusedMatMul` kernel call on the active backend. */
function fusedArgs(
  inputs: tf.NamedTensorInfoMap,
  attrs: Partial<tf._FusedMatMulAttrs>,
): Parameters<tf.KernelFunc>[0] {
  return {
    inputs,
    attrs: {
      transposeA: false,
      transposeB: false,
      ...attrs,
    } as tf.NamedAttrMap,
    backend: tf.backend(),
  };
}

const ACTIVATIONS: tf.fused.Activation[] = [
  "linear",
  "relu",
  "relu6",
  "elu",
  "sigmoid",
  "leakyrelu",
  "prelu",
];

Deno.test("decomposedFusedMatMul equals the fused cpu kernel", async (t) => {
  const m = 5, k = 7, n = 4;
  for (const activation of ACTIVATIONS) {
    for (const [transposeA, transposeB] of [[false, false], [true, true]]) {
      await t.step(`${activation} tA=${transposeA} tB=${transposeB}`, () => {
        const a = randn(transposeA ? [k, m] : [m, k]);
        const b = randn(transposeB ? [n, k] : [k, n]);
        const bias = randn([n]);
        const alpha = randn([n]);
        const inputs = activation === "prelu"
          ? { a, b, bias, preluActivationWeights: alpha }
          : { a, b, bias };
        const before = tf.engine().backend.numDataIds();
        const got = decomposedFusedMatMul(
          fusedArgs(inputs, {
            transposeA,
            transposeB,
            activation,
            leakyreluAlpha: 0.1,
          }),
          { backendName: "cpu", matMul: kernelMatMul("cpu") },
        );
        assert.ok(got !== null);
        const values = take(got);
        assert.equal(tf.engine().backend.numDataIds(), before);
        const want = tf.fused.matMul({
          a,
          b,
          transposeA,
          transposeB,
          bias,
          activation,
          preluActivationWeights: alpha,
          leakyreluAlpha: 0.1,
        });
        assert.deepEqual(Array.from(values), Array.from(want.dataSync()));
        tf.dispose([a, b, bias, alpha, want]);
      });
    }
  }
});

Deno.test("decomposedFusedMatMul declines what it cannot decompose", () => {
  const a = randn([2, 3]), b = randn([3, 2]), bias = randn([2]);
  const options = { backendName: "cpu", matMul: kernelMatMul("cpu") };
  // prelu without weights, a non-float32 bias, a missing kernel, a declining
  // product.
  assert.equal(
    decomposedFusedMatMul(
      fusedArgs({ a, b }, { activation: "prelu" }),
      options,
    ),
    null,
  );
  const intBias = tf.cast(bias, "int32");
  assert.equal(
    decomposedFusedMatMul(fusedArgs({ a, b, bias: intBias }, {}), options),
    null,
  );
  assert.equal(
    decomposedFusedMatMul(fusedArgs({ a, b, bias }, {}), {
      backendName: "none",
      matMul: kernelMatMul("cpu"),
    }),
    null,
  );
  assert.equal(
    decomposedFusedMatMul(fusedArgs({ a, b }, {}), {
      backendName: "cpu",
      matMul: kernelMatMul("none"),
    }),
    null,
  );
  tf.dispose([a, b, bias, intBias]);
});

Deno.test("replaceKernel replaces a registered kernel or registers a new one", () => {
  const name = "FusedMatMulTestKernel";
  const config = {
    kernelName: name,
    backendName: "cpu",
    kernelFunc: () => [] as tf.TensorInfo[],
  };
  replaceKernel(config);
  assert.equal(tf.getKernel(name, "cpu"), config);
  const again = { ...config };
  replaceKernel(again);
  assert.equal(tf.getKernel(name, "cpu"), again);
  tf.unregisterKernel(name, "cpu");
});

Deno.test("the replaced fused kernels are the product, bias and activation", async (t) => {
  // Transposed inputs with a bias: the case tfjs-backend-wasm 4.22 gets wrong.
  const cases: [BackendName, boolean][] = [["wasm", true], ["blas", false]];
  for (const [name, transposeA] of cases) {
    await t.step({
      name,
      ignore: !backendAvailable(name),
      fn: async () => {
        await initBackend(name);
        const a = randn(transposeA ? [6, 4] : [4, 6]);
        const b = randn(transposeA ? [6, 3] : [3, 6]);
        const bias = randn([3]);
        const transposeB = !transposeA;
        const fused = tf.fused.matMul({
          a,
          b,
          transposeA,
          transposeB,
          bias,
          activation: "relu",
        });
        const product = tf.matMul(a, b, transposeA, transposeB);
        const parts = tf.relu(tf.add(product, bias));
        assert.deepEqual(
          Array.from(fused.dataSync()),
          Array.from(parts.dataSync()),
        );
        tf.dispose([a, b, bias, fused, product, parts]);
      },
    });
  }
  await initBackend("cpu");
});

Deno.test({
  name: "the wasm fused kernel is replaced once",
  ignore: !backendAvailable("wasm"),
  fn: async () => {
    await initBackend("wasm");
    const fixed = tf.getKernel(tf._FusedMatMul, "wasm");
    assert.notEqual(fixed, undefined);
    fixWasmFusedMatMul();
    assert.equal(tf.getKernel(tf._FusedMatMul, "wasm"), fixed);
    await initBackend("cpu");
  },
});
