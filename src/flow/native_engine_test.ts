import assert from "node:assert/strict";
import { backendAvailable, initBackend } from "../backend/backends.ts";
import { clusterModel, sampleClusters } from "../model/data.ts";
import {
  createFlowEngine,
  type FlowData,
  type FlowForm,
  lossWeights,
} from "./gradient_flow.ts";
import { createNativeEngine, SPAN_REFRESH_EVERY } from "./native_engine.ts";
import {
  initialWeights,
  networkOutputs,
  neuronBalance,
  parameterNormSquared,
} from "../model/network.ts";
import { loadOpenBlas } from "../backend/openblas.ts";
import { Rng } from "../model/rng.ts";
import { type NetworkWeights } from "../model/weights.ts";

const blas = loadOpenBlas();
const ignore = blas === null;
// For the tfjs reference (networkOutputs and the tfjs engine).
await initBackend(backendAvailable("wasm") ? "wasm" : "cpu");

/** A cluster instance. */
function instance(
  seed: number,
  d: number,
  n: number,
  m: number,
  initScale = 0.1,
): { data: FlowData; init: NetworkWeights<Float32Array> } {
  const rng = new Rng(seed);
  const model = clusterModel(rng, { d, k: 3 });
  const s = sampleClusters(rng, model, n);
  return {
    data: { n, d, x: s.x, y: s.y },
    init: initialWeights(rng, d, m, initScale),
  };
}

/** max_i |a_i - b_i| / max_i |b_i|. */
function maxRelative(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let num = 0, den = 0;
  for (let i = 0; i < b.length; i++) {
    num = Math.max(num, Math.abs(a[i] - b[i]));
    den = Math.max(den, Math.abs(b[i]));
  }
  return num / den;
}

/** Take `steps` Euler steps of relative length ε = 0.02. */
function run(
  engine: ReturnType<typeof createNativeEngine>,
  y: Float32Array,
  norm: number,
  steps: number,
): void {
  for (let s = 0; s < steps; s++) {
    const { coefficients } = lossWeights(engine.forward(), y);
    const dir = engine.direction(coefficients);
    engine.advance(0.02 * Math.sqrt(norm / dir));
  }
}

/** (label, d, n): span and plain-Gram when d > n, plain direct when d ≤ n. */
const SHAPES: [string, number, number, FlowForm][] = [
  ["span, d > n", 40, 12, "span"],
  ["plain Gram route, d > n", 40, 12, "plain"],
  ["plain direct route, d ≤ n", 8, 20, "plain"],
];

Deno.test({
  name: "native engine: state stays consistent with its weights",
  ignore,
  fn: async (t) => {
    for (const [label, d, n, form] of SHAPES) {
      await t.step(label, () => {
        const { data, init } = instance(1, d, n, 6);
        const engine = createNativeEngine(data, init, form, blas!);
        assert.equal(engine.kind, "native");
        assert.equal(engine.form, form);
        // Before any step: the initialization, and its outputs.
        const w0 = engine.weights();
        assert.deepEqual(w0, { ...init });
        const out0 = networkOutputs(init, data.x, n);
        assert.ok(maxRelative(engine.forward(), out0) < 1e-5);
        // Past a refresh of the carried product (span form).
        const norm = parameterNormSquared(init);
        run(engine, data.y, norm, SPAN_REFRESH_EVERY + 7);
        const w = engine.weights();
        const out = networkOutputs(w, data.x, n);
        assert.ok(maxRelative(engine.forward(), out) < 1e-4);
        // Per-neuron norms agree with the materialized weights.
        const norms = engine.neuronNorms();
        const balance = neuronBalance(w);
        for (let r = 0; r < init.m; r++) {
          const expected = norms.v[r] ** 2 - norms.wSquared[r] -
            norms.b[r] ** 2;
          assert.ok(
            Math.abs(expected - balance[r]) <= 1e-4 * parameterNormSquared(w),
          );
        }
        engine.dispose();
      });
    }
  },
});

Deno.test({
  name: "native engine: same steps as the tfjs engine",
  ignore,
  fn: async (t) => {
    for (const [label, d, n, form] of SHAPES) {
      await t.step(label, () => {
        const { data, init } = instance(2, d, n, 5);
        const norm = parameterNormSquared(init);
        const native = createNativeEngine(data, init, form, blas!);
        const tfjs = createFlowEngine(data, init, { form, engine: "tfjs" });
        try {
          for (let s = 0; s < 20; s++) {
            const a = lossWeights(native.forward(), data.y);
            const b = lossWeights(tfjs.forward(), data.y);
            assert.ok(Math.abs(a.logLoss - b.logLoss) < 1e-5);
            const da = native.direction(a.coefficients);
            const db = tfjs.direction(b.coefficients);
            assert.ok(Math.abs(da - db) <= 1e-4 * db, `${da} vs ${db}`);
            const h = 0.02 * Math.sqrt(norm / db);
            native.advance(h);
            tfjs.advance(h);
          }
          const wa = native.weights(), wb = tfjs.weights();
          assert.ok(maxRelative(wa.w, wb.w) < 1e-4);
          assert.ok(maxRelative(wa.v, wb.v) < 1e-4);
          assert.ok(maxRelative(wa.b, wb.b) < 1e-4);
        } finally {
          native.dispose();
          tfjs.dispose();
        }
      });
    }
  },
});

Deno.test({
  name: "native engine: the step protocol is enforced",
  ignore,
  fn: () => {
    const { data, init } = instance(3, 10, 6, 4);
    const engine = createNativeEngine(data, init, "span", blas!);
    assert.throws(() => engine.direction(new Float32Array(6)), /forward/);
    engine.forward();
    assert.throws(() => engine.advance(1), /direction/);
  },
});
