import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import {
  BACKEND_CHOICES,
  BACKEND_NAMES,
  backendAvailable,
  type BackendName,
  BACKENDS,
  describeBackend,
  initBackend,
  isBackendChoice,
} from "./backends.ts";
import { Rng } from "../model/rng.ts";
import { maxRelativeError, randomTensor } from "../../fixtures/numeric.ts";

const hasBlas = backendAvailable("blas");
const hasWasm = backendAvailable("wasm");

/** One matrix-product case: input shapes and transposes. */
interface Case {
  name: string;
  aShape: number[];
  bShape: number[];
  transposeA: boolean;
  transposeB: boolean;
}

/** Random dimension in [lo, hi]. */
function dim(rng: Rng, [lo, hi]: [number, number]): number {
  return lo + rng.int(hi - lo + 1);
}

/** Shapes of op(A) = m×k and op(B) = k×n stored with the given transposes. */
function shapes(
  { m, k, n }: { m: number; k: number; n: number },
  { transposeA, transposeB }: { transposeA: boolean; transposeB: boolean },
): [number[], number[]] {
  return [transposeA ? [k, m] : [m, k], transposeB ? [n, k] : [k, n]];
}

/** The test cases, drawn from a seeded generator. */
function makeCases(rng: Rng): Case[] {
  const cases: Case[] = [];
  for (
    const [transposeA, transposeB] of [[false, false], [true, false], [
      false,
      true,
    ], [true, true]]
  ) {
    for (let trial = 0; trial < 2; trial++) {
      const m = dim(rng, [1, 40]), k = dim(rng, [1, 70]), n = dim(rng, [1, 40]);
      const [aShape, bShape] = shapes({ m, k, n }, { transposeA, transposeB });
      cases.push({
        name: `${m}x${k}·${k}x${n} tA=${transposeA} tB=${transposeB}`,
        aShape,
        bShape,
        transposeA,
        transposeB,
      });
    }
  }
  const k = dim(rng, [20, 60]), n = dim(rng, [2, 30]), m = dim(rng, [2, 30]);
  cases.push(
    {
      name: `row vector 1x${k}·${k}x${n}`,
      aShape: [1, k],
      bShape: [k, n],
      transposeA: false,
      transposeB: false,
    },
    {
      name: `${m}x${k}·column vector ${k}x1`,
      aShape: [m, k],
      bShape: [k, 1],
      transposeA: false,
      transposeB: false,
    },
    {
      name: `dot product 1x${k}·(1x${k})ᵀ`,
      aShape: [1, k],
      bShape: [1, k],
      transposeA: false,
      transposeB: true,
    },
  );
  for (const [transposeA, transposeB] of [[false, false], [true, true]]) {
    const bm = dim(rng, [2, 20]),
      bk = dim(rng, [2, 30]),
      bn = dim(rng, [2, 20]);
    const [a2, b2] = shapes({ m: bm, k: bk, n: bn }, {
      transposeA,
      transposeB,
    });
    cases.push(
      {
        name:
          `batched 3x(${bm}x${bk}·${bk}x${bn}) tA=${transposeA} tB=${transposeB}`,
        aShape: [3, ...a2],
        bShape: [3, ...b2],
        transposeA,
        transposeB,
      },
      {
        name: `batch 4 · batch 1 tA=${transposeA} tB=${transposeB}`,
        aShape: [4, ...a2],
        bShape: [1, ...b2],
        transposeA,
        transposeB,
      },
      {
        name: `batch 1 · batch 2 tA=${transposeA} tB=${transposeB}`,
        aShape: [1, ...a2],
        bShape: [2, ...b2],
        transposeA,
        transposeB,
      },
    );
  }
  return cases;
}

const rng = new Rng(0xb1a5n);
const CASES = makeCases(rng);
const INPUTS = CASES.map((c) => ({
  a: Float32Array.from(rng.normalArray(tf.util.sizeFromShape(c.aShape))),
  b: Float32Array.from(rng.normalArray(tf.util.sizeFromShape(c.bShape))),
}));

/** Run every case on the current backend; return shapes and values. */
async function runCases(): Promise<
  { shape: number[]; values: Float32Array }[]
> {
  const out = [];
  for (let i = 0; i < CASES.length; i++) {
    const c = CASES[i];
    const a = tf.tensor(INPUTS[i].a, c.aShape);
    const b = tf.tensor(INPUTS[i].b, c.bShape);
    const p = tf.matMul(a, b, c.transposeA, c.transposeB);
    out.push({ shape: p.shape, values: (await p.data()) as Float32Array });
    tf.dispose([a, b, p]);
  }
  return out;
}

/**
 * Fused matMuls with a bias (every transpose pair, rank 2 and batched 3-D,
 * relu and leakyrelu) and the two transposed products of a backward pass,
 * as flat arrays.
 */
async function fusedAndBackward(): Promise<Float32Array[]> {
  const r = new Rng(7n);
  const randn = (shape: number[]) => randomTensor(r, shape);
  const m = 6, k = 9, n = 5;
  const results: tf.Tensor[] = [];
  const inputs: tf.Tensor[] = [];
  for (const batch of [[], [2]]) {
    for (
      const [transposeA, transposeB] of [[false, false], [false, true], [
        true,
        false,
      ], [true, true]]
    ) {
      const a = randn([...batch, ...(transposeA ? [k, m] : [m, k])]);
      const b = randn([...batch, ...(transposeB ? [n, k] : [k, n])]);
      const bias = randn([n]);
      inputs.push(a, b, bias);
      for (const activation of ["relu", "leakyrelu"] as const) {
        results.push(tf.fused.matMul({
          a,
          b,
          transposeA,
          transposeB,
          bias,
          activation,
          leakyreluAlpha: 0.1,
        }));
      }
    }
  }
  const x = randn([m, k]), w = randn([n, k]), bias = randn([n]);
  const hidden = tf.fused.matMul({
    a: x,
    b: w,
    transposeB: true,
    bias,
    activation: "relu",
  });
  results.push(tf.matMul(hidden, x, true, false)); // n×k
  results.push(tf.matMul(hidden, w)); // m×k
  inputs.push(x, w, bias, hidden);
  const out = await Promise.all(results.map((t) => t.data()));
  tf.dispose([...inputs, ...results]);
  return out as Float32Array[];
}

Deno.test("backends agree with the cpu reference on matMul", async (t) => {
  assert.equal(await initBackend("cpu"), "cpu");
  const reference = await runCases();
  const referenceExtra = await fusedAndBackward();
  const others: [BackendName, boolean][] = [["blas", hasBlas], [
    "wasm",
    hasWasm,
  ]];
  for (const [name, available] of others) {
    await t.step({
      name,
      ignore: !available,
      fn: async (t) => {
        assert.equal(await initBackend(name), name);
        const got = await runCases();
        for (let i = 0; i < CASES.length; i++) {
          await t.step(CASES[i].name, () => {
            assert.deepEqual(got[i].shape, reference[i].shape);
            const err = maxRelativeError(got[i].values, reference[i].values);
            assert.ok(err < 1e-5, `relative error ${err}`);
          });
        }
        await t.step(
          "fused matMul with bias, and backward products",
          async () => {
            const before = tf.engine().backend.numDataIds();
            const extra = await fusedAndBackward();
            await runCases();
            assert.equal(
              tf.engine().backend.numDataIds(),
              before,
              "intermediate tensors leaked",
            );
            for (let i = 0; i < extra.length; i++) {
              const err = maxRelativeError(extra[i], referenceExtra[i]);
              assert.ok(err < 1e-5, `relative error ${err}`);
            }
          },
        );
      },
    });
  }
  await initBackend("cpu");
});

Deno.test("initBackend is idempotent and blas/cpu switching swaps the kernel", async (t) => {
  await initBackend("cpu");
  const original = tf.getKernel(tf.BatchMatMul, "cpu");
  assert.ok(original !== undefined);
  assert.equal(await initBackend("cpu"), "cpu");
  assert.equal(tf.getKernel(tf.BatchMatMul, "cpu"), original);

  await t.step({
    name: "blas replaces and cpu restores BatchMatMul",
    ignore: !hasBlas,
    fn: async () => {
      assert.equal(await initBackend("blas"), "blas");
      assert.equal(tf.getBackend(), "cpu");
      const patched = tf.getKernel(tf.BatchMatMul, "cpu");
      assert.notEqual(patched, original);
      assert.equal(await initBackend("blas"), "blas");
      assert.equal(tf.getKernel(tf.BatchMatMul, "cpu"), patched);
      assert.equal(await initBackend("auto"), "blas");
      assert.equal(await initBackend("cpu"), "cpu");
      assert.equal(tf.getKernel(tf.BatchMatMul, "cpu"), original);
    },
  });
  await t.step({
    name: "wasm, then back to cpu",
    ignore: !hasWasm,
    fn: async () => {
      assert.equal(await initBackend("wasm"), "wasm");
      assert.equal(tf.getBackend(), "wasm");
      assert.equal(await initBackend("wasm"), "wasm");
      assert.equal(await initBackend("cpu"), "cpu");
      assert.equal(tf.getBackend(), "cpu");
      assert.equal(tf.getKernel(tf.BatchMatMul, "cpu"), original);
    },
  });
  await t.step({
    name: "blas throws a clear Error when OpenBLAS is absent",
    ignore: hasBlas,
    fn: async () => {
      await assert.rejects(() => initBackend("blas"), /OpenBLAS/);
    },
  });
});

Deno.test("describeBackend names each backend", () => {
  assert.equal(backendAvailable("cpu"), true);
  for (const name of BACKEND_NAMES) {
    assert.ok(describeBackend(name).startsWith(`${name} (`));
  }
  if (hasBlas) {
    assert.match(
      describeBackend("blas"),
      /OpenBLAS.*Deno\.dlopen, \d+ threads?\)/,
    );
  }
});

Deno.test("the backend list drives the names, choices and look-ups", async () => {
  assert.deepEqual(BACKEND_NAMES, ["blas", "wasm", "cpu"]);
  assert.deepEqual(BACKEND_NAMES, BACKENDS.map((b) => b.name));
  assert.deepEqual(BACKEND_CHOICES, ["auto", "blas", "wasm", "cpu"]);
  for (const choice of BACKEND_CHOICES) assert.ok(isBackendChoice(choice));
  assert.equal(isBackendChoice("gpu"), false);
  assert.equal(isBackendChoice("Auto"), false);
  for (const spec of BACKENDS) {
    assert.equal(backendAvailable(spec.name), spec.available());
    assert.equal(describeBackend(spec.name), spec.describe());
  }
  const unknown = "gpu" as BackendName;
  assert.throws(() => backendAvailable(unknown), /unknown backend "gpu"/);
  await assert.rejects(() => initBackend(unknown), /unknown backend "gpu"/);
});

Deno.test("each available backend starts on its TensorFlow.js backend", async () => {
  for (const spec of BACKENDS.filter((b) => b.available())) {
    assert.equal(await initBackend(spec.name), spec.name);
    assert.equal(tf.getBackend(), spec.tfjsBackend);
  }
  await initBackend("cpu");
});
