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

import { signedMeanSum } from "../model/data.ts";
import { flipRadius, neuronSlopes } from "../measure/flip_radius.ts";
import {
  drawInstance,
  flowColumns,
  flowStatus,
  type Instance,
  instanceParams,
  round,
  trainInstance,
  unlessDegenerate,
} from "../model/instance.ts";
import { preActivations } from "../model/network.ts";
import type { Rng } from "../model/rng.ts";
import { median, quantile } from "../stats/stats.ts";
import type {
  ClaimConfig,
  ClaimSpec,
  Profile,
  TrialRecord,
  TrialResult,
} from "./types.ts";
import { flipRadiusHistogram } from "../plot/plots.ts";
import { column } from "./records.ts";
import { type NetworkWeights } from "../model/weights.ts";

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
    key: `d=${p.d},k=${p.k},n=${p.n},m=${p.m}`,
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

/** A uniformly random unit vector of dimension d. */
export function randomUnitVector(rng: Rng, d: number): Float64Array {
  const u = rng.normalArray(d);
  let norm = 0;
  for (const x of u) norm += x * x;
  norm = Math.sqrt(norm);
  return u.map((x) => x / norm);
}

/** Per-point measurements of C4 on one trained network and a test set. */
export interface FlipMeasurements {
  /** Flip radius / √(d/k) along the C4 direction, per correctly classified point. */
  ratios: number[];
  /** Flip radius / ‖x‖, per correctly classified point. */
  normRatios: number[];
  /** Whether the random direction of each such point flips within C·√(d/k). */
  randomFlips: boolean[];
  /** Index in the sample of each such point. */
  indices: number[];
}

/** Measure exact flip radii along the C4 direction and random directions. */
export function measureFlips(
  weights: NetworkWeights<Float32Array>,
  x: Float32Array,
  y: Float32Array,
  n: number,
  direction: ArrayLike<number>,
  scale: number,
  rng: Rng,
): FlipMeasurements {
  const { d, m, v } = weights;
  let norm = 0;
  for (let t = 0; t < d; t++) norm += direction[t] * direction[t];
  norm = Math.sqrt(norm);
  const unit = Float64Array.from(direction, (s) => s / norm);
  const slopes = neuronSlopes(weights, unit);
  const randomSlopes = Array.from(
    { length: c4Constants.randomDirections },
    () => neuronSlopes(weights, randomUnitVector(rng, d)),
  );
  const z = preActivations(weights, x, n);
  const out: FlipMeasurements = {
    ratios: [],
    normRatios: [],
    randomFlips: [],
    indices: [],
  };
  const offsets = new Float64Array(m);
  const along = new Float64Array(m);
  const maxRandom = c4Constants.radiusConstant * scale;
  for (let i = 0; i < n; i++) {
    let output = 0;
    for (let r = 0; r < m; r++) {
      offsets[r] = z[i * m + r];
      if (offsets[r] > 0) output += v[r] * offsets[r];
    }
    const label = y[i];
    if (label * output <= 0) continue;
    for (let r = 0; r < m; r++) along[r] = -label * slopes[r];
    const radius = flipRadius(offsets, along, v, label);
    let xNorm = 0;
    for (let t = 0; t < d; t++) xNorm += x[i * d + t] * x[i * d + t];
    out.indices.push(i);
    out.ratios.push(radius / scale);
    out.normRatios.push(radius / Math.sqrt(xNorm));
    const random = randomSlopes[i % randomSlopes.length];
    out.randomFlips.push(
      Number.isFinite(flipRadius(offsets, random, v, label, maxRandom)),
    );
  }
  return out;
}

/** Width of the bins of the per-point flip-ratio histogram kept per trial. */
export const HISTOGRAM_BIN = 0.1;
/** Number of bins (the last column, `hist_over`, counts ratios beyond). */
export const HISTOGRAM_BINS = 25;

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
    ) => [
      i < HISTOGRAM_BINS ? `hist_${String(i).padStart(2, "0")}` : "hist_over",
      c,
    ]),
  );
}

/** Bin-centre values (repeated by count) pooled from the histogram columns of all ok records. */
export function pooledRatios(records: TrialRecord[]): number[] {
  const out: number[] = [];
  for (let i = 0; i < HISTOGRAM_BINS; i++) {
    const count = column(records, `hist_${String(i).padStart(2, "0")}`).reduce(
      (a, b) => a + b,
      0,
    );
    for (let j = 0; j < count; j++) out.push((i + 0.5) * HISTOGRAM_BIN);
  }
  return out;
}

/**
 * {@linkcode measureFlips} of a trained network on an instance's test set,
 * along C4's direction -y·Σ_j y_j μ_j, in units of √(d/k) (also returned).
 */
export function flipsOnTestSet(
  instance: Instance,
  weights: NetworkWeights<Float32Array>,
): FlipMeasurements & { scale: number } {
  const { model, test, params } = instance;
  const scale = Math.sqrt(params.d / params.k);
  const flips = measureFlips(
    weights,
    test.x,
    test.y,
    test.n,
    signedMeanSum(model),
    scale,
    instance.rng,
  );
  return { ...flips, scale };
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
  const f = flipsOnTestSet(instance, flow.weights);
  const base = unlessDegenerate(
    flowStatus(flow),
    f.ratios.length === 0,
    "no correctly classified test point to attack",
  );
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
  runTrial: (task, config) => Promise.resolve(c4Trial(task.seed, config)),
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
