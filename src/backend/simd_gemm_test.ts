import assert from "node:assert/strict";
import {
  loadSimdGemm,
  simdGemmLoadError,
  simdGemmModule,
} from "./simd_gemm.ts";
import type { SgemmOptions } from "./openblas.ts";
import { Rng } from "../model/rng.ts";

const simd = loadSimdGemm();
const ignore = simd === null;

/** A stored matrix: rows×cols with row stride ld ≥ cols, random entries. */
function stored(
  rng: Rng,
  shape: { rows: number; cols: number; ld: number },
): Float64Array {
  const { rows, cols, ld } = shape;
  const out = new Float64Array(rows === 0 ? 0 : (rows - 1) * ld + cols);
  for (let i = 0; i < out.length; i++) out[i] = rng.uniform() - 0.5;
  return out;
}

/**
 * The reference product C ← alpha·op(A)·op(B) + beta·C, each entry summed
 * over the depth in order from zero (the loop the float64 kernel matches).
 */
function reference(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  o: Required<Omit<SgemmOptions<Float64Array>, "c">> & { c: Float64Array },
): void {
  const { m, n, k, c, transA, transB, alpha, beta, lda, ldb, ldc } = o;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) {
        const x = transA ? a[p * lda + i] : a[i * lda + p];
        const y = transB ? b[j * ldb + p] : b[p * ldb + j];
        s += x * y;
      }
      const q = i * ldc + j;
      c[q] = alpha === 1 && beta === 0 ? s : alpha * s + beta * c[q];
    }
  }
}

/** Sizes around the tile edges (4 rows; 8 or 4 columns). */
const SIZES = [1, 2, 3, 4, 5, 7, 8, 9, 13, 17];

Deno.test({
  name: "simd gemm: float64 equals the in-order loop bit for bit",
  ignore,
  fn() {
    const rng = new Rng(11);
    for (const m of SIZES) {
      for (const n of SIZES) {
        for (const k of [1, 2, 3, 6, 11]) {
          for (const transA of [false, true]) {
            for (const transB of [false, true]) {
              const lda = (transA ? m : k) + (m % 3);
              const ldb = (transB ? k : n) + (n % 2);
              const a = stored(rng, {
                rows: transA ? k : m,
                cols: transA ? m : k,
                ld: lda,
              });
              const b = stored(rng, {
                rows: transB ? n : k,
                cols: transB ? k : n,
                ld: ldb,
              });
              const ldc = n + 1;
              const c = new Float64Array(m * ldc).fill(Number.NaN);
              const expected = c.slice();
              const o = { m, n, k, transA, transB, lda, ldb, ldc };
              simd!.dgemm(a, b, { ...o, c });
              reference(a, b, { ...o, alpha: 1, beta: 0, c: expected });
              for (let i = 0; i < m; i++) {
                for (let j = 0; j < n; j++) {
                  assert.equal(
                    c[i * ldc + j],
                    expected[i * ldc + j],
                    `m=${m} n=${n} k=${k} transA=${transA} transB=${transB} at (${i}, ${j})`,
                  );
                }
                // The gap past each row of C is left alone.
                if (i + 1 < m) assert.ok(Number.isNaN(c[i * ldc + n]));
              }
            }
          }
        }
      }
    }
  },
});

Deno.test({
  name: "simd gemm: float32 agrees with the loop; alpha and beta",
  ignore,
  fn() {
    const rng = new Rng(12);
    for (const m of SIZES) {
      for (const n of SIZES) {
        for (const k of [1, 4, 9, 33]) {
          for (const transA of [false, true]) {
            for (const transB of [false, true]) {
              const [alpha, beta] = (m + n) % 3 === 0
                ? [1, 0]
                : (m + n) % 3 === 1
                ? [-0.5, 0]
                : [2, 0.75];
              const a = Float32Array.from(stored(rng, {
                rows: transA ? k : m,
                cols: transA ? m : k,
                ld: transA ? m : k,
              }));
              const b = Float32Array.from(stored(rng, {
                rows: transB ? n : k,
                cols: transB ? k : n,
                ld: transB ? k : n,
              }));
              const c0 = Float32Array.from(
                stored(rng, { rows: m, cols: n, ld: n }),
              );
              const c = c0.slice();
              const expected = Float64Array.from(c0);
              simd!.sgemm(a, b, { m, n, k, c, transA, transB, alpha, beta });
              reference(a, b, {
                m,
                n,
                k,
                transA,
                transB,
                alpha,
                beta,
                lda: transA ? m : k,
                ldb: transB ? k : n,
                ldc: n,
                c: expected,
              });
              for (let q = 0; q < m * n; q++) {
                // Entries are sums of k products of numbers below 1/2.
                assert.ok(
                  Math.abs(c[q] - expected[q]) <= 1e-6 * (k + 2),
                  `m=${m} n=${n} k=${k}: ${c[q]} vs ${expected[q]}`,
                );
              }
            }
          }
        }
      }
    }
  },
});

Deno.test({
  name: "simd gemm: edge cases follow BLAS (k = 0, empty C, alpha = 0)",
  ignore,
  fn() {
    // k = 0: C ← beta·C.
    const c = new Float64Array([1, 2, 3, 4]);
    simd!.dgemm(new Float64Array(0), new Float64Array(0), {
      m: 2,
      n: 2,
      k: 0,
      c,
      beta: 2,
    });
    assert.deepEqual([...c], [2, 4, 6, 8]);
    // alpha = 0 never reads A or B (NaN there stays out of C).
    const nan = new Float32Array([Number.NaN, Number.NaN]);
    const c32 = new Float32Array([1, 1, 1, 1]);
    simd!.sgemm(nan, nan, { m: 2, n: 2, k: 1, c: c32, alpha: 0 });
    assert.deepEqual([...c32], [0, 0, 0, 0]);
    // An empty C does nothing.
    simd!.sgemm(new Float32Array(3), new Float32Array(0), {
      m: 3,
      n: 0,
      k: 1,
      c: new Float32Array(0),
    });
  },
});

Deno.test({
  name: "simd gemm: arguments are checked as OpenBLAS's",
  ignore,
  fn() {
    const c = new Float32Array(4);
    assert.throws(
      () =>
        simd!.sgemm(new Float32Array(3), new Float32Array(4), {
          m: 2,
          n: 2,
          k: 2,
          c,
        }),
      RangeError,
    );
    assert.throws(
      () =>
        simd!.dgemm(new Float64Array(4), new Float64Array(4), {
          m: 2,
          n: 2,
          k: 2.5,
          c: new Float64Array(4),
        }),
      RangeError,
    );
  },
});

Deno.test({
  name: "simd gemm: memory grows for a large product, then small ones work",
  ignore,
  fn() {
    const rng = new Rng(13);
    const [m, n, k] = [300, 260, 700];
    const a = stored(rng, { rows: m, cols: k, ld: k });
    const b = stored(rng, { rows: k, cols: n, ld: n });
    const c = new Float64Array(m * n);
    simd!.dgemm(a, b, { m, n, k, c });
    const expected = new Float64Array(m * n);
    reference(a, b, {
      m,
      n,
      k,
      transA: false,
      transB: false,
      alpha: 1,
      beta: 0,
      lda: k,
      ldb: n,
      ldc: n,
      c: expected,
    });
    assert.deepEqual(c, expected);
    const small = new Float64Array(1);
    simd!.dgemm(new Float64Array([3]), new Float64Array([4]), {
      m: 1,
      n: 1,
      k: 1,
      c: small,
    });
    assert.equal(small[0], 12);
  },
});

Deno.test("simd gemm: the module validates where SIMD is supported", () => {
  const valid = WebAssembly.validate(simdGemmModule());
  assert.equal(valid, simd !== null);
  if (simd === null) assert.match(simdGemmLoadError() ?? "", /SIMD/);
  else assert.equal(simdGemmLoadError(), null);
});
