/**
 * Gradient flow on the logistic loss for the two-layer network, integrated in
 * the time change dθ/ds = -∇L(θ)/L(θ) (same trajectory as dθ/dt = -∇L, with
 * dt = ds/L) by explicit Euler steps whose length bounds the relative change
 * of θ: ‖Δθ‖ = ε‖θ‖ per step (`stepFraction` ε). This module is the driver:
 * the fused step itself (hand-derived gradients, plain and span forms) is
 * run by a {@linkcode FlowEngine} (`./engine.ts`).
 *
 * The engines' gradients are the ReLU network's: {@linkcode gradientFlow}
 * and {@linkcode createFlowEngine} throw a RangeError for an initialization
 * with an activation power p ≠ 1 (`NetworkWeights.power`) rather than train
 * a ReLU network from it.
 *
 * ‖θ‖² is tracked with scalars only: by 2-homogeneity ⟨θ, -∇L/L⟩ = 2Σ c_i N_i,
 * so ‖θ + hD‖² = ‖θ‖² + 4hΣc_iN_i + h²‖D‖²; it is recomputed exactly every
 * `renormEvery` steps.
 *
 * Four engines run the step (option `engine`), with the same iterates up to
 * rounding:
 * - `tfjs` (`./tfjs_engine.ts`): TensorFlow.js ops on the active backend.
 * - `native` (`./native_engine.ts`): preallocated Float32Arrays, OpenBLAS
 *   `sgemm` for the products and plain loops for the elementwise work; no
 *   tensors. The tfjs `cpu` backend's elementwise kernels are slow
 *   JavaScript, so `auto` (the default, {@linkcode autoEngine}) picks
 *   `native` when OpenBLAS loads and the active TensorFlow.js backend is
 *   `cpu` (which the `blas` backend of `../backend/backends.ts` is).
 * - `simd` (`./simd_engine.ts`): the native step with every array in a
 *   WebAssembly memory, the products by the SIMD kernels of
 *   `../backend/simd_gemm.ts` and the elementwise work by SIMD functions;
 *   `auto` picks it on the `wasm` backend (tfjs-wasm's own matrix product
 *   repacks its right operand at every call, and each tfjs op costs more
 *   than the arithmetic at these sizes), and `tfjs` elsewhere.
 * - `float64` (`./float64_engine.ts`): every array in double precision,
 *   products by OpenBLAS `dgemm` where `auto` would pick `native`, by the
 *   SIMD kernels where it would pick `simd`, in plain TypeScript otherwise.
 *   A whole run with `engine: "float64"`, or the continuation of a float32
 *   run past its margin cap (`continuation`).
 *
 * The step: ε is a number, or a function of the integrator's state such as
 * the margin-adaptive rule ε = min(ε0, c/q_min) of
 * {@linkcode marginAdaptiveStep}, which a run into the asymptotic regime
 * needs: with a fixed ε the steps stop following the flow once
 * q_min ≫ 1/ε (they jump between the points of smallest margin, the
 * flow's direction -∇L turns away from θ, and the normalized margin falls).
 *
 * Stop rule: first reach L < log(2)/n (recorded), then continue until the
 * normalized margin γ = min_i q_i/‖θ‖² changes by less than
 * `marginTolerance` (relative) over `marginWindow` steps (`converged`), or
 * the smallest margin exceeds `maxMargin` (`margin-cap`: float32 resolves
 * margin differences only up to about that; with `continuation` the run goes
 * on in float64 up to `float64MaxMargin`), or log10 t reaches `maxLog10Time`
 * (`horizon`), or `maxSteps` runs out (`budget`). A run that never reaches
 * L < log(2)/n is reported `not-separated`; NaN/Inf is `diverged`; a zero
 * gradient (a stationary point, e.g. all neurons dead on the points carrying
 * the loss) is `stuck` if it happens before separation.
 *
 * Checkpoints (`onCheckpoint`) at listed steps, at separation, at the first
 * steps past listed values of log10 t (`checkpointLog10Times`: t reaches
 * 10^1000 and beyond, so a run is drawn against log10(log10 t)), and at the
 * end, each step at most once.
 *
 * Without `continuation`, a schedule or the new stop rules, a run takes
 * exactly the steps it took before they existed.
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs-core";
import {
  type EngineArray,
  type EngineFactory,
  type EngineOptions,
  type FlowData,
  type FlowEngine,
  type FlowEngineKind,
  type FlowForm,
  logAddExp,
  type LossWeights,
  lossWeights,
  lossWeights64,
  type NeuronNorms,
  type StepEngine,
  STOP_RULE_DEFAULTS,
} from "./engine.ts";
import { createTfjsEngine } from "./tfjs_engine.ts";
import { createNativeEngine } from "./native_engine.ts";
import { createSimdEngine } from "./simd_engine.ts";
import {
  createFloat64Engine,
  FLOAT64_MAX_MARGIN,
  type Float64Engine,
} from "./float64_engine.ts";
import { loadOpenBlas } from "../backend/openblas.ts";
import { loadSimdGemm } from "../backend/simd_gemm.ts";
import { type NetworkWeights, requireRelu } from "../model/weights.ts";

// Re-exported so that imports of these names from the driver keep working
// (the root `mod.ts` exports this module); they live in `./engine.ts`.
export {
  type FlowData,
  type FlowEngine,
  type FlowEngineKind,
  type FlowForm,
  type LossWeights,
  lossWeights,
  lossWeights64,
  type NeuronNorms,
} from "./engine.ts";

/** Options of {@linkcode createFlowEngine} (and of {@linkcode gradientFlow}). */
export interface FlowEngineOptions extends EngineOptions {
  /**
   * `tfjs`, `native`, `simd` or `auto` (default, {@linkcode autoEngine}):
   * see the module doc. `native` throws when OpenBLAS cannot be loaded,
   * `simd` when WebAssembly SIMD is missing.
   */
  engine?: FlowEngineKind | "auto";
}

/** Where the integrator is, for a step schedule (see {@linkcode FlowOptions.stepFraction}). */
export interface StepState {
  /** Steps taken so far. */
  step: number;
  /** Step at which L < log(2)/n was first reached, or -1. */
  separatedAtStep: number;
  /** min_i q_i at the current θ. */
  minMargin: number;
  /** log10 of the gradient-flow time t reached. */
  log10Time: number;
}

/** Integrator and stop-rule settings. */
export interface FlowOptions extends Omit<FlowEngineOptions, "engine"> {
  /**
   * The engine: `tfjs`, `native` or `auto` (float32, see the module doc),
   * or `float64` for a whole run on the float64 engine
   * (`./float64_engine.ts`).
   */
  engine?: FlowEngineKind | "float64" | "auto";
  /**
   * ε: relative change of θ per step (default 0.02), or a schedule: a
   * function of the integrator's state returning the ε of the next step.
   */
  stepFraction?: number | ((state: StepState) => number);
  /** Step budget (default 4000). */
  maxSteps?: number;
  /** Window (steps) of the normalized-margin stop rule (default 100). */
  marginWindow?: number;
  /**
   * Relative change of the normalized margin over the window (default
   * 1e-3); 0 turns the rule off (the run then ends at a margin cap or the
   * step budget).
   */
  marginTolerance?: number;
  /** Stop once the smallest margin min_i q_i exceeds this (default 1e4). */
  maxMargin?: number;
  /**
   * At the float32 margin cap, continue in float64 (`./float64_engine.ts`)
   * from the float32 weights, with the same step rule and stop rule, until
   * the float64 cap `float64MaxMargin` (default false).
   */
  continuation?: boolean;
  /** The float64 phase's margin cap (default {@linkcode FLOAT64_MAX_MARGIN}). */
  float64MaxMargin?: number;
  /**
   * Stop (status `horizon`) at the first step whose log10 t reaches this
   * (default Infinity).
   */
  maxLog10Time?: number;
  /** Recompute ‖θ‖² exactly every this many steps (default 50). */
  renormEvery?: number;
  /** Called after the steps listed in `checkpointSteps` and at the end. */
  onCheckpoint?: (point: FlowCheckpoint) => void;
  /** Steps after which `onCheckpoint` is called. */
  checkpointSteps?: number[];
  /**
   * Also call `onCheckpoint` at the first step whose log10 t reaches each
   * of these values (once per value, in increasing order).
   */
  checkpointLog10Times?: readonly number[];
  /** Also call `onCheckpoint` at the step where L < log(2)/n is first reached. */
  checkpointAtSeparation?: boolean;
}

/** Weights as one of the engines holds them. */
export type FlowWeights = NetworkWeights<Float32Array | Float64Array>;

/** State passed to a checkpoint callback. */
export interface FlowCheckpoint {
  /** Steps taken so far. */
  step: number;
  /** log10 of the gradient-flow time t reached. */
  log10Time: number;
  /** log10 of the loss L. */
  log10Loss: number;
  /** Normalized margin min_i q_i / ‖θ‖². */
  normalizedMargin: number;
  /** min_i q_i. */
  minMargin: number;
  /** The ε of the last step taken (NaN before the first). */
  stepFraction: number;
  /** The precision of the engine at this step. */
  precision: FlowPrecision;
  /** Whether this is the step where L < log(2)/n was first reached. */
  separated: boolean;
  /** The `checkpointLog10Times` values first reached at this step. */
  log10TimesReached: number[];
  /** Current weights (materialized on demand, in the engine's precision). */
  weights: () => FlowWeights;
}

/** How a run of the flow ended. */
export type FlowStatus =
  | "converged"
  | "margin-cap"
  | "horizon"
  | "budget"
  | "not-separated"
  | "stuck"
  | "diverged";

/** The arithmetic of an engine. */
export type FlowPrecision = "float32" | "float64";

/** Result of {@linkcode gradientFlow}. */
export interface FlowResult {
  /** How it ended; only `not-separated` and `diverged` are failures. */
  status: FlowStatus;
  /** Steps taken. */
  steps: number;
  /** Step at which L < log(2)/n was first reached, or -1. */
  separatedAtStep: number;
  /** log10 of the time t at which L < log(2)/n was first reached (NaN if never). */
  log10TimeSeparated: number;
  /** log10 of the final time t. */
  log10Time: number;
  /** log10 of the final loss L. */
  log10Loss: number;
  /** Final normalized margin min_i y_i N(x_i) / ‖θ‖². */
  normalizedMargin: number;
  /** Final ‖θ‖². */
  normSquared: number;
  /** max_r |Δ(v_r² - ‖w_r‖² - b_r²)| / max(v_r² + ‖w_r‖² + b_r², ‖θ‖²/m): integration error. */
  conservedDrift: number;
  /** Form used. */
  form: FlowForm;
  /** Engine used (always set by {@linkcode gradientFlow}; the first one of a continued run). */
  engine?: FlowEngineKind | "float64";
  /** Precision of the engine that took the last step. */
  precision?: FlowPrecision;
  /** Step at which the float64 continuation took over, or -1. */
  continuedAtStep?: number;
  /** ε of the last step (NaN when no step was taken). */
  finalStepFraction?: number;
  /** Final weights (rounded to float32 after a float64 phase). */
  weights: NetworkWeights<Float32Array>;
  /** Final weights in float64, when a float64 engine took the last step. */
  weights64?: NetworkWeights<Float64Array>;
}

/**
 * The conserved-quantity drift ({@linkcode FlowResult.conservedDrift})
 * above which a run's integration is flagged: 1% of a neuron's scale.
 */
export const DRIFT_LIMIT = 0.01;

/**
 * The margin-adaptive step rule ε = min(ε0, c/q_min) (once L < log(2)/n;
 * ε0 before): the loss weights σ(-q_i) ∝ e^{-q_i} resolve margin
 * differences of order one, and a step of relative length ε moves every
 * margin by about 2ε·q_i, so ε ≤ c/q_min keeps that move within 2c, which
 * the weights can follow. A fixed ε stops following them once q_min ≫ 1/ε:
 * the steps then jump between the points of smallest margin. The price: a
 * decade of log t costs about q_min/(2c)·ln 10 steps instead of
 * ln 10/(2ε).
 *
 * @example
 * ```ts
 * import { marginAdaptiveStep } from "./gradient_flow.ts";
 * import assert from "node:assert/strict";
 * const rule = marginAdaptiveStep(0.01, 1);
 * const at = (minMargin: number) =>
 *   rule({ step: 0, separatedAtStep: 0, minMargin, log10Time: 0 });
 * assert.equal(at(50), 0.01);
 * assert.equal(at(400), 1 / 400);
 * ```
 */
export function marginAdaptiveStep(
  base: number,
  perMargin: number,
): (state: StepState) => number {
  return (state) =>
    state.separatedAtStep >= 0 && state.minMargin * base > perMargin
      ? perMargin / state.minMargin
      : base;
}

const LOG10E = Math.LOG10E;

/** The factory of each engine kind. */
const ENGINE_FACTORIES: Readonly<Record<FlowEngineKind, EngineFactory>> = {
  tfjs: createTfjsEngine,
  native: createNativeEngine,
  simd: createSimdEngine,
};

/**
 * The engine `auto` stands for: `native` when OpenBLAS loads and the active
 * TensorFlow.js backend is `cpu` (plain or with the OpenBLAS kernels of
 * `../backend/backends.ts`) or none has been chosen yet; `simd` when the
 * active backend is `wasm` and WebAssembly SIMD is available; else `tfjs`.
 *
 * @example
 * ```ts
 * import { autoEngine } from "./gradient_flow.ts";
 * import assert from "node:assert/strict";
 * assert.ok(["tfjs", "native", "simd"].includes(autoEngine()));
 * ```
 */
export function autoEngine(): FlowEngineKind {
  // `undefined` until a backend is set or a first op picks one.
  const backend: string | undefined = tf.getBackend();
  if (backend === "wasm") return loadSimdGemm() === null ? "tfjs" : "simd";
  if (loadOpenBlas() === null) return "tfjs";
  return backend === undefined || backend === "cpu" ? "native" : "tfjs";
}

/**
 * Build the engine that runs the flow's steps (see {@linkcode FlowEngine});
 * the caller must `dispose` it. `form` and `engine` default to `auto`.
 * Throws a `RangeError` when `data` and `init` do not fit together, and an
 * `Error` when `native` is asked for and OpenBLAS cannot be loaded.
 *
 * @example
 * ```ts
 * import { createFlowEngine } from "./gradient_flow.ts";
 * import { initBackend } from "../backend/backends.ts";
 * import assert from "node:assert/strict";
 * await initBackend("cpu");
 * const data = { n: 1, d: 2, x: new Float32Array([1, 0]), y: new Float32Array([1]) };
 * const init = {
 *   d: 2, m: 1,
 *   w: new Float32Array([1, 0]), b: new Float32Array([0]), v: new Float32Array([1]),
 * };
 * const engine = createFlowEngine(data, init, { engine: "tfjs", form: "plain" });
 * assert.deepEqual(Array.from(engine.forward()), [1]);
 * engine.dispose();
 * ```
 */
export function createFlowEngine(
  data: FlowData,
  init: NetworkWeights<Float32Array>,
  options: FlowEngineOptions = {},
): FlowEngine {
  requireRelu(init, "createFlowEngine");
  const choice = options.engine ?? "auto";
  const kind = choice === "auto" ? autoEngine() : choice;
  return ENGINE_FACTORIES[kind](data, init, { form: options.form });
}

/**
 * The float64 engine for a continuation or a whole float64 run: OpenBLAS
 * `dgemm` when `auto` would pick the native float32 engine (OpenBLAS loads
 * and the tensor backend is `cpu`/`blas`), the SIMD kernels when it would
 * pick `simd` (the `wasm` backend), plain TypeScript products otherwise, so
 * that a `wasm` or `cpu` run never depends on OpenBLAS.
 */
function continuationEngine(
  data: FlowData,
  init: NetworkWeights<Float64Array>,
  options: EngineOptions,
): Float64Engine {
  const engine = autoEngine();
  const products = engine === "native"
    ? "auto"
    : engine === "simd"
    ? "simd"
    : "typescript";
  return createFloat64Engine(data, init, { form: options.form, products });
}

/** `weights` with every array converted to float64. */
function toFloat64(weights: FlowWeights): NetworkWeights<Float64Array> {
  const { d, m } = weights;
  return {
    d,
    m,
    w: Float64Array.from(weights.w),
    b: Float64Array.from(weights.b),
    v: Float64Array.from(weights.v),
  };
}

/** `weights` rounded to float32 (no copy when they already are). */
function toFloat32(weights: FlowWeights): NetworkWeights<Float32Array> {
  if (weights.w instanceof Float32Array) {
    return weights as NetworkWeights<Float32Array>;
  }
  const { d, m } = weights;
  return {
    d,
    m,
    w: Float32Array.from(weights.w),
    b: Float32Array.from(weights.b),
    v: Float32Array.from(weights.v),
  };
}

/** Per-neuron balance and scale, and ‖θ‖², from {@linkcode neuronState}. */
interface NeuronState {
  /** v_r² - ‖w_r‖² - b_r² (conserved by the flow). */
  balance: Float64Array;
  /** v_r² + ‖w_r‖² + b_r². */
  scale: Float64Array;
  /** ‖θ‖² = Σ_r scale_r. */
  total: number;
}

/** v_r² - ‖w_r‖² - b_r², v_r² + ‖w_r‖² + b_r² and ‖θ‖² from per-neuron norms. */
function neuronState(norms: NeuronNorms): NeuronState {
  const { wSquared, b, v } = norms;
  const m = wSquared.length;
  const balance = new Float64Array(m);
  const scale = new Float64Array(m);
  let total = 0;
  for (let r = 0; r < m; r++) {
    balance[r] = v[r] * v[r] - wSquared[r] - b[r] * b[r];
    scale[r] = v[r] * v[r] + wSquared[r] + b[r] * b[r];
    total += scale[r];
  }
  return { balance, scale, total };
}

/**
 * The integration error of a run from `start` to `end`:
 * max_r |Δ(v_r² - ‖w_r‖² - b_r²)| / max(v_r² + ‖w_r‖² + b_r², ‖θ‖²/m).
 */
function conservedDrift(start: NeuronState, end: NeuronState): number {
  const m = end.balance.length;
  let drift = 0;
  for (let r = 0; r < m; r++) {
    const denom = Math.max(end.scale[r], end.total / m);
    drift = Math.max(
      drift,
      Math.abs(end.balance[r] - start.balance[r]) / denom,
    );
  }
  return drift;
}

/** The engine a phase of the run steps with, and how its loss weights are computed. */
interface Phase<A extends EngineArray> {
  /** The engine. */
  engine: StepEngine<A>;
  /** Loss weights of the engine's outputs, coefficients in its precision. */
  weigh: (outputs: ArrayLike<number>, y: ArrayLike<number>) => LossWeights<A>;
  /** Its precision. */
  precision: FlowPrecision;
  /** Its margin cap. */
  maxMargin: number;
}

/** Everything the driver carries from step to step (and across phases). */
interface RunState {
  step: number;
  normSquared: number;
  logTime: number;
  logLoss: number;
  minMargin: number;
  normalizedMargin: number;
  separatedAtStep: number;
  logTimeSeparated: number;
  status: FlowStatus;
  marginHistory: number[];
  /** ε of the last step taken. */
  lastFraction: number;
  /** Index of the next `checkpointLog10Times` value to reach. */
  nextLogTime: number;
  /** Step of the last checkpoint call, so that none is called twice. */
  lastCheckpoint: number;
}

/**
 * Integrate gradient flow from `init` on `data` (see the module doc).
 * Synchronous; all tensors are released before it returns.
 */
export function gradientFlow(
  data: FlowData,
  init: NetworkWeights<Float32Array>,
  options: FlowOptions = {},
): FlowResult {
  requireRelu(init, "gradientFlow");
  const {
    stepFraction = STOP_RULE_DEFAULTS.stepFraction,
    maxSteps = 4000,
    marginWindow = STOP_RULE_DEFAULTS.marginWindow,
    marginTolerance = STOP_RULE_DEFAULTS.marginTolerance,
    maxMargin = 1e4,
    continuation = false,
    float64MaxMargin = FLOAT64_MAX_MARGIN,
    maxLog10Time = Infinity,
    renormEvery = 50,
    onCheckpoint,
    checkpointSteps = [],
    checkpointLog10Times = [],
    checkpointAtSeparation = false,
  } = options;
  const { n } = data;
  const checkpoints = new Set(checkpointSteps);
  const logTimes = [...checkpointLog10Times].sort((a, b) => a - b);
  const y = data.y;
  const schedule = typeof stepFraction === "number"
    ? () => stepFraction
    : stepFraction;
  const engineOptions = { form: options.form };
  const float64Phase = (
    start: NetworkWeights<Float64Array>,
  ): Phase<Float64Array> => ({
    engine: continuationEngine(data, start, engineOptions),
    weigh: lossWeights64,
    precision: "float64",
    maxMargin: float64MaxMargin,
  });
  const whole64 = options.engine === "float64";
  let phase: Phase<Float32Array> | Phase<Float64Array> = whole64
    ? float64Phase(toFloat64(init))
    : {
      engine: createFlowEngine(data, init, {
        form: options.form,
        engine: options.engine as FlowEngineKind | "auto" | undefined,
      }),
      weigh: lossWeights,
      precision: "float32",
      maxMargin,
    };
  const firstKind = whole64 ? "float64" : (phase.engine as FlowEngine).kind;
  let continuedAtStep = -1;

  try {
    const start = neuronState(phase.engine.neuronNorms());
    const run: RunState = {
      step: 0,
      normSquared: start.total,
      logTime: -Infinity,
      logLoss: NaN,
      minMargin: NaN,
      normalizedMargin: NaN,
      separatedAtStep: -1,
      logTimeSeparated: NaN,
      status: "budget",
      marginHistory: [],
      lastFraction: NaN,
      nextLogTime: 0,
      lastCheckpoint: -1,
    };
    /** Report the current state to `onCheckpoint`, if given. */
    const checkpoint = (
      weights: () => FlowWeights,
      reached: number[] = [],
    ) => {
      run.lastCheckpoint = run.step;
      onCheckpoint?.({
        step: run.step,
        log10Time: run.logTime * LOG10E,
        log10Loss: run.logLoss * LOG10E,
        normalizedMargin: run.normalizedMargin,
        minMargin: run.minMargin,
        stepFraction: run.lastFraction,
        precision: phase.precision,
        separated: run.step === run.separatedAtStep,
        log10TimesReached: reached,
        weights,
      });
    };

    while (true) {
      stepPhase(phase as Phase<EngineArray>, run, {
        y,
        n,
        checkpoints,
        logTimes,
        checkpointAtSeparation,
        checkpoint: (reached) =>
          checkpoint(() => phase.engine.weights(), reached),
        limits: {
          maxSteps,
          marginWindow,
          marginTolerance,
          renormEvery,
          maxLog10Time,
        },
        schedule,
        resumed: continuedAtStep >= 0,
      });
      if (
        run.status !== "margin-cap" || !continuation ||
        phase.precision === "float64"
      ) break;
      // Continue in float64 from the float32 weights at the cap.
      const handover = toFloat64(phase.engine.weights());
      phase.engine.dispose();
      phase = float64Phase(handover);
      continuedAtStep = run.step;
      run.normSquared = neuronState(phase.engine.neuronNorms()).total;
      run.status = "budget";
    }
    const { engine } = phase;
    const end = neuronState(engine.neuronNorms());
    run.normSquared = end.total;
    const finalWeights: FlowWeights = engine.weights();
    if (run.lastCheckpoint !== run.step) checkpoint(() => finalWeights);
    if (
      run.separatedAtStep < 0 && run.status !== "diverged" &&
      run.status !== "stuck"
    ) {
      run.status = "not-separated";
    }
    return {
      status: run.status,
      steps: run.step,
      separatedAtStep: run.separatedAtStep,
      log10TimeSeparated: run.logTimeSeparated * LOG10E,
      log10Time: run.logTime * LOG10E,
      log10Loss: run.logLoss * LOG10E,
      normalizedMargin: run.normalizedMargin,
      normSquared: run.normSquared,
      conservedDrift: conservedDrift(start, end),
      form: engine.form,
      engine: firstKind,
      precision: phase.precision,
      continuedAtStep,
      finalStepFraction: run.lastFraction,
      weights: toFloat32(finalWeights),
      ...(phase.precision === "float64"
        ? { weights64: finalWeights as NetworkWeights<Float64Array> }
        : {}),
    };
  } finally {
    phase.engine.dispose();
  }
}

/** What {@linkcode stepPhase} needs besides the phase and the run state. */
interface PhaseContext {
  y: Float32Array;
  n: number;
  checkpoints: Set<number>;
  logTimes: number[];
  checkpointAtSeparation: boolean;
  /** Call `onCheckpoint` with the values of `logTimes` reached now. */
  checkpoint: (reached: number[]) => void;
  limits: {
    maxSteps: number;
    marginWindow: number;
    marginTolerance: number;
    renormEvery: number;
    maxLog10Time: number;
  };
  schedule: (state: StepState) => number;
  /** Whether this phase continues at the step where the previous one stopped. */
  resumed: boolean;
}

/**
 * Step one engine until the run stops (status other than `budget`, or the
 * step budget), or its margin cap is passed: the loop of the module doc.
 * When a float64 phase takes over at the step where the float32 one stopped,
 * that step's bookkeeping (separation, checkpoints, margin history) is not
 * repeated.
 */
function stepPhase<A extends EngineArray>(
  phase: Phase<A>,
  run: RunState,
  context: PhaseContext,
): void {
  const { engine, weigh } = phase;
  const { y, limits } = context;
  const { maxSteps, renormEvery } = limits;
  // A continuation starts at the step where the float32 phase stopped.
  let skipBookkeeping = context.resumed;
  while (true) {
    const lw = weigh(engine.forward(), y);
    run.logLoss = lw.logLoss;
    run.minMargin = lw.minMargin;
    run.normalizedMargin = lw.minMargin / run.normSquared;
    if (!Number.isFinite(run.logLoss) || !Number.isFinite(run.normSquared)) {
      run.status = "diverged";
      break;
    }
    if (!skipBookkeeping) bookkeep(run, context, { phase, lw });
    skipBookkeeping = false;
    if (run.status !== "budget" || run.step >= maxSteps) break;

    // Fused step: direction D = Σ c_i ∇N_i, length ε‖θ‖.
    const dirNormSquared = engine.direction(lw.coefficients);
    const fraction = context.schedule({
      step: run.step,
      separatedAtStep: run.separatedAtStep,
      minMargin: run.minMargin,
      log10Time: run.logTime * LOG10E,
    });
    const stepLength = fraction * Math.sqrt(run.normSquared / dirNormSquared);
    if (dirNormSquared === 0 && Number.isFinite(run.normSquared)) {
      // A stationary point of the flow (e.g. every neuron inactive on the
      // points that carry the loss): the flow stops here, it did not blow up.
      run.status = "stuck";
      break;
    }
    if (!Number.isFinite(stepLength)) {
      run.status = "diverged";
      break;
    }
    engine.advance(stepLength);
    run.lastFraction = fraction;
    run.normSquared += 4 * stepLength * lw.coefficientDotOutput +
      stepLength * stepLength * dirNormSquared;
    // dt = ds / L
    run.logTime = logAddExp(run.logTime, Math.log(stepLength) - run.logLoss);
    run.step++;
    if (run.step % renormEvery === 0) {
      run.normSquared = neuronState(engine.neuronNorms()).total;
    }
  }
}

/**
 * The per-step bookkeeping before a step: separation, checkpoints, the
 * margin history and the stop rule.
 */
function bookkeep<A extends EngineArray>(
  run: RunState,
  context: PhaseContext,
  at: { phase: Phase<A>; lw: LossWeights<A> },
): void {
  const { n, checkpoints, logTimes, limits } = context;
  const { lw, phase } = at;
  let separatesNow = false;
  if (run.separatedAtStep < 0 && run.logLoss < Math.log(Math.LN2 / n)) {
    run.separatedAtStep = run.step;
    run.logTimeSeparated = run.logTime;
    separatesNow = context.checkpointAtSeparation;
  }
  const reached: number[] = [];
  const log10Time = run.logTime * LOG10E;
  while (
    run.nextLogTime < logTimes.length &&
    logTimes[run.nextLogTime] <= log10Time
  ) {
    reached.push(logTimes[run.nextLogTime++]);
  }
  if (checkpoints.has(run.step) || separatesNow || reached.length > 0) {
    context.checkpoint(reached);
  }
  if (run.separatedAtStep >= 0) {
    run.marginHistory.push(run.normalizedMargin);
    const len = run.marginHistory.length;
    if (len > limits.marginWindow) {
      const old = run.marginHistory[len - 1 - limits.marginWindow];
      if (
        run.normalizedMargin > 0 &&
        Math.abs(run.normalizedMargin - old) <=
          limits.marginTolerance * Math.abs(run.normalizedMargin)
      ) {
        run.status = "converged";
      }
    }
    if (lw.minMargin > phase.maxMargin) run.status = "margin-cap";
  }
  if (log10Time >= limits.maxLog10Time) run.status = "horizon";
}
