import assert from "node:assert/strict";
import { drawInstance } from "../model/instance.ts";
import type { PreluFlowResult, PreluWeights } from "../flow/prelu_flow.ts";
import { attackedPoints } from "../measure/robustness.ts";
import { c8Constants } from "./c8_prelu_configs.ts";
import {
  certifiedPasses,
  measureColumns,
  measureNetwork,
  type NetworkMeasures,
  perClusterPasses,
  runColumns,
  unusable,
} from "./c8_prelu_measures.ts";
import { instanceParams } from "./kit.ts";

/** A small instance of C8's regime (orthogonal means, σ = 0.1). */
function smallInstance() {
  return drawInstance(
    7,
    instanceParams({
      d: 24,
      k: 4,
      n: 24,
      m: 4,
      nTest: 24,
      means: "orthogonal",
      sigma: c8Constants.sigma,
    }),
  );
}

/** The planted classifier F: one normalised pReLU neuron per cluster, w = μ_j, v = y_j. */
function planted(instance: ReturnType<typeof smallInstance>): PreluWeights {
  const { d, k, clusterMeans, clusterLabels } = instance.model;
  return {
    d,
    m: k,
    w: Float64Array.from(clusterMeans),
    v: Float64Array.from(clusterLabels),
    power: c8Constants.power,
    normalized: true,
  };
}

Deno.test("measureNetwork: the planted per-cluster classifier fits and is per-cluster", () => {
  const instance = smallInstance();
  const points = attackedPoints(instance, 8);
  const measures = measureNetwork(planted(instance), { instance, points });
  assert.equal(measures.trainErrors, 0);
  assert.equal(measures.certified.length, 8);
  assert.ok(measures.certified.every((r) => r >= 0));
  assert.ok(Math.abs(measures.cosMin - 1) < 1e-12, `${measures.cosMin}`);
  assert.equal(measures.covered, instance.model.k);
  assert.equal(perClusterPasses(measures, instance.model), true);
  assert.equal(
    perClusterPasses({ ...measures, covered: 3 }, instance.model),
    false,
  );
});

Deno.test("certifiedPasses needs a fitted training set and the quantile at c", () => {
  const measures: NetworkMeasures = {
    trainErrors: 0,
    testError: 0.01,
    certified: [0.2, 0.3, 0.4],
    certifiedQuantile: 0.3,
    cosMin: 0.95,
    cosMedian: 0.97,
    covered: 4,
  };
  assert.equal(certifiedPasses(measures, 0.3), true);
  assert.equal(certifiedPasses(measures, 0.31), false);
  assert.equal(certifiedPasses({ ...measures, trainErrors: 1 }, 0.1), false);
  assert.deepEqual(measureColumns("x_", measures), {
    x_train_errors: 0,
    x_test_error: 0.01,
    x_certified_all_q10: 0.3,
    x_certified_all_median: 0.3,
    x_cluster_cos_min: 0.95,
    x_cluster_cos_median: 0.97,
    x_clusters_covered: 4,
  });
});

Deno.test("unusable names a diverged run and one that never fitted; runColumns records the run", () => {
  const snapshot = {
    step: 10,
    log10Time: 2.5,
    log10Loss: -3,
    normalizedMargin: 0.125,
    weights: planted(smallInstance()),
  };
  const fitted: PreluFlowResult = {
    status: "converged",
    steps: 10,
    homogeneity: 2,
    separated: { ...snapshot, step: 4 },
    final: snapshot,
    conservedDrift: 1e-9,
  };
  assert.equal(unusable("net", fitted), "");
  assert.match(
    unusable("net", { ...fitted, status: "diverged" }),
    /net: NaN\/Inf at step 10/,
  );
  const unfitted = { ...fitted, separated: undefined };
  assert.match(unusable("net", unfitted), /L ≥ log\(2\)\/n after 10 steps/);
  assert.equal(unusable("net", { ...unfitted, status: "horizon" }), "");
  assert.deepEqual(runColumns("p_", fitted), {
    p_flow_status: "converged",
    p_steps: 10,
    p_separated_step: 4,
    p_log10_time: 2.5,
    p_normalized_margin: 0.125,
    p_conserved_drift: 1e-9,
  });
});
