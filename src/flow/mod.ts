/**
 * The flow layer: gradient flow on the logistic loss for the two-layer
 * network, by explicit Euler steps in the time change dθ/ds = -∇L/L.
 *
 * - `./gradient_flow.ts`: the driver {@linkcode gradientFlow} (step length,
 *   ‖θ‖² tracking, stop rule, checkpoints) and the engine choice
 *   ({@linkcode createFlowEngine}, {@linkcode autoEngine}).
 * - `./engine.ts`: the step protocol {@linkcode FlowEngine} the engines
 *   implement, its data and settings, and {@linkcode lossWeights}.
 * - `./tfjs_engine.ts` ({@linkcode createTfjsEngine}) and
 *   `./native_engine.ts` ({@linkcode createNativeEngine}): the two engines.
 *
 * @example
 * ```ts
 * import { gradientFlow } from "./mod.ts";
 * import { initBackend } from "../backend/mod.ts";
 * import assert from "node:assert/strict";
 * await initBackend("cpu");
 * const data = { n: 1, d: 2, x: new Float32Array([1, 0.5]), y: new Float32Array([1]) };
 * const init = {
 *   d: 2, m: 1,
 *   w: new Float32Array([0.3, -0.2]), b: new Float32Array([0.1]), v: new Float32Array([0.5]),
 * };
 * const result = gradientFlow(data, init, { engine: "tfjs", maxSteps: 20 });
 * assert.equal(result.steps, 20);
 * ```
 *
 * @module
 */

// The driver, and the engine types and lossWeights it re-exports.
export * from "./gradient_flow.ts";
export {
  type EngineFactory,
  type EngineOptions,
  resolveForm,
  SPAN_REFRESH_EVERY,
} from "./engine.ts";
export { createTfjsEngine } from "./tfjs_engine.ts";
export {
  createNativeEngine,
  type NativeEngineOptions,
} from "./native_engine.ts";
