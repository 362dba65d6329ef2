/**
 * Claim C4 (non-robustness): for most test points a perturbation of norm
 * about √(d/k) along z = -η·y·Σ_j y_j μ_j flips the sign of the trained
 * network, far below ‖x‖ ≈ √(2d). The exact flip radius of every correctly
 * classified test point is computed from the network's kinks along that line.
 * Controls on the same instances: the same check at 0.25·√(d/k) and along
 * random directions at C·√(d/k) must fail.
 *
 * @module
 */

import { drawInstance } from "../model/instance.ts";
import { trainInstance } from "../flow/train.ts";
import { flipsOnTestSet } from "../measure/flips.ts";
import { flipRadiusHistogram } from "../plot/mod.ts";
import { median, quantile } from "../stats/mod.ts";
import {
  column,
  flowColumns,
  flowStatus,
  instanceParams,
  round,
  sizeKey,
  syncTrial,
  unlessDegenerate,
} from "./kit.ts";
import type {
  ClaimConfig,
  ClaimSpec,
  Profile,
  TrialRecord,
  TrialResult,
} from "./types.ts";

/** Named constants of C4. */
export const c4Constants = {
  /** C: predicted flip scale, in units of √(d/k). */
  radiusConstant: 2,
  /** Fraction of test points that must flip within C·√(d/k). */
  pointFraction: 0.9,
  /** Median flip radius must be at most this fraction of the median ‖x‖. */
  maxMedianOverNorm: 0.5,
  /** Control scale, in units of √(d/k): almost no point may flip below it. */
  controlScale: 0.25,
  /** Number of random unit directions per trial for the random-direction control. */
  randomDirections: 16,
  /** Target pass rate of the main check. */
  target: 0.8,
};

/** Configurations of C4 at a profile. */
export function c4Configs(profile: Profile): ClaimConfig[] {
  const p = profile === "ci"
    ? { d: 500, k: 10, n: 100, m: 100, nTest: 1000 }
    : { d: 2000, k: 20, n: 200, m: 256, nTest: 1000 };
  const { radiusConstant: C, pointFraction, controlScale, target } =
    c4Constants;
  const pct = Math.round(pointFraction * 100);
  return [{
    key: sizeKey(p),
    params: { ...p, means: "orthogonal" },
    trials: profile === "ci" ? 40 : 100,
    checks: [
      {
        name: "flips_within_C",
        description:
          `≥ ${pct}% of correctly classified test points flip along -y·Σ y_j μ_j within ` +
          `${C}·√(d/k), and the median flip radius ≤ ${c4Constants.maxMedianOverNorm}·‖x‖`,
        target,
        expect: "holds",
      },
      {
        name: "control_flips_at_quarter_scale",
        description:
          `the same ${pct}% of points flip within ${controlScale}·√(d/k) (must fail: the scale is tight)`,
        target,
        expect: "fails",
      },
      {
        name: "control_random_direction",
        description:
          `≥ ${pct}% of points flip along random unit directions within ${C}·√(d/k) (must fail)`,
        target,
        expect: "fails",
      },
    ],
  }];
}

/** Width of the bins of the per-point flip-ratio histogram kept per trial. */
export const HISTOGRAM_BIN = 0.1;
/** Number of bins (the last column, `hist_over`, counts ratios beyond). */
export const HISTOGRAM_BINS = 25;

/** The name of histogram column `i` (`hist_00` … `hist_24`). */
function histogramColumn(i: number): string {
  return `hist_${String(i).padStart(2, "0")}`;
}

/**
 * Counts of per-point flip ratios in bins [iw, (i+1)w) for w = {@linkcode HISTOGRAM_BIN},
 * as columns `hist_00` … `hist_24` and `hist_over`, so that the report can
 * pool the per-point distribution over all trials.
 */
export function ratioHistogram(ratios: number[]): Record<string, number> {
  const counts = new Array(HISTOGRAM_BINS + 1).fill(0);
  for (const r of ratios) {
    const bin = Math.floor(r / HISTOGRAM_BIN);
    counts[Number.isFinite(r) && bin < HISTOGRAM_BINS ? bin : HISTOGRAM_BINS]++;
  }
  return Object.fromEntries(
    counts.map((
      c,
      i,
    ) => [i < HISTOGRAM_BINS ? histogramColumn(i) : "hist_over", c]),
  );
}

/** Bin-centre values (repeated by count) pooled from the histogram columns of all ok records. */
export function pooledRatios(records: TrialRecord[]): number[] {
  const out: number[] = [];
  for (let i = 0; i < HISTOGRAM_BINS; i++) {
    const count = column(records, histogramColumn(i)).reduce(
      (a, b) => a + b,
      0,
    );
    for (let j = 0; j < count; j++) out.push((i + 0.5) * HISTOGRAM_BIN);
  }
  return out;
}

/** Fraction of values ≤ limit. */
function fractionAtMost(values: number[], limit: number): number {
  return values.length === 0
    ? 0
    : values.filter((r) => r <= limit).length / values.length;
}

/** One C4 trial. */
export function c4Trial(seed: number, config: ClaimConfig): TrialResult {
  const params = instanceParams(config.params);
  const instance = drawInstance(seed, params);
  const flow = trainInstance(instance);
  const f = flipsOnTestSet(instance, flow.weights, {
    random: {
      count: c4Constants.randomDirections,
      maxRatio: c4Constants.radiusConstant,
    },
  });
  const base = unlessDegenerate(flowStatus(flow), {
    degenerate: f.ratios.length === 0,
    reason: "no correctly classified test point to attack",
  });
  const { radiusConstant: C, pointFraction, controlScale, maxMedianOverNorm } =
    c4Constants;
  const fracC = fractionAtMost(f.ratios, C);
  const fracControl = fractionAtMost(f.ratios, controlScale);
  const fracRandom = f.randomFlips.length === 0
    ? 0
    : f.randomFlips.filter(Boolean).length / f.randomFlips.length;
  const medianNorm = median(f.normRatios);
  const ok = base.status === "ok";
  return {
    ...base,
    checks: {
      flips_within_C: ok && fracC >= pointFraction &&
        medianNorm <= maxMedianOverNorm,
      control_flips_at_quarter_scale: ok && fracControl >= pointFraction,
      control_random_direction: ok && fracRandom >= pointFraction,
    },
    values: {
      ...flowColumns(instance, flow),
      points: f.ratios.length,
      frac_flip_within_C: round(fracC, 6),
      frac_flip_within_control: round(fracControl, 6),
      frac_flip_random: round(fracRandom, 6),
      ratio_q10: round(quantile(f.ratios, 0.1), 5),
      ratio_q25: round(quantile(f.ratios, 0.25), 5),
      ratio_median: round(median(f.ratios), 5),
      ratio_q75: round(quantile(f.ratios, 0.75), 5),
      ratio_q90: round(quantile(f.ratios, 0.9), 5),
      median_radius_over_norm: round(medianNorm, 5),
      ...ratioHistogram(f.ratios),
    },
  };
}

/** The C4 claim. */
export const c4: ClaimSpec = {
  id: "C4",
  title: "Non-robustness",
  statement:
    "For most test points, a perturbation of norm C·√(d/k) along -y·Σ_j y_j μ_j flips the sign of the " +
    "gradient-flow network (measured: median ≈ √(d/k)), far below ‖x‖ ≈ √(2d); the scale is tight: at " +
    "0.25·√(d/k) the sign holds, and random directions of norm C·√(d/k) do not flip it.",
  source: "[A, rate L, direction R]",
  hypotheses: [
    "d/k ≥ 25",
    "ρ ≪ d (orthogonal means)",
    "every cluster seen in training",
  ],
  constants: { ...c4Constants },
  configs: c4Configs,
  runTrial: syncTrial(c4Trial),
  highlights: [
    "ratio_median",
    "ratio_q10",
    "ratio_q90",
    "frac_flip_within_C",
    "frac_flip_within_control",
    "frac_flip_random",
    "median_radius_over_norm",
    "conserved_drift",
  ],
  figures: async (records) => [{
    file: "C4_flip_radius.svg",
    caption:
      "Exact flip radius / √(d/k) along -y·Σ y_j μ_j of every correctly classified test point, pooled over trials " +
      "(bins of 0.1), with the control scale and C",
    svg: await flipRadiusHistogram({
      title: "C4: flip radius / √(d/k), all test points of all trials",
      ratios: pooledRatios(records),
      markers: [
        {
          value: c4Constants.controlScale,
          label: `control ${c4Constants.controlScale}`,
        },
        {
          value: c4Constants.radiusConstant,
          label: `C = ${c4Constants.radiusConstant}`,
        },
      ],
    }),
  }],
};
