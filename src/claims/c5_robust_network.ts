/**
 * Claim C5 (robust networks exist): N*(x) = Σ_j y_j relu(⟨μ_j, x⟩ − d/2), of
 * width k, fits the training set and is provably robust at radius c·√d at
 * most test points, a factor of order √k above the gradient-flow network
 * on the same points: robustness is in the class, gradient flow does not
 * pick it.
 *
 * Per trial, on a seeded subset of the test set (the attacked points), both
 * networks get the bracket certified(x) ≤ r(x) ≤ attack(x) of their robust
 * radius (`measure/robustness.ts`: sound certificate below, best verified
 * flip of DeepFool, FMN and the MALT-style attack above). Hence, per point,
 *
 *   cert_N*(x) / attack_GF(x)  ≤  r_N*(x) / r_GF(x)  ≤  attack_N*(x) / cert_GF(x),
 *
 * a proven bracket on the true gap; the check uses the lower end.
 *
 * Checks (each with its twin, the same check on the same points):
 *
 * - `robust_certified` (prediction): N* fits the training set and ≥ 90% of
 *   the points have certified radius ≥ c·√d. Twin
 *   `twin_gradient_flow_certified`: the trained network in N*'s place (it
 *   fits the training set too, so only its robustness can fail it).
 * - `gap_order_sqrt_k` (prediction): the median over the points of
 *   cert_N*(x)/attack_GF(x) is ≥ c_gap·√k. Twin `twin_gap_no_gap`: the
 *   robust network in gradient flow's place, cert_N*(x)/attack_N*(x) (the
 *   false alternative "gradient flow finds a network as robust as N*").
 *
 * Soundness: a verified flip below a certified radius (either network), or
 * a certificate above the pair ceiling ‖μ_i − μ_j‖/2 on both points of a
 * coupled pair (`coupledPairs`/`checkPairCeilings`, on N* and on the
 * trained network), makes the trial an error, and `attacks_sound` fails
 * the run.
 *
 * N*'s certified radius is arithmetic on our own construction: at x = μ_j +
 * ξ only neuron j is active, with pre-activation d/2 + ⟨μ_j, ξ⟩, so its
 * exact robust radius is (d/2 + ⟨μ_j, ξ⟩)/√d ≈ √d/2 and the interval bound
 * gives about √d/2 − O(√log k); the attack bracket on N* shows how tight
 * that certificate is (`robust_certified_over_attack`).
 *
 * @module
 */

import { type LabelledPoints, signedMeanSum } from "../model/data.ts";
import { networkOutput } from "../model/forward.ts";
import { drawInstance } from "../model/instance.ts";
import type { NetworkWeights } from "../model/weights.ts";
import { trainInstance } from "../flow/train.ts";
import {
  ATTACK_POINTS,
  checkPairCeilings,
  coupledPairs,
} from "../measure/attacks/mod.ts";
import { robustNetwork } from "../measure/constructions.ts";
import {
  atLeastQuantile,
  atMostQuantile,
  attackedPoints,
  robustnessColumns,
  robustnessOf,
  unsoundOr,
} from "../measure/robustness.ts";
import { logBinEdges, radiusScatter, swordFigure } from "../plot/mod.ts";
import { median } from "../stats/mod.ts";
import {
  column,
  flowColumns,
  flowStatus,
  instanceParams,
  okRecords,
  round,
  sizeKey,
  soundnessAssessment,
  syncTrial,
  unlessDegenerate,
} from "./kit.ts";
import { MIN_TRIALS } from "./criteria.ts";
import type {
  ClaimConfig,
  ClaimSpec,
  Profile,
  TrialRecord,
  TrialResult,
} from "./types.ts";

/** Named constants of C5. */
export const c5Constants = {
  /** c: N*'s certified radius must be at least c·√d ... */
  radiusConstant: 0.25,
  /** ... on at least this share of the attacked points. */
  pointFraction: 0.9,
  /** c_gap: the median per-point gap lower bound must be at least c_gap·√k. */
  gapConstant: 0.25,
  /** Coupled pairs per trial for the pair-ceiling check. */
  pairs: 32,
  /** Attacked test points per trial at paper size (CI size: `ATTACK_POINTS.ci`). */
  paperAttackPoints: 64,
  /** Target pass rate of the predictions. */
  target: 0.8,
};

/** Why each constant of C5 has its value (fixed before looking at data). */
export const c5ConstantReasons: Record<keyof typeof c5Constants, string> = {
  radiusConstant:
    "half of N*'s ideal radius √d/2 at a noiseless mean: room for the noise term O(√log k) of its certificate, still the √d scale",
  pointFraction: '"at most test points" made concrete: 90%, as in C4',
  gapConstant:
    "the ratio of the ideal scales is (√d/2)/√(d/k) = ½·√k; half of that leaves room for the constants of both radii",
  pairs:
    "enough coupled pairs that a certificate claiming more than the ceiling on a sizeable share of points is caught in every trial",
  paperAttackPoints:
    "two brackets at d = 4000, m = 256 cost ≈ 0.1 s per point; 64 points keep C5's 40 paper trials near 2.5 min",
  target:
    '"with high probability" made concrete: the suite\'s default target 0.8',
};

/** Configurations of C5. */
export function c5Configs(profile: Profile): ClaimConfig[] {
  const p = profile === "ci"
    ? { d: 1000, k: 40, n: 200, m: 100 }
    : { d: 4000, k: 80, n: 400, m: 256 };
  const attackPoints = profile === "ci"
    ? ATTACK_POINTS.ci
    : c5Constants.paperAttackPoints;
  const { radiusConstant: c, pointFraction, gapConstant, target } = c5Constants;
  const pct = Math.round(pointFraction * 100);
  const certifiedCheck = (network: string) =>
    `${network} fits the training set and its certified radius is ≥ ${c}·√d on ≥ ${pct}% of the attacked points`;
  const gapCheck = (network: string) =>
    `median over the points of N*'s certified radius / ${network}'s best-attack radius ≥ ${gapConstant}·√k`;
  return [{
    key: sizeKey(p),
    params: { ...p, nTest: 500, means: "orthogonal", attackPoints },
    trials: profile === "ci" ? MIN_TRIALS : 40,
    checks: [
      {
        name: "robust_certified",
        description: certifiedCheck("N*"),
        target,
        expect: "holds",
        role: "prediction",
        margin: {
          measured: "robust_certified_q10",
          threshold: c,
          direction: "above",
        },
      },
      {
        name: "twin_gradient_flow_certified",
        description: `${
          certifiedCheck("the gradient-flow network")
        } (the identical check, same points): must fail`,
        target,
        expect: "fails",
        role: "twin",
        twinOf: "robust_certified",
        margin: {
          measured: "gf_certified_q10",
          threshold: c,
          direction: "above",
        },
      },
      {
        name: "gap_order_sqrt_k",
        description: `${
          gapCheck("the gradient-flow network")
        } (a proven lower bound on the gap)`,
        target,
        expect: "holds",
        role: "prediction",
        margin: {
          measured: "gap_lower_over_sqrt_k",
          threshold: gapConstant,
          direction: "above",
        },
      },
      {
        name: "twin_gap_no_gap",
        description: `${
          gapCheck("N*")
        }: the identical gap with N* in gradient flow's place (no gap): must fail`,
        target,
        expect: "fails",
        role: "twin",
        twinOf: "gap_order_sqrt_k",
        margin: {
          measured: "twin_gap_over_sqrt_k",
          threshold: gapConstant,
          direction: "above",
        },
      },
    ],
  }];
}

/** Points of a labelled sample the network gets wrong (y·N(x) ≤ 0, float64). */
function trainErrors(weights: NetworkWeights, sample: LabelledPoints): number {
  const n = sample.y.length;
  const d = sample.x.length / n;
  let errors = 0;
  for (let i = 0; i < n; i++) {
    const x = Array.prototype.slice.call(sample.x, i * d, (i + 1) * d);
    if (sample.y[i] * networkOutput(weights, x) <= 0) errors++;
  }
  return errors;
}

/** Bins of the sword histograms: radius/√d from 1/32 to 1, 6 per octave. */
export const SWORD_EDGES: readonly number[] = logBinEdges({
  low: 1 / 32,
  high: 1,
  perOctave: 6,
});

/** The column of bin i of a sword histogram (`sword_gf_00`, ...). */
function swordColumn(series: string, i: number): string {
  return `sword_${series}_${String(i).padStart(2, "0")}`;
}

/**
 * Counts of `values` (radius/√d) in the bins of {@linkcode SWORD_EDGES}, as
 * columns `sword_<series>_00` … and `sword_<series>_out` (outside the
 * range), so the report can pool the per-point distribution over trials.
 */
export function swordHistogram(
  series: string,
  values: readonly number[],
): Record<string, number> {
  const bins = SWORD_EDGES.length - 1;
  const counts = new Array(bins + 1).fill(0);
  for (const v of values) {
    let bin = bins;
    for (let i = 0; i < bins; i++) {
      if (v >= SWORD_EDGES[i] && v < SWORD_EDGES[i + 1]) bin = i;
    }
    counts[bin]++;
  }
  return Object.fromEntries(
    counts.map((c, i) => [
      i < bins ? swordColumn(series, i) : `sword_${series}_out`,
      c,
    ]),
  );
}

/** The bins of a sword histogram pooled over the ok records. */
export function pooledSword(
  records: TrialRecord[],
  series: string,
): { low: number; high: number; count: number }[] {
  return SWORD_EDGES.slice(0, -1).map((low, i) => ({
    low,
    high: SWORD_EDGES[i + 1],
    count: column(records, swordColumn(series, i)).reduce((a, b) => a + b, 0),
  }));
}

/** One C5 trial. */
export function c5Trial(seed: number, config: ClaimConfig): TrialResult {
  const params = instanceParams(config.params);
  const instance = drawInstance(seed, params);
  const { model, train } = instance;
  const { d, k } = params;
  const robust = robustNetwork(model);
  const flow = trainInstance(instance);
  const points = attackedPoints(instance, Number(config.params.attackPoints));
  const pairs = coupledPairs(instance.rng, {
    model,
    count: c5Constants.pairs,
  });
  const direction = signedMeanSum(model);
  const gf = robustnessOf(flow.weights, points, { targets: train, direction });
  const star = robustnessOf(robust, points, { targets: train, direction });
  const pairsRobust = checkPairCeilings(robust, { pairs });
  const pairsGf = checkPairCeilings(flow.weights, { pairs });
  const breaks = (checks: typeof pairsRobust) =>
    checks.filter((c) => c.broken).length;
  const broken = breaks(pairsRobust) + breaks(pairsGf);
  const pairReason = `pair ceiling: ${
    breaks(pairsRobust)
  } pair(s) with N*'s and ${
    breaks(pairsGf)
  } with the trained network's certificates above ‖μ_i − μ_j‖/2 on both points`;
  const base = unlessDegenerate(
    flowStatus(flow),
    unsoundOr(
      { "the gradient-flow network": gf, "N*": star },
      broken > 0 ? { degenerate: true, reason: pairReason } : {
        degenerate: gf.correct.length === 0,
        reason:
          "no attacked point correctly classified by the gradient-flow network",
      },
    ),
  );
  const root = Math.sqrt(d), rootK = Math.sqrt(k);
  const { radiusConstant: c, pointFraction: share, gapConstant } = c5Constants;
  // Per point of the trained network's correct ones: N*'s radii there (0
  // where N* misclassifies it); the gap bounds per point, with medians as
  // order statistics so that a point without a flip (radius ∞) counts.
  const robustAt = (values: number[]) => {
    const byIndex = new Map(star.correct.map((i, j) => [i, values[j]]));
    return gf.correct.map((i) => byIndex.get(i) ?? 0);
  };
  const medianOf = (num: number[], den: number[]) =>
    atMostQuantile(num.map((a, i) => a / den[i]), 0.5) / rootK;
  const gapLower = medianOf(robustAt(star.certified), gf.attack);
  const gapUpper = medianOf(robustAt(star.attack), gf.certified);
  const twinGap = medianOf(star.certified, star.attack);
  const robustTrainErrors = trainErrors(robust, train);
  const gfTrainErrors = trainErrors(flow.weights, train);
  const certifiedAbove = (errors: number, certified: number[]) =>
    errors === 0 && atLeastQuantile(certified, share) / root >= c;
  const ok = base.status === "ok";
  const minOverCeiling = (checks: typeof pairsRobust) =>
    median(checks.map((p) => Math.min(...p.certified) / p.ceiling));
  return {
    ...base,
    checks: {
      robust_certified: ok && certifiedAbove(robustTrainErrors, star.certified),
      twin_gradient_flow_certified: ok &&
        certifiedAbove(gfTrainErrors, gf.certified),
      gap_order_sqrt_k: ok && gapLower >= gapConstant,
      twin_gap_no_gap: ok && twinGap >= gapConstant,
    },
    values: {
      ...flowColumns(instance, flow),
      robust_train_errors: robustTrainErrors,
      gf_train_errors: gfTrainErrors,
      gap_lower_over_sqrt_k: round(gapLower, 5),
      gap_upper_over_sqrt_k: round(gapUpper, 5),
      twin_gap_over_sqrt_k: round(twinGap, 5),
      gf_attack_over_sqrt_d_over_k: round(
        median(gf.attack) / Math.sqrt(d / k),
        5,
      ),
      ...robustnessColumns(star, { scale: root, share, prefix: "robust_" }),
      ...robustnessColumns(gf, { scale: root, share, prefix: "gf_" }),
      pairs: pairs.length,
      pair_breaks_robust: breaks(pairsRobust),
      pair_breaks_gf: breaks(pairsGf),
      pair_min_certified_over_ceiling_robust: round(
        minOverCeiling(pairsRobust),
        5,
      ),
      pair_min_certified_over_ceiling_gf: round(minOverCeiling(pairsGf), 5),
      ceiling_over_sqrt_d: round(median(pairs.map((p) => p.ceiling)) / root, 5),
      norm_over_sqrt_d: round(median(gf.norms) / root, 5),
      ...swordHistogram("gf", gf.attack.map((r) => r / root)),
      ...swordHistogram("cert", star.certified.map((r) => r / root)),
    },
  };
}

/** The double-edged sword figure of C5 from its finished trials. */
async function swordOf(records: TrialRecord[]): Promise<string> {
  const marker = (key: string) => median(column(records, key));
  return await swordFigure({
    title:
      "C5: the double-edged sword: per attacked point, radius / √d (all trials)",
    series: [
      {
        name: "gradient flow: best verified attack (upper bound)",
        bins: pooledSword(records, "gf"),
      },
      {
        name: "N*: certified radius (lower bound)",
        bins: pooledSword(records, "cert"),
      },
    ],
    markers: [
      {
        value: marker("ceiling_over_sqrt_d"),
        label: "pair ceiling √(d/2)",
      },
      { value: marker("norm_over_sqrt_d"), label: "‖x‖" },
      {
        value: c5Constants.radiusConstant,
        label: `c = ${c5Constants.radiusConstant}`,
      },
    ],
  });
}

/** The C5 claim. */
export const c5: ClaimSpec = {
  id: "C5",
  title: "Robust networks exist",
  statement:
    "The width-k network N*(x) = Σ_j y_j relu(⟨μ_j, x⟩ − d/2) fits the same training data and is provably robust " +
    "at radius c·√d (sound certificate), while the gradient-flow network is flipped at about √(d/k) by verified " +
    "attacks: per point, N*'s certified radius over the trained network's best-attack radius, a proven lower " +
    "bound on the gap, is of order √k. N*'s certified radius is arithmetic on our own construction.",
  source: "[A, rate L, construction R]",
  hypotheses: [
    "orthogonal means (ρ ≪ d)",
    "σ = 1",
    "d large compared with k",
    "every cluster seen in training",
  ],
  constants: { ...c5Constants },
  constantReasons: c5ConstantReasons,
  configs: c5Configs,
  runTrial: syncTrial(c5Trial),
  assess: (records) => [
    soundnessAssessment(records, {
      columns: [
        "gf_soundness_violations",
        "robust_soundness_violations",
        "pair_breaks_robust",
        "pair_breaks_gf",
      ],
    }),
  ],
  predictions: [
    {
      name: "gap_over_sqrt_k",
      measured: {
        kind: "median",
        column: "gap_lower_over_sqrt_k",
        check: "gap_order_sqrt_k",
      },
      predicted: 0.5,
      law:
        "a gap of order √k [A, rate L]: ½·√k, the ratio (√d/2)/√(d/k) of the ideal radii",
      source: "[R]",
      note:
        "measured is the proven lower end of the gap (N*'s certificate over the flow's best attack)",
    },
    {
      name: "robust_radius_over_sqrt_d",
      measured: {
        kind: "median",
        column: "robust_attack_median",
        check: "robust_certified",
      },
      predicted: 0.5,
      law: "N* robust at c·√d with c = ½: its exact radius (d/2 + ⟨μ_j, ξ⟩)/√d",
      source: "[R]",
      note: "N*'s median best verified attack radius, in units of √d",
    },
  ],
  highlights: [
    "robust_certified_q10",
    "gf_certified_q10",
    "gap_lower_over_sqrt_k",
    "gap_upper_over_sqrt_k",
    "twin_gap_over_sqrt_k",
    "gf_attack_over_sqrt_d_over_k",
    "gf_analytic_over_attack",
    "robust_certified_over_attack",
    "gf_certified_over_attack",
    "robust_attack_median",
    "gf_width_median",
    "pair_min_certified_over_ceiling_robust",
    "pair_breaks_robust",
    "pair_breaks_gf",
    "gf_soundness_violations",
    "robust_soundness_violations",
    "robust_train_errors",
  ],
  budget: { blasSeconds: 35, wasmSeconds: 100 },
  figures: async (records) => [
    {
      file: "C5_double_edged_sword.svg",
      caption:
        "The double-edged sword: per attacked point of every trial, the gradient-flow network's best verified " +
        "attack radius (an upper bound on its robust radius) and N*'s certified radius (a lower bound on its own), " +
        "in units of √d, with ‖x‖, the pair ceiling √(d/2) that no classifier beats on both points of a coupled " +
        "pair, and c",
      svg: await swordOf(records),
    },
    {
      file: "C5_robust_vs_gradient_flow.svg",
      caption:
        "Per trial: median certified radius of N* vs median best verified attack radius of the gradient-flow " +
        "network (units of √d)",
      svg: await radiusScatter({
        title:
          "C5: robust (certified) vs gradient-flow (best attack) radius / √d",
        xLabel: "gradient-flow best-attack radius / √d",
        yLabel: "N* certified radius / √d",
        points: okRecords(records).map((r) => ({
          nonRobust: Number(r.result.values.gf_attack_median),
          robust: Number(r.result.values.robust_certified_median),
        })),
      }),
    },
  ],
};
