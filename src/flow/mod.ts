/**
 * The flow layer: gradient flow on the logistic loss for the two-layer
 * network, by explicit Euler steps in the time change dθ/ds = -∇L/L.
 *
 * - `./gradient_flow.ts`: the driver {@linkcode gradientFlow} (step length
 *   and the margin-adaptive rule {@linkcode marginAdaptiveStep}, ‖θ‖²
 *   tracking, stop rules, the float64 continuation, checkpoints) and the
 *   engine choice ({@linkcode createFlowEngine}, {@linkcode autoEngine}).
 * - `./engine.ts`: the step protocol {@linkcode FlowEngine} the engines
 *   implement, its data and settings, and {@linkcode lossWeights}.
 * - `./multiclass.ts` ({@linkcode multiclassFlow}): the same time change
 *   and step rule for a k-output network on the cross-entropy loss.
 * - `./tfjs_engine.ts` ({@linkcode createTfjsEngine}),
 *   `./native_engine.ts` ({@linkcode createNativeEngine}, OpenBLAS) and
 *   `./simd_engine.ts` ({@linkcode createSimdEngine}, WebAssembly SIMD): the
 *   three float32 engines; `./float64_engine.ts`
 *   ({@linkcode createFloat64Engine}): the float64 one (OpenBLAS `dgemm`,
 *   the SIMD kernels or plain TypeScript), which continues a run past the
 *   float32 margin cap.
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
  type EngineArray,
  type EngineFactory,
  type EngineOptions,
  lossWeights64,
  resolveForm,
  SPAN_REFRESH_EVERY,
  type StepEngine,
  STOP_RULE_DEFAULTS,
} from "./engine.ts";
export { createTfjsEngine } from "./tfjs_engine.ts";
export {
  createNativeEngine,
  type NativeEngineOptions,
} from "./native_engine.ts";
export { createSimdEngine } from "./simd_engine.ts";
export {
  chooseProducts,
  createFloat64Engine,
  FLOAT64_MAX_MARGIN,
  type Float64Engine,
  type Float64EngineOptions,
  type Gemm64,
  gemm64,
  type ProductKind,
} from "./float64_engine.ts";
// The k-output network on the multiclass logistic loss (C6's control).
export * from "./multiclass.ts";
// The polynomial-ReLU network without biases (C8, Min & Vidal's follow-up).
export * from "./prelu_flow.ts";
