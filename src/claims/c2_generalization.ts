/**
 * Claim C2 (generalization): the gradient-flow network's test error is
 * exponentially small in d/k. Checked on fresh instances with d/k ≥ 25 and an
 * overparameterized width (m(d+2) ≫ n); control: k so large compared with n
 * that many clusters are never seen in training, which must break it.
 *
 * @module
 */

import {
  classificationError,
  drawInstance,
  flowColumns,
  flowStatus,
  instanceParams,
  round,
  trainInstance,
} from "../instance.ts";
import type { ClaimConfig, ClaimSpec, Profile, TrialResult } from "../types.ts";

/** Named constants of C2. */
export const c2Constants = {
  /** A trial passes when its test error is at most this. */
  maxTestError: 0.01,
  /** Target pass rate of the main check. */
  target: 0.8,
};

const generalizes = {
  name: "test_error_small",
  description: `test error ≤ ${c2Constants.maxTestError} on the test set`,
  target: c2Constants.target,
};

/** Configurations of C2 at a profile. */
export function c2Configs(profile: Profile): ClaimConfig[] {
  const main = profile === "ci"
    ? { d: 500, k: 10, n: 100, m: 100, nTest: 1000 }
    : { d: 2000, k: 20, n: 200, m: 256, nTest: 2000 };
  const unseen = profile === "ci"
    ? { d: 1500, k: 50, n: 25, m: 100, nTest: 1000 }
    : { d: 3000, k: 100, n: 50, m: 256, nTest: 2000 };
  return [
    {
      key: `d=${main.d},k=${main.k},n=${main.n},m=${main.m}`,
      params: { ...main, means: "orthogonal" },
      checks: [{ ...generalizes, expect: "holds" }],
      trials: profile === "ci" ? 40 : 100,
    },
    {
      key:
        `unseen-clusters:d=${unseen.d},k=${unseen.k},n=${unseen.n},m=${unseen.m}`,
      params: { ...unseen, means: "orthogonal" },
      checks: [{
        ...generalizes,
        name: "control_unseen_clusters",
        description:
          `${generalizes.description}, with n < k so clusters go unseen (must fail)`,
        expect: "fails",
      }],
      trials: profile === "ci" ? 10 : 30,
    },
  ];
}

/** One C2 trial: draw, train, measure test error. */
export function c2Trial(seed: number, config: ClaimConfig): TrialResult {
  const params = instanceParams(config.params);
  const instance = drawInstance(seed, params);
  const flow = trainInstance(instance);
  const base = flowStatus(flow);
  const testError = classificationError(flow.weights, instance.test);
  const trainError = classificationError(flow.weights, instance.train);
  const pass = base.status === "ok" && testError <= c2Constants.maxTestError;
  const checks = Object.fromEntries(config.checks.map((c) => [c.name, pass]));
  return {
    ...base,
    checks,
    values: {
      ...flowColumns(instance, flow),
      train_error: round(trainError, 6),
      test_error: round(testError, 6),
      bound_2exp: round(2 * Math.exp(-params.d / (2 * params.k)), 4),
    },
  };
}

/** The C2 claim. */
export const c2: ClaimSpec = {
  id: "C2",
  title: "Generalization",
  statement:
    "Gradient flow from a small initialization on k well-separated clusters (nearly orthogonal means of norm √d) " +
    "reaches a network whose test error is exponentially small in d/k, even when the network has far more " +
    "parameters than training points.",
  source: "[A, rate R]",
  hypotheses: [
    "d/k ≥ 25",
    "ρ ≪ d (orthogonal means)",
    "every cluster seen in training (n ≳ k log k)",
    "m(d+2) ≫ n",
  ],
  constants: { ...c2Constants },
  configs: c2Configs,
  runTrial: (task, config) => Promise.resolve(c2Trial(task.seed, config)),
  highlights: [
    "test_error",
    "train_error",
    "clusters_seen",
    "steps",
    "conserved_drift",
  ],
};
