/**
 * N1, the negative regime: the same measurements as C2, C4 and C6 on
 * instances that break a hypothesis of the paper, to show which predictions
 * then fail — a suite that only ever says "pass" proves nothing.
 *
 * - Correlated means (⟨μ_i, μ_j⟩ = 0.9d, so ρ is of order d rather than ≪ d):
 *   generalization, the √(d/k) flip scale and feature averaging are all
 *   expected to fail.
 * - Unseen clusters (n < k): generalization is expected to fail.
 *
 * @module
 */

import { drawInstance } from "../model/instance.ts";
import { trainInstance } from "../flow/train.ts";
import { classMeanSums, neuronAlignments } from "../measure/alignment.ts";
import { classificationError } from "../measure/classification.ts";
import { flipsOnTestSet } from "../measure/flips.ts";
import { median } from "../stats/mod.ts";
import { sharedCriteria } from "./criteria.ts";
import {
  flowColumns,
  flowStatus,
  instanceParams,
  round,
  selectChecks,
  sizeKey,
  syncTrial,
  unlessDegenerate,
  withinFactor,
} from "./kit.ts";
import type { ClaimConfig, ClaimSpec, Profile, TrialResult } from "./types.ts";

const { maxTestError, flipOrderFactor, neuronAlignment, significance } =
  sharedCriteria;

/** Named constants of N1. */
export const n1Constants = {
  /** Pairwise correlation c of the correlated means (⟨μ_i, μ_j⟩ = c·d). */
  correlation: 0.9,
  /** Target rate each check is compared with. */
  target: 0.8,
};

const checks = {
  generalizes: {
    name: "generalizes",
    description: `test error ≤ ${maxTestError} (C2's check)`,
    target: n1Constants.target,
    expect: "fails" as const,
  },
  flipScale: {
    name: "flip_scale_sqrt_d_over_k",
    description:
      `median flip radius / √(d/k) within [1/${flipOrderFactor}, ${flipOrderFactor}] (C7's check)`,
    target: n1Constants.target,
    expect: "fails" as const,
  },
  averaging: {
    name: "features_averaged",
    description:
      `median neuron cosine with u± ≥ ${neuronAlignment} (C6's neuron check)`,
    target: n1Constants.target,
    expect: "fails" as const,
  },
};

/** Configurations of N1. */
export function n1Configs(profile: Profile): ClaimConfig[] {
  const p = profile === "ci"
    ? { d: 500, k: 10, n: 100, m: 100 }
    : { d: 2000, k: 20, n: 200, m: 256 };
  const u = profile === "ci"
    ? { d: 1500, k: 50, n: 25, m: 100 }
    : { d: 3000, k: 100, n: 50, m: 256 };
  const trials = profile === "ci" ? 20 : 30;
  return [
    {
      key: `correlated-${n1Constants.correlation}:${sizeKey(p)}`,
      params: {
        ...p,
        nTest: 500,
        means: "correlated",
        correlation: n1Constants.correlation,
      },
      trials,
      checks: [checks.generalizes, checks.flipScale, checks.averaging],
    },
    {
      key: `unseen-clusters:${sizeKey(u)}`,
      params: { ...u, nTest: 500, means: "orthogonal" },
      trials,
      checks: [checks.generalizes],
    },
  ];
}

/** One N1 trial: C2's, C4's and C6's measurements on a broken instance. */
export function n1Trial(seed: number, config: ClaimConfig): TrialResult {
  const params = instanceParams(config.params);
  const instance = drawInstance(seed, params);
  const { model, test } = instance;
  const flow = trainInstance(instance);
  const testError = classificationError(flow.weights, test);
  const flips = flipsOnTestSet(instance, flow.weights);
  const ratio = median(flips.ratios);
  const alignment = median(
    neuronAlignments(flow.weights, classMeanSums(model), { significance }),
  );
  const uses = (name: string) => config.checks.some((c) => c.name === name);
  const base = unlessDegenerate(flowStatus(flow), {
    degenerate: (uses("flip_scale_sqrt_d_over_k") && !Number.isFinite(ratio)) ||
      (uses("features_averaged") && !Number.isFinite(alignment)),
    reason: "no flip radius or no significant neuron to measure",
  });
  const ok = base.status === "ok";
  return {
    ...base,
    checks: selectChecks(config, {
      generalizes: ok && testError <= maxTestError,
      flip_scale_sqrt_d_over_k: ok && withinFactor(ratio, flipOrderFactor),
      features_averaged: ok && alignment >= neuronAlignment,
    }),
    values: {
      ...flowColumns(instance, flow),
      test_error: round(testError, 6),
      flip_ratio_median: round(ratio, 5),
      neuron_cosine_median: round(alignment, 5),
    },
  };
}

/** The N1 pseudo-claim (negative regime). */
export const n1: ClaimSpec = {
  id: "N1",
  title: "Negative regime: broken hypotheses",
  statement:
    "Not a claim of the paper but its contrapositive in practice: with strongly correlated cluster means " +
    "(ρ of order d) or with clusters never seen in training, the predictions of C2, C6 and C7's flip scale " +
    "are expected to fail, and the suite must say so.",
  source: "[R]",
  hypotheses: ["broken on purpose: ρ = 0.9d, or n < k"],
  constants: { ...n1Constants },
  configs: n1Configs,
  runTrial: syncTrial(n1Trial),
  highlights: [
    "test_error",
    "flip_ratio_median",
    "neuron_cosine_median",
    "rho",
    "clusters_seen",
  ],
};
