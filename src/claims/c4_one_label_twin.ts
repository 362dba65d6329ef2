/**
 * C4's twin `twin_one_label_network`: the network trained on the same
 * inputs with one label per cluster (`../measure/multiclass.ts`), a
 * k-output network on the multiclass logistic loss from the instance's
 * small initialization, read as the induced binary classifier (the label
 * of its argmax cluster). The feature-averaging analysis (Li, Pan, Lyu &
 * Li, ICLR 2025) predicts that its neurons align with single cluster means
 * and that the induced classifier is robust at the √d scale, so C4's flip
 * check must fail on it. This module measures what C4 reads of it on the
 * attacked points:
 *
 * - the bracket certified ≤ r ≤ attack of the induced classifier's robust
 *   radius at every attacked point it classifies correctly (certificate:
 *   the minimum over opposite-label clusters l of the pair certificate of
 *   f_j − f_l; attack: the ensemble on the `pairs` pair networks with the
 *   smallest certificates, each flip placed and verified on the induced
 *   classifier in float64);
 * - ‖x‖ at those points (for the median-over-norm part of the check);
 * - the alignment of its significant neurons with single means,
 *   max_j cos(w_r, μ_j), and with the class sum they vote for, as C6
 *   measures them (`../measure/alignment.ts`).
 *
 * @module
 */

import type { LabelledPoints } from "../model/data.ts";
import type { Instance } from "../model/instance.ts";
import {
  classMeanSums,
  meanAlignments,
  neuronClassAlignments,
  neuronVotes,
} from "../measure/alignment.ts";
import {
  inactivePoints,
  inducedDecision,
  multiclassVotes,
} from "../measure/multiclass.ts";
import { oneLabelPerClusterNetwork } from "../measure/one_label_network.ts";
import { multiclassOutputs } from "../flow/multiclass.ts";
import type { MulticlassFlowResult } from "../flow/multiclass.ts";
import type { NetworkWeights } from "../model/weights.ts";
import { atLeastQuantile, atMostQuantile } from "../measure/robustness.ts";
import { median } from "../stats/mod.ts";
import { sharedCriteria } from "./criteria.ts";
import { flowStatus, round, type TrialStatusPart } from "./kit.ts";
import type { Cell } from "./types.ts";

/** What C4 reads of the one-label-per-cluster network on the attacked points. */
export interface OneLabelTwin {
  /** The multiclass flow's record. */
  flow: MulticlassFlowResult;
  /** Certified radius per correctly classified attacked point. */
  certified: number[];
  /** Best verified induced flip per correctly classified attacked point (`Infinity`: none). */
  attack: number[];
  /** ‖x‖ per correctly classified attacked point. */
  norms: number[];
  /** Median over significant neurons of max_j cos(w_r, μ_j). */
  meanAlignment: number;
  /** Median over significant neurons of cos(w_r, u_{c_r}), c_r the label it votes for. */
  classAlignment: number;
  /** Significant neurons. */
  significant: number;
  /** Training points at which no neuron of the trained network is active. */
  inactiveTraining: number;
  /** Induced flips that failed float64 verification. */
  unverified: number;
  /** Attack radii below their certificates (a bug if any). */
  violations: number;
}

/**
 * Train the one-label-per-cluster network on `instance` (its output
 * weights drawn from `instance.rng`, after every draw the caller made) and
 * measure it on `points` (see the module doc).
 *
 * @example
 * ```ts
 * import { oneLabelTwin } from "./c4_one_label_twin.ts";
 * import { defaultInstance, drawInstance } from "../model/instance.ts";
 * import { initBackend } from "../backend/backends.ts";
 * import assert from "node:assert/strict";
 * await initBackend("cpu");
 * const params = { ...defaultInstance, d: 60, k: 2, n: 12, m: 8, nTest: 6 };
 * const instance = drawInstance(5, params);
 * const twin = oneLabelTwin(instance, { points: instance.test, pairs: 1 });
 * assert.equal(twin.certified.length, twin.attack.length);
 * assert.equal(twin.violations, 0);
 * assert.ok(twin.certified.every((c, i) => c <= twin.attack[i]));
 * ```
 */
export function oneLabelTwin(
  instance: Instance,
  options: { points: LabelledPoints; pairs: number },
): OneLabelTwin {
  const { points, pairs } = options;
  const { model } = instance;
  const labels = model.clusterLabels;
  const one = oneLabelPerClusterNetwork(instance, {
    points,
    pairsPerPoint: pairs,
  });
  const { d } = one.weights;
  const outputs = multiclassOutputs(one.weights, points.x);
  const k = one.weights.k;
  const twin: OneLabelTwin = {
    flow: one.flow,
    certified: [],
    attack: [],
    norms: [],
    meanAlignment: NaN,
    classAlignment: NaN,
    significant: 0,
    inactiveTraining: inactivePoints(one.weights, instance.train.x),
    unverified: one.unverified,
    violations: one.violations,
  };
  one.brackets.forEach((bracket, i) => {
    const decision = inducedDecision(outputs.subarray(i * k, (i + 1) * k), {
      labels,
      label: points.y[i],
    });
    if (!(decision.margin > 0)) return;
    twin.certified.push(bracket.certified);
    twin.attack.push(bracket.attack);
    let norm2 = 0;
    for (let t = 0; t < d; t++) norm2 += points.x[i * d + t] ** 2;
    twin.norms.push(Math.sqrt(norm2));
  });
  const votes = multiclassVotes(one.weights, labels);
  const sig = { significance: sharedCriteria.significance };
  const single = meanAlignments(votes, model, sig);
  twin.significant = single.length;
  twin.meanAlignment = median(single);
  twin.classAlignment = median(
    neuronClassAlignments(votes, classMeanSums(model), sig),
  );
  return twin;
}

/**
 * Whether the twin's flow ran to its end: as the binary flow's
 * (`flowStatus`), except that a flow stopped at a stationary point
 * (`stuck`) counts as finished even before L < log(2)/n. The multiclass
 * flow stops there when training points lose every active neuron during
 * training (column `one_label_inactive_training_points`; at C4's sizes
 * about half the instances, one to three points, none at the
 * initialization, the same with half the step size): no gradient reaches
 * them any more, the rest of the loss underflows, and gradient flow from
 * this initialization never fits them. The network it stops at is what
 * gradient flow trains on these inputs; budget runs and divergence void
 * the trial.
 *
 * @example
 * ```ts
 * import { twinStatus } from "./c4_one_label_twin.ts";
 * import assert from "node:assert/strict";
 * const stuck = { status: "stuck" as const, steps: 800, separatedAtStep: -1 };
 * assert.equal(twinStatus(stuck).status, "ok");
 * const budget = { status: "not-separated" as const, steps: 800, separatedAtStep: -1 };
 * assert.equal(twinStatus(budget).status, "not-converged");
 * ```
 */
export function twinStatus(
  flow: Pick<MulticlassFlowResult, "status" | "steps" | "separatedAtStep">,
): TrialStatusPart {
  return flow.status === "stuck"
    ? { status: "ok", reason: "" }
    : flowStatus(flow);
}

/**
 * Median over significant neurons of max_j cos(w_r, μ_j) for a one-output
 * network (the gradient-flow network's value beside the twin's).
 */
export function singleMeanAlignment(
  weights: NetworkWeights,
  instance: Pick<Instance, "model">,
): number {
  return median(
    meanAlignments(neuronVotes(weights), instance.model, {
      significance: sharedCriteria.significance,
    }),
  );
}

/**
 * The twin's per-trial columns (prefix `one_label_`): radii in units of
 * √(d/k) (`scale`) as C4's other networks, the medians also in units of
 * √d, the share of points certified beyond the threshold T (the part of
 * the failure that is proved, not only unattacked), the alignments and
 * the flow's record.
 *
 * @example
 * ```ts
 * import { oneLabelColumns } from "./c4_one_label_twin.ts";
 * import assert from "node:assert/strict";
 * const twin = {
 *   flow: { status: "converged", steps: 10 } as never,
 *   certified: [1, 4], attack: [2, 8], norms: [10, 10],
 *   meanAlignment: 0.9, classAlignment: 0.3, significant: 5, inactiveTraining: 0,
 *   unverified: 0, violations: 0,
 * };
 * const c = oneLabelColumns(twin, { d: 16, scale: 2, share: 0.9, threshold: 1 });
 * assert.equal(c.one_label_attack_q90, 4);
 * assert.equal(c.one_label_frac_certified_threshold, 0.5);
 * assert.equal(c.one_label_attack_median_over_sqrt_d, 1.25);
 * ```
 */
export function oneLabelColumns(
  twin: OneLabelTwin,
  at: { d: number; scale: number; share: number; threshold: number },
): Record<string, Cell> {
  const { d, scale, share, threshold } = at;
  const pct = Math.round(share * 100);
  const unit = (values: number[]) => values.map((v) => v / scale);
  const attack = unit(twin.attack), certified = unit(twin.certified);
  const rootD = Math.sqrt(d);
  const overNorm = twin.attack.map((r, i) => r / twin.norms[i]);
  const columns: Record<string, number> = {
    points: twin.attack.length,
    attack_median: median(attack),
    attack_q10: atMostQuantile(attack, 0.1),
    [`attack_q${pct}`]: atMostQuantile(attack, share),
    certified_median: median(certified),
    [`certified_q${100 - pct}`]: atLeastQuantile(certified, share),
    attack_median_over_sqrt_d: median(twin.attack) / rootD,
    certified_median_over_sqrt_d: median(twin.certified) / rootD,
    frac_certified_threshold: certified.filter((c) => c >= threshold).length /
      certified.length,
    median_radius_over_norm: atMostQuantile(overNorm, 0.5),
    mean_alignment_median: twin.meanAlignment,
    neuron_cosine_median: twin.classAlignment,
    significant_neurons: twin.significant,
    inactive_training_points: twin.inactiveTraining,
    steps: twin.flow.steps,
    normalized_margin: twin.flow.normalizedMargin,
    unverified: twin.unverified,
    soundness_violations: twin.violations,
  };
  return {
    ...Object.fromEntries(
      Object.entries(columns).map((
        [name, value],
      ) => [`one_label_${name}`, round(value, 5)]),
    ),
    one_label_flow_status: twin.flow.status,
  };
}
