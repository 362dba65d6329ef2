/**
 * Claim C8 (beyond the paper: Min & Vidal, ICML 2024, with its proof in
 * ICML 2025): with a normalised polynomial ReLU, f(x) = Σ_r v_r
 * relu(⟨w_r, x⟩)^p / ‖w_r‖^(p−1) with p = 3 and no biases, the same
 * implicit bias that makes the ReLU network non-robust yields a robust one:
 * gradient flow from a small initialisation on orthogonal clusters with
 * small noise approaches the one-neuron-per-cluster classifier
 * F(x) = Σ_{y_j=+1} relu(⟨μ_j, x⟩)^p − Σ_{y_j=−1} relu(⟨μ_j, x⟩)^p, whose
 * robust radius is about √(d/2), the most any classifier reaches on this
 * data; the p = 1 member of the family (ReLU without bias) on the same
 * instances flips at about √(d/k).
 *
 * Per trial, one instance (orthogonal means, σ in the follow-up's small-noise
 * regime) and one initialisation, trained five times by `preluFlow`
 * (`flow/prelu_flow.ts`):
 *
 * - the pReLU network (p = 3), measured at the stop rule and at the first
 *   step with L < log(2)/n (the 2025 theorem is about a finite time after
 *   fitting, not the limit);
 * - its twin, p = 1 (same initialisation, width and σ);
 * - three controls that break a hypothesis: the unnormalised relu^p (same
 *   functions, homogeneous of degree p + 1 in θ), a large initialisation
 *   (measured at the pReLU run's stop time, as C6 does), and noise well above
 *   the regime (the same draws with σ scaled up).
 *
 * Robustness is bracketed per attacked point (`measure/robustness.ts`): the
 * sound interval-bound certificate below (sound for relu^p because it is
 * monotone), the best verified flip of DeepFool, FMN and the MALT-style
 * attack above. The robustness check uses the certificate: an attack alone
 * never proves robustness.
 *
 * The threshold c·√d of the certified check is fixed by the two scales it
 * must separate, before any run: the interval bound of F at a noiseless
 * mean of a class with q = k/2 opposite clusters is exactly
 * √d/(1 + q^(1/p)) (the good neuron falls as √d − ε, each opposite one rises
 * as ε), while the twin's scale is √(d/k); c is their geometric mean,
 * `certifiedThreshold(k)`. At k = 20 that is 0.266·√d, between F's 0.317·√d
 * and √(d/k) = 0.224·√d.
 *
 * The claim's modules: `c8_prelu_configs.ts` (the constants and their
 * reasons, the threshold, the checks, the configurations, the regime map),
 * `c8_prelu_measures.ts` (what is measured of one trained network),
 * `c8_prelu_trial.ts` (the trial); this one holds the figure and the
 * `ClaimSpec` {@linkcode c8}, and re-exports the names the others export
 * that were imported from here before.
 *
 * @module
 */

import { lineChart } from "../plot/mod.ts";
import { median } from "../stats/mod.ts";
import {
  c8Configs,
  c8ConstantReasons,
  c8Constants,
  c8Maps,
} from "./c8_prelu_configs.ts";
import { c8Trial } from "./c8_prelu_trial.ts";
import { column, okRecords, soundnessAssessment } from "./kit.ts";
import type { ClaimSpec, TrialRecord } from "./types.ts";

// The claim's names, importable from here as before the split.
export {
  c8Configs,
  c8ConstantReasons,
  c8Constants,
  c8Maps,
  certifiedThreshold,
  perClusterBound,
} from "./c8_prelu_configs.ts";
export { c8Trial } from "./c8_prelu_trial.ts";

/** The p sweep figure: bracket / √d against p, pooled over trials (median). */
async function sweepFigure(records: TrialRecord[]): Promise<string> {
  const ok = okRecords(records);
  const at = (key: string) => median(column(ok, key));
  const powers = [1, 2, 3, 4];
  const certified = (p: number) =>
    p === 1
      ? at("relu_certified_median")
      : p === c8Constants.power
      ? at("prelu_certified_median")
      : at(`sweep_p${p}_certified_median`);
  const attack = (p: number) =>
    p === 1
      ? at("relu_attack_median")
      : p === c8Constants.power
      ? at("prelu_attack_median")
      : at(`sweep_p${p}_attack_median`);
  const k = ok.length > 0 ? kOf(ok[0]) : NaN;
  const line = (name: string, value: number) => ({
    name,
    points: powers.map((x) => ({ x, y: value })),
  });
  return await lineChart({
    title:
      "C8: the robust radius bracket / √d against the exponent p (median over trials)",
    xLabel: "p (normalised pReLU; p = 1 is ReLU without bias)",
    yLabel: "radius / √d",
    series: [
      {
        name: "certified (lower bound)",
        points: powers.map((x) => ({ x, y: certified(x) })),
      },
      {
        name: "best verified attack (upper bound)",
        points: powers.map((x) => ({ x, y: attack(x) })),
      },
      line("√(d/2): pair ceiling", Math.SQRT1_2),
      line("√(d/k)", 1 / Math.sqrt(k)),
    ],
  });
}

/** k of a record's configuration, read from its key (`d=…,k=…,…`). */
function kOf(record: TrialRecord): number {
  const match = /k=(\d+)/.exec(record.task.config);
  return match === null ? NaN : Number(match[1]);
}

/** The C8 claim. */
export const c8: ClaimSpec = {
  id: "C8",
  title: "pReLU gradient flow is robust (follow-up)",
  statement:
    "Beyond the paper (Min & Vidal 2024, 2025): with the normalised polynomial ReLU relu(⟨w, x⟩)^p/‖w‖^(p−1), " +
    "p = 3, no biases, gradient flow from a small initialisation on orthogonal clusters with small noise " +
    "approaches the one-neuron-per-cluster classifier: it generalises, is certified robust at the √d scale " +
    "(at the stop rule and right after fitting), and flips only near the pair ceiling √(d/2); the p = 1 member " +
    "of the same family on the same instances flips at about √(d/k). The threshold and the constants are ours.",
  source: "[follow-up: Min & Vidal 2024/2025; thresholds ours]",
  hypotheses: [
    "orthogonal means",
    "noise σ in the follow-up's small-noise regime (σ = 0.1 per coordinate)",
    "small initialisation",
    "normalised pReLU with p > 2, no biases",
    "width large enough that every cluster has a neuron of its label to grow (the follow-up trains width 2000; at CI size m = 60 left 2 of 32 trials with 18 of 20 clusters covered, so CI uses m = 120)",
  ],
  constants: { ...c8Constants },
  constantReasons: c8ConstantReasons,
  configs: c8Configs,
  maps: c8Maps(),
  runTrial: (task, config) =>
    Promise.resolve(c8Trial(task.seed, config, { trial: task.trial })),
  assess: (records) => [
    soundnessAssessment(records, {
      columns: [
        "prelu_soundness_violations",
        "relu_soundness_violations",
        "pair_breaks",
      ],
    }),
  ],
  highlights: [
    "prelu_certified_all_q10",
    "prelu_certified_over_f_bound",
    "fit_certified_all_q10",
    "relu_certified_all_q10",
    "certified_threshold",
    "prelu_attack_over_ceiling",
    "relu_attack_over_ceiling",
    "relu_attack_over_sqrt_d_over_k",
    "prelu_certified_over_attack",
    "prelu_cluster_cos_min",
    "relu_cluster_cos_median",
    "unnormalized_cluster_cos_median",
    "large_init_cluster_cos_median",
    "noisy_cluster_cos_median",
    "unnormalized_certified_all_q10",
    "large_init_certified_all_q10",
    "noisy_certified_all_q10",
    "prelu_test_error",
    "noisy_test_error",
    "prelu_conserved_drift",
  ],
  predictions: [
    {
      name: "certified_over_per_cluster_bound",
      measured: {
        kind: "median",
        column: "prelu_certified_over_f_bound",
        check: "certified_robust",
      },
      predicted: 1,
      law:
        "the flow approaches F [follow-up], whose interval bound at a noiseless mean is √d/(1 + (k/2)^(1/p)) [R]",
      source: "[follow-up, bound R]",
      note:
        "median certified radius of the pReLU network over F's certificate at a noiseless mean (noise and a finite time may lower it)",
    },
    {
      name: "attack_over_pair_ceiling",
      measured: {
        kind: "median",
        column: "prelu_attack_over_ceiling",
        check: "attack_near_pair_ceiling",
      },
      predicted: 1,
      law:
        "F's robust radius tends to √(d/2), the most any classifier reaches [follow-up]",
      source: "[follow-up]",
      note:
        "an upper bound (best verified attack) on the pReLU network's radius, over √(d/2)",
    },
    {
      name: "relu_flip_over_sqrt_d_over_k",
      measured: {
        kind: "median",
        column: "relu_attack_over_sqrt_d_over_k",
        check: "twin_relu_attack_near_ceiling",
      },
      predicted: 1,
      form: "order",
      law: "p = 1 flips at about √(d/k) [A, follow-up]",
      source: "[A, follow-up]",
      note:
        "the twin's median best verified attack radius; the constant is measured",
    },
    {
      name: "per_cluster_alignment",
      measured: {
        kind: "median",
        column: "prelu_cluster_cos_min",
        check: "neurons_per_cluster",
      },
      predicted: 1,
      law:
        "each significant pReLU neuron aligns with one cluster mean [follow-up]",
      source: "[follow-up]",
      note:
        "the smallest cosine of a significant neuron with its best single mean",
    },
  ],
  budget: { blasSeconds: 35, wasmSeconds: 90 },
  figures: async (records) => [
    {
      file: "C8_bracket_vs_p.svg",
      caption:
        "The robust radius bracket of the normalised pReLU network against p (median over trials of the " +
        "certified radius, a lower bound, and of the best verified attack, an upper bound), in units of √d, with " +
        "the pair ceiling √(d/2) and the paper's ReLU scale √(d/k). p = 2 and 4 are trained in the paper profile only, on its first `sweepTrials` trials.",
      svg: await sweepFigure(records),
    },
  ],
};
