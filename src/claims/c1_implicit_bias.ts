/**
 * Claim C1 (implicit bias): once L < log(2)/n, gradient flow's normalized
 * parameters approach a KKT point of min ½‖θ‖² s.t. y_i N(x_i; θ) ≥ 1. The
 * KKT residual (best λ ≥ 0 by non-negative least squares after rescaling θ so
 * the smallest margin is 1, see `kkt.ts`) is recorded at checkpoints along
 * training; a trial passes when it ends below a named tolerance and has
 * decreased along training. Control: the harmful interpolator N_bad, which
 * fits the same training set, must fail the same check.
 *
 * @module
 */

import { drawInstance } from "../model/instance.ts";
import { trainInstance } from "../flow/train.ts";
import { gramMatrix, kktResidual } from "../measure/kkt.ts";
import { badInterpolator } from "../measure/constructions.ts";
import { lineChart } from "../plot/mod.ts";
import {
  flowColumns,
  flowStatus,
  instanceParams,
  okRecords,
  round,
  sizeKey,
  syncTrial,
} from "./kit.ts";
import type { ClaimConfig, ClaimSpec, Profile, TrialResult } from "./types.ts";

/** Named constants of C1. */
export const c1Constants = {
  /** The final relative KKT residual must be at most this. */
  kktTolerance: 0.15,
  /**
   * The final residual must be at most this fraction of its value at the step
   * where L < log(2)/n is first reached: it keeps shrinking after separation,
   * which is the regime the implicit-bias theorem is about.
   */
  decreaseFactor: 0.9,
  /** Target pass rate. */
  target: 0.8,
};

/** Steps at which the KKT residual is recorded (plus the final step). */
export const c1Checkpoints = [50, 100, 200, 400, 800, 1600, 3200];

/** Configurations of C1. */
export function c1Configs(profile: Profile): ClaimConfig[] {
  const p = profile === "ci"
    ? { d: 500, k: 10, n: 100, m: 100 }
    : { d: 1000, k: 20, n: 200, m: 256 };
  const { kktTolerance, decreaseFactor, target } = c1Constants;
  return [{
    key: sizeKey(p),
    params: { ...p, nTest: 100, means: "orthogonal" },
    trials: profile === "ci" ? 40 : 100,
    checks: [
      {
        name: "kkt_residual_small",
        description:
          `final relative KKT residual ≤ ${kktTolerance} and ≤ ${decreaseFactor}× its value when L first ` +
          `drops below log(2)/n`,
        target,
        expect: "holds",
      },
      {
        name: "control_bad_interpolator",
        description:
          `the harmful interpolator N_bad (zero training error) has KKT residual ≤ ${kktTolerance} (must fail)`,
        target,
        expect: "fails",
      },
    ],
  }];
}

/** One C1 trial. */
export function c1Trial(seed: number, config: ClaimConfig): TrialResult {
  const params = instanceParams(config.params);
  const instance = drawInstance(seed, params);
  const { train } = instance;
  const gram = gramMatrix(train.x, train.d);
  const trajectory: { step: number; residual: number }[] = [];
  let atSeparation = NaN;
  const flow = trainInstance(instance, {
    checkpointSteps: c1Checkpoints,
    checkpointAtSeparation: true,
    onCheckpoint: (point) => {
      const report = kktResidual(point.weights(), train, { gram });
      trajectory.push({ step: point.step, residual: report.residual });
      if (point.separated) atSeparation = report.residual;
    },
  });
  const base = flowStatus(flow);
  const final = kktResidual(flow.weights, train, { gram });
  const bad = kktResidual(badInterpolator(instance.model, train), train, {
    gram,
  });
  const { kktTolerance, decreaseFactor } = c1Constants;
  const ok = base.status === "ok";
  const atStep = (s: number) =>
    trajectory.find((t) => t.step === s)?.residual ?? NaN;
  return {
    ...base,
    checks: {
      kkt_residual_small: ok && final.residual <= kktTolerance &&
        final.residual <= decreaseFactor * atSeparation,
      control_bad_interpolator: bad.minMargin > 0 &&
        bad.residual <= kktTolerance,
    },
    values: {
      ...flowColumns(instance, flow),
      ...Object.fromEntries(
        c1Checkpoints.map((s) => [`kkt_at_${s}`, round(atStep(s), 5)]),
      ),
      kkt_at_separation: round(atSeparation, 5),
      kkt_final: round(final.residual, 5),
      norm_ratio: round(final.normRatio, 5),
      neuron_imbalance: round(final.neuronImbalance, 5),
      support_size: final.supportSize,
      bad_min_margin: round(bad.minMargin, 5),
      bad_kkt: round(bad.residual, 5),
    },
  };
}

/** The C1 claim. */
export const c1: ClaimSpec = {
  id: "C1",
  title: "Implicit bias towards a KKT point",
  statement:
    "Once the loss is below log(2)/n, gradient flow's direction θ/‖θ‖ approaches a KKT point of the max-margin " +
    "problem min ½‖θ‖² s.t. y_i N(x_i; θ) ≥ 1: the best non-negative multipliers explain θ up to a small relative " +
    "residual that shrinks along training, with ‖θ‖² ≈ 2Σλ and balanced neurons.",
  source: "[L]",
  hypotheses: [
    "L(θ(t0)) < log(2)/n at some t0 (checked)",
    "2-homogeneous network (relu, no bias-free terms)",
  ],
  constants: { ...c1Constants },
  configs: c1Configs,
  runTrial: syncTrial(c1Trial),
  highlights: [
    "kkt_at_separation",
    "kkt_at_50",
    "kkt_at_200",
    "kkt_at_400",
    "kkt_final",
    "norm_ratio",
    "neuron_imbalance",
    "bad_kkt",
    "conserved_drift",
  ],
  figures: async (records) => [{
    file: "C1_kkt_residual.svg",
    caption:
      "Relative KKT residual along training, one line per trial (last point: final step)",
    svg: await lineChart({
      title: "C1: KKT residual along gradient flow",
      xLabel: "step",
      yLabel: "relative KKT residual",
      logY: true,
      series: okRecords(records).map((r) => ({
        name: `trial ${r.task.trial}`,
        points: [
          ...c1Checkpoints.map((s) => ({
            x: s,
            y: Number(r.result.values[`kkt_at_${s}`]),
          })),
          {
            x: Number(r.result.values.steps),
            y: Number(r.result.values.kkt_final),
          },
        ].filter((p) => Number.isFinite(p.y)).sort((a, b) => a.x - b.x),
      })),
    }),
  }],
};
