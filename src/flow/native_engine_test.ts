import assert from "node:assert/strict";
import { backendAvailable, initBackend } from "../backend/backends.ts";
import { type FlowForm, lossWeights, SPAN_REFRESH_EVERY } from "./engine.ts";
import { createNativeEngine } from "./native_engine.ts";
import { createTfjsEngine } from "./tfjs_engine.ts";
import {
  networkOutputs,
  neuronBalance,
  parameterNormSquared,
} from "../model/network.ts";
import { loadOpenBlas } from "../backend/openblas.ts";
import { type NetworkWeights } from "../model/weights.ts";
import { flowInstance } from "../../fixtures/flow_instance.ts";
import { maxRelativeError } from "../../fixtures/numeric.ts";
import { assertLockstep } from "../../fixtures/engine_lockstep.ts";

const blas = loadOpenBlas();
const ignore = blas === null;
// For the tfjs reference (networkOutputs and the tfjs engine).
await initBackend(backendAvailable("wasm") ? "wasm" : "cpu");

/** A cluster instance on 3 clusters, initialized at scale 0.1. */
function instance(seed: number, size: { d: number; n: number; m: number }) {
  return flowInstance(seed, { ...size, k: 3, initScale: 0.1 });
}

/** Take `steps` Euler steps of relative length ε = 0.02 from ‖θ‖² = `norm`. */
function run(
  engine: ReturnType<typeof createNativeEngine>,
  { y, norm, steps }: { y: Float32Array; norm: number; steps: number },
): void {
  for (let s = 0; s < steps; s++) {
    const { coefficients } = lossWeights(engine.forward(), y);
    const dir = engine.direction(coefficients);
    engine.advance(0.02 * Math.sqrt(norm / dir));
  }
}

/** A problem shape and form. */
interface Shape {
  label: string;
  d: number;
  n: number;
  form: FlowForm;
}

/** Span and plain-Gram when d > n, plain direct when d ≤ n. */
const SHAPES: Shape[] = [
  { label: "span, d > n", d: 40, n: 12, form: "span" },
  { label: "plain Gram route, d > n", d: 40, n: 12, form: "plain" },
  { label: "plain direct route, d ≤ n", d: 8, n: 20, form: "plain" },
];

/** A test (skipped without OpenBLAS) with one step per shape of SHAPES. */
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
  "native engine: state stays consistent with its weights",
  ({ d, n, form }) => {
    const { data, init } = instance(1, { d, n, m: 6 });
    const engine = createNativeEngine(data, init, { form, blas: blas! });
    assert.equal(engine.kind, "native");
    assert.equal(engine.form, form);
    // Before any step: the initialization, and its outputs.
    const w0 = engine.weights();
    assert.deepEqual(w0, { ...init });
    const out0 = networkOutputs(init, data.x);
    assert.ok(maxRelativeError(engine.forward(), out0) < 1e-5);
    // Past a refresh of the carried product (span form).
    const norm = parameterNormSquared(init);
    run(engine, { y: data.y, norm, steps: SPAN_REFRESH_EVERY + 7 });
    const w = engine.weights();
    const out = networkOutputs(w, data.x);
    assert.ok(maxRelativeError(engine.forward(), out) < 1e-4);
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
  },
);

testShapes(
  "native engine: same steps as the tfjs engine",
  ({ d, n, form }) => {
    const { data, init } = instance(2, { d, n, m: 5 });
    assertLockstep({
      engine: createNativeEngine(data, init, { form }),
      reference: createTfjsEngine(data, init, { form }),
    }, { data, normSquared: parameterNormSquared(init), steps: 20 });
  },
);

Deno.test({
  name: "native engine: the step protocol is enforced",
  ignore,
  fn: () => {
    const { data, init } = instance(3, { d: 10, n: 6, m: 4 });
    const engine = createNativeEngine(data, init, {
      form: "span",
      blas: blas!,
    });
    assert.throws(() => engine.direction(new Float32Array(6)), /forward/);
    engine.forward();
    assert.throws(() => engine.advance(1), /direction/);
  },
});

Deno.test({
  name: "native engine: OpenBLAS by default, form auto, inputs checked",
  ignore,
  fn: () => {
    const { data, init } = instance(4, { d: 12, n: 6, m: 3 });
    const engine = createNativeEngine(data, init);
    assert.equal(engine.form, "span");
    const explicit = createNativeEngine(data, init, {
      blas: blas!,
      form: "span",
    });
    assert.deepEqual(engine.forward(), explicit.forward());
    const wrong: NetworkWeights<Float32Array> = {
      ...init,
      v: new Float32Array(1),
    };
    assert.throws(() => createNativeEngine(data, wrong), RangeError);
  },
});
