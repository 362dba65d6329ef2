import assert from "node:assert/strict";
import { type FlowForm, lossWeights, lossWeights64 } from "./engine.ts";
import {
  chooseProducts,
  createFloat64Engine,
  FLOAT64_MAX_MARGIN,
  gemm64,
  type ProductKind,
} from "./float64_engine.ts";
import { createTfjsEngine } from "./tfjs_engine.ts";
import { initBackend } from "../backend/backends.ts";
import { loadOpenBlas } from "../backend/openblas.ts";
import { loadSimdGemm } from "../backend/simd_gemm.ts";
import { networkOutput } from "../model/forward.ts";
import { type NetworkWeights } from "../model/weights.ts";
import { Rng } from "../model/rng.ts";
import { flowInstance } from "../../fixtures/flow_instance.ts";
import { maxRelativeError } from "../../fixtures/numeric.ts";

await initBackend("cpu");
const blas = loadOpenBlas();
/**
 * Product routines to test: TypeScript always, OpenBLAS where it loads, the
 * SIMD kernels where WebAssembly SIMD compiles.
 */
const PRODUCTS: ProductKind[] = [
  "typescript",
  ...(blas?.hasDgemm() ? ["openblas" as const] : []),
  ...(loadSimdGemm() === null ? [] : ["simd" as const]),
];

/** Span, plain with the Gram route (d > n), plain direct (d ≤ n). */
const SHAPES: { label: string; d: number; n: number; form: FlowForm }[] = [
  { label: "span, d > n", d: 40, n: 12, form: "span" },
  { label: "plain Gram route, d > n", d: 40, n: 12, form: "plain" },
  { label: "plain direct route, d ≤ n", d: 8, n: 20, form: "plain" },
];

/** `init` in float64. */
function wide(
  init: NetworkWeights<Float32Array>,
): NetworkWeights<Float64Array> {
  return {
    d: init.d,
    m: init.m,
    w: Float64Array.from(init.w),
    b: Float64Array.from(init.b),
    v: Float64Array.from(init.v),
  };
}

Deno.test("gemm64 matches a direct sum for every transpose and stride", () => {
  const rng = new Rng(5);
  for (const [transA, transB] of [[0, 0], [1, 0], [0, 1], [1, 1]]) {
    const m = 3, n = 4, k = 5, pad = 2;
    const lda = (transA ? m : k) + pad, ldb = (transB ? k : n) + pad;
    const a = rng.normalArray((transA ? k : m) * lda);
    const b = rng.normalArray((transB ? n : k) * ldb);
    const c = rng.normalArray(m * n);
    const old = c.slice();
    gemm64(a, b, {
      m,
      n,
      k,
      c,
      lda,
      ldb,
      transA: transA === 1,
      transB: transB === 1,
      alpha: 2,
      beta: 0.5,
    });
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0; p < k; p++) {
          s += (transA ? a[p * lda + i] : a[i * lda + p]) *
            (transB ? b[j * ldb + p] : b[p * ldb + j]);
        }
        const want = 2 * s + 0.5 * old[i * n + j];
        assert.ok(Math.abs(c[i * n + j] - want) < 1e-12);
      }
    }
  }
});

for (const products of PRODUCTS) {
  Deno.test(`float64 engine (${products}): the steps of the tfjs engine, and consistent state`, async (t) => {
    for (const { label, d, n, form } of SHAPES) {
      await t.step(label, () => {
        const { data, init } = flowInstance(2, {
          d,
          k: 3,
          n,
          m: 5,
          initScale: 0.1,
        });
        const f64 = createFloat64Engine(data, wide(init), { form, products });
        assert.equal(f64.kind, "float64");
        assert.equal(f64.products, products);
        const f32 = createTfjsEngine(data, init, { form });
        let norm = 0;
        for (const a of [init.w, init.b, init.v]) {
          for (const x of a) norm += x * x;
        }
        try {
          for (let s = 0; s < 60; s++) {
            const a = lossWeights64(f64.forward(), data.y);
            const b = lossWeights(f32.forward(), data.y);
            assert.ok(Math.abs(a.logLoss - b.logLoss) < 1e-4);
            const da = f64.direction(a.coefficients);
            const db = f32.direction(b.coefficients);
            assert.ok(Math.abs(da - db) <= 1e-3 * db, `${da} vs ${db}`);
            const h = 0.02 * Math.sqrt(norm / da);
            f64.advance(h);
            f32.advance(h);
          }
          const wa = f64.weights(), wb = f32.weights();
          assert.ok(maxRelativeError(wa.w, wb.w) < 1e-3);
          assert.ok(maxRelativeError(wa.v, wb.v) < 1e-3);
          // The engine's outputs and norms agree with its weights (past a
          // refresh of the carried product in the span form).
          const out = f64.forward();
          for (let i = 0; i < n; i++) {
            const x = data.x.subarray(i * d, (i + 1) * d);
            assert.ok(Math.abs(out[i] - networkOutput(wa, x)) < 1e-10);
          }
          const norms = f64.neuronNorms();
          for (let r = 0; r < init.m; r++) {
            let s = 0;
            for (let j = 0; j < d; j++) s += wa.w[r * d + j] ** 2;
            assert.ok(Math.abs(norms.wSquared[r] - s) < 1e-10 * (1 + s));
          }
        } finally {
          f64.dispose();
          f32.dispose();
        }
      });
    }
  });
}

Deno.test("float64 engine: the step protocol and the inputs are checked", () => {
  const { data, init } = flowInstance(3, { d: 10, k: 2, n: 6, m: 4 });
  const engine = createFloat64Engine(data, wide(init), {
    products: "typescript",
  });
  assert.equal(engine.form, "span");
  assert.throws(() => engine.direction(new Float64Array(6)), /forward/);
  engine.forward();
  assert.throws(() => engine.advance(1), /direction/);
  const wrong = { ...wide(init), v: new Float64Array(1) };
  assert.throws(() => createFloat64Engine(data, wrong), RangeError);
});

Deno.test("the float64 margin cap is float32's scaled by 2^29", () => {
  assert.equal(FLOAT64_MAX_MARGIN / 1e4, 2 ** (53 - 24));
});

Deno.test("chooseProducts: auto prefers OpenBLAS, then SIMD, then TypeScript", () => {
  const auto = chooseProducts("auto").products;
  const expected = blas?.hasDgemm()
    ? "openblas"
    : loadSimdGemm() !== null
    ? "simd"
    : "typescript";
  assert.equal(auto, expected);
  if (loadSimdGemm() === null) {
    assert.throws(() => chooseProducts("simd"), /SIMD/);
  } else {
    assert.equal(chooseProducts("simd").products, "simd");
  }
});
