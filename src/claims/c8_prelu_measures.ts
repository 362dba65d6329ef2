/**
 * What C8 measures of one trained pReLU network: its training and test
 * errors, its certified radii over the attacked points (in units of √d) and
 * the alignment of its significant neurons with the cluster means; the
 * columns a trial writes of them and of the flow's record, and the two
 * per-network checks (certified at c·√d, one neuron per cluster).
 *
 * @example
 * ```ts
 * import { certifiedPasses, type NetworkMeasures } from "./c8_prelu_measures.ts";
 * import assert from "node:assert/strict";
 * const measures: NetworkMeasures = {
 *   trainErrors: 0,
 *   testError: 0,
 *   certified: [0.3, 0.4],
 *   certifiedQuantile: 0.3,
 *   cosMin: 0.95,
 *   cosMedian: 0.97,
 *   covered: 2,
 * };
 * assert.equal(certifiedPasses(measures, 0.25), true);
 * ```
 *
 * @module
 */

import type { ClusterModel, LabelledPoints } from "../model/data.ts";
import type { Instance } from "../model/instance.ts";
import {
  asPowerNetwork,
  type PreluFlowResult,
  preluOutputs,
  type PreluWeights,
} from "../flow/prelu_flow.ts";
import { clusterCoverage, neuronVotes } from "../measure/alignment.ts";
import { certifiedRadii } from "../measure/certified_radius.ts";
import { atLeastQuantile } from "../measure/robustness.ts";
import { median } from "../stats/mod.ts";
import { c8Constants } from "./c8_prelu_configs.ts";
import { round } from "./kit.ts";

/** Share of points of a labelled sample that `weights` gets wrong (y·f ≤ 0). */
function errorRate(
  weights: PreluWeights,
  sample: LabelledPoints,
): number {
  const f = preluOutputs(weights, sample.x);
  let errors = 0;
  for (let i = 0; i < f.length; i++) if (sample.y[i] * f[i] <= 0) errors++;
  return errors / f.length;
}

/** What C8 measures of one trained network. */
export interface NetworkMeasures {
  /** Training points the network gets wrong (y·f ≤ 0). */
  trainErrors: number;
  /** Share of the test set it gets wrong. */
  testError: number;
  /** Certified radius / √d at every attacked point (0 where misclassified). */
  certified: number[];
  /** The share-quantile of `certified` (s of the points are certified beyond it). */
  certifiedQuantile: number;
  /** Smallest cosine of a significant neuron with its best cluster mean (NaN with none). */
  cosMin: number;
  /** Median of those cosines. */
  cosMedian: number;
  /** Clusters covered by an aligned significant neuron of their label. */
  covered: number;
}

/** Errors, certificates and cluster alignment of one network. */
export function measureNetwork(
  weights: PreluWeights,
  context: {
    instance: Instance;
    points: LabelledPoints<Float32Array | Float64Array>;
  },
): NetworkMeasures {
  const { instance, points } = context;
  const { d } = instance.params;
  const { significance, alignment, pointFraction } = c8Constants;
  const certified = certifiedRadii(asPowerNetwork(weights), points).map((r) =>
    r / Math.sqrt(d)
  );
  const coverage = clusterCoverage(
    neuronVotes({ ...weights, b: new Float64Array(weights.m) }),
    instance.model,
    { significance, alignment },
  );
  return {
    trainErrors: Math.round(
      errorRate(weights, instance.train) * instance.train.n,
    ),
    testError: errorRate(weights, instance.test),
    certified,
    certifiedQuantile: atLeastQuantile(certified, pointFraction),
    cosMin: coverage.cosines.length ? Math.min(...coverage.cosines) : NaN,
    cosMedian: median(coverage.cosines),
    covered: coverage.covered,
  };
}

/** The columns of one network's measures, with a prefix. */
export function measureColumns(prefix: string, m: NetworkMeasures) {
  return {
    [`${prefix}train_errors`]: m.trainErrors,
    [`${prefix}test_error`]: round(m.testError, 5),
    [`${prefix}certified_all_q10`]: round(m.certifiedQuantile, 5),
    [`${prefix}certified_all_median`]: round(median(m.certified), 5),
    [`${prefix}cluster_cos_min`]: round(m.cosMin, 5),
    [`${prefix}cluster_cos_median`]: round(m.cosMedian, 5),
    [`${prefix}clusters_covered`]: m.covered,
  };
}

/** Whether a network passes the certified check at threshold c. */
export function certifiedPasses(m: NetworkMeasures, c: number): boolean {
  return m.trainErrors === 0 && m.certifiedQuantile >= c;
}

/** Whether every significant neuron is per-cluster and every cluster covered. */
export function perClusterPasses(
  m: NetworkMeasures,
  model: ClusterModel,
): boolean {
  return m.cosMin >= c8Constants.alignment && m.covered === model.k;
}

/** The flow's record as columns, with a prefix. */
export function runColumns(prefix: string, run: PreluFlowResult) {
  return {
    [`${prefix}flow_status`]: run.status,
    [`${prefix}steps`]: run.steps,
    [`${prefix}separated_step`]: run.separated?.step ?? -1,
    [`${prefix}log10_time`]: round(run.final.log10Time, 4),
    [`${prefix}normalized_margin`]: round(run.final.normalizedMargin, 6),
    [`${prefix}conserved_drift`]: round(run.conservedDrift, 6),
  };
}

/** Why a trained run cannot be measured, or "" when it can. */
export function unusable(name: string, run: PreluFlowResult): string {
  if (run.status === "diverged") return `${name}: NaN/Inf at step ${run.steps}`;
  if (run.separated === undefined && run.status !== "horizon") {
    return `${name}: L ≥ log(2)/n after ${run.steps} steps`;
  }
  return "";
}
