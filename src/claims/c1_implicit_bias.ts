/**
 * Claim C1 (implicit bias): once L < log(2)/n, gradient flow's normalized
 * parameters approach a KKT point of (P) min ½‖θ‖² s.t. y_i N(x_i; θ) ≥ 1
 * (Lyu & Li 2020). θ̂ is θ rescaled so that min_i q̂_i = 1, and the
 * approximate KKT quantities (`../measure/approximate_kkt.ts`) are
 *
 *   stationarity ε = min_{λ ≥ 0, h_i ∈ ∂_κ q_i} ‖θ̂ - Σ λ_i h_i‖/‖θ̂‖,
 *   slackness δ = Σ λ_i (q̂_i - 1)/Σ λ_i,
 *
 * where ∂_κ lets the activation s_ri of a pair sitting on its relu kink
 * (|z_ri| ≤ κ‖(w_r, b_r)‖‖(x_i, 1)‖) take any value in [0, 1], fitted
 * jointly with λ: late in training, neurons slide along kinks, and the
 * activations 1[z > 0] of one instant are the wrong selection there (with
 * them the residual stalls near 0.07 whatever the step).
 *
 * The run: gradient flow to a horizon in log t (t = 10^1000), with the
 * margin-adaptive step ε = min(ε0, c/q_min) (`marginAdaptiveStep` of the
 * flow layer; a fixed ε stops following the flow once q_min ≫ 1/ε) and
 * ε0 = 0.005 (at 0.01 the steps chatter across kinks near separation), in
 * float32 and, past the float32 margin cap, in float64 (the horizon is
 * reached at q_min ≈ 2 300, below the cap, at these sizes). KKT quantities
 * are recorded where L first drops below log(2)/n and at
 * log10 t = 10^(j/2), j = 0..6, so they can be drawn against
 * log10(log10 t).
 *
 * Checks of the main configuration:
 * - `kkt_residual_shrinks` (prediction): ε at the horizon ≤ `kktTolerance`
 *   and ≤ `decreaseFactor` × ε at separation.
 * - `twin_perturbed_flow` (near twin): gradient flow's final weights moved
 *   by a random perturbation in the span of the training points, kept
 *   balanced, of size ‖θ' - θ‖ = `nearTwinSize` × `kktTolerance` × ‖θ‖: it
 *   is not a KKT point and must fail the identical check.
 * - `twin_robust_network` (far twin): N* = Σ_j y_j relu(⟨μ_j, x⟩ - d/2),
 *   balanced, through the identical check (its residual is ≥ 0.7).
 * - `margin_above_per_cluster` (prediction): gradient flow's normalized
 *   margin exceeds that of the bias-free one-neuron-per-cluster network
 *   Σ_j y_j relu(⟨μ_j, x⟩); the two-neuron averaging network's is reported
 *   beside it. Twin: N*, balanced, through the identical check.
 *
 * The integrator configuration (`step-halving:`) checks the integration
 * itself on its own instances: the run is repeated with ε0 and c halved,
 * and the KKT residual where L first drops below log(2)/n (the reference
 * of the decrease check) and the outcomes at the horizon (KKT residual,
 * normalized margin, test error, flip radius along -y·Σ_j y_j μ_j), which
 * both runs reach at the same log t, must agree within named tolerances,
 * with the conserved drift of both runs below 1%. Its twin is the same
 * comparison for a fixed step ε0 (no margin rule), which must fail it.
 *
 * Why some trials stall (diagnostics `diag_*` at the horizon, values not
 * checks, {@linkcode c1Diagnostics}). With the fitted λ and activations,
 * each neuron has a dual value γ_r = ⟨θ̂_r, Σ_i λ_i h_i⟩/‖θ̂_r‖², 1 for
 * every neuron of a KKT point (`../measure/kkt_floor.ts`), and gradient
 * flow changes neuron r's share of ‖θ‖² like (‖θ‖²)^{γ_r - 1}, i.e.
 * (log t)^{γ_r - 1}. The trials that stall hold a few % of ‖θ‖² in one or
 * two neuron families active on all the clusters of their label but one
 * (paper trials 0, 4, 6 and 8, the ones inspected; the missed cluster has
 * 4–10 of the 200 points), with 1 - γ_r just below 1/k: the flow removes
 * them, but only as (log t)^{-0.045}, and the residual they leave,
 * √(Σ share_r (1 - γ_r)²), falls by about 5% per decade of log t.
 * Measured on the committed paper-size run (seed 1, 32 trials, rerun with
 * these columns): the 10 failing trials hold 1.7–7.3% of ‖θ‖² in losing
 * neurons, with 1 - γ = 0.041–0.049 and a floor of 0.0057–0.0117, 83–94%
 * of their residual²; the 22 passing ones hold ≤ 1.1%, and their residual
 * is mostly (median 88% of residual²) the part across the neurons'
 * directions, which falls like (log t)^{-1/2} (the 1.7× per half-decade).
 * At CI size with seed 2, the 5 failing trials hold 0.8–4.8% (1 - γ ≈
 * 0.09 at k = 10), the 27 passing ones ≤ 0.05%. Not the integrator:
 * halving ε0 and c leaves paper trial 0's residual at 0.00732 (trial 1:
 * 0.001893 against 0.001899), and the float64 continuation to
 * log10 t = 10⁴ follows the same law (trial 0: 0.00732, 0.00699, 0.00675
 * at log10 t = 10³, 10^3.5, 10⁴; its two losing families go from 1.21% and
 * 1.19% of ‖θ‖² at 10² to 0.97% and 0.97% at 10⁴, as 100^{-(1-γ)} with
 * 1 - γ = 0.049 and 0.044 predicts). Not the kink radius: with κ = 1e-2
 * instead of 1e-3 the stalled residuals move by ≤ 1% (trial 0: 0.00724,
 * trial 4: 0.01281), and the pairs in (κ, 10κ] of the neurons with ≥ 0.1%
 * of ‖θ‖² neither differ between slow and fast trials (1 800–3 000 in
 * both) nor drift into the κ-ball along the run. At this rate trial 0
 * would pass near log10 t ≈ 10^7.4. The check and its verdict are left as
 * they are.
 *
 * @module
 */

import { drawInstance, type Instance } from "../model/instance.ts";
import {
  DRIFT_LIMIT,
  type FlowCheckpoint,
  type FlowResult,
  type FlowWeights,
  gradientFlow,
  marginAdaptiveStep,
} from "../flow/gradient_flow.ts";
import {
  approximateKkt,
  type ApproximateKktReport,
} from "../measure/approximate_kkt.ts";
import { gramMatrix, kktResidual } from "../measure/kkt.ts";
import { kktFloor } from "../measure/kkt_floor.ts";
import { robustNetwork } from "../measure/constructions.ts";
import {
  averagingNetwork,
  balanceNeurons,
  homogeneousMargin,
  perClusterNetwork,
  perturbInSpan,
} from "../measure/margin_networks.ts";
import { classificationError } from "../measure/classification.ts";
import { flipsOnTestSet } from "../measure/flips.ts";
import { median } from "../stats/mod.ts";
import { lineChart } from "../plot/mod.ts";
import {
  flowColumns,
  flowStatus,
  instanceParams,
  okRecords,
  round,
  sizeKey,
} from "./kit.ts";
import { MIN_TRIALS } from "./criteria.ts";
import type {
  Cell,
  CheckSpec,
  ClaimConfig,
  ClaimSpec,
  Profile,
  TrialRecord,
  TrialResult,
} from "./types.ts";

/** Named constants of C1. */
export const c1Constants = {
  /** ε0: the step (relative change of θ) until the margin rule takes over. */
  stepFraction: 0.005,
  /** c of the margin-adaptive step ε = min(ε0, c/q_min). */
  marginStep: 1,
  /** log10 t of the horizon: the run stops at t = 10^1000. */
  horizonLog10Time: 1000,
  /** Checkpoints per decade of log10 t (log10 t = 10^(j/2)). */
  checkpointsPerDecade: 2,
  /** κ: a pair is on its kink when |z_ri| ≤ κ‖(w_r, b_r)‖‖(x_i, 1)‖. */
  kinkRadius: 1e-3,
  /** The stationarity residual at the horizon must be at most this. */
  kktTolerance: 0.01,
  /** ... and at most this fraction of its value at separation. */
  decreaseFactor: 0.25,
  /** The near twin's perturbation: this × kktTolerance × ‖θ‖. */
  nearTwinSize: 2,
  /** Step halving: |Δ residual| at the horizon ≤ this (absolute). */
  halvingResidual: 1e-3,
  /** Step halving: γ and the median flip ratio agree to this (relative). */
  halvingRelative: 0.01,
  /** Step halving: the residual at separation agrees to this (relative). */
  halvingSeparation: 0.1,
  /** Step halving: |Δ test error| ≤ this. */
  halvingError: 0.01,
  /** Every run of the integrator check keeps its conserved drift below this. */
  driftLimit: DRIFT_LIMIT,
  /** Step budget of one run (never reached at the horizon; a safety net). */
  maxSteps: 30000,
  /** Target pass rate. */
  target: 0.8,
};

/** Why each constant of C1 has its value (fixed before the runs). */
export const c1ConstantReasons: Record<keyof typeof c1Constants, string> = {
  stepFraction:
    "half the suite's default 0.01: at 0.01 the Euler steps chatter across relu kinks near separation and inflate the residual there by 10–30%, at 0.005 halving the step again moves it by about 1% (the integrator check verifies this on its own instances)",
  marginStep:
    "the loss weights e^{-q_i} resolve margin differences of order one and a step moves the margins by about 2ε·q_i, so ε ≤ 1/q_min keeps that move within 2",
  horizonLog10Time:
    "three decades of log t past separation (log t ≈ 1): far into the asymptotic regime, and within the CI budget at a step cost ∝ q_min (q_min ≈ 2 300 there, below the float32 cap of 10⁴, so the float64 continuation is not needed at this horizon)",
  checkpointsPerDecade:
    "two points per decade of log t draw the curve against log10(log t) without costing more KKT fits than the run itself",
  kinkRadius:
    "a Goldstein ball of radius 1e-3‖θ̂‖: a tenth of the float32 phase's step ε0 = 0.01 and a tenth of the tolerance, so the relaxation can neither absorb a step nor explain a residual at the tolerance",
  kktTolerance:
    "1%: the KKT equations hold to two digits, ten times the kink radius, and below the residual a random direction or a network at separation has",
  decreaseFactor:
    "the slackness bound falls like 1/log t (10³ over the three decades); no rate is known for stationarity, so only a 4-fold fall is asked, beyond chatter or noise",
  nearTwinSize:
    "a network twice the tolerance away from gradient flow's, in the same relative units as the residual: near in parameter space, and a KKT check that cannot see a 2% move has no power",
  halvingResidual:
    "a tenth of kktTolerance: halving the step must not move the residual by a tenth of its decision scale",
  halvingRelative:
    "1%: the margin and flip-ratio checks of C1, C4, C5 decide on factors of 2 or more",
  halvingSeparation:
    "10%: the decrease check divides by the residual at separation, and a trial is seldom within 10% of its threshold, so a 10% integration error there cannot decide many trials",
  halvingError: "one test point in a hundred",
  driftLimit:
    "1% of a neuron's scale: the flow conserves v_r² - ‖w_r‖² - b_r² exactly, and KKT points are balanced",
  maxSteps:
    "the horizon takes about 2 500 steps at CI size; a run that needs 12 times more is broken, not slow",
  target: "the suite's default",
};

/** log10 t of every checkpoint after separation: 10^(j/2), j = 0..6. */
export const c1LogTimes: readonly number[] = (() => {
  const { horizonLog10Time, checkpointsPerDecade } = c1Constants;
  const count = Math.round(Math.log10(horizonLog10Time) * checkpointsPerDecade);
  return Array.from(
    { length: count + 1 },
    (_, j) => Number((10 ** (j / checkpointsPerDecade)).toPrecision(6)),
  );
})();

/** Column suffix of a checkpoint: its log10 t rounded, e.g. `log10t_32`. */
export function checkpointLabel(log10Time: number): string {
  return `log10t_${Math.round(log10Time)}`;
}

/** Key prefix of the integrator configuration. */
const HALVING = "step-halving:";

/** Sizes of C1's instances at a profile. */
function c1Sizes(profile: Profile) {
  return profile === "ci"
    ? { d: 500, k: 10, n: 100, m: 100 }
    : { d: 1000, k: 20, n: 200, m: 256 };
}

/** A check with its role, twin and margin. */
function check(
  spec: Omit<CheckSpec, "target" | "expect">,
): CheckSpec {
  return {
    ...spec,
    target: c1Constants.target,
    expect: spec.role === "prediction" ? "holds" : "fails",
  };
}

/** Configurations of C1. */
export function c1Configs(profile: Profile): ClaimConfig[] {
  const p = c1Sizes(profile);
  const { kktTolerance, decreaseFactor, nearTwinSize } = c1Constants;
  const common = {
    nTest: 100,
    means: "orthogonal",
    stepFraction: c1Constants.stepFraction,
  };
  const kktRule =
    `relative KKT residual at log10 t = ${c1Constants.horizonLog10Time} (κ-Clarke activations at kinks) ` +
    `≤ ${kktTolerance} and ≤ ${decreaseFactor}× gradient flow's at separation`;
  const kktMargin = (measured: string) => ({
    measured,
    threshold: "kkt_threshold",
    direction: "below" as const,
  });
  const marginRule =
    "normalized margin min_i q_i / Σ_r 2|v_r|‖(w_r, b_r)‖ above the bias-free per-cluster network's";
  const marginMargin = (measured: string) => ({
    measured,
    threshold: "per_cluster_margin",
    direction: "above" as const,
  });
  return [
    {
      key: sizeKey(p),
      params: { ...p, ...common },
      trials: MIN_TRIALS,
      checks: [
        check({
          name: "kkt_residual_shrinks",
          description: `gradient flow: ${kktRule}`,
          role: "prediction",
          margin: kktMargin("kkt_final"),
        }),
        check({
          name: "twin_perturbed_flow",
          description:
            `gradient flow's final weights plus a random in-span perturbation of size ${nearTwinSize}×${kktTolerance}‖θ‖, ` +
            `balanced: ${kktRule} (near twin, must fail)`,
          role: "twin",
          twinOf: "kkt_residual_shrinks",
          margin: kktMargin("twin_kkt"),
        }),
        check({
          name: "twin_robust_network",
          description:
            `N* = Σ_j y_j relu(⟨μ_j, x⟩ - d/2), balanced: ${kktRule} (far twin, must fail)`,
          role: "twin",
          twinOf: "kkt_residual_shrinks",
          margin: kktMargin("robust_kkt"),
        }),
        check({
          name: "margin_above_per_cluster",
          description: `gradient flow at the horizon: ${marginRule}`,
          role: "prediction",
          margin: marginMargin("flow_margin"),
        }),
        check({
          name: "twin_margin_robust_network",
          description: `N*, balanced: ${marginRule} (must fail)`,
          role: "twin",
          twinOf: "margin_above_per_cluster",
          margin: marginMargin("robust_margin"),
        }),
      ],
    },
    {
      key: `${HALVING}${sizeKey(p)}`,
      params: { ...p, ...common },
      trials: MIN_TRIALS,
      checks: [
        check({
          name: "integrator_step_halving",
          description:
            `margin-adaptive step: halving ε0 and c changes the residual at separation by ≤ ` +
            `${
              100 * c1Constants.halvingSeparation
            }% and, at the horizon, the ` +
            `residual by ≤ ${c1Constants.halvingResidual}, γ and the median flip ratio by ≤ ` +
            `${
              100 * c1Constants.halvingRelative
            }%, the test error by ≤ ${c1Constants.halvingError}; drift ≤ ` +
            `${100 * c1Constants.driftLimit}% in every run`,
          role: "prediction",
          margin: {
            measured: "halving_worst",
            threshold: 1,
            direction: "below",
          },
        }),
        check({
          name: "twin_fixed_step",
          description:
            "the same comparison for a fixed step ε0 (no margin rule): must fail",
          role: "twin",
          twinOf: "integrator_step_halving",
          margin: {
            measured: "fixed_halving_worst",
            threshold: 1,
            direction: "below",
          },
        }),
      ],
    },
  ];
}

/** What is recorded at one checkpoint. */
interface CheckpointRecord {
  /** The checkpoint's value of log10 t (the step reached at least this). */
  log10Time: number;
  /** The KKT report. */
  kkt: ApproximateKktReport;
}

/** Settings of one long run. */
interface LongRun {
  /** Factor on ε0 and c (1, or 1/2 for the halved run). */
  stepScale: number;
  /** Whether the margin rule is used (else a fixed ε0·stepScale). */
  marginRule: boolean;
  /** Called at separation and at the log-time checkpoints. */
  onCheckpoint?: (point: FlowCheckpoint) => void;
}

/** Gradient flow to the horizon (see the module doc). */
function trainToHorizon(instance: Instance, run: LongRun): FlowResult {
  const { train, init, params } = instance;
  const base = params.stepFraction * run.stepScale;
  return gradientFlow(
    { n: train.n, d: train.d, x: train.x, y: train.y },
    init,
    {
      stepFraction: run.marginRule
        ? marginAdaptiveStep(base, c1Constants.marginStep * run.stepScale)
        : base,
      marginTolerance: 0,
      continuation: true,
      maxSteps: c1Constants.maxSteps,
      maxLog10Time: c1Constants.horizonLog10Time,
      checkpointLog10Times: run.onCheckpoint === undefined ? [] : c1LogTimes,
      checkpointAtSeparation: run.onCheckpoint !== undefined,
      onCheckpoint: run.onCheckpoint,
    },
  );
}

/** The trial status of a long run: `ok` only when it reached the horizon. */
function horizonStatus(
  flow: FlowResult,
): Pick<TrialResult, "status" | "reason"> {
  const base = flowStatus(flow);
  if (base.status !== "ok" || flow.status === "horizon") return base;
  return {
    status: "not-converged",
    reason: `stopped (${flow.status}) at log10 t = ${
      round(flow.log10Time, 4)
    } before the horizon`,
  };
}

/** The weights of a finished run in the precision they were computed in. */
function finalWeights(flow: FlowResult): FlowWeights {
  return flow.weights64 ?? flow.weights;
}

/** The columns of one checkpoint. */
function checkpointColumns(
  label: string,
  kkt: ApproximateKktReport,
): Record<string, Cell> {
  return {
    [`kkt_${label}`]: round(kkt.residual, 5),
    [`kkt_fixed_${label}`]: round(kkt.residualFixed, 5),
    [`flow_cos_${label}`]: round(kkt.flowCosine, 6),
    [`slackness_${label}`]: round(kkt.relativeSlackness, 5),
    [`gamma_${label}`]: round(kkt.normalizedMargin, 6),
  };
}

/** One trial of the main configuration. */
export function c1Trial(seed: number, config: ClaimConfig): TrialResult {
  const params = instanceParams(config.params);
  const instance = drawInstance(seed, params);
  const { train, model } = instance;
  const gram = gramMatrix(train.x, train.d);
  const kkt = (weights: FlowWeights) =>
    approximateKkt(weights, train, {
      gram,
      kinkRadius: c1Constants.kinkRadius,
    });
  const trajectory: CheckpointRecord[] = [];
  let atSeparation: ApproximateKktReport | null = null;
  let penalisedAtSeparation = NaN;
  const flow = trainToHorizon(instance, {
    stepScale: 1,
    marginRule: true,
    onCheckpoint: (point) => {
      if (!point.separated && point.log10TimesReached.length === 0) return;
      const weights = point.weights();
      const report = kkt(weights);
      if (point.separated) {
        atSeparation = report;
        penalisedAtSeparation = kktResidual(weights, train, { gram }).residual;
      }
      // One record per checkpoint value reached (a step may pass two).
      for (const log10Time of point.log10TimesReached) {
        trajectory.push({ log10Time, kkt: report });
      }
    },
  });
  const status = horizonStatus(flow);
  const weights = finalWeights(flow);
  const last = trajectory.at(-1)?.kkt ?? kkt(weights);
  const sep = atSeparation as ApproximateKktReport | null;
  const sepResidual = sep?.residual ?? NaN;
  const { kktTolerance, decreaseFactor, nearTwinSize } = c1Constants;
  const threshold = Math.min(kktTolerance, decreaseFactor * sepResidual);

  // Twins: the flow's weights perturbed in span (near), N* balanced (far).
  const size = nearTwinSize * kktTolerance;
  const perturbed = perturbInSpan(weights, train, { rng: instance.rng, size });
  const twin = kkt(perturbed);
  const robust = balanceNeurons(robustNetwork(model));
  const robustKkt = kkt(robust);

  // Normalized margins of the four networks.
  const flowMargin = homogeneousMargin(weights, train).normalizedMargin;
  const perCluster = homogeneousMargin(perClusterNetwork(model), train)
    .normalizedMargin;
  const averaging = homogeneousMargin(averagingNetwork(model), train)
    .normalizedMargin;
  const robustMargin = homogeneousMargin(robust, train).normalizedMargin;
  const penalisedFinal = kktResidual(weights, train, { gram }).residual;
  // Diagnostics (no check): the part of the residual held by neurons that
  // the flow is removing only as a small power of log t.
  const floor = kktFloor(weights, {
    neuronDuals: last.neuronDuals,
    gap: kktTolerance,
  });

  const ok = status.status === "ok";
  const below = (r: number) => r <= threshold;
  return {
    ...status,
    checks: {
      kkt_residual_shrinks: ok && below(last.residual),
      twin_perturbed_flow: ok && below(twin.residual),
      twin_robust_network: ok && below(robustKkt.residual),
      margin_above_per_cluster: ok && flowMargin > perCluster,
      twin_margin_robust_network: ok && robustMargin > perCluster,
    },
    values: {
      ...flowColumns(instance, flow),
      precision: flow.precision ?? "float32",
      continued_step: flow.continuedAtStep ?? -1,
      final_step_fraction: round(flow.finalStepFraction ?? NaN, 4),
      log10_time_at_separation: round(flow.log10TimeSeparated, 4),
      kkt_at_separation: round(sepResidual, 5),
      kkt_fixed_at_separation: round(sep?.residualFixed ?? NaN, 5),
      kkt_penalised_at_separation: round(penalisedAtSeparation, 5),
      slackness_at_separation: round(sep?.relativeSlackness ?? NaN, 5),
      slackness_raw_at_separation: round(sep?.slackness ?? NaN, 5),
      flow_cos_at_separation: round(sep?.flowCosine ?? NaN, 6),
      ...Object.fromEntries(
        trajectory.flatMap((t) =>
          Object.entries(checkpointColumns(checkpointLabel(t.log10Time), t.kkt))
        ),
      ),
      kkt_final: round(last.residual, 5),
      kkt_fixed_final: round(last.residualFixed, 5),
      kkt_penalised_final: round(penalisedFinal, 5),
      kkt_threshold: round(threshold, 5),
      kkt_ratio_to_separation: round(last.residual / sepResidual, 5),
      slackness_final: round(last.relativeSlackness, 5),
      slackness_raw_final: round(last.slackness, 5),
      flow_cos_final: round(last.flowCosine, 6),
      norm_ratio: round(last.normRatio, 5),
      kink_pairs: last.kinkPairs,
      support_kink_pairs: last.supportKinkPairs,
      support_size: last.supportSize,
      kkt_rounds: last.rounds,
      twin_kkt: round(twin.residual, 5),
      twin_size: round(size, 5),
      twin_min_margin: round(twin.minMargin, 5),
      twin_kink_pairs: twin.kinkPairs,
      robust_kkt: round(robustKkt.residual, 5),
      flow_margin: round(flowMargin, 6),
      per_cluster_margin: round(perCluster, 6),
      averaging_margin: round(averaging, 6),
      robust_margin: round(robustMargin, 6),
      ...diagnosticColumns(floor),
    },
  };
}

/**
 * The diagnostic columns of a main trial (values, not checks): where the
 * residual at the horizon comes from (see the module doc, "Why some trials
 * stall").
 */
export const c1Diagnostics: Readonly<Record<string, string>> = {
  diag_kkt_radial:
    "√(Σ_r share_r (1 − γ_r)²): the residual's part along each neuron's own parameters (wrong neuron scales), ≤ kkt_final",
  diag_losing_share:
    "share of ‖θ‖² in the losing neurons, 1 − γ_r ≥ kktTolerance (they leave the limit, as (log t)^-(1 − γ_r))",
  diag_losing_gap:
    "the losing neurons' share-weighted mean 1 − γ_r: the exponent of their decay in log t",
  diag_losing_floor:
    "√(Σ_losing share_r (1 − γ_r)²): the residual the losing neurons leave alone; it falls like (log t)^-(gap/2)",
};

/** The columns of {@linkcode c1Diagnostics}. */
function diagnosticColumns(
  floor: ReturnType<typeof kktFloor>,
): Record<string, Cell> {
  return {
    diag_kkt_radial: round(floor.radial, 5),
    diag_losing_share: round(floor.losingShare, 5),
    diag_losing_gap: round(floor.losingGap, 4),
    diag_losing_floor: round(floor.floor, 5),
  };
}

/** Outcomes of one run at the horizon, for the step-halving comparison. */
interface HorizonOutcome {
  flow: FlowResult;
  /** The KKT residual where L first drops below log(2)/n. */
  separationResidual: number;
  residual: number;
  margin: number;
  testError: number;
  flipRatio: number;
}

/** Run and measure at the horizon. */
function horizonOutcome(
  instance: Instance,
  run: { run: LongRun; gram: Float64Array },
): HorizonOutcome {
  const { train, test } = instance;
  const kkt = (weights: FlowWeights) =>
    approximateKkt(weights, train, {
      gram: run.gram,
      kinkRadius: c1Constants.kinkRadius,
    }).residual;
  let separationResidual = NaN;
  const flow = trainToHorizon(instance, {
    ...run.run,
    onCheckpoint: (point) => {
      if (point.separated) separationResidual = kkt(point.weights());
    },
  });
  const weights = finalWeights(flow);
  const flips = flipsOnTestSet(instance, flow.weights);
  return {
    flow,
    separationResidual,
    residual: kkt(weights),
    margin: homogeneousMargin(weights, train).normalizedMargin,
    testError: classificationError(flow.weights, test),
    flipRatio: flips.ratios.length > 0 ? median(flips.ratios) : NaN,
  };
}

/**
 * The worst of the comparisons of `other` with `reference`, each divided by
 * its tolerance (≤ 1: all within), with each part.
 */
function comparison(
  reference: HorizonOutcome,
  other: HorizonOutcome,
): { worst: number; parts: Record<string, number> } {
  const {
    halvingResidual,
    halvingRelative,
    halvingSeparation,
    halvingError,
  } = c1Constants;
  const relative = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);
  const parts = {
    separation:
      relative(other.separationResidual, reference.separationResidual) /
      halvingSeparation,
    residual: Math.abs(other.residual - reference.residual) / halvingResidual,
    margin: relative(other.margin, reference.margin) / halvingRelative,
    error: Math.abs(other.testError - reference.testError) / halvingError,
    flip: relative(other.flipRatio, reference.flipRatio) / halvingRelative,
  };
  const worst = Math.max(
    ...Object.values(parts).map((x) => Number.isNaN(x) ? Infinity : x),
  );
  return { worst, parts };
}

/**
 * The integrator check on one instance: the reference run and the run with
 * ε0 and c halved, compared at the horizon; the worst ratio to tolerance
 * (the drift of both runs included), and whether both reached the horizon.
 */
function integratorRuns(
  instance: Instance,
  options: { marginRule: boolean; gram: Float64Array },
): { worst: number; columns: Record<string, Cell>; ok: boolean } {
  const { marginRule, gram } = options;
  const run = (stepScale: number) =>
    horizonOutcome(instance, {
      run: { stepScale, marginRule },
      gram,
    });
  const reference = run(1);
  const halved = run(0.5);
  const byHalf = comparison(reference, halved);
  const drift = Math.max(
    reference.flow.conservedDrift,
    halved.flow.conservedDrift,
  );
  const reached = reference.flow.status === "horizon" &&
    halved.flow.status === "horizon";
  const worst = Math.max(byHalf.worst, drift / c1Constants.driftLimit);
  const prefix = marginRule ? "" : "fixed_";
  const columns: Record<string, Cell> = {
    [`${prefix}halving_worst`]: round(reached ? worst : Infinity, 5),
    [`${prefix}max_drift`]: round(drift, 6),
    [`${prefix}steps`]: reference.flow.steps,
    [`${prefix}steps_halved`]: halved.flow.steps,
    [`${prefix}kkt_at_separation`]: round(reference.separationResidual, 5),
    [`${prefix}kkt_at_separation_halved`]: round(
      halved.separationResidual,
      5,
    ),
    [`${prefix}kkt`]: round(reference.residual, 5),
    [`${prefix}kkt_halved`]: round(halved.residual, 5),
    [`${prefix}margin`]: round(reference.margin, 6),
    [`${prefix}margin_halved`]: round(halved.margin, 6),
    [`${prefix}test_error`]: round(reference.testError, 4),
    [`${prefix}test_error_halved`]: round(halved.testError, 4),
    [`${prefix}flip_ratio`]: round(reference.flipRatio, 5),
    [`${prefix}flip_ratio_halved`]: round(halved.flipRatio, 5),
    ...Object.fromEntries(
      Object.entries(byHalf.parts).map((
        [k, v],
      ) => [`${prefix}halving_${k}`, round(v, 4)]),
    ),
  };
  return { worst, columns, ok: reached };
}

/** One trial of the integrator configuration. */
export function c1IntegratorTrial(
  seed: number,
  config: ClaimConfig,
): TrialResult {
  const params = instanceParams(config.params);
  const instance = drawInstance(seed, params);
  const gram = gramMatrix(instance.train.x, instance.train.d);
  const adaptive = integratorRuns(instance, { marginRule: true, gram });
  const fixed = integratorRuns(instance, { marginRule: false, gram });
  const status = adaptive.ok ? { status: "ok" as const, reason: "" } : {
    status: "not-converged" as const,
    reason: "a margin-rule run stopped before the horizon",
  };
  return {
    ...status,
    checks: {
      integrator_step_halving: adaptive.ok && adaptive.worst <= 1,
      twin_fixed_step: adaptive.ok && fixed.ok && fixed.worst <= 1,
    },
    values: { ...adaptive.columns, ...fixed.columns },
  };
}

/** The series of one trial against log10(log10 t): separation and checkpoints. */
function trialSeries(
  record: TrialRecord,
  column: (label: string) => string,
): { x: number; y: number }[] {
  const values = record.result.values;
  const points = c1LogTimes.map((t) => ({
    x: Math.log10(t),
    y: Number(values[column(checkpointLabel(t))]),
  }));
  const sepTime = Number(values.log10_time_at_separation);
  return [
    { x: Math.log10(sepTime), y: Number(values[column("at_separation")]) },
    ...points,
  ].filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y));
}

/** Column of a quantity at a checkpoint label or `at_separation`. */
const at = (quantity: string) => (label: string) =>
  label === "at_separation"
    ? `${quantity}_at_separation`
    : `${quantity}_${label}`;

/** The C1 claim. */
export const c1: ClaimSpec = {
  id: "C1",
  title: "Implicit bias towards a KKT point",
  statement:
    "Once the loss is below log(2)/n, gradient flow's direction θ/‖θ‖ approaches a KKT point of the max-margin " +
    "problem min ½‖θ‖² s.t. y_i N(x_i; θ) ≥ 1 (Lyu & Li 2020): with multipliers λ ≥ 0 and Clarke subgradients " +
    "(activations in [0, 1] at relu kinks) the stationarity residual shrinks along training, and so does the " +
    "complementary slackness; its normalized margin exceeds the one-neuron-per-cluster network's.",
  source: "[L]",
  hypotheses: [
    "L(θ(t0)) < log(2)/n at some t0 (checked)",
    "2-homogeneous network (relu, no bias-free terms)",
    "the Euler integration follows the flow (checked by step halving)",
  ],
  constants: { ...c1Constants },
  constantReasons: { ...c1ConstantReasons },
  configs: c1Configs,
  runTrial: (task, config) =>
    Promise.resolve(
      config.key.startsWith(HALVING)
        ? c1IntegratorTrial(task.seed, config)
        : c1Trial(task.seed, config),
    ),
  predictions: [{
    name: "kkt_residual_limit",
    measured: {
      kind: "median",
      column: "kkt_final",
      check: "kkt_residual_shrinks",
    },
    predicted: 0,
    law: "the approximate KKT residual tends to 0 as t → ∞",
    source: "[L]",
    note:
      "a limit, not a rate: measured at t = 10^1000, where the residual is small but not 0",
  }],
  highlights: [
    "kkt_at_separation",
    "kkt_log10t_10",
    "kkt_log10t_100",
    "kkt_final",
    "kkt_fixed_final",
    "slackness_at_separation",
    "slackness_final",
    "flow_cos_final",
    "twin_kkt",
    "robust_kkt",
    "diag_losing_floor",
    "diag_losing_share",
    "flow_margin",
    "averaging_margin",
    "per_cluster_margin",
    "conserved_drift",
    "steps",
    "halving_worst",
    "fixed_halving_worst",
  ],
  budget: { blasSeconds: 30, wasmSeconds: 90 },
  figures: async (records) => {
    const main = okRecords(records).filter((r) =>
      !r.task.config.startsWith(HALVING)
    );
    const xLabel = "log10(log10 t)";
    const medianSeries = (name: string, quantity: string) => ({
      name,
      points: c1LogTimes.map((t) => ({
        x: Math.log10(t),
        y: median(
          main.map((r) =>
            Number(r.result.values[`${quantity}_${checkpointLabel(t)}`])
          ).filter(Number.isFinite),
        ),
      })),
    });
    return [
      {
        file: "C1_kkt_residual.svg",
        caption:
          "Stationarity residual (κ-Clarke activations at kinks) against log10(log10 t), one line per trial: first point at separation, last at the horizon",
        svg: await lineChart({
          title: "C1: KKT residual along gradient flow",
          xLabel,
          yLabel: "relative KKT residual",
          logY: true,
          series: main.map((r) => ({
            name: `trial ${r.task.trial}`,
            points: trialSeries(r, at("kkt")),
          })),
        }),
      },
      {
        file: "C1_kkt_quantities.svg",
        caption:
          "Medians over trials: the residual with κ-Clarke activations, with the activations 1[z > 0] of the instant (its floor), 1 − cos∠(θ, −∇L), and the relative slackness",
        svg: await lineChart({
          title: "C1: approximate KKT quantities (medians)",
          xLabel,
          yLabel: "value",
          logY: true,
          series: [
            medianSeries("residual (Clarke at kinks)", "kkt"),
            medianSeries("residual (1[z > 0])", "kkt_fixed"),
            medianSeries("relative slackness", "slackness"),
            {
              name: "1 − cos∠(θ, −∇L)",
              points: medianSeries("", "flow_cos").points.map((p) => ({
                x: p.x,
                y: 1 - p.y,
              })),
            },
          ],
        }),
      },
    ];
  },
};
