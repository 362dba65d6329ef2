import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import { backendAvailable, initBackend } from "../backend/backends.ts";
import { createTfjsEngine } from "./tfjs_engine.ts";
import { type FlowForm, lossWeights } from "./engine.ts";
import { gradientFlow } from "./gradient_flow.ts";
import { networkOutputs } from "../model/network.ts";
import { flowInstance } from "../../fixtures/flow_instance.ts";
import { maxRelativeError } from "../../fixtures/numeric.ts";

await initBackend(backendAvailable("wasm") ? "wasm" : "cpu");

Deno.test("the tfjs engine releases every tensor", () => {
  const { data, init } = flowInstance(5, { d: 30, k: 3, n: 12, m: 6 });
  const before = tf.memory().numTensors;
  for (const form of ["plain", "span"] as FlowForm[]) {
    gradientFlow(data, init, { engine: "tfjs", form, maxSteps: 60 });
    const engine = createTfjsEngine(data, init, { form });
    engine.forward(); // stopped mid-step, as on a stop rule
    engine.dispose();
  }
  gradientFlow(data, init, { engine: "tfjs", stepFraction: 1e3 });
  assert.equal(tf.memory().numTensors, before);
});

Deno.test("tfjs engine: starts at the initialization, in the form asked", async (t) => {
  const { data, init } = flowInstance(2, { d: 20, k: 3, n: 8, m: 5 });
  for (const form of ["auto", "plain", "span"] as const) {
    await t.step(form, () => {
      const engine = createTfjsEngine(data, init, { form });
      try {
        assert.equal(engine.kind, "tfjs");
        assert.equal(engine.form, form === "plain" ? "plain" : "span");
        const w0 = engine.weights();
        assert.ok(maxRelativeError(w0.w, init.w) < 1e-6);
        assert.deepEqual(w0.b, init.b);
        assert.deepEqual(w0.v, init.v);
        const out = networkOutputs(init, data.x);
        assert.ok(maxRelativeError(engine.forward(), out) < 1e-5);
      } finally {
        engine.dispose();
      }
    });
  }
});

Deno.test("tfjs engine: the step protocol is enforced", () => {
  const { data, init } = flowInstance(3, { d: 10, k: 3, n: 6, m: 4 });
  const engine = createTfjsEngine(data, init, { form: "span" });
  try {
    assert.throws(() => engine.direction(new Float32Array(6)), /forward/);
    const { coefficients } = lossWeights(engine.forward(), data.y);
    assert.throws(() => engine.advance(1), /direction/);
    engine.direction(coefficients);
    engine.advance(0.01);
    assert.throws(() => engine.advance(0.01), /direction/);
  } finally {
    engine.dispose();
  }
});
