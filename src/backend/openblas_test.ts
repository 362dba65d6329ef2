import assert from "node:assert/strict";
import {
  loadOpenBlas,
  openBlasLoadError,
  type SgemmOptions,
} from "./openblas.ts";
import { Rng } from "../model/rng.ts";
import { maxRelativeError } from "../../fixtures/numeric.ts";

const blas = loadOpenBlas();
const absent = blas === null;

/** Float32 copy of `n` standard normal draws. */
function randn(rng: Rng, n: number): Float32Array {
  return Float32Array.from(rng.normalArray(n));
}

/**
 * Reference `alpha·op(A)·op(B) + beta·C` in float64, row-major, with the
 * options and stride defaults of `sgemm`; `options.c` is left unchanged.
 */
function referenceGemm<A extends Float32Array | Float64Array>(
  a: A,
  b: A,
  options: SgemmOptions<A>,
): Float64Array {
  const { m, n, k, c, transA = false, transB = false } = options;
  const { alpha = 1, beta = 0 } = options;
  const { lda = transA ? m : k, ldb = transB ? k : n, ldc = n } = options;
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
            // Strides with padding on some trials; the defaults on trial 0.
            const pad = trial % 2 === 0 ? 0 : 1 + rng.int(3);
            const lda = (transA ? m : k) + pad;
            const ldb = (transB ? k : n) + pad;
            const ldc = n + pad;
            const a = randn(rng, (transA ? k : m) * lda);
            const b = randn(rng, (transB ? n : k) * ldb);
            const c = randn(rng, m * ldc);
            const options: SgemmOptions = trial === 0
              ? { m, n, k, c, transA, transB }
              : {
                m,
                n,
                k,
                c,
                transA,
                transB,
                alpha: rng.normal(),
                beta: rng.normal(),
                lda,
                ldb,
                ldc,
              };
            const want = referenceGemm(a, b, options);
            blas!.sgemm(a, b, options);
            const error = maxRelativeError(c, want);
            assert.ok(error < 1e-5, `m=${m} n=${n} k=${k}: error ${error}`);
          }
        });
      }
    }
  },
});

Deno.test({
  name: "dgemm matches a float64 reference to float64 rounding",
  ignore: absent || !blas!.hasDgemm(),
  fn: () => {
    const rng = new Rng(20230702n);
    for (
      const [transA, transB] of [[false, false], [true, false], [false, true]]
    ) {
      const m = 1 + rng.int(20), n = 1 + rng.int(20), k = 1 + rng.int(40);
      const a = rng.normalArray((transA ? k : m) * (transA ? m : k));
      const b = rng.normalArray((transB ? n : k) * (transB ? k : n));
      const c = rng.normalArray(m * n);
      const options = { m, n, k, c, transA, transB, alpha: 0.5, beta: -2 };
      const want = referenceGemm(a, b, options);
      blas!.dgemm(a, b, options);
      const error = maxRelativeError(c, want);
      assert.ok(error < 1e-12, `m=${m} n=${n} k=${k}: error ${error}`);
    }
    assert.throws(
      () =>
        blas!.dgemm(new Float64Array(2), new Float64Array(2), {
          m: 2,
          n: 2,
          k: 2,
          c: new Float64Array(4),
        }),
      /dgemm: a has 2 elements/,
    );
  },
});

Deno.test({
  name: "sgemm works on subarray views and with k = 0",
  ignore: absent,
  fn: () => {
    const a = new Float32Array([9, 1, 2, 3, 4]).subarray(1); // [[1,2],[3,4]]
    const b = new Float32Array([9, 9, 1, 0, 0, 1]).subarray(2); // identity
    const c = new Float32Array([7, 0, 0, 0, 0]);
    blas!.sgemm(a, b, { m: 2, n: 2, k: 2, c: c.subarray(1) });
    assert.deepEqual(Array.from(c), [7, 1, 2, 3, 4]);
    const d = new Float32Array([1, 2, 3, 4]);
    blas!.sgemm(new Float32Array(0), d, { m: 2, n: 2, k: 0, c: d, beta: 2 });
    assert.deepEqual(Array.from(d), [2, 4, 6, 8]);
  },
});

Deno.test({
  name: "sgemm rejects arrays too short for their dimensions",
  ignore: absent,
  fn: () => {
    const x = new Float32Array(6), y = new Float32Array(4);
    assert.throws(
      () => blas!.sgemm(x, y, { m: 2, n: 2, k: 3, c: y }),
      RangeError,
    );
    assert.throws(
      () => blas!.sgemm(x, x, { m: 2, n: 2, k: 2, c: y, lda: 1 }),
      RangeError,
    );
    assert.throws(
      () => blas!.sgemm(x, x, { m: 2.5, n: 2, k: 2, c: y }),
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
    assert.match(lib.corename(), /^\w+$/);
    lib.close();
    const one = () => new Float32Array(1);
    assert.throws(
      () => lib.sgemm(one(), one(), { m: 1, n: 1, k: 1, c: one() }),
      /closed/,
    );
    const again = loadOpenBlas();
    assert.ok(again !== null && again !== lib);
    const c = new Float32Array(1);
    again.sgemm(new Float32Array([3]), new Float32Array([5]), {
      m: 1,
      n: 1,
      k: 1,
      c,
      alpha: 2,
    });
    assert.equal(c[0], 30);
  },
});
