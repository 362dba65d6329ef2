/**
 * Claim C6 (mechanism): feature averaging, a small-initialization result.
 *
 * Notation: means μ_1..μ_k with labels y_j, u± = Σ_{y_j=±1} μ_j and
 * s = Σ_j y_j μ_j = u+ − u- (C4's attack direction is −y·s). Two
 * predictions on the gradient-flow network N from a small initialization:
 *
 * - `features_averaged` (the alignment claim, proved for small-initialization
 *   dynamics by Li, Pan, Lyu & Li, ICLR 2025, not shown to follow from the
 *   KKT theorem alone): the median cosine of significant neurons with the
 *   class sum they vote for, cos(w_r, u_{sign v_r}), is ≥ 0.8;
 * - `gradient_along_signed_sum` (what C4 relies on): the median over test
 *   points of cos(∇_x N(x), s) is ≥ 0.8 × the value an exactly averaging
 *   network has on the same points, median_x cos(y·u_y, s) (1/√2 for
 *   balanced orthogonal means). Along −y·s the exact flip radius on the
 *   linear piece is y·N(x)/(‖∇N‖ cos(∇N, s)), so this cosine is the
 *   quantity C4's direction uses.
 *
 * Both run on two main configurations: orthogonal means, and Gaussian means
 * rescaled to √d (ρ ≈ 3√d, nearly orthogonal).
 *
 * Twins (the nearest false alternative, the identical check, the same
 * instances): the one-neuron-per-cluster network built from the training
 * sample, N̂(x) = Σ_j y_j relu(⟨x̄_j, x⟩ − d/2) with x̄_j the sample mean of
 * cluster j (C5's robust network N* perturbed by the training noise, nothing
 * drawn or tuned). It fits the data, its neurons align with single means
 * (cos(x̄_j, u_{y_j}) ≈ √(2/k) on balanced orthogonal means) and its
 * gradient near μ_j is y_j·x̄_j (cosine with s ≈ 1/√k), so both checks must
 * fail on it. Why not the other candidate, the one-label network's hidden
 * layer read out binarily (N̄ = Σ_l y_l f_l, columns `readout_…`): its
 * neurons are per-cluster, but its neurons are active beyond their own
 * cluster and N̄'s gradient stays along s, so it is no false alternative
 * to `gradient_along_signed_sum`; and the per-cluster network without the
 * −d/2 threshold is not one either, for the same reason. The threshold
 * (only the own cluster's neuron active) is what takes the gradient off s.
 *
 * Controls, each measuring the mechanism it breaks:
 *
 * - `control_one_label_per_cluster` (+ `_gradient`): the same training
 *   inputs with one label per cluster, a k-output network trained by the
 *   multiclass flow (`flow/multiclass.ts`) from the same small
 *   initialization; its induced binary classifier labels x by y of its
 *   argmax cluster (`measure/multiclass.ts`). Feature averaging is broken
 *   for a known reason: the neurons align with individual means (column
 *   `one_label_mean_alignment_median`, max_j cos(w_r, μ_j), against the
 *   gradient-flow network's `mean_alignment_median` ≈ 1/√(k/2)), and the
 *   gradient of the induced margin f_j − f_l runs along μ_j − μ_l, cosine
 *   ≈ √(2/k) with s. The same trial brackets both classifiers' robust radii
 *   (certified ≤ r ≤ best attack) in units of √d and √(d/k): the
 *   averaging analysis predicts √d for the one-label classifier and √(d/k)
 *   for gradient flow.
 * - `control_large_initialization` (+ `_gradient`): initialization scale
 *   α = 10 (the small-initialization hypothesis broken), measured at the
 *   time t* at which gradient flow from the small initialization of the
 *   same instance (the same draws scaled by 10⁻³/α) stopped, i.e. at the
 *   first step with log10 t ≥ log10 t*: the lazy regime, neurons still at
 *   their random start (the reason, column `initial_alignment_median` =
 *   cos(w_r(t*), w_r(0)) near 1), so neither the neurons nor the input
 *   gradient are aligned yet. The end-of-run values are reported beside it
 *   (`end_…` columns): with `c6LargeInitFlowOptions` continuing the run in
 *   float64 to the real stop rule they show what the limit does (the KKT
 *   direction it converges to may average features too, long after t*),
 *   which is why the alignment is stated on the small-initialization time
 *   scale.
 * - `sanity_correlated_means` (⟨μ_i, μ_j⟩ = 0.9d): u± is then dominated by
 *   the component all means share, so a neuron that separates the classes
 *   has a small cosine with u± whatever the network does: the neuron check
 *   fails by construction (a sanity line, not evidence), while the input
 *   gradient's cosine with s, where the shared part cancels, is reported in
 *   every configuration and barely moves.
 *
 * @module
 */

import {
  defaultInstance,
  drawInstance,
  type Instance,
} from "../model/instance.ts";
import { signedMeanSum } from "../model/data.ts";
import { inputGradients } from "../model/network.ts";
import type { NetworkWeights } from "../model/weights.ts";
import type { FlowOptions, FlowWeights } from "../flow/gradient_flow.ts";
import { trainInstance } from "../flow/train.ts";
import {
  type ClassMeanSums,
  classMeanSums,
  cosine,
  initialAlignments,
  meanAlignments,
  neuronClassAlignments,
  type NeuronVotes,
  neuronVotes,
  rowCosines,
} from "../measure/alignment.ts";
import {
  AttackBatch,
  attackSubset,
  bracketRobustRadii,
  pickPoints,
  soundnessViolations,
} from "../measure/attacks/mod.ts";
import {
  inactivePoints,
  inducedGradients,
  multiclassVotes,
  readoutNetwork,
  sampleClusterNetwork,
} from "../measure/multiclass.ts";
import { oneLabelPerClusterNetwork } from "../measure/one_label_network.ts";
import { median } from "../stats/mod.ts";
import { MIN_TRIALS, sharedCriteria } from "./criteria.ts";
import { initializationGrid, mapConstants } from "./map_grids.ts";
import {
  alsoFinished,
  flowColumns,
  flowStatus,
  instanceParams,
  round,
  selectChecks,
  sizeKey,
  soundnessAssessment,
  syncTrial,
  type TrialStatusPart,
  unlessDegenerate,
} from "./kit.ts";
import type {
  Cell,
  CheckMargin,
  CheckSpec,
  ClaimConfig,
  ClaimSpec,
  Profile,
  RegimeMap,
  TrialResult,
} from "./types.ts";

/** Named constants of C6. */
export const c6Constants = {
  /** A neuron is significant when ‖o_r‖² + ‖w_r‖² + b_r² ≥ this × the largest (shared with N1). */
  significance: sharedCriteria.significance,
  /** Median cosine of significant neurons with u± must be at least this (shared with N1). */
  neuronAlignment: sharedCriteria.neuronAlignment,
  /**
   * Median cos(∇N(x), s) must be at least this share of an exactly
   * averaging network's median cos(y·u_y, s) on the same points.
   */
  gradientShare: 0.8,
  /** Initialization scale α of the large-initialization control. */
  largeInitScale: 10,
  /** Test points whose robust radius is bracketed per one-label trial, CI size. */
  bracketPointsCi: 8,
  /** Test points whose robust radius is bracketed per one-label trial, paper size. */
  bracketPointsPaper: 16,
  /** Opposite clusters l attacked per point for the induced classifier (pairs f_j − f_l). */
  pairsPerPoint: 2,
  /** Target pass rate. */
  target: 0.8,
};

/** Why each constant of C6 has its value (fixed before looking at data). */
export const c6ConstantReasons: Record<keyof typeof c6Constants, string> = {
  significance:
    "shared with N1: neurons below a tenth of the largest carry little of the function and are noise around the initialization",
  neuronAlignment:
    "shared with N1: 0.8 sits between averaging (≈ 1) and a neuron on one mean of its class (1/√(k/2) ≈ 0.45 at k = 10, 0.32 at k = 20)",
  gradientShare:
    "the same 80% of the ideal as the neuron threshold; the per-cluster alternatives reach 2/√k (pair margin, 63% at k = 10) and √(2/k) (single mean, 45%) of the averaging value 1/√2",
  largeInitScale:
    "10⁴ times the small initialization: the initial outputs, of order α², fit the data before the neurons move (the lazy regime)",
  bracketPointsCi:
    "a median over 8 points per trial, pooled over 30 trials, is a stable scale; the induced classifier's attacks cost ≈ 30 ms per point at CI size",
  bracketPointsPaper:
    "twice the CI count; the induced classifier's attacks cost ≈ 100 ms per point at paper size, within C6's share of the paper budget",
  pairsPerPoint:
    "the two pairs with the smallest pair certificates: at CI size the median best attack over them equalled that over all k/2 pairs, and one pair moved it by < 0.5% at paper size",
  target:
    '"with high probability" made concrete: the suite\'s default target 0.8',
};

/**
 * Extra flow options of the large-initialization control's run (e.g. the
 * float64 continuation to the real stop rule); the control is measured at
 * the small-initialization stop time t* whatever they are.
 */
export const c6LargeInitFlowOptions: FlowOptions = { continuation: true };

/** Which trial a configuration runs. */
type Variant = "main" | "one-label" | "large-init" | "correlated";

const { neuronAlignment, target } = c6Constants;

/** A check with its margin declared. */
type MarginedCheck = CheckSpec & { margin: CheckMargin };

const prediction: Record<"features" | "gradient", MarginedCheck> = {
  features: {
    name: "features_averaged",
    description:
      `median cosine of significant neurons with the class sum they vote for (u+ or u-) ≥ ${neuronAlignment}`,
    target,
    expect: "holds",
    role: "prediction",
    margin: {
      measured: "neuron_cosine_median",
      threshold: neuronAlignment,
      direction: "above",
    },
  },
  gradient: {
    name: "gradient_along_signed_sum",
    description:
      `median over test points of cos(∇N(x), Σ_j y_j μ_j) ≥ ${c6Constants.gradientShare} × an averaging ` +
      "network's median cos(y·u_y, Σ_j y_j μ_j) on the same points (column gradient_threshold)",
    target,
    expect: "holds",
    role: "prediction",
    margin: {
      measured: "gradient_cosine_signed_sum_median",
      threshold: "gradient_threshold",
      direction: "above",
    },
  },
};

/** A check shadowing a prediction, measured in column `measured`. */
function shadow(
  of: MarginedCheck,
  spec: Pick<CheckSpec, "name" | "description" | "role"> & {
    measured: string;
  },
): CheckSpec {
  return {
    name: spec.name,
    description: spec.description,
    target,
    expect: "fails",
    role: spec.role,
    twinOf: of.name,
    margin: { ...of.margin, measured: spec.measured },
  };
}

const twin = {
  features: shadow(prediction.features, {
    name: "twin_per_cluster_network",
    description:
      "features_averaged on N̂ = Σ_j y_j relu(⟨x̄_j, x⟩ − d/2), x̄_j the training sample's cluster means (must fail)",
    role: "twin",
    measured: "twin_neuron_cosine_median",
  }),
  gradient: shadow(prediction.gradient, {
    name: "twin_per_cluster_network_gradient",
    description:
      "gradient_along_signed_sum on N̂ = Σ_j y_j relu(⟨x̄_j, x⟩ − d/2) (must fail)",
    role: "twin",
    measured: "twin_gradient_cosine_signed_sum_median",
  }),
};

const control = {
  oneLabel: shadow(prediction.features, {
    name: "control_one_label_per_cluster",
    description:
      "features_averaged on the network trained on the same inputs with one label per cluster (neurons vote for " +
      "the label of their largest output; must fail: they align with single means)",
    role: "control",
    measured: "one_label_neuron_cosine_median",
  }),
  oneLabelGradient: shadow(prediction.gradient, {
    name: "control_one_label_per_cluster_gradient",
    description:
      "gradient_along_signed_sum on the one-label-per-cluster network's induced classifier, gradient of its " +
      "margin y·(f_j − f_l) (must fail: it runs along μ_j − μ_l)",
    role: "control",
    measured: "one_label_gradient_cosine_signed_sum_median",
  }),
  largeInit: shadow(prediction.features, {
    name: "control_large_initialization",
    description:
      `features_averaged from an initialization of scale ${c6Constants.largeInitScale}, measured at the stop ` +
      "time of the small-initialization run of the same instance (lazy regime; must fail: neurons stay at their start)",
    role: "control",
    measured: "neuron_cosine_median",
  }),
  largeInitGradient: shadow(prediction.gradient, {
    name: "control_large_initialization_gradient",
    description:
      `gradient_along_signed_sum from an initialization of scale ${c6Constants.largeInitScale}, at the ` +
      "small-initialization stop time (must fail: the gradient is still that of the random neurons)",
    role: "control",
    measured: "gradient_cosine_signed_sum_median",
  }),
  correlated: shadow(prediction.features, {
    name: "sanity_correlated_means",
    description:
      "features_averaged with ⟨μ_i, μ_j⟩ = 0.9d: fails by construction, u± being dominated by the shared component",
    role: "sanity",
    measured: "neuron_cosine_median",
  }),
};

/** Configurations of C6. */
export function c6Configs(profile: Profile): ClaimConfig[] {
  const ci = profile === "ci";
  const p = ci
    ? { d: 500, k: 10, n: 100, m: 100 }
    : { d: 2000, k: 20, n: 200, m: 256 };
  const base = { ...p, nTest: 200 };
  // Paper-size trials cost 2–6 s each: C6 keeps to its ≈ 4 min share.
  const main = 40;
  const config = (
    key: string,
    spec: { params: Record<string, Cell>; trials: number; checks: CheckSpec[] },
  ): ClaimConfig => ({ key, ...spec });
  return [
    config(sizeKey(p), {
      params: { ...base, means: "orthogonal", variant: "main" },
      trials: main,
      checks: [
        prediction.features,
        prediction.gradient,
        twin.features,
        twin.gradient,
      ],
    }),
    config(`gaussian:${sizeKey(p)}`, {
      params: { ...base, means: "gaussian", variant: "main" },
      trials: main,
      checks: [
        prediction.features,
        prediction.gradient,
        twin.features,
        twin.gradient,
      ],
    }),
    config(`one-label-per-cluster:${sizeKey(p)}`, {
      params: {
        ...base,
        means: "orthogonal",
        variant: "one-label",
        bracketPoints: ci
          ? c6Constants.bracketPointsCi
          : c6Constants.bracketPointsPaper,
      },
      trials: MIN_TRIALS,
      checks: [control.oneLabel, control.oneLabelGradient],
    }),
    config(`correlated-0.9:${sizeKey(p)}`, {
      params: {
        ...base,
        means: "correlated",
        correlation: 0.9,
        variant: "correlated",
      },
      trials: MIN_TRIALS,
      checks: [control.correlated],
    }),
    config(`large-init-${c6Constants.largeInitScale}:${sizeKey(p)}`, {
      params: {
        ...base,
        means: "orthogonal",
        initScale: c6Constants.largeInitScale,
        variant: "large-init",
      },
      trials: MIN_TRIALS,
      checks: [control.largeInit, control.largeInitGradient],
    }),
  ];
}

/**
 * C6's regime map (the `map` profile): its neuron prediction
 * `features_averaged` per cell of the initialization grid (scale α × width
 * m), on the main trial (measured at the end of the run, as at `ci` and
 * `paper`) at the CI sizes d = 500, k = 10, n = 100; drawn: the median
 * neuron cosine with u±, and the median cosine of the neurons with their
 * own initialization (the lazy regime's signature).
 *
 * @example
 * ```ts
 * import { c6Maps } from "./c6_mechanism.ts";
 * import assert from "node:assert/strict";
 * assert.equal(c6Maps()[0].check.name, "features_averaged");
 * ```
 */
export function c6Maps(): RegimeMap[] {
  return [{
    name: "C6_init_width",
    title: "C6: feature averaging as the initialization grows",
    relaxes:
      "small initialization: the scale α of the initial weights grows from 1e-3 to 10",
    ...initializationGrid(),
    params: {
      d: 500,
      k: mapConstants.clusters,
      n: 100,
      nTest: 200,
      means: "orthogonal",
      variant: "main",
    },
    check: prediction.features,
    quantities: [
      { column: "neuron_cosine_median", label: "neuron alignment with u±" },
      {
        column: "initial_alignment_median",
        label: "neuron alignment with its initialization",
      },
    ],
    trials: mapConstants.trialsPerCell,
  }];
}

/** The mean geometry of an instance that the checks compare with. */
interface Geometry {
  /** u+ and u-. */
  sums: ClassMeanSums;
  /** s = Σ_j y_j μ_j. */
  s: Float64Array;
  /** Median over test points of cos(y·u_y, s): an exactly averaging network's value. */
  reference: number;
  /** gradientShare × reference. */
  threshold: number;
}

/** The geometry of `instance` (see {@linkcode Geometry}). */
function geometry(instance: Instance): Geometry {
  const sums = classMeanSums(instance.model);
  const s = signedMeanSum(instance.model);
  const plus = cosine(sums.plus, s);
  const minus = cosine(sums.minus.map((x) => -x), s);
  const reference = median(
    Array.from(instance.test.y, (y) => (y > 0 ? plus : minus)),
  );
  return {
    sums,
    s,
    reference,
    threshold: c6Constants.gradientShare * reference,
  };
}

/** A network's weights as float32 arrays (for the tensor input gradients). */
function float32(weights: NetworkWeights): NetworkWeights<Float32Array> {
  return {
    d: weights.d,
    m: weights.m,
    w: Float32Array.from(weights.w),
    b: Float32Array.from(weights.b),
    v: Float32Array.from(weights.v),
  };
}

/** What {@linkcode averaging} measures on one classifier. */
interface Averaging {
  /** Number of significant neurons. */
  significant: number;
  /** Median cos(w_r, u_{c_r}) over significant neurons. */
  neuron: number;
  /** Smallest such cosine. */
  neuronMin: number;
  /** Median max_j cos(w_r, μ_j) over significant neurons. */
  mean: number;
  /** Median over test points of cos(gradient, s). */
  gradient: number;
  /** Median over test points of cos(gradient, y·u_y). */
  gradientClass: number;
}

/**
 * The alignment measurements of a classifier: its neurons' votes and its
 * margin gradients y·∇M at the test points (n×d).
 */
function averaging(
  votes: NeuronVotes,
  at: { gradients: ArrayLike<number>; instance: Instance; geo: Geometry },
): Averaging {
  const { gradients, instance, geo } = at;
  const sig = { significance: c6Constants.significance };
  const alignments = neuronClassAlignments(votes, geo.sums, sig);
  const { d } = instance.params;
  const { y } = instance.test;
  const minus = geo.sums.minus.map((x) => -x);
  const classCosines = Array.from(y, (yi, i) =>
    cosine(
      Array.from({ length: d }, (_, t) => gradients[i * d + t]),
      yi > 0 ? geo.sums.plus : minus,
    ));
  // A point where no neuron is active has no gradient direction (NaN).
  const finite = (a: number[]) => a.filter(Number.isFinite);
  return {
    significant: alignments.length,
    neuron: median(alignments),
    neuronMin: Math.min(...alignments),
    mean: median(meanAlignments(votes, instance.model, sig)),
    gradient: median(finite(rowCosines(gradients, geo.s))),
    gradientClass: median(finite(classCosines)),
  };
}

/** {@linkcode averaging} of a one-output network (its gradients ∇N). */
function binaryAveraging(
  weights: NetworkWeights,
  at: { instance: Instance; geo: Geometry },
): Averaging {
  const gradients = inputGradients(float32(weights), at.instance.test.x);
  return averaging(neuronVotes(weights), { ...at, gradients });
}

/** The trial status, degenerate when no neuron or gradient cosine is defined. */
function measuredStatus(
  base: TrialStatusPart,
  measured: Averaging[],
): TrialStatusPart {
  return unlessDegenerate(base, {
    degenerate: measured.some((a) =>
      a.significant === 0 || !Number.isFinite(a.gradient)
    ),
    reason: "no significant neuron, or an undefined gradient cosine",
  });
}

/** The value columns of one classifier's measurements, with a prefix. */
function averagingColumns(
  prefix: string,
  a: Averaging,
): Record<string, Cell> {
  return {
    [`${prefix}significant_neurons`]: a.significant,
    [`${prefix}neuron_cosine_median`]: round(a.neuron, 5),
    [`${prefix}neuron_cosine_min`]: round(a.neuronMin, 5),
    [`${prefix}mean_alignment_median`]: round(a.mean, 5),
    [`${prefix}gradient_cosine_median`]: round(a.gradientClass, 5),
    [`${prefix}gradient_cosine_signed_sum_median`]: round(a.gradient, 5),
  };
}

/** The columns of the reference value and the gradient threshold. */
function geometryColumns(geo: Geometry): Record<string, Cell> {
  return {
    averaging_gradient_cosine: round(geo.reference, 5),
    gradient_threshold: round(geo.threshold, 5),
  };
}

/** Median cos(w_r, w_r(0)) over significant neurons. */
function initialAlignment(weights: NetworkWeights, init: ArrayLike<number>) {
  return median(initialAlignments(neuronVotes(weights), init, {
    significance: c6Constants.significance,
  }));
}

/** A main trial: the gradient-flow network and the twin N̂ on the same instance. */
function mainTrial(seed: number, config: ClaimConfig): TrialResult {
  const instance = drawInstance(seed, instanceParams(config.params));
  const geo = geometry(instance);
  const flow = trainInstance(instance);
  const gf = binaryAveraging(flow.weights, { instance, geo });
  const twinNet = sampleClusterNetwork(instance.train, instance.model);
  const tw = binaryAveraging(twinNet, { instance, geo });
  const base = measuredStatus(flowStatus(flow), [gf, tw]);
  const ok = base.status === "ok";
  return {
    ...base,
    checks: selectChecks(config, {
      [prediction.features.name]: ok && gf.neuron >= neuronAlignment,
      [prediction.gradient.name]: ok && gf.gradient >= geo.threshold,
      [twin.features.name]: ok && tw.neuron >= neuronAlignment,
      [twin.gradient.name]: ok && tw.gradient >= geo.threshold,
    }),
    values: {
      ...flowColumns(instance, flow),
      ...geometryColumns(geo),
      ...averagingColumns("", gf),
      initial_alignment_median: round(
        initialAlignment(flow.weights, instance.init.w),
        5,
      ),
      ...averagingColumns("twin_", tw),
    },
  };
}

/** Medians of a bracket list in units of √d and √(d/k), with a prefix. */
function bracketColumns(
  prefix: string,
  radii: { certified: number[]; attack: number[]; d: number; k: number },
): Record<string, Cell> {
  const { certified, attack, d, k } = radii;
  const rootD = Math.sqrt(d), rootDk = Math.sqrt(d / k);
  const c = median(certified), a = median(attack);
  return {
    [`${prefix}certified_sqrt_d`]: round(c / rootD, 5),
    [`${prefix}attack_sqrt_d`]: round(a / rootD, 5),
    [`${prefix}certified_sqrt_d_over_k`]: round(c / rootDk, 5),
    [`${prefix}attack_sqrt_d_over_k`]: round(a / rootDk, 5),
  };
}

/**
 * A one-label-per-cluster trial: gradient flow and the multiclass network
 * trained on the same inputs, their alignments and robust-radius brackets.
 */
function oneLabelTrial(seed: number, config: ClaimConfig): TrialResult {
  const params = instanceParams(config.params);
  const instance = drawInstance(seed, params);
  const { d, k } = params;
  const { model, train, test } = instance;
  const labels = model.clusterLabels;
  const geo = geometry(instance);
  const flow = trainInstance(instance);
  const points = pickPoints(
    test,
    attackSubset(instance.rng, {
      n: test.n,
      count: Number(config.params.bracketPoints),
    }),
  );
  const one = oneLabelPerClusterNetwork(instance, {
    points,
    pairsPerPoint: c6Constants.pairsPerPoint,
  });
  const gf = binaryAveraging(flow.weights, { instance, geo });
  const mc = averaging(multiclassVotes(one.weights, labels), {
    instance,
    geo,
    gradients: inducedGradients(one.weights, test, { labels }),
  });
  const readout = binaryAveraging(readoutNetwork(one.weights, labels), {
    instance,
    geo,
  });
  const gfBrackets = bracketRobustRadii(new AttackBatch(flow.weights, points), {
    targets: train,
    direction: geo.s,
  }).brackets;
  const gfViolations = soundnessViolations(gfBrackets).length;
  let base = alsoFinished(measuredStatus(flowStatus(flow), [gf, mc]), {
    other: flowStatus(one.flow),
    what: "one-label network",
  });
  if (gfViolations + one.violations > 0) {
    base = {
      status: "error",
      reason:
        `soundness: ${gfViolations} gradient-flow and ${one.violations} ` +
        "one-label verified flips below their point's certified radius",
    };
  }
  const ok = base.status === "ok";
  const analytic = gfBrackets.map((b) => b.analytic ?? Infinity);
  return {
    ...base,
    checks: selectChecks(config, {
      [control.oneLabel.name]: ok && mc.neuron >= neuronAlignment,
      [control.oneLabelGradient.name]: ok && mc.gradient >= geo.threshold,
    }),
    values: {
      ...flowColumns(instance, flow),
      ...geometryColumns(geo),
      ...averagingColumns("", gf),
      ...averagingColumns("one_label_", mc),
      one_label_flow_status: one.flow.status,
      one_label_steps: one.flow.steps,
      one_label_separated_step: one.flow.separatedAtStep,
      one_label_log10_time: round(one.flow.log10Time, 4),
      one_label_normalized_margin: round(one.flow.normalizedMargin, 6),
      one_label_conserved_drift: round(one.flow.conservedDrift, 6),
      one_label_products: one.flow.products,
      one_label_inactive_training_points: inactivePoints(one.weights, train.x),
      readout_neuron_cosine_median: round(readout.neuron, 5),
      readout_gradient_cosine_signed_sum_median: round(readout.gradient, 5),
      bracket_points: points.y.length,
      ...bracketColumns("gf_", {
        certified: gfBrackets.map((b) => b.certified),
        attack: gfBrackets.map((b) => b.attack),
        d,
        k,
      }),
      gf_analytic_sqrt_d_over_k: round(median(analytic) / Math.sqrt(d / k), 5),
      ...bracketColumns("one_label_", {
        certified: one.brackets.map((b) => b.certified),
        attack: one.brackets.map((b) => b.attack),
        d,
        k,
      }),
      one_label_unverified: one.unverified,
      soundness_violations: gfViolations + one.violations,
    },
  };
}

/**
 * A large-initialization trial: the flow from α = 10 measured at the stop
 * time t* of the small-initialization flow on the same instance.
 */
function largeInitTrial(seed: number, config: ClaimConfig): TrialResult {
  const params = instanceParams(config.params);
  const instance = drawInstance(seed, params);
  // The same draws with the small initialization (the init is scaled by α).
  const reference = trainInstance(
    drawInstance(seed, { ...params, initScale: defaultInstance.initScale }),
  );
  const geo = geometry(instance);
  const tStar = reference.log10Time;
  let atStar: { weights: FlowWeights; log10Time: number } | null = null;
  const flow = trainInstance(instance, {
    ...c6LargeInitFlowOptions,
    checkpointLog10Times: [tStar],
    onCheckpoint: (point) => {
      if (atStar === null && point.log10TimesReached.length > 0) {
        atStar = { weights: point.weights(), log10Time: point.log10Time };
      }
    },
  });
  const measuredAt: { weights: FlowWeights; log10Time: number } = atStar ??
    { weights: flow.weights, log10Time: flow.log10Time };
  const lazy = binaryAveraging(measuredAt.weights, { instance, geo });
  const end = binaryAveraging(flow.weights, { instance, geo });
  const base = alsoFinished(measuredStatus(flowStatus(flow), [lazy]), {
    other: flowStatus(reference),
    what: "small-initialization reference",
  });
  const ok = base.status === "ok";
  const init = instance.init.w;
  return {
    ...base,
    checks: selectChecks(config, {
      [control.largeInit.name]: ok && lazy.neuron >= neuronAlignment,
      [control.largeInitGradient.name]: ok && lazy.gradient >= geo.threshold,
    }),
    values: {
      ...flowColumns(instance, flow),
      ...geometryColumns(geo),
      reference_log10_time: round(tStar, 5),
      checkpoint_log10_time: round(measuredAt.log10Time, 5),
      ...averagingColumns("", lazy),
      initial_alignment_median: round(
        initialAlignment(measuredAt.weights, init),
        5,
      ),
      end_log10_time: round(flow.log10Time, 5),
      end_neuron_cosine_median: round(end.neuron, 5),
      end_gradient_cosine_signed_sum_median: round(end.gradient, 5),
      end_initial_alignment_median: round(
        initialAlignment(flow.weights, init),
        5,
      ),
    },
  };
}

/** A correlated-means trial: the gradient-flow network's measurements. */
function correlatedTrial(seed: number, config: ClaimConfig): TrialResult {
  const instance = drawInstance(seed, instanceParams(config.params));
  const geo = geometry(instance);
  const flow = trainInstance(instance);
  const gf = binaryAveraging(flow.weights, { instance, geo });
  const base = measuredStatus(flowStatus(flow), [gf]);
  const sums = geo.sums;
  return {
    ...base,
    checks: selectChecks(config, {
      [control.correlated.name]: base.status === "ok" &&
        gf.neuron >= neuronAlignment,
    }),
    values: {
      ...flowColumns(instance, flow),
      ...geometryColumns(geo),
      class_sums_cosine: round(cosine(sums.plus, sums.minus), 5),
      ...averagingColumns("", gf),
    },
  };
}

/** The trial of each variant. */
const TRIALS: Record<
  Variant,
  (seed: number, config: ClaimConfig) => TrialResult
> = {
  "main": mainTrial,
  "one-label": oneLabelTrial,
  "large-init": largeInitTrial,
  "correlated": correlatedTrial,
};

/** One C6 trial (the configuration's `variant` says which). */
export function c6Trial(seed: number, config: ClaimConfig): TrialResult {
  const variant = config.params.variant;
  if (typeof variant !== "string" || !(variant in TRIALS)) {
    throw new RangeError(`C6: unknown variant ${String(variant)}`);
  }
  return TRIALS[variant as Variant](seed, config);
}

/** The C6 claim. */
export const c6: ClaimSpec = {
  id: "C6",
  title: "Mechanism: feature averaging (small initialization)",
  statement:
    "From a small initialization, gradient flow averages the cluster features: each significant neuron aligns with " +
    "the sum of its class's means (u+ or u-), so the input gradient at a point of class y points along y·u_y, whose " +
    "cosine with Σ_j y_j μ_j is 1/√2 for balanced orthogonal means: that is why C4's direction flips the sign. The " +
    "alignment is a small-initialization result: proved for small-initialization dynamics (Li, Pan, Lyu & Li 2025), " +
    "not shown to follow from the KKT theorem alone. Training with one label per cluster breaks it for a known reason " +
    "(neurons on single means, robustness at the √d scale).",
  source:
    "[L/R] small-initialization result (Li, Pan, Lyu & Li, ICLR 2025): proved for small-initialization dynamics, not from the KKT theorem alone",
  hypotheses: [
    "orthogonal or nearly orthogonal means (ρ ≪ d)",
    "small initialization (the alignment is proved for the small-initialization dynamics, not from the KKT conditions alone)",
    "binary labels shared by several clusters",
  ],
  constants: { ...c6Constants },
  constantReasons: c6ConstantReasons,
  configs: c6Configs,
  maps: c6Maps(),
  validate(config) {
    const { variant, bracketPoints } = config.params;
    if (typeof variant !== "string" || !(variant in TRIALS)) {
      throw new RangeError(`C6: unknown variant ${String(variant)}`);
    }
    if (
      variant === "one-label" &&
      !(Number.isInteger(bracketPoints) && Number(bracketPoints) >= 1)
    ) {
      throw new RangeError(
        `bracketPoints must be a positive integer, got ${bracketPoints}`,
      );
    }
    instanceParams(config.params);
  },
  runTrial: syncTrial(c6Trial),
  assess: (records) => [
    soundnessAssessment(records, { columns: ["soundness_violations"] }),
  ],
  predictions: [
    {
      name: "neuron_alignment",
      measured: {
        kind: "median",
        column: "neuron_cosine_median",
        check: "features_averaged",
      },
      predicted: 1,
      law: "feature averaging: every significant neuron along its class sum u±",
      source: "[L/R]",
      note:
        "exact averaging gives cosine 1; a neuron on one mean of its class would give √(2/k)",
    },
    {
      name: "gradient_along_signed_sum",
      measured: {
        kind: "median",
        column: "gradient_cosine_signed_sum_median",
        check: "gradient_along_signed_sum",
      },
      predicted: Math.SQRT1_2,
      law:
        "an averaging network's input gradient y·u_y has cosine 1/√2 with Σ_j y_j μ_j",
      source: "[R]",
      note:
        "1/√2 holds for balanced orthogonal means; Gaussian means are pooled in",
    },
  ],
  highlights: [
    "neuron_cosine_median",
    "gradient_cosine_signed_sum_median",
    "gradient_threshold",
    "mean_alignment_median",
    "initial_alignment_median",
    "twin_neuron_cosine_median",
    "twin_gradient_cosine_signed_sum_median",
    "one_label_neuron_cosine_median",
    "one_label_mean_alignment_median",
    "one_label_gradient_cosine_signed_sum_median",
    "readout_neuron_cosine_median",
    "readout_gradient_cosine_signed_sum_median",
    "gf_certified_sqrt_d",
    "gf_attack_sqrt_d",
    "one_label_certified_sqrt_d",
    "one_label_attack_sqrt_d",
    "gf_attack_sqrt_d_over_k",
    "one_label_attack_sqrt_d_over_k",
    "end_neuron_cosine_median",
    "end_gradient_cosine_signed_sum_median",
    "end_initial_alignment_median",
    "class_sums_cosine",
    "rho",
  ],
  budget: { blasSeconds: 40, wasmSeconds: 120 },
};
