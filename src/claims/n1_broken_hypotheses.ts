/**
 * N1, the negative regime: the same measurements as C2, C4 and C6 on
 * instances that break a hypothesis of the paper, to show which predictions
 * then fail — a suite that only ever says "pass" proves nothing. Each
 * control reports the quantity its hypothesis is about, so that it is seen
 * to fail for that reason.
 *
 * - Correlated means (⟨μ_i, μ_j⟩ = 0.9d, so ρ is of order d rather than
 *   ≪ d): C2's generalization check, the √(d/k) flip scale and feature
 *   averaging are all expected to fail.
 *   - Generalization. C2's rate rests on the signal-to-noise ratio of the
 *     averaging direction s = Σ_j y_j μ_j: at cluster j the signal is
 *     y_j⟨s, μ_j⟩ and the noise ⟨s, ξ⟩ has variance ‖s‖², so the
 *     effective d/k is min_j (y_j⟨s, μ_j⟩)²/‖s‖² — exactly d/k for
 *     orthogonal means, (1 − c)·d/k with correlation c and balanced labels
 *     (the shared direction cancels in s). Columns: `mean_correlation`
 *     ρ/d, `effective_d_over_k`, and `explained_by_effective_d_over_k`:
 *     whether the error is within C2's threshold at the effective ratio,
 *     exp(-effective/4).
 *   - Flip scale (C7's per-trial check, with the best verified attack of
 *     `measure/robustness.ts` on a seeded subset of the test set). The
 *     averaging network's flip radius is its margin over the norm of its
 *     gradient, which follows the separation of the class means: √(d/k)
 *     for orthogonal means, √((1 − c)·d/k) here, i.e. √(effective d/k).
 *     Column `flip_over_sqrt_effective_ratio`: the median best-attack
 *     radius over √(effective d/k), of order one when that is the reason.
 *   - Feature averaging. With c = 0.9 the class sums u± are nearly
 *     parallel (`class_sums_cosine`, ≈ 0.9), dominated by the shared
 *     direction that carries no label; the neurons align with the class
 *     difference ±(u+ − u−) instead (`neuron_cosine_difference_median`).
 * - Unseen clusters (n < k): C2's generalization check is expected to
 *   fail. On a cluster without training points the label is a coin the
 *   network cannot know, so the error is near the information floor
 *   0.5·(1 − seen/k): columns `clusters_seen`, `information_floor`, and
 *   the exact error split into the clusters seen (`seen_cluster_error`,
 *   small) and unseen (`unseen_cluster_error`, ≈ 1/2). This is the suite's
 *   only unseen-cluster control (C2 and C3 rely on it).
 *
 * @module
 */

import { drawInstance } from "../model/instance.ts";
import { trainInstance } from "../flow/train.ts";
import { signedMeanSum } from "../model/data.ts";
import {
  classMeanSums,
  cosine,
  neuronAlignments,
} from "../measure/alignment.ts";
import { exactTestError } from "../measure/exact_error.ts";
import { ATTACK_POINTS } from "../measure/attacks/mod.ts";
import {
  attackedPoints,
  robustnessColumns,
  robustnessOf,
  unsoundOr,
} from "../measure/robustness.ts";
import { median } from "../stats/descriptive.ts";
import {
  GENERALIZATION_CRITERION,
  generalizationThreshold,
  MIN_TRIALS,
  sharedCriteria,
} from "./criteria.ts";
import {
  flowColumns,
  flowStatus,
  instanceParams,
  round,
  selectChecks,
  sizeKey,
  soundnessAssessment,
  syncTrial,
  unlessDegenerate,
  withinFactor,
} from "./kit.ts";
import type {
  CheckSpec,
  ClaimConfig,
  ClaimSpec,
  Profile,
  TrialResult,
} from "./types.ts";
import type { ClusterModel, ClusterSample } from "../model/data.ts";

const {
  flipOrderFactor,
  neuronAlignment,
  significance,
  generalizationExponent,
  errorSamplesPerCluster,
} = sharedCriteria;

/** Named constants of N1. */
export const n1Constants = {
  /** Pairwise correlation c of the correlated means (⟨μ_i, μ_j⟩ = c·d). */
  correlation: 0.9,
  /** c of C2's threshold exp(-c·d/k), applied unchanged. */
  rateExponent: generalizationExponent,
  /** Importance samples per cluster of the exact test error. */
  samplesPerCluster: errorSamplesPerCluster,
  /** Attacked test points per trial of the flip check at paper size (CI: `ATTACK_POINTS.ci`). */
  paperAttackPoints: 96,
  /** Target rate each check is compared with. */
  target: 0.8,
};

/** Why each constant of N1 has its value (fixed before looking at data). */
export const n1ConstantReasons: Record<keyof typeof n1Constants, string> = {
  correlation:
    "ρ = 0.9d: of order d, far outside ρ ≪ d, yet the means stay distinct (‖μ_i − μ_j‖² = 0.2d)",
  rateExponent: "C2's criterion, applied unchanged (shared)",
  samplesPerCluster: "C2's instrument, unchanged (shared)",
  paperAttackPoints:
    "the full attack bracket costs ≈ 28 ms per point at paper size; 96 points keep the flip control within N1's share of the budget",
  target: "the suite's default target, as for the checks these controls shadow",
};

const generalizationMargin = {
  measured: "test_error_high",
  threshold: "threshold",
  direction: "below" as const,
};

const checks: Record<string, CheckSpec> = {
  generalizesCorrelated: {
    name: "generalizes_correlated_means",
    description:
      `C2's check (${GENERALIZATION_CRITERION}) with correlated means (must fail; mechanism: effective d/k = min_j (y_j⟨s, μ_j⟩)²/‖s‖² shrinks to (1−c)·d/k)`,
    target: n1Constants.target,
    expect: "fails",
    role: "control",
    twinOf: "C2:test_error_small",
    margin: generalizationMargin,
  },
  generalizesUnseen: {
    name: "generalizes_unseen_clusters",
    description:
      `C2's check (${GENERALIZATION_CRITERION}) with n < k (must fail; mechanism: clusters seen, and the error of the unseen ones near the information floor 0.5·(1 − seen/k)); the suite's only unseen-cluster control`,
    target: n1Constants.target,
    expect: "fails",
    role: "control",
    twinOf: "C2:test_error_small",
    margin: generalizationMargin,
  },
  flipScale: {
    name: "flip_scale_sqrt_d_over_k",
    description:
      `median best verified attack radius / √(d/k) within [1/${flipOrderFactor}, ${flipOrderFactor}] (C7's check, same attacks; must fail; mechanism: the flip radius follows √(effective d/k) = √((1−c)·d/k))`,
    target: n1Constants.target,
    expect: "fails",
    role: "control",
    twinOf: "C7:flip_radius_order_sqrt_d_over_k",
    margin: {
      measured: "flip_ratio_median",
      threshold: 1 / flipOrderFactor,
      direction: "above",
    },
  },
  averaging: {
    name: "features_averaged",
    description:
      `median neuron cosine with u± ≥ ${neuronAlignment} (C6's neuron check; must fail; mechanism: u+ and u− nearly parallel, neurons aligned with ±(u+ − u−) instead)`,
    target: n1Constants.target,
    expect: "fails",
    role: "control",
    twinOf: "C6:features_averaged",
    margin: {
      measured: "neuron_cosine_median",
      threshold: neuronAlignment,
      direction: "above",
    },
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
  const trials = MIN_TRIALS;
  return [
    {
      key: `correlated-${n1Constants.correlation}:${sizeKey(p)}`,
      params: {
        ...p,
        nTest: 500,
        means: "correlated",
        correlation: n1Constants.correlation,
        attackPoints: profile === "ci"
          ? ATTACK_POINTS.ci
          : n1Constants.paperAttackPoints,
      },
      trials,
      checks: [
        checks.generalizesCorrelated,
        checks.flipScale,
        checks.averaging,
      ],
    },
    {
      key: `unseen-clusters:${sizeKey(u)}`,
      params: { ...u, nTest: 500, means: "orthogonal" },
      trials,
      checks: [checks.generalizesUnseen],
    },
  ];
}

/**
 * The effective d/k of C2's rate: min_j (y_j⟨s, μ_j⟩)²/‖s‖² with
 * s = Σ_j y_j μ_j (0 when some cluster has y_j⟨s, μ_j⟩ ≤ 0); d/k for
 * orthogonal means.
 *
 * @example
 * ```ts
 * import { effectiveRatio } from "./n1_broken_hypotheses.ts";
 * import { clusterModel } from "../model/data.ts";
 * import { Rng } from "../model/rng.ts";
 * import assert from "node:assert/strict";
 * const orthogonal = clusterModel(new Rng(1), { d: 100, k: 4 });
 * assert.ok(Math.abs(effectiveRatio(orthogonal) - 25) < 1e-9);
 * const correlated = clusterModel(new Rng(1), { d: 100, k: 4, kind: "correlated", correlation: 0.9 });
 * assert.ok(Math.abs(effectiveRatio(correlated) - 2.5) < 1e-9);
 * ```
 */
export function effectiveRatio(model: ClusterModel): number {
  const { d, k, clusterMeans, clusterLabels } = model;
  const s = signedMeanSum(model);
  let ss = 0;
  for (let t = 0; t < d; t++) ss += s[t] * s[t];
  let worst = Infinity;
  for (let j = 0; j < k; j++) {
    let dot = 0;
    for (let t = 0; t < d; t++) dot += s[t] * clusterMeans[j * d + t];
    const signal = clusterLabels[j] * dot;
    worst = Math.min(worst, signal > 0 ? (signal * signal) / ss : 0);
  }
  return worst;
}

/** Which clusters have at least one training point. */
function seenClusters(train: ClusterSample, k: number): Uint8Array {
  const seen = new Uint8Array(k);
  for (const j of train.cluster) seen[j] = 1;
  return seen;
}

/** Mean of the entries of `values` where `mask` is `want` (NaN when none). */
function maskedMean(
  values: Float64Array,
  { mask, want }: { mask: Uint8Array; want: number },
): number {
  let s = 0, n = 0;
  for (let j = 0; j < values.length; j++) {
    if (mask[j] === want) {
      s += values[j];
      n++;
    }
  }
  return n === 0 ? NaN : s / n;
}

/** One N1 trial: C2's, C4's and C6's measurements on a broken instance. */
export function n1Trial(seed: number, config: ClaimConfig): TrialResult {
  const params = instanceParams(config.params);
  const instance = drawInstance(seed, params);
  const { model, train, rng } = instance;
  const flow = trainInstance(instance);
  const threshold = generalizationThreshold(params);
  const exact = exactTestError(flow.weights, model, {
    rng,
    samplesPerCluster: n1Constants.samplesPerCluster,
  });
  const uses = (name: string) => config.checks.some((c) => c.name === name);
  const flips = uses("flip_scale_sqrt_d_over_k")
    ? robustnessOf(
      flow.weights,
      attackedPoints(instance, Number(config.params.attackPoints)),
      { targets: train, direction: signedMeanSum(model) },
    )
    : undefined;
  const flipScale = Math.sqrt(params.d / params.k);
  const ratio = flips === undefined ? NaN : median(flips.attack) / flipScale;
  const sums = classMeanSums(model);
  const alignment = median(
    neuronAlignments(flow.weights, sums, { significance }),
  );
  const difference = Float64Array.from(
    sums.plus,
    (x, t) => x - sums.minus[t],
  );
  const differenceAlignment = median(
    neuronAlignments(flow.weights, {
      plus: difference,
      minus: difference.map((x) => -x),
    }, { significance }),
  );
  const effective = effectiveRatio(model);
  const seen = seenClusters(train, params.k);
  const seenCount = seen.reduce((a, b) => a + b, 0);
  const base = unlessDegenerate(
    flowStatus(flow),
    unsoundOr(
      flips === undefined ? {} : { "the gradient-flow network": flips },
      {
        degenerate:
          (uses("flip_scale_sqrt_d_over_k") && !Number.isFinite(ratio)) ||
          (uses("features_averaged") && !Number.isFinite(alignment)),
        reason: "no flip radius or no significant neuron to measure",
      },
    ),
  );
  const ok = base.status === "ok";
  const generalizes = ok && exact.high <= threshold;
  const floor = 0.5 * (1 - seenCount / params.k);
  return {
    ...base,
    checks: selectChecks(config, {
      generalizes_correlated_means: generalizes,
      generalizes_unseen_clusters: generalizes,
      flip_scale_sqrt_d_over_k: ok && withinFactor(ratio, flipOrderFactor),
      features_averaged: ok && alignment >= neuronAlignment,
    }),
    values: {
      ...flowColumns(instance, flow),
      test_error_exact: round(exact.error, 5),
      test_error_high: round(exact.high, 5),
      threshold: round(threshold, 6),
      mean_correlation: round(model.rho / params.d, 4),
      effective_d_over_k: round(effective, 4),
      effective_threshold: round(
        Math.exp(-generalizationExponent * effective),
        5,
      ),
      explained_by_effective_d_over_k: exact.high <=
        Math.exp(-generalizationExponent * effective),
      information_floor: round(floor, 4),
      seen_cluster_error: round(
        maskedMean(exact.perCluster, { mask: seen, want: 1 }),
        5,
      ),
      unseen_cluster_error: round(
        maskedMean(exact.perCluster, { mask: seen, want: 0 }),
        5,
      ),
      error_over_floor: round(floor > 0 ? exact.error / floor : NaN, 4),
      flip_ratio_median: round(ratio, 5),
      flip_over_sqrt_effective_ratio: round(
        (ratio * flipScale) / Math.sqrt(effective),
        5,
      ),
      ...(flips === undefined ? {} : robustnessColumns(flips, {
        scale: flipScale,
        share: 0.9,
        prefix: "flip_",
      })),
      neuron_cosine_median: round(alignment, 5),
      class_sums_cosine: round(cosine(sums.plus, sums.minus), 5),
      neuron_cosine_difference_median: round(differenceAlignment, 5),
    },
  };
}

/** The N1 pseudo-claim (negative regime). */
export const n1: ClaimSpec = {
  id: "N1",
  title: "Negative regime: broken hypotheses",
  statement:
    "Not a claim of the paper but its contrapositive in practice: with strongly correlated cluster means " +
    "(ρ of order d) or with clusters never seen in training, the predictions of C2 (exact test error ≤ exp(-d/(4k))), " +
    "C6 and C7's flip scale are expected to fail, and the suite must say so, for the reason each hypothesis names: " +
    "correlated means shrink the effective d/k of the averaging direction to (1−c)·d/k and make u+ and u− nearly " +
    "parallel; unseen clusters put the error at the information floor 0.5·(1 − seen/k). This is the suite's only " +
    "unseen-cluster control; C2 and C3 rely on it.",
  source: "[R]",
  hypotheses: ["broken on purpose: ρ = 0.9d, or n < k"],
  constants: { ...n1Constants },
  constantReasons: { ...n1ConstantReasons },
  configs: n1Configs,
  runTrial: syncTrial(n1Trial),
  budget: { blasSeconds: 20, wasmSeconds: 60 },
  assess: (records) => [
    soundnessAssessment(records, { columns: ["flip_soundness_violations"] }),
  ],
  predictions: [
    {
      name: "unseen_cluster_error",
      measured: {
        kind: "median",
        column: "unseen_cluster_error",
        check: "generalizes_unseen_clusters",
      },
      predicted: 0.5,
      law: "an unseen cluster's label is a coin the network cannot know",
      source: "[R]",
      note:
        "the exact test error on the clusters without training points (the information floor)",
    },
    {
      name: "flip_radius_over_sqrt_effective_d_over_k",
      measured: {
        kind: "median",
        column: "flip_over_sqrt_effective_ratio",
        check: "flip_scale_sqrt_d_over_k",
      },
      predicted: 1,
      form: "order",
      law: "with correlation c the flip radius follows √((1 − c)·d/k)",
      source: "[R]",
      note:
        "correlated means shrink the separation of the class means: the constant is not predicted",
    },
  ],
  highlights: [
    "test_error_high",
    "threshold",
    "mean_correlation",
    "effective_d_over_k",
    "clusters_seen",
    "information_floor",
    "unseen_cluster_error",
    "seen_cluster_error",
    "neuron_cosine_median",
    "class_sums_cosine",
    "neuron_cosine_difference_median",
    "flip_ratio_median",
    "flip_over_sqrt_effective_ratio",
    "flip_analytic_over_attack",
    "flip_certified_over_attack",
    "flip_soundness_violations",
  ],
};
