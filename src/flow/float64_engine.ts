/**
 * The `float64` engine of the gradient flow (see `./engine.ts`): the same
 * fused Euler step as the float32 engines, every array in double precision.
 * TensorFlow.js has no float64, so the products run through OpenBLAS
 * `dgemm` (`../backend/openblas.ts`, single-threaded in the workers), the
 * WebAssembly SIMD kernels (`../backend/simd_gemm.ts`), or the plain
 * TypeScript {@linkcode gemm64} below; the elementwise work is plain loops
 * in every case.
 *
 * Why float64: the flow's weights c_i ∝ σ(-q_i) depend on margin
 * differences q_i - q_min, which must be resolved to much better than 1 in
 * absolute terms. Float32 carries about 7 digits, so it stops being faithful
 * once q_min is about 10⁴ (the driver's `maxMargin`); float64 carries 29
 * more bits and stays faithful up to q_min ≈ 10⁴·2²⁹ ≈ 5·10¹²
 * ({@linkcode FLOAT64_MAX_MARGIN}). Since t ≈ e^{q_min} late in training,
 * that is t up to about 10^(2·10¹²). The driver `gradientFlow` runs this
 * engine as a continuation of a float32 run that reached its margin cap
 * (option `continuation`), or for a whole run (`engine: "float64"`).
 *
 * Per step, with Z the pre-activations (n×m) and G = (c vᵀ) ⊙ 1[Z > 0]:
 * - span form (W = W0 + A X, d > n): Z = P + b with P = X W0ᵀ + K Aᵀ,
 *   K = X Xᵀ, carried along (P ← P + h K G) and recomputed exactly every
 *   `SPAN_REFRESH_EVERY` steps; ‖Xᵀ G‖² = Σ G ⊙ (K G): one n×n by n×m
 *   product per step (n²m multiply-adds).
 * - plain form (Wᵀ: d×m): Z = X Wᵀ + b and Wᵀ ← Wᵀ + h Xᵀ G: two n×d by
 *   d×m products per step.
 *
 * @example Twenty float64 steps on a tiny problem
 * ```ts
 * import { createFloat64Engine } from "./float64_engine.ts";
 * import { lossWeights64 } from "./engine.ts";
 * import assert from "node:assert/strict";
 * const data = { n: 2, d: 2, x: new Float32Array([1, 0, 0, 1]), y: new Float32Array([1, -1]) };
 * const init = {
 *   d: 2, m: 2,
 *   w: new Float64Array([0.1, 0.2, 0.2, 0.1]),
 *   b: new Float64Array([0.1, 0.1]),
 *   v: new Float64Array([0.1, -0.1]),
 * };
 * const engine = createFloat64Engine(data, init, { form: "span", products: "typescript" });
 * const before = lossWeights64(engine.forward(), data.y).logLoss;
 * for (let s = 0; s < 20; s++) {
 *   const { coefficients } = lossWeights64(engine.forward(), data.y);
 *   engine.advance(0.05 / Math.sqrt(engine.direction(coefficients)));
 * }
 * assert.ok(lossWeights64(engine.forward(), data.y).logLoss < before);
 * ```
 *
 * @module
 */

import {
  type EngineOptions,
  firstLayerSquaredNorms,
  type FlowData,
  type NeuronNorms,
  pairedDot,
  resolveForm,
  SPAN_REFRESH_EVERY,
  type StepEngine,
} from "./engine.ts";
import {
  loadOpenBlas,
  type OpenBlas,
  type SgemmOptions,
} from "../backend/openblas.ts";
import { loadSimdGemm } from "../backend/simd_gemm.ts";
import { transposeInto } from "../model/network.ts";
import { type NetworkWeights } from "../model/weights.ts";

/**
 * The largest smallest margin min_i q_i up to which the float64 engine is
 * trusted: float32's cap of 10⁴ scaled by the 2²⁹ ratio of the two unit
 * roundoffs (2⁻²⁴ and 2⁻⁵³), so that margin differences are resolved as
 * finely as in float32 at its cap.
 */
export const FLOAT64_MAX_MARGIN = 1e4 * 2 ** 29;

/** How the float64 engine multiplies matrices. */
export type ProductKind = "openblas" | "simd" | "typescript";

/** A float64 engine of the flow. */
export interface Float64Engine extends StepEngine<Float64Array> {
  /** Always `float64`. */
  readonly kind: "float64";
  /** What runs the products. */
  readonly products: ProductKind;
}

/** Options of {@linkcode createFloat64Engine}. */
export interface Float64EngineOptions extends EngineOptions {
  /**
   * `openblas` (`dgemm`; an `Error` when it cannot be loaded), `simd` (an
   * `Error` without WebAssembly SIMD), `typescript`, or `auto` (default):
   * `openblas` when OpenBLAS with `cblas_dgemm` loads, else `simd` when it
   * compiles, else `typescript`.
   */
  products?: ProductKind | "auto";
}

/** A float64 product routine with the options of `sgemm`. */
export type Gemm64 = (
  a: Float64Array,
  b: Float64Array,
  options: SgemmOptions<Float64Array>,
) => void;

/**
 * Row-major C ← alpha·op(A)·op(B) + beta·C in float64, in plain TypeScript,
 * with the options and stride defaults of `sgemm` (`../backend/openblas.ts`).
 * Without a transposed B it runs row by row as axpy updates (contiguous
 * inner loops); with Bᵀ as dot products of rows.
 *
 * @example
 * ```ts
 * import { gemm64 } from "./float64_engine.ts";
 * import assert from "node:assert/strict";
 * const c = new Float64Array(4);
 * gemm64(new Float64Array([1, 2, 3, 4]), new Float64Array([5, 6, 7, 8]), { m: 2, n: 2, k: 2, c });
 * assert.deepEqual([...c], [19, 22, 43, 50]);
 * ```
 */
export function gemm64(
  a: Float64Array,
  b: Float64Array,
  options: SgemmOptions<Float64Array>,
): void {
  const { m, n, k, c, transA = false, transB = false } = options;
  const { alpha = 1, beta = 0 } = options;
  const lda = options.lda ?? Math.max(1, transA ? m : k);
  const ldb = options.ldb ?? Math.max(1, transB ? k : n);
  const ldc = options.ldc ?? Math.max(1, n);
  for (let i = 0; i < m; i++) {
    const ci = i * ldc;
    if (beta === 0) c.fill(0, ci, ci + n);
    else if (beta !== 1) { for (let j = 0; j < n; j++) c[ci + j] *= beta; }
    if (transB) {
      for (let j = 0; j < n; j++) {
        const bj = j * ldb;
        let s0 = 0, s1 = 0;
        let p = 0;
        for (; p + 1 < k; p += 2) {
          const a0 = transA ? a[p * lda + i] : a[i * lda + p];
          const a1 = transA ? a[(p + 1) * lda + i] : a[i * lda + p + 1];
          s0 += a0 * b[bj + p];
          s1 += a1 * b[bj + p + 1];
        }
        if (p < k) s0 += (transA ? a[p * lda + i] : a[i * lda + p]) * b[bj + p];
        c[ci + j] += alpha * (s0 + s1);
      }
      continue;
    }
    for (let p = 0; p < k; p++) {
      const aip = alpha * (transA ? a[p * lda + i] : a[i * lda + p]);
      if (aip === 0) continue;
      const bp = p * ldb;
      for (let j = 0; j < n; j++) c[ci + j] += aip * b[bp + j];
    }
  }
}

/**
 * The float64 product routine for a choice of products, and its name:
 * `openblas` (`dgemm`; an `Error` when OpenBLAS or `cblas_dgemm` is
 * missing), `simd` (`dgemm` of `../backend/simd_gemm.ts`; an `Error` without
 * WebAssembly SIMD), `typescript` ({@linkcode gemm64}), or `auto`
 * (`openblas` when it loads, else `simd` when it compiles, else
 * `typescript`).
 *
 * @example
 * ```ts
 * import { chooseProducts } from "./float64_engine.ts";
 * import assert from "node:assert/strict";
 * assert.equal(chooseProducts("typescript").products, "typescript");
 * ```
 */
export function chooseProducts(
  choice: ProductKind | "auto",
): { products: ProductKind; gemm: Gemm64 } {
  const blas: OpenBlas | null = choice === "auto" || choice === "openblas"
    ? loadOpenBlas()
    : null;
  if (blas !== null && blas.hasDgemm()) {
    return { products: "openblas", gemm: (a, b, o) => blas.dgemm(a, b, o) };
  }
  if (choice === "openblas") {
    throw new Error(
      `products "openblas" needs OpenBLAS with cblas_dgemm and --allow-ffi`,
    );
  }
  const simd = choice === "auto" || choice === "simd" ? loadSimdGemm() : null;
  if (simd !== null) {
    return { products: "simd", gemm: (a, b, o) => simd.dgemm(a, b, o) };
  }
  if (choice === "simd") {
    throw new Error(`products "simd" need WebAssembly SIMD`);
  }
  return { products: "typescript", gemm: gemm64 };
}

/**
 * Build the float64 engine for `data` from `init` (see the module doc and
 * {@linkcode StepEngine} for the protocol); `options.form` and
 * `options.products` default to `auto`.
 */
export function createFloat64Engine(
  data: FlowData,
  init: NetworkWeights<Float64Array>,
  options: Float64EngineOptions = {},
): Float64Engine {
  const form = resolveForm(data, init, options);
  const { products, gemm } = chooseProducts(options.products ?? "auto");
  const { n, d } = data;
  const m = init.m;
  const span = form === "span";
  const X = Float64Array.from(data.x);
  const w0 = Float64Array.from(init.w);
  const b = Float64Array.from(init.b);
  const v = Float64Array.from(init.v);
  const db = new Float64Array(m);
  const dv = new Float64Array(m);
  const outputs = new Float64Array(n);
  const Z = new Float64Array(n * m);
  const G = new Float64Array(n * m);
  const gram = span || d > n;
  const K = gram ? new Float64Array(n * n) : null;
  if (K !== null) gemm(X, X, { m: n, n, k: d, c: K, transB: true });
  const KG = gram ? new Float64Array(n * m) : null;
  // Span form: Aᵀ (n×m), P0 = X W0ᵀ, the carried P; plain form: Wᵀ (d×m).
  const At = span ? new Float64Array(n * m) : null;
  const P0 = span ? new Float64Array(n * m) : null;
  if (P0 !== null) gemm(X, w0, { m: n, n: m, k: d, c: P0, transB: true });
  const P = P0?.slice() ?? null;
  const Wt = span ? null : transposeInto(w0, m, new Float64Array(w0.length));
  const D = span || gram ? null : new Float64Array(d * m);
  const w0Squared = new Float64Array(m);
  for (let r = 0; r < m; r++) {
    let s = 0;
    for (let t = 0; t < d; t++) s += w0[r * d + t] ** 2;
    w0Squared[r] = s;
  }
  let steps = 0;
  let haveForward = false;
  let haveDirection = false;

  return {
    kind: "float64",
    form,
    products,
    forward() {
      if (!span) gemm(X, Wt!, { m: n, n: m, k: d, c: Z });
      const pre = span ? P! : Z;
      for (let i = 0; i < n; i++) {
        const row = i * m;
        let s = 0;
        for (let r = 0; r < m; r++) {
          const z = pre[row + r] + b[r];
          Z[row + r] = z;
          if (z > 0) s += v[r] * z;
        }
        outputs[i] = s;
      }
      haveForward = true;
      haveDirection = false;
      return outputs;
    },
    direction(coefficients) {
      if (!haveForward) throw new Error("direction() needs a forward() first");
      db.fill(0);
      dv.fill(0);
      for (let i = 0; i < n; i++) {
        const row = i * m;
        const ci = coefficients[i];
        for (let r = 0; r < m; r++) {
          const z = Z[row + r];
          if (z > 0) {
            const g = ci * v[r];
            G[row + r] = g;
            db[r] += g;
            dv[r] += ci * z;
          } else {
            G[row + r] = 0;
          }
        }
      }
      let normSquared = pairedDot(db, db) + pairedDot(dv, dv);
      if (gram) {
        gemm(K!, G, { m: n, n: m, k: n, c: KG! });
        normSquared += pairedDot(G, KG!);
      } else {
        gemm(X, G, { m: d, n: m, k: n, c: D!, transA: true });
        normSquared += pairedDot(D!, D!);
      }
      haveForward = false;
      haveDirection = true;
      return normSquared;
    },
    advance(h) {
      if (!haveDirection) throw new Error("advance() needs a direction()");
      if (span) {
        for (let j = 0; j < At!.length; j++) At![j] += h * G[j];
        if ((steps + 1) % SPAN_REFRESH_EVERY === 0) {
          P!.set(P0!);
          gemm(K!, At!, { m: n, n: m, k: n, c: P!, beta: 1 });
        } else {
          for (let j = 0; j < P!.length; j++) P![j] += h * KG![j];
        }
      } else if (gram) {
        gemm(X, G, {
          m: d,
          n: m,
          k: n,
          c: Wt!,
          transA: true,
          alpha: h,
          beta: 1,
        });
      } else {
        for (let j = 0; j < Wt!.length; j++) Wt![j] += h * D![j];
      }
      for (let r = 0; r < m; r++) {
        b[r] += h * db[r];
        v[r] += h * dv[r];
      }
      haveDirection = false;
      steps++;
    },
    neuronNorms(): NeuronNorms {
      const KA = span ? new Float64Array(n * m) : null;
      if (KA !== null) gemm(K!, At!, { m: n, n: m, k: n, c: KA });
      const wSquared = firstLayerSquaredNorms(
        KA !== null
          ? { form: "span", w0Squared, at: At!, p0: P0!, ka: KA }
          : { form: "plain", wt: Wt! },
        m,
      );
      return { wSquared, b: b.slice(), v: v.slice() };
    },
    weights(): NetworkWeights<Float64Array> {
      let w: Float64Array;
      if (span) {
        // W = W0 + A X
        w = w0.slice();
        gemm(At!, X, { m, n: d, k: n, c: w, transA: true, beta: 1 });
      } else {
        w = transposeInto(Wt!, d, new Float64Array(Wt!.length));
      }
      return { d, m, w, b: b.slice(), v: v.slice() };
    },
    dispose() {
      haveForward = haveDirection = false;
    },
  };
}
