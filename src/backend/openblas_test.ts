import assert from "node:assert/strict";
import { loadOpenBlas, openBlasLoadError } from "./openblas.ts";
import { Rng } from "../model/rng.ts";

const blas = loadOpenBlas();
const absent = blas === null;

/** Float32 copy of `n` standard normal draws. */
function randn(rng: Rng, n: number): Float32Array {
  return Float32Array.from(rng.normalArray(n));
}

/**
 * Reference `alpha·op(A)·op(B) + beta·C` in float64, row-major, with the
 * same stride conventions as cblas.
 */
function referenceGemm(
  transA: boolean,
  transB: boolean,
  m: number,
  n: number,
  k: number,
  alpha: number,
  a: Float32Array,
  lda: number,
  b: Float32Array,
  ldb: number,
  beta: number,
  c: Float32Array,
  ldc: number,
): Float64Array {
  const out = new Float64Array(c.length);
  out.set(c);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) {
        const av = transA ? a[p * lda + i] : a[i * lda + p];
        const bv = transB ? b[j * ldb + p] : b[p * ldb + j];
        s += av * bv;
      }
      out[i * ldc + j] = alpha * s + beta * c[i * ldc + j];
    }
  }
  return out;
}

/** ‖x − ref‖∞ / ‖ref‖∞. */
function relativeError(x: ArrayLike<number>, ref: ArrayLike<number>): number {
  let num = 0, den = 0;
  for (let i = 0; i < ref.length; i++) {
    num = Math.max(num, Math.abs(x[i] - ref[i]));
    den = Math.max(den, Math.abs(ref[i]));
  }
  return den === 0 ? num : num / den;
}

Deno.test("loadOpenBlas caches the handle or explains its absence", () => {
  assert.equal(loadOpenBlas(), blas);
  if (absent) assert.ok((openBlasLoadError() ?? "").length > 0);
  else assert.equal(openBlasLoadError(), null);
});

Deno.test({
  name: "sgemm matches a float64 reference",
  ignore: absent,
  fn: async (t) => {
    const rng = new Rng(20230701n);
    for (const transA of [false, true]) {
      for (const transB of [false, true]) {
        await t.step(`transA=${transA} transB=${transB}`, () => {
          for (let trial = 0; trial < 4; trial++) {
            const m = 1 + rng.int(30), n = 1 + rng.int(30), k = 1 + rng.int(60);
            // Strides with padding on some trials.
            const pad = trial % 2 === 0 ? 0 : 1 + rng.int(3);
            const lda = (transA ? m : k) + pad;
            const ldb = (transB ? k : n) + pad;
            const ldc = n + pad;
            const a = randn(rng, (transA ? k : m) * lda);
            const b = randn(rng, (transB ? n : k) * ldb);
            const c = randn(rng, m * ldc);
            const alpha = trial === 0 ? 1 : rng.normal();
            const beta = trial === 0 ? 0 : rng.normal();
            const want = referenceGemm(
              transA,
              transB,
              m,
              n,
              k,
              alpha,
              a,
              lda,
              b,
              ldb,
              beta,
              c,
              ldc,
            );
            blas!.sgemm(
              transA,
              transB,
              m,
              n,
              k,
              alpha,
              a,
              lda,
              b,
              ldb,
              beta,
              c,
              ldc,
            );
            assert.ok(
              relativeError(c, want) < 1e-5,
              `m=${m} n=${n} k=${k}: error ${relativeError(c, want)}`,
            );
          }
        });
      }
    }
  },
});

Deno.test({
  name: "sgemm works on subarray views and with k = 0",
  ignore: absent,
  fn: () => {
    const a = new Float32Array([9, 1, 2, 3, 4]).subarray(1); // [[1,2],[3,4]]
    const b = new Float32Array([9, 9, 1, 0, 0, 1]).subarray(2); // identity
    const c = new Float32Array([7, 0, 0, 0, 0]);
    blas!.sgemm(false, false, 2, 2, 2, 1, a, 2, b, 2, 0, c.subarray(1), 2);
    assert.deepEqual(Array.from(c), [7, 1, 2, 3, 4]);
    const d = new Float32Array([1, 2, 3, 4]);
    blas!.sgemm(
      false,
      false,
      2,
      2,
      0,
      1,
      new Float32Array(0),
      1,
      d,
      2,
      2,
      d,
      2,
    );
    assert.deepEqual(Array.from(d), [2, 4, 6, 8]);
  },
});

Deno.test({
  name: "sgemm rejects arrays too short for their dimensions",
  ignore: absent,
  fn: () => {
    const x = new Float32Array(6), y = new Float32Array(4);
    assert.throws(
      () => blas!.sgemm(false, false, 2, 2, 3, 1, x, 3, y, 2, 0, y, 2),
      RangeError,
    );
    assert.throws(
      () => blas!.sgemm(false, false, 2, 2, 2, 1, x, 1, x, 2, 0, y, 2),
      RangeError,
    );
    assert.throws(
      () => blas!.sgemm(false, false, 2.5, 2, 2, 1, x, 2, x, 2, 0, y, 2),
      RangeError,
    );
  },
});

Deno.test({
  name: "threads, config, and close then reload",
  ignore: absent,
  fn: () => {
    const lib = loadOpenBlas()!;
    assert.ok(lib.threads() >= 1);
    assert.match(lib.config(), /OpenBLAS/);
    lib.close();
    assert.throws(
      () =>
        lib.sgemm(
          false,
          false,
          1,
          1,
          1,
          1,
          new Float32Array(1),
          1,
          new Float32Array(1),
          1,
          0,
          new Float32Array(1),
          1,
        ),
      /closed/,
    );
    const again = loadOpenBlas();
    assert.ok(again !== null && again !== lib);
    const c = new Float32Array(1);
    again.sgemm(
      false,
      false,
      1,
      1,
      1,
      2,
      new Float32Array([3]),
      1,
      new Float32Array([5]),
      1,
      0,
      c,
      1,
    );
    assert.equal(c[0], 30);
  },
});
