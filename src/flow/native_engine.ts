/**
 * The `native` engine of the gradient flow (see `./engine.ts`): the
 * whole fused Euler step on preallocated Float32Arrays, with OpenBLAS
 * `sgemm` (`../backend/openblas.ts`) for the matrix products and plain loops for the
 * elementwise work on n×m arrays. No tensor is created, and no buffer is
 * allocated per step except the length-n coefficients of `lossWeights`.
 *
 * Per step, with Z the pre-activations (n×m), G = (c vᵀ) ⊙ 1[Z > 0]:
 * - plain form (W kept as Wᵀ, d×m): Z = X Wᵀ + b, one n×d by d×m product;
 *   the step Wᵀ ← Wᵀ + h Xᵀ G is a second one. ‖Xᵀ G‖² is
 *   Σ G ⊙ (K G) with K = X Xᵀ when d > n (an n²m product, and Wᵀ is then
 *   updated in place by `sgemm` with β = 1), else the squared norm of an
 *   explicit Xᵀ G kept in a d×m scratch buffer.
 * - span form (W = W0 + A X, Aᵀ: n×m): Z = P + b with P = X W0ᵀ + K Aᵀ
 *   carried along (P ← P + h K G), recomputed exactly every
 *   `SPAN_REFRESH_EVERY` steps; K G (n²m) gives ‖Xᵀ G‖² = Σ G ⊙ (K G).
 * The outputs N(x_i) and the squared norms are accumulated in double
 * precision; the column sums Δb = 1ᵀ G and Δv = cᵀ relu(Z) are 1×n by n×m
 * products, in float32 as in the tfjs engine.
 *
 * @example Twenty steps of the flow on a tiny problem (when OpenBLAS loads)
 * ```ts
 * import { createNativeEngine } from "./native_engine.ts";
 * import { lossWeights } from "./engine.ts";
 * import { loadOpenBlas } from "../backend/openblas.ts";
 * import assert from "node:assert/strict";
 * if (loadOpenBlas() !== null) {
 *   const data = { n: 2, d: 2, x: new Float32Array([1, 0, 0, 1]), y: new Float32Array([1, -1]) };
 *   const init = {
 *     d: 2, m: 2,
 *     w: new Float32Array([0.1, 0.2, 0.2, 0.1]),
 *     b: new Float32Array([0.1, 0.1]),
 *     v: new Float32Array([0.1, -0.1]),
 *   };
 *   const engine = createNativeEngine(data, init, { form: "span" });
 *   const before = lossWeights(engine.forward(), data.y).logLoss;
 *   for (let s = 0; s < 20; s++) {
 *     const { coefficients } = lossWeights(engine.forward(), data.y);
 *     engine.advance(0.05 / Math.sqrt(engine.direction(coefficients)));
 *   }
 *   assert.ok(lossWeights(engine.forward(), data.y).logLoss < before);
 * }
 * ```
 *
 * @module
 */

import {
  type EngineOptions,
  firstLayerSquaredNorms,
  type FlowData,
  type FlowEngine,
  type NeuronNorms,
  pairedDot,
  resolveForm,
  rowSquaredNorms,
  SPAN_REFRESH_EVERY,
} from "./engine.ts";
import { transposeRows } from "../model/network.ts";
import { loadOpenBlas, type OpenBlas } from "../backend/openblas.ts";
import { type NetworkWeights } from "../model/weights.ts";

/** Options of {@linkcode createNativeEngine}. */
export interface NativeEngineOptions extends EngineOptions {
  /**
   * The OpenBLAS to run the products with; default {@linkcode loadOpenBlas}
   * (an `Error` when it cannot be loaded).
   */
  blas?: OpenBlas;
}

/** The OpenBLAS of `options`, else the loaded one, else an Error. */
function requireBlas(options: NativeEngineOptions): OpenBlas {
  const blas = options.blas ?? loadOpenBlas();
  if (blas === null) {
    throw new Error(
      `engine "native" needs OpenBLAS (libopenblas0) and --allow-ffi`,
    );
  }
  return blas;
}

/**
 * Build the native engine for `data` from `init`; `options.form` defaults
 * to `auto`. `data.x` is used in place (not copied) and must not change
 * while the engine is in use. See {@linkcode FlowEngine} for the protocol.
 *
 * The elementwise loops are branch-free (the activation pattern of a ReLU
 * layer is close to random, and mispredicted branches cost more than the
 * arithmetic): relu(z) = (z + |z|)/2, which is exact in float32, and the
 * mask 1[z > 0] is read off the sign and zero bits of relu(z).
 */
export function createNativeEngine(
  data: FlowData,
  init: NetworkWeights<Float32Array>,
  options: NativeEngineOptions = {},
): FlowEngine {
  const form = resolveForm(data, init, options);
  const blas = requireBlas(options);
  const { n, d } = data;
  const m = init.m;
  const X = data.x;
  const span = form === "span";
  // Plain form: Gram route for ‖Xᵀ G‖² when it is cheaper (n < d).
  const gram = span || d > n;

  const b = Float32Array.from(init.b);
  const v = Float32Array.from(init.v);
  const db = new Float32Array(m);
  const dv = new Float32Array(m);
  const ones = new Float32Array(n).fill(1);
  const outputs = new Float64Array(n);
  // relu(Z) (n×m) from forward, with its bits for the mask.
  const H = new Float32Array(n * m);
  const hBits = new Int32Array(H.buffer);
  const G = new Float32Array(n * m);
  // Plain form: X Wᵀ (n×m) before the bias.
  const XW = span ? null : new Float32Array(n * m);
  // K = X Xᵀ and K G (span form, or plain with d > n).
  let K: Float32Array | null = null;
  let KG: Float32Array | null = null;
  if (gram) {
    K = new Float32Array(n * n);
    blas.sgemm(X, X, { m: n, n, k: d, c: K, transB: true });
    KG = new Float32Array(n * m);
  }
  // Plain form: Wᵀ (d×m), and Xᵀ G (d×m) when not on the Gram route.
  const Wt = span ? null : transposeRows(init.w, m);
  const D = span || gram ? null : new Float32Array(d * m);
  // Span form: Aᵀ (n×m), P0 = X W0ᵀ, P = P0 + K Aᵀ, ‖w0_r‖², scratch.
  let At: Float32Array | null = null;
  let P0: Float32Array | null = null;
  let P: Float32Array | null = null;
  let scratch: Float32Array | null = null;
  const w0Squared = span ? rowSquaredNorms(init) : new Float64Array(m);
  if (span) {
    At = new Float32Array(n * m);
    P0 = new Float32Array(n * m);
    blas.sgemm(X, init.w, { m: n, n: m, k: d, c: P0, transB: true });
    P = P0.slice();
    scratch = new Float32Array(n * m);
  }
  let steps = 0;
  let haveForward = false;
  let haveDirection = false;

  /** H ← relu(pre + b), outputs ← H v (in double). */
  const activate = (pre: Float32Array): void => {
    for (let i = 0; i < n; i++) {
      const row = i * m;
      let s = 0;
      for (let r = 0; r < m; r++) {
        const z = Math.fround(pre[row + r] + b[r]);
        const twice = z + Math.abs(z); // 2 relu(z), exact
        H[row + r] = 0.5 * twice;
        s += v[r] * twice;
      }
      outputs[i] = 0.5 * s;
    }
  };

  return {
    kind: "native",
    form,
    forward() {
      if (span) {
        activate(P!);
      } else {
        blas.sgemm(X, Wt!, { m: n, n: m, k: d, c: XW! });
        activate(XW!);
      }
      haveForward = true;
      haveDirection = false;
      return outputs;
    },
    direction(coefficients) {
      if (!haveForward) throw new Error("direction() needs a forward() first");
      // G = (c vᵀ) ⊙ 1[H > 0]; H ≥ +0, so H > 0 iff its bits are > 0.
      for (let i = 0; i < n; i++) {
        const row = i * m;
        const ci = coefficients[i];
        for (let r = 0; r < m; r++) {
          G[row + r] = Math.fround(ci * v[r]) * ((-hBits[row + r]) >>> 31);
        }
      }
      // Δb = 1ᵀ G, Δv = cᵀ relu(Z).
      blas.sgemm(ones, G, { m: 1, n: m, k: n, c: db });
      blas.sgemm(coefficients, H, { m: 1, n: m, k: n, c: dv });
      let normSquared = pairedDot(db, db) + pairedDot(dv, dv);
      if (gram) {
        blas.sgemm(K!, G, { m: n, n: m, k: n, c: KG! });
        normSquared += pairedDot(G, KG!);
      } else {
        blas.sgemm(X, G, { m: d, n: m, k: n, c: D!, transA: true });
        normSquared += pairedDot(D!, D!);
      }
      haveForward = false;
      haveDirection = true;
      return normSquared;
    },
    advance(h) {
      if (!haveDirection) throw new Error("advance() needs a direction()");
      /** y ← y + h·x, elementwise (rounded to float32 on store). */
      const addStep = (y: Float32Array, x: Float32Array): void => {
        for (let i = 0; i < y.length; i++) y[i] += h * x[i];
      };
      if (span) {
        addStep(At!, G);
        if ((steps + 1) % SPAN_REFRESH_EVERY === 0) {
          P!.set(P0!);
          blas.sgemm(K!, At!, { m: n, n: m, k: n, c: P!, beta: 1 });
        } else {
          addStep(P!, KG!);
        }
      } else if (gram) {
        // Wᵀ ← Wᵀ + h Xᵀ G, in place.
        blas.sgemm(X, G, {
          m: d,
          n: m,
          k: n,
          c: Wt!,
          transA: true,
          alpha: h,
          beta: 1,
        });
      } else {
        addStep(Wt!, D!);
      }
      addStep(b, db);
      addStep(v, dv);
      haveDirection = false;
      steps++;
    },
    neuronNorms(): NeuronNorms {
      if (span) blas.sgemm(K!, At!, { m: n, n: m, k: n, c: scratch! });
      const wSquared = firstLayerSquaredNorms(
        span
          ? { form: "span", w0Squared, at: At!, p0: P0!, ka: scratch! }
          : { form: "plain", wt: Wt! },
        m,
      );
      return { wSquared, b: b.slice(), v: v.slice() };
    },
    weights(): NetworkWeights<Float32Array> {
      let w: Float32Array;
      if (span) {
        // W = W0 + A X
        w = init.w.slice();
        blas.sgemm(At!, X, { m, n: d, k: n, c: w, transA: true, beta: 1 });
      } else {
        w = transposeRows(Wt!, d);
      }
      return { d, m, w, b: b.slice(), v: v.slice() };
    },
    dispose() {
      haveForward = haveDirection = false;
    },
  };
}
