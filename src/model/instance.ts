/**
 * One random instance of the paper's setting, drawn from a single trial seed:
 * cluster means and labels, a training set, an independent test set and a
 * small initialization, in that order from one {@linkcode Rng}; then the
 * network trained by gradient flow. Every claim's trial starts here.
 *
 * @module
 */

import {
  type ClusterModel,
  clusterModel,
  type ClusterSample,
  clustersSeen,
  type MeansKind,
  sampleClusters,
} from "./data.ts";
import {
  type FlowOptions,
  type FlowResult,
  gradientFlow,
} from "../flow/gradient_flow.ts";
import { initialWeights, networkOutputs } from "./network.ts";
import { Rng } from "./rng.ts";
import type { Cell, TrialResult } from "../claims/types.ts";
import { type NetworkWeights } from "./weights.ts";

/** Parameters of an instance (all written to trial rows). */
export interface InstanceParams {
  /** Input dimension d. */
  d: number;
  /** Number of clusters k. */
  k: number;
  /** Training-set size n. */
  n: number;
  /** Network width m. */
  m: number;
  /** Test-set size. */
  nTest: number;
  /** How the cluster means are drawn. */
  means: MeansKind;
  /** Pairwise correlation of `correlated` means. */
  correlation: number;
  /** Noise scale σ. */
  sigma: number;
  /** Initialization scale α. */
  initScale: number;
  /** ε of the integrator. */
  stepFraction: number;
  /** Step budget of the integrator. */
  maxSteps: number;
}

/** The kinds of cluster means. */
export const MEANS_KINDS: readonly MeansKind[] = [
  "orthogonal",
  "gaussian",
  "correlated",
];

/** Defaults shared by the claims (each config overrides what it needs). */
export const defaultInstance: InstanceParams = {
  d: 500,
  k: 10,
  n: 100,
  m: 100,
  nTest: 1000,
  means: "orthogonal",
  correlation: 0.5,
  sigma: 1,
  initScale: 1e-3,
  stepFraction: 0.01,
  maxSteps: 4000,
};

/** Read instance parameters out of a config's parameter record. */
export function instanceParams(params: Record<string, Cell>): InstanceParams {
  const out = { ...defaultInstance } as unknown as Record<string, Cell>;
  for (const key of Object.keys(defaultInstance)) {
    if (key in params) out[key] = params[key];
  }
  const p = out as unknown as InstanceParams;
  for (const key of ["d", "k", "n", "m", "nTest", "maxSteps"] as const) {
    if (!Number.isInteger(p[key]) || p[key] < 1) {
      throw new RangeError(`${key} must be a positive integer, got ${p[key]}`);
    }
  }
  if (p.k < 2) throw new RangeError(`k must be ≥ 2, got ${p.k}`);
  if (p.d < p.k) throw new RangeError(`d must be ≥ k, got d=${p.d} < k=${p.k}`);
  if (!MEANS_KINDS.includes(p.means)) {
    throw new RangeError(
      `means must be one of ${MEANS_KINDS.join(", ")}, got "${p.means}"`,
    );
  }
  if (p.means === "correlated" && p.d < p.k + 1) {
    throw new RangeError(
      `correlated means need d ≥ k + 1, got d=${p.d}, k=${p.k}`,
    );
  }
  const real = (
    key: keyof InstanceParams,
    ok: (x: number) => boolean,
    range: string,
  ) => {
    const x = p[key];
    if (typeof x !== "number" || !ok(x)) {
      throw new RangeError(`${key} must be ${range}, got ${x}`);
    }
  };
  real("correlation", (x) => x >= 0 && x < 1, "in [0, 1)");
  real("sigma", (x) => x >= 0 && Number.isFinite(x), "a finite number ≥ 0");
  real("initScale", (x) => x > 0 && Number.isFinite(x), "a finite number > 0");
  real("stepFraction", (x) => x > 0 && x <= 1, "in (0, 1]");
  return p;
}

/** A drawn instance before training. */
export interface Instance {
  /** Its parameters. */
  params: InstanceParams;
  /** Cluster means and labels. */
  model: ClusterModel;
  /** Training set. */
  train: ClusterSample;
  /** Independent test set. */
  test: ClusterSample;
  /** Initialization. */
  init: NetworkWeights<Float32Array>;
  /** The generator, positioned after the draws above (for later draws of the trial). */
  rng: Rng;
}

/** Draw an instance from a trial seed. */
export function drawInstance(seed: number, params: InstanceParams): Instance {
  const rng = new Rng(seed);
  const model = clusterModel(rng, {
    d: params.d,
    k: params.k,
    kind: params.means,
    correlation: params.correlation,
    sigma: params.sigma,
  });
  const train = sampleClusters(rng, model, params.n);
  const test = sampleClusters(rng, model, params.nTest);
  const init = initialWeights(rng, params.d, params.m, params.initScale);
  return { params, model, train, test, init, rng };
}

/** Train the instance's network by gradient flow. */
export function trainInstance(
  instance: Instance,
  options: FlowOptions = {},
): FlowResult {
  const { train, init, params } = instance;
  return gradientFlow(
    { n: train.n, d: train.d, x: train.x, y: train.y },
    init,
    {
      stepFraction: params.stepFraction,
      maxSteps: params.maxSteps,
      ...options,
    },
  );
}

/** Fraction of points of a sample misclassified (y·N ≤ 0) by a network. */
export function classificationError(
  weights: NetworkWeights<Float32Array>,
  sample: ClusterSample,
): number {
  const out = networkOutputs(weights, sample.x, sample.n);
  let errors = 0;
  for (let i = 0; i < sample.n; i++) if (sample.y[i] * out[i] <= 0) errors++;
  return errors / sample.n;
}

/** Columns every trained trial reports: the instance and the integrator's record. */
export function flowColumns(
  instance: Instance,
  flow: FlowResult,
): Record<string, Cell> {
  return {
    rho: round(instance.model.rho, 4),
    clusters_seen: clustersSeen(instance.train, instance.params.k),
    form: flow.form,
    engine: flow.engine ?? "tfjs",
    flow_status: flow.status,
    steps: flow.steps,
    separated_step: flow.separatedAtStep,
    log10_time_separated: round(flow.log10TimeSeparated, 4),
    log10_time: round(flow.log10Time, 4),
    log10_loss: round(flow.log10Loss, 4),
    normalized_margin: round(flow.normalizedMargin, 6),
    conserved_drift: round(flow.conservedDrift, 6),
  };
}

/**
 * The trial status implied by a flow result: a flow that never reached
 * L < log(2)/n is `not-converged`, NaN/Inf is `error`; otherwise `ok`.
 */
export function flowStatus(
  flow: FlowResult,
): Pick<TrialResult, "status" | "reason"> {
  if (flow.status === "not-separated") {
    return {
      status: "not-converged",
      reason: `L ≥ log(2)/n after ${flow.steps} steps`,
    };
  }
  if (flow.status === "stuck") {
    return {
      status: flow.separatedAtStep >= 0 ? "ok" : "not-converged",
      reason: flow.separatedAtStep >= 0
        ? ""
        : `zero gradient before L < log(2)/n at step ${flow.steps}`,
    };
  }
  if (flow.status === "diverged") {
    return {
      status: "error",
      reason: `NaN/Inf in training at step ${flow.steps}`,
    };
  }
  return { status: "ok", reason: "" };
}

/** Round to `digits` significant decimals for reports (deterministic). */
export function round(value: number, digits: number): number {
  if (!Number.isFinite(value)) return value;
  return Number(value.toPrecision(digits));
}

/**
 * Turn an `ok` status into `error` when a trial's measurement is degenerate
 * (e.g. no correctly classified test point to attack), so that it counts
 * against predictions and is left out of controls instead of passing as
 * "control failed".
 */
export function unlessDegenerate(
  base: Pick<TrialResult, "status" | "reason">,
  degenerate: boolean,
  reason: string,
): Pick<TrialResult, "status" | "reason"> {
  return base.status === "ok" && degenerate
    ? { status: "error", reason }
    : base;
}
