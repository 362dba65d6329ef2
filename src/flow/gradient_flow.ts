/**
 * Gradient flow on the logistic loss for the two-layer network, integrated in
 * the time change dθ/ds = -∇L(θ)/L(θ) (same trajectory as dθ/dt = -∇L, with
 * dt = ds/L) by explicit Euler steps whose length bounds the relative change
 * of θ: ‖Δθ‖ = ε‖θ‖ per step (`stepFraction` ε). This module is the driver:
 * the fused step itself (hand-derived gradients, plain and span forms) is
 * run by a {@linkcode FlowEngine} (`./engine.ts`).
 *
 * ‖θ‖² is tracked with scalars only: by 2-homogeneity ⟨θ, -∇L/L⟩ = 2Σ c_i N_i,
 * so ‖θ + hD‖² = ‖θ‖² + 4hΣc_iN_i + h²‖D‖²; it is recomputed exactly every
 * `renormEvery` steps.
 *
 * Two engines run the step (option `engine`), with the same iterates up to
 * float32 rounding:
 * - `tfjs` (`./tfjs_engine.ts`): TensorFlow.js ops on the active backend.
 * - `native` (`./native_engine.ts`): preallocated Float32Arrays, OpenBLAS
 *   `sgemm` for the products and plain loops for the elementwise work; no
 *   tensors. The tfjs `cpu` backend's elementwise kernels are slow
 *   JavaScript, so `auto` (the default, {@linkcode autoEngine}) picks
 *   `native` when OpenBLAS loads and the active TensorFlow.js backend is
 *   `cpu` (which the `blas` backend of `../backend/backends.ts` is), and
 *   `tfjs` otherwise.
 *
 * Stop rule: first reach L < log(2)/n (recorded), then continue until the
 * normalized margin γ = min_i q_i/‖θ‖² changes by less than
 * `marginTolerance` (relative) over `marginWindow` steps, or the smallest
 * margin exceeds `maxMargin` (float32 resolves margin differences only up to
 * about that), or `maxSteps` runs out. A run that never reaches
 * L < log(2)/n is reported `not-separated`; NaN/Inf is `diverged`; a zero
 * gradient (a stationary point, e.g. all neurons dead on the points carrying
 * the loss) is `stuck` if it happens before separation.
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs-core";
import {
  type EngineFactory,
  type EngineOptions,
  type FlowData,
  type FlowEngine,
  type FlowEngineKind,
  type FlowForm,
  logAddExp,
  lossWeights,
  type NeuronNorms,
} from "./engine.ts";
import { createTfjsEngine } from "./tfjs_engine.ts";
import { createNativeEngine } from "./native_engine.ts";
import { loadOpenBlas } from "../backend/openblas.ts";
import { type NetworkWeights } from "../model/weights.ts";

// Re-exported so that imports of these names from the driver keep working
// (the root `mod.ts` exports this module); they live in `./engine.ts`.
export {
  type FlowData,
  type FlowEngine,
  type FlowEngineKind,
  type FlowForm,
  type LossWeights,
  lossWeights,
  type NeuronNorms,
} from "./engine.ts";

/** Options of {@linkcode createFlowEngine} (and of {@linkcode gradientFlow}). */
export interface FlowEngineOptions extends EngineOptions {
  /**
   * `tfjs`, `native` or `auto` (default, {@linkcode autoEngine}): see the
   * module doc. `native` throws when OpenBLAS cannot be loaded.
   */
  engine?: FlowEngineKind | "auto";
}

/** Integrator and stop-rule settings. */
export interface FlowOptions extends FlowEngineOptions {
  /** ε: relative change of θ per step (default 0.02). */
  stepFraction?: number;
  /** Step budget (default 4000). */
  maxSteps?: number;
  /** Window (steps) of the normalized-margin stop rule (default 100). */
  marginWindow?: number;
  /** Relative change of the normalized margin over the window (default 1e-3). */
  marginTolerance?: number;
  /** Stop once the smallest margin min_i q_i exceeds this (default 1e4). */
  maxMargin?: number;
  /** Recompute ‖θ‖² exactly every this many steps (default 50). */
  renormEvery?: number;
  /** Called after the steps listed in `checkpointSteps` and at the end. */
  onCheckpoint?: (point: FlowCheckpoint) => void;
  /** Steps after which `onCheckpoint` is called. */
  checkpointSteps?: number[];
  /** Also call `onCheckpoint` at the step where L < log(2)/n is first reached. */
  checkpointAtSeparation?: boolean;
}

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
  /** Whether this is the step where L < log(2)/n was first reached. */
  separated: boolean;
  /** Current weights (materialized on demand). */
  weights: () => NetworkWeights<Float32Array>;
}

/** How a run of the flow ended. */
export type FlowStatus =
  | "converged"
  | "margin-cap"
  | "budget"
  | "not-separated"
  | "stuck"
  | "diverged";

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
  /** Engine used (always set by {@linkcode gradientFlow}). */
  engine?: FlowEngineKind;
  /** Final weights. */
  weights: NetworkWeights<Float32Array>;
}

const LOG10E = Math.LOG10E;

/** The factory of each engine kind. */
const ENGINE_FACTORIES: Readonly<Record<FlowEngineKind, EngineFactory>> = {
  tfjs: createTfjsEngine,
  native: createNativeEngine,
};

/**
 * The engine `auto` stands for: `native` when OpenBLAS loads and the active
 * TensorFlow.js backend is `cpu` (plain or with the OpenBLAS kernels of
 * `../backend/backends.ts`) or none has been chosen yet, else `tfjs`.
 *
 * @example
 * ```ts
 * import { autoEngine } from "./gradient_flow.ts";
 * import assert from "node:assert/strict";
 * assert.ok(["tfjs", "native"].includes(autoEngine()));
 * ```
 */
export function autoEngine(): FlowEngineKind {
  if (loadOpenBlas() === null) return "tfjs";
  // `undefined` until a backend is set or a first op picks one.
  const backend: string | undefined = tf.getBackend();
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
  const choice = options.engine ?? "auto";
  const kind = choice === "auto" ? autoEngine() : choice;
  return ENGINE_FACTORIES[kind](data, init, { form: options.form });
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

/**
 * Integrate gradient flow from `init` on `data` (see the module doc).
 * Synchronous; all tensors are released before it returns.
 */
export function gradientFlow(
  data: FlowData,
  init: NetworkWeights<Float32Array>,
  options: FlowOptions = {},
): FlowResult {
  const {
    stepFraction = 0.02,
    maxSteps = 4000,
    marginWindow = 100,
    marginTolerance = 1e-3,
    maxMargin = 1e4,
    renormEvery = 50,
    onCheckpoint,
    checkpointSteps = [],
    checkpointAtSeparation = false,
  } = options;
  const engine = createFlowEngine(data, init, options);
  const { n } = data;
  const checkpoints = new Set(checkpointSteps);
  const y = data.y;

  try {
    const start = neuronState(engine.neuronNorms());
    let normSquared = start.total;
    let logTime = -Infinity;
    let separatedAtStep = -1;
    let logTimeSeparated = NaN;
    let status: FlowStatus = "budget";
    let step = 0;
    let logLoss = NaN;
    let normalizedMargin = NaN;
    const marginHistory: number[] = [];
    const weightsNow = () => engine.weights();
    /** Report the current state to `onCheckpoint`, if given. */
    const checkpoint = (weights: () => NetworkWeights<Float32Array>) =>
      onCheckpoint?.({
        step,
        log10Time: logTime * LOG10E,
        log10Loss: logLoss * LOG10E,
        normalizedMargin,
        separated: step === separatedAtStep,
        weights,
      });

    while (true) {
      const lw = lossWeights(engine.forward(), y);
      logLoss = lw.logLoss;
      normalizedMargin = lw.minMargin / normSquared;
      if (!Number.isFinite(logLoss) || !Number.isFinite(normSquared)) {
        status = "diverged";
        break;
      }
      let separatesNow = false;
      if (separatedAtStep < 0 && logLoss < Math.log(Math.LN2 / n)) {
        separatedAtStep = step;
        logTimeSeparated = logTime;
        separatesNow = checkpointAtSeparation;
      }
      if (checkpoints.has(step) || separatesNow) checkpoint(weightsNow);
      if (separatedAtStep >= 0) {
        marginHistory.push(normalizedMargin);
        const len = marginHistory.length;
        if (len > marginWindow) {
          const old = marginHistory[len - 1 - marginWindow];
          if (
            normalizedMargin > 0 &&
            Math.abs(normalizedMargin - old) <=
              marginTolerance * Math.abs(normalizedMargin)
          ) {
            status = "converged";
          }
        }
        if (lw.minMargin > maxMargin) status = "margin-cap";
      }
      if (status !== "budget" || step >= maxSteps) break;

      // Fused step: direction D = Σ c_i ∇N_i, length ε‖θ‖.
      const dirNormSquared = engine.direction(lw.coefficients);
      const stepLength = stepFraction * Math.sqrt(normSquared / dirNormSquared);
      if (dirNormSquared === 0 && Number.isFinite(normSquared)) {
        // A stationary point of the flow (e.g. every neuron inactive on the
        // points that carry the loss): the flow stops here, it did not blow up.
        status = "stuck";
        break;
      }
      if (!Number.isFinite(stepLength)) {
        status = "diverged";
        break;
      }
      engine.advance(stepLength);
      normSquared += 4 * stepLength * lw.coefficientDotOutput +
        stepLength * stepLength * dirNormSquared;
      // dt = ds / L
      logTime = logAddExp(logTime, Math.log(stepLength) - logLoss);
      step++;
      if (step % renormEvery === 0) {
        normSquared = neuronState(engine.neuronNorms()).total;
      }
    }
    const end = neuronState(engine.neuronNorms());
    normSquared = end.total;
    const weights = engine.weights();
    if (!checkpoints.has(step)) checkpoint(() => weights);
    if (separatedAtStep < 0 && status !== "diverged" && status !== "stuck") {
      status = "not-separated";
    }
    return {
      status,
      steps: step,
      separatedAtStep,
      log10TimeSeparated: logTimeSeparated * LOG10E,
      log10Time: logTime * LOG10E,
      log10Loss: logLoss * LOG10E,
      normalizedMargin,
      normSquared,
      conservedDrift: conservedDrift(start, end),
      form: engine.form,
      engine: engine.kind,
      weights,
    };
  } finally {
    engine.dispose();
  }
}
