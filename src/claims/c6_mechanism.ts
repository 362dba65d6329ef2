/**
 * Claim C6 (mechanism): the trained network averages features. Each
 * significant neuron's weight vector w_r aligns with the sum of its class's
 * means (u+ = Σ_{y_j=+1} μ_j for v_r > 0, u- for v_r < 0), and the input
 * gradient at test points aligns with Σ_j y_j μ_j, which is why C4's
 * direction flips the sign. Controls: strongly correlated means (ρ of order
 * d) must weaken it — note that there u± is dominated by the component all
 * means share, so the neuron cosine drops partly by construction, while the
 * input gradient's cosine with Σ_j y_j μ_j (where the shared part cancels)
 * only drops from ≈ 0.71 to ≈ 0.64; and a large initialization (the lazy
 * regime, small-initialization hypothesis broken), where neurons stay close
 * to their random start, must break it for the intended reason.
 *
 * @module
 */

import { signedMeanSum } from "../model/data.ts";
import { drawInstance } from "../model/instance.ts";
import { inputGradients } from "../model/network.ts";
import { trainInstance } from "../flow/train.ts";
import {
  classMeanSums,
  cosine,
  neuronAlignments,
} from "../measure/alignment.ts";
import { median } from "../stats/mod.ts";
import { sharedCriteria } from "./criteria.ts";
import {
  flowColumns,
  flowStatus,
  instanceParams,
  round,
  sizeKey,
  syncTrial,
  unlessDegenerate,
} from "./kit.ts";
import type { ClaimConfig, ClaimSpec, Profile, TrialResult } from "./types.ts";

/** Named constants of C6. */
export const c6Constants = {
  /** A neuron is significant when v_r² + ‖w_r‖² + b_r² ≥ this × the largest (shared with N1). */
  significance: sharedCriteria.significance,
  /** Median cosine of significant neurons with u± must be at least this (shared with N1). */
  neuronAlignment: sharedCriteria.neuronAlignment,
  /** Median cosine of the input gradient at (x, y) with y·u_y (its own class's mean sum) must be at least this. */
  gradientAlignment: 0.8,
  /**
   * Initialization scale α of the large-initialization control (the
   * small-initialization hypothesis broken: neurons barely move from their
   * random start).
   */
  largeInitScale: 10,
  /** Target pass rate. */
  target: 0.8,
};

/** Configurations of C6. */
export function c6Configs(profile: Profile): ClaimConfig[] {
  const p = profile === "ci"
    ? { d: 500, k: 10, n: 100, m: 100 }
    : { d: 2000, k: 20, n: 200, m: 256 };
  const { neuronAlignment, gradientAlignment, target } = c6Constants;
  const check = {
    name: "features_averaged",
    description:
      `median cosine of significant neurons with u± ≥ ${neuronAlignment} and of input gradients ` +
      `at (x, y) with y·u_y ≥ ${gradientAlignment}`,
    target,
  };
  const trials = profile === "ci" ? 40 : 80;
  return [
    {
      key: sizeKey(p),
      params: { ...p, nTest: 200, means: "orthogonal" },
      trials,
      checks: [{ ...check, expect: "holds" }],
    },
    {
      key: `correlated-0.9:${sizeKey(p)}`,
      params: { ...p, nTest: 200, means: "correlated", correlation: 0.9 },
      trials,
      checks: [{
        ...check,
        name: "control_correlated_means",
        description: `${check.description}, with ⟨μ_i, μ_j⟩ = 0.9d (must fail)`,
        expect: "fails",
      }],
    },
    {
      key: `large-init-${c6Constants.largeInitScale}:${sizeKey(p)}`,
      params: {
        ...p,
        nTest: 200,
        means: "orthogonal",
        initScale: c6Constants.largeInitScale,
      },
      trials: profile === "ci" ? 20 : 40,
      checks: [{
        ...check,
        name: "control_large_initialization",
        description:
          `${check.description}, from an initialization of scale ${c6Constants.largeInitScale} ` +
          `(lazy regime; must fail)`,
        expect: "fails",
      }],
    },
  ];
}

/** One C6 trial. */
export function c6Trial(seed: number, config: ClaimConfig): TrialResult {
  const params = instanceParams(config.params);
  const instance = drawInstance(seed, params);
  const flow = trainInstance(instance);
  const { model, test } = instance;
  const { d } = params;
  const sums = classMeanSums(model);
  const alignments = neuronAlignments(flow.weights, sums, {
    significance: c6Constants.significance,
  });
  const grads = inputGradients(flow.weights, test.x);
  const gradient = (i: number) => grads.subarray(i * d, (i + 1) * d);
  const s = signedMeanSum(model);
  const uMinusNeg = sums.minus.map((x) => -x);
  const gradientCosines = Array.from(
    { length: test.n },
    (_, i) => cosine(gradient(i), test.y[i] > 0 ? sums.plus : uMinusNeg),
  );
  const signedCosines = Array.from(
    { length: test.n },
    (_, i) => cosine(gradient(i), s),
  );
  const neuron = median(alignments);
  const gradientCosine = median(gradientCosines);
  const base = unlessDegenerate(flowStatus(flow), {
    degenerate: alignments.length === 0 || !Number.isFinite(gradientCosine),
    reason: "no significant neuron, or an undefined gradient cosine",
  });
  const pass = base.status === "ok" && neuron >= c6Constants.neuronAlignment &&
    gradientCosine >= c6Constants.gradientAlignment;
  return {
    ...base,
    checks: Object.fromEntries(config.checks.map((c) => [c.name, pass])),
    values: {
      ...flowColumns(instance, flow),
      significant_neurons: alignments.length,
      neuron_cosine_median: round(neuron, 5),
      neuron_cosine_min: round(Math.min(...alignments), 5),
      gradient_cosine_median: round(gradientCosine, 5),
      gradient_cosine_signed_sum_median: round(median(signedCosines), 5),
    },
  };
}

/** The C6 claim. */
export const c6: ClaimSpec = {
  id: "C6",
  title: "Mechanism: feature averaging",
  statement:
    "The gradient-flow network averages the cluster features: each significant neuron aligns with the sum of its " +
    "class's means (u+ or u-), so the input gradient at a point of class y points along y·u_y, which has a large " +
    "component on Σ_j y_j μ_j (cosine 1/√2 for balanced orthogonal means): that is why C4's direction flips the sign.",
  source: "[L/R]",
  hypotheses: ["orthogonal means (ρ ≪ d)", "small initialization"],
  constants: { ...c6Constants },
  configs: c6Configs,
  runTrial: syncTrial(c6Trial),
  highlights: [
    "neuron_cosine_median",
    "gradient_cosine_median",
    "gradient_cosine_signed_sum_median",
    "significant_neurons",
    "rho",
  ],
};
