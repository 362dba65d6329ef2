import assert from "node:assert/strict";
import { backendAvailable, initBackend } from "../backend/backends.ts";
import { loadSimdGemm } from "../backend/simd_gemm.ts";
import { type FlowForm, lossWeights, SPAN_REFRESH_EVERY } from "./engine.ts";
import { createSimdEngine } from "./simd_engine.ts";
import { createTfjsEngine } from "./tfjs_engine.ts";
import {
  networkOutputs,
  neuronBalance,
  parameterNormSquared,
} from "../model/network.ts";
import { type NetworkWeights } from "../model/weights.ts";
import { flowInstance } from "../../fixtures/flow_instance.ts";
import { maxRelativeError } from "../../fixtures/numeric.ts";
import { assertLockstep } from "../../fixtures/engine_lockstep.ts";

const ignore = loadSimdGemm() === null;
// For the tfjs reference (networkOutputs and the tfjs engine).
await initBackend(backendAvailable("wasm") ? "wasm" : "cpu");

/** A cluster instance on 3 clusters, initialized at scale 0.1. */
function instance(seed: number, size: { d: number; n: number; m: number }) {
  return flowInstance(seed, { ...size, k: 3, initScale: 0.1 });
}

/** A problem shape and form. */
interface Shape {
  label: string;
  d: number;
  n: number;
  m: number;
  form: FlowForm;
}

/**
 * Span, plain with the Gram route (d > n), plain direct (d ≤ n); sizes on
 * and off the 4-row and 8-column tiles.
 */
const SHAPES: Shape[] = [
  { label: "span, d > n", d: 40, n: 12, m: 8, form: "span" },
  { label: "span, ragged", d: 37, n: 13, m: 7, form: "span" },
  { label: "plain Gram route, d > n", d: 40, n: 12, m: 6, form: "plain" },
  { label: "plain Gram route, ragged", d: 29, n: 11, m: 9, form: "plain" },
  { label: "plain direct route, d ≤ n", d: 8, n: 20, m: 6, form: "plain" },
  { label: "plain direct, ragged", d: 7, n: 21, m: 17, form: "plain" },
];

/** A test with one step per shape of SHAPES (skipped without SIMD). */
function testShapes(name: string, body: (shape: Shape) => void): void {
  Deno.test({
    name,
    ignore,
    fn: async (t) => {
      for (const shape of SHAPES) await t.step(shape.label, () => body(shape));
    },
  });
}

testShapes(
  "simd engine: state stays consistent with its weights",
  ({ d, n, m, form }) => {
    const { data, init } = instance(1, { d, n, m });
    const engine = createSimdEngine(data, init, { form });
    assert.equal(engine.kind, "simd");
    assert.equal(engine.form, form);
    // Before any step: the initialization, and its outputs.
    const w0 = engine.weights();
    assert.ok(maxRelativeError(w0.w, init.w) < 1e-6);
    assert.deepEqual([...w0.b], [...init.b]);
    assert.deepEqual([...w0.v], [...init.v]);
    const out0 = networkOutputs(init, data.x);
    assert.ok(maxRelativeError(engine.forward(), out0) < 1e-5);
    // Past a refresh of the carried product (span form).
    const norm = parameterNormSquared(init);
    for (let s = 0; s < SPAN_REFRESH_EVERY + 7; s++) {
      const { coefficients } = lossWeights(engine.forward(), data.y);
      const dir = engine.direction(coefficients);
      engine.advance(0.02 * Math.sqrt(norm / dir));
    }
    const w = engine.weights();
    const out = networkOutputs(w, data.x);
    assert.ok(maxRelativeError(engine.forward(), out) < 1e-4);
    // Per-neuron norms agree with the materialized weights.
    const norms = engine.neuronNorms();
    assert.equal(norms.wSquared.length, m);
    const balance = neuronBalance(w);
    for (let r = 0; r < m; r++) {
      const expected = norms.v[r] ** 2 - norms.wSquared[r] - norms.b[r] ** 2;
      assert.ok(
        Math.abs(expected - balance[r]) <= 1e-4 * parameterNormSquared(w),
      );
    }
    engine.dispose();
  },
);

testShapes(
  "simd engine: same steps as the tfjs engine",
  ({ d, n, m, form }) => {
    const { data, init } = instance(2, { d, n, m });
    assertLockstep({
      engine: createSimdEngine(data, init, { form }),
      reference: createTfjsEngine(data, init, { form }),
    }, { data, normSquared: parameterNormSquared(init), steps: 60 });
  },
);

Deno.test({
  name: "simd engine: the step protocol is enforced, inputs checked",
  ignore,
  fn: () => {
    const { data, init } = instance(3, { d: 10, n: 6, m: 4 });
    const engine = createSimdEngine(data, init, { form: "span" });
    assert.throws(() => engine.direction(new Float32Array(6)), /forward/);
    engine.forward();
    assert.throws(() => engine.advance(1), /direction/);
    assert.equal(createSimdEngine(data, init).form, "span"); // auto: d > n
    const wrong: NetworkWeights<Float32Array> = {
      ...init,
      v: new Float32Array(1),
    };
    assert.throws(() => createSimdEngine(data, wrong), RangeError);
  },
});
