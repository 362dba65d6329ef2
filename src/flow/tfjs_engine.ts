/**
 * The `tfjs` engine of the gradient flow (see `./engine.ts`): the fused
 * Euler step as TensorFlow.js ops on the active backend. The first layer is
 * kept transposed (Wᵀ: d×m, or Aᵀ: n×m) and Xᵀ is precomputed, so that every
 * product is an untransposed `matMul` (tfjs-wasm is ~20× slower on
 * transposed operands); column sums are products with a row of ones. b and
 * v stay Float32Arrays, their increments are read back in double.
 *
 * @example Twenty steps of the flow on a tiny problem
 * ```ts
 * import { createTfjsEngine } from "./tfjs_engine.ts";
 * import { lossWeights } from "./engine.ts";
 * import { initBackend } from "../backend/backends.ts";
 * import assert from "node:assert/strict";
 * await initBackend("cpu");
 * const data = { n: 2, d: 2, x: new Float32Array([1, 0, 0, 1]), y: new Float32Array([1, -1]) };
 * const init = {
 *   d: 2, m: 2,
 *   w: new Float32Array([0.1, 0.2, 0.2, 0.1]),
 *   b: new Float32Array([0.1, 0.1]),
 *   v: new Float32Array([0.1, -0.1]),
 * };
 * const engine = createTfjsEngine(data, init, { form: "span" });
 * const before = lossWeights(engine.forward(), data.y).logLoss;
 * for (let s = 0; s < 20; s++) {
 *   const { coefficients } = lossWeights(engine.forward(), data.y);
 *   engine.advance(0.05 / Math.sqrt(engine.direction(coefficients)));
 * }
 * assert.ok(lossWeights(engine.forward(), data.y).logLoss < before);
 * engine.dispose();
 * ```
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs-core";
import {
  type EngineOptions,
  type FlowData,
  type FlowEngine,
  resolveForm,
  rowSquaredNorms,
  SPAN_REFRESH_EVERY,
} from "./engine.ts";
import { transposeRows } from "../model/network.ts";
import { type NetworkWeights } from "../model/weights.ts";

/** Dispose every tensor given (nulls are skipped). */
function release(...ts: (tf.Tensor | null)[]): void {
  for (const t of ts) t?.dispose();
}

/**
 * Build the TensorFlow.js engine for `data` from `init` (see the module
 * doc and {@linkcode FlowEngine} for the protocol); `options.form` defaults
 * to `auto`. The engine holds tensors until `dispose`.
 */
export function createTfjsEngine(
  data: FlowData,
  init: NetworkWeights<Float32Array>,
  options: EngineOptions = {},
): FlowEngine {
  const form = resolveForm(data, init, options);
  const { n, d } = data;
  const m = init.m;
  const span = form === "span";
  // Constants, kept across steps: X, Xᵀ, a row of ones, W0ᵀ; span form:
  // K = X Xᵀ and P0 = X W0ᵀ.
  const X = tf.tensor2d(data.x, [n, d]);
  const Xt = tf.transpose(X);
  const onesN = tf.ones([1, n]);
  let W0t: tf.Tensor2D | null = tf.tensor2d(
    transposeRows(init.w, m),
    [d, m],
  );
  const K = span ? tf.matMul(X, Xt) : null;
  const P0 = span ? tf.matMul(X, W0t) : null;
  // Per-neuron ‖w0_r‖² (span form), in double.
  const w0Squared = rowSquaredNorms(init);
  // θ: the first layer as a tensor (Wᵀ or Aᵀ), b and v as arrays.
  let first: tf.Tensor = span ? tf.zeros([n, m]) : W0t;
  if (!span) W0t = null; // now owned by `first`
  // Span form: the carried product P = P0 + K Aᵀ.
  let product: tf.Tensor | null = span ? P0!.clone() : null;
  const b = Float32Array.from(init.b);
  const v = Float32Array.from(init.v);
  const db = new Float64Array(m);
  const dv = new Float64Array(m);
  let steps = 0;
  // Per-step tensors: vᵀ, Z and relu(Z) from forward; the increments of the
  // first layer (Xᵀ G or G) and of P (K G) from direction.
  let vRow: tf.Tensor | null = null;
  let z: tf.Tensor | null = null;
  let h: tf.Tensor | null = null;
  let dFirst: tf.Tensor | null = null;
  let dProduct: tf.Tensor | null = null;

  return {
    kind: "tfjs",
    form,
    forward() {
      release(vRow, z, h);
      const vr = vRow = tf.tensor2d(v, [1, m]);
      const [zz, hh] = tf.tidy(() => {
        const bias = tf.tensor2d(b, [1, m]);
        const zz = span
          ? tf.add(product!, bias)
          : tf.add(tf.matMul(X, first as tf.Tensor2D), bias);
        return [zz, tf.relu(zz)];
      });
      z = zz;
      h = hh;
      const out = tf.tidy(() =>
        tf.matMul(hh as tf.Tensor2D, tf.reshape(vr, [m, 1]))
      );
      const outputs = out.dataSync();
      out.dispose();
      return outputs;
    },
    direction(coefficients) {
      if (z === null || h === null || vRow === null) {
        throw new Error("direction() needs a forward() first");
      }
      const zz = z, hh = h as tf.Tensor2D, vr = vRow;
      release(dFirst, dProduct);
      // G = (c vᵀ) ⊙ 1[Z > 0]; Δb = 1ᵀ G; Δv = cᵀ relu(Z); the first
      // layer moves by Xᵀ G (plain) or G (span), P by K G (span).
      const parts = tf.tidy((): Record<string, tf.Tensor> => {
        const cCol = tf.tensor2d(coefficients, [n, 1]);
        const g = tf.mul(tf.step(zz), tf.mul(cCol, vr)) as tf.Tensor2D;
        const dv = tf.matMul(tf.reshape(cCol, [1, n]), hh);
        const db = tf.matMul(onesN, g);
        if (span) {
          const kg = tf.matMul(K!, g);
          const norm = tf.sum(tf.mul(kg, g));
          return { first: g, product: kg, db, dv, norm };
        }
        const dF = tf.matMul(Xt, g);
        return { first: dF, db, dv, norm: tf.sum(tf.square(dF)) };
      });
      release(z, h);
      z = h = null;
      dFirst = parts.first;
      dProduct = parts.product ?? null;
      db.set(parts.db.dataSync());
      dv.set(parts.dv.dataSync());
      let normSquared = parts.norm.dataSync()[0];
      release(parts.db, parts.dv, parts.norm);
      for (let r = 0; r < m; r++) normSquared += db[r] ** 2 + dv[r] ** 2;
      return normSquared;
    },
    advance(step) {
      if (dFirst === null) throw new Error("advance() needs a direction()");
      const df = dFirst, dp = dProduct;
      const oldFirst = first, oldProduct = product;
      first = tf.tidy(() => tf.add(oldFirst, tf.mul(df, step)));
      if (span) {
        product = (steps + 1) % SPAN_REFRESH_EVERY === 0
          ? tf.tidy(() => tf.add(tf.matMul(K!, first as tf.Tensor2D), P0!))
          : tf.tidy(() => tf.add(oldProduct!, tf.mul(dp!, step)));
      }
      release(oldFirst, oldProduct, dFirst, dProduct, vRow);
      dFirst = dProduct = vRow = null;
      for (let r = 0; r < m; r++) {
        b[r] += step * db[r];
        v[r] += step * dv[r];
      }
      steps++;
    },
    neuronNorms() {
      const f = first as tf.Tensor2D;
      const norms = tf.tidy(() => {
        if (!span) return tf.matMul(tf.ones([1, d]), tf.square(f));
        // ‖w_r‖² = ‖w0_r‖² + Σ_i A_ri (2 P0 + K Aᵀ)_ir
        const cross = tf.mul(f, tf.add(tf.mul(P0!, 2), tf.matMul(K!, f)));
        return tf.matMul(onesN, cross);
      });
      const wSquared = Float64Array.from(norms.dataSync());
      norms.dispose();
      if (span) { for (let r = 0; r < m; r++) wSquared[r] += w0Squared[r]; }
      return { wSquared, b: b.slice(), v: v.slice() };
    },
    weights() {
      const f = first as tf.Tensor2D;
      const wt = span ? tf.tidy(() => tf.add(tf.matMul(Xt, f), W0t!)) : f;
      const w = transposeRows(wt.dataSync() as Float32Array, d);
      if (span) wt.dispose();
      return { d, m, w, b: b.slice(), v: v.slice() };
    },
    dispose() {
      release(X, Xt, K, onesN, W0t, P0, first, product);
      release(vRow, z, h, dFirst, dProduct);
    },
  };
}
