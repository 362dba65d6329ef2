/**
 * One C2 trial: draw an instance, train it by gradient flow, and measure
 * the exact test error of the trained network (importance sampling in its
 * noise space, `measure/exact_error.ts`) against the per-trial threshold
 * exp(-c·d/k); with the twin's check, the same for the one-cluster
 * memorizer N_c; on the rate sweep, also for the robust network N*.
 *
 * @module
 */

import { drawInstance } from "../model/instance.ts";
import { trainInstance } from "../flow/train.ts";
import { classificationError } from "../measure/classification.ts";
import {
  oneClusterMemorizer,
  robustNetwork,
} from "../measure/constructions.ts";
import { exactTestError } from "../measure/exact_error.ts";
import { c2Constants, isRateConfig } from "./c2_configs.ts";
import { generalizationThreshold } from "./criteria.ts";
import {
  flowColumns,
  flowStatus,
  instanceParams,
  round,
  selectChecks,
} from "./kit.ts";
import type { ClaimConfig, TrialResult } from "./types.ts";

/** One C2 trial: draw, train, measure the exact test errors. */
export function c2Trial(seed: number, config: ClaimConfig): TrialResult {
  const params = instanceParams(config.params);
  const instance = drawInstance(seed, params);
  const { model, train, test, rng } = instance;
  const flow = trainInstance(instance);
  const base = flowStatus(flow);
  const ok = base.status === "ok";
  const sampling = { rng, samplesPerCluster: c2Constants.samplesPerCluster };
  const threshold = generalizationThreshold(params);
  const bound = 2 * Math.exp(-params.d / (2 * params.k));
  const gf = exactTestError(flow.weights, model, sampling);
  const uses = (prefix: string) =>
    config.checks.some((c) => c.name.startsWith(prefix));
  const values: TrialResult["values"] = {
    ...flowColumns(instance, flow),
    d: params.d,
    k: params.k,
    d_over_k: round(params.d / params.k, 6),
    test_points: params.nTest,
    train_error: round(classificationError(flow.weights, train), 6),
    test_error: round(classificationError(flow.weights, test), 6),
    test_error_exact: round(gf.error, 5),
    test_error_se: round(gf.standardError, 3),
    test_error_low: round(gf.low, 5),
    test_error_high: round(gf.high, 5),
    is_failures: gf.failures,
    is_zero_clusters: gf.zeroClusters,
    threshold: round(threshold, 6),
    bound_2exp: round(bound, 6),
    exact_over_bound: round(gf.error / bound, 4),
  };
  const outcomes: Record<string, boolean> = {
    test_error_small: ok && gf.high <= threshold,
    test_error_small_gaussian_means: ok && gf.high <= threshold,
  };
  if (uses("twin_one_cluster_memorized")) {
    const twin = oneClusterMemorizer(model, train, { width: params.m });
    const t = exactTestError(twin, model, sampling);
    Object.assign(values, {
      twin_width: twin.m,
      twin_train_error: round(classificationError(twin, train), 6),
      twin_error_exact: round(t.error, 5),
      twin_error_high: round(t.high, 5),
      twin_over_threshold: round(t.high / threshold, 4),
    });
    outcomes.twin_one_cluster_memorized = ok && t.high <= threshold;
    outcomes.twin_one_cluster_memorized_gaussian_means = outcomes
      .twin_one_cluster_memorized;
  }
  if (isRateConfig(config.key)) {
    const robust = exactTestError(robustNetwork(model), model, sampling);
    Object.assign(values, {
      robust_error_exact: round(robust.error, 5),
      robust_error_high: round(robust.high, 5),
    });
  }
  return { ...base, checks: selectChecks(config, outcomes), values };
}
