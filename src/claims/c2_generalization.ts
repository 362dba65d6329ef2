/**
 * Claim C2 (generalization): the gradient-flow network's test error is
 * exponentially small in d/k. Checked on fresh instances with d/k ≥ 25 and an
 * overparameterized width (m(d+2) ≫ n); control: k so large compared with n
 * that many clusters are never seen in training, which must break it.
 *
 * The rate itself is checked on a sweep of small d/k (2.5 to 15, k = 40),
 * where the error is measurable: per trial the test error must stay below the
 * averaging network's bound 2·exp(-d/(2k)), and over the sweep ln(pooled test
 * error) must fall linearly in d/k (95% CI of the slope below 0).
 *
 * @module
 */

import { drawInstance } from "../model/instance.ts";
import { trainInstance } from "../flow/train.ts";
import { classificationError } from "../measure/classification.ts";
import { lineChart } from "../plot/mod.ts";
import { linearFit } from "../stats/mod.ts";
import { sharedCriteria } from "./criteria.ts";
import {
  flowColumns,
  flowStatus,
  instanceParams,
  MAX_UNFINISHED_ASSESSMENT_SHARE,
  okRecords,
  round,
  selectChecks,
  sizeKey,
  syncTrial,
  unfinishedShare,
} from "./kit.ts";
import type {
  Assessment,
  ClaimConfig,
  ClaimSpec,
  Profile,
  TrialRecord,
  TrialResult,
} from "./types.ts";

/** Named constants of C2. */
export const c2Constants = {
  /** A trial passes when its test error is at most this (shared with N1). */
  maxTestError: sharedCriteria.maxTestError,
  /** k of the rate sweep (d = ratio·k; n = ⌈3k ln k⌉ so every cluster is seen). */
  rateClusters: 40,
  /** Target pass rate of the main check. */
  target: 0.8,
};

const generalizes = {
  name: "test_error_small",
  description: `test error ≤ ${c2Constants.maxTestError} on the test set`,
  target: c2Constants.target,
};

/** Values of d/k of the rate sweep, small enough that the test error is measurable. */
export const c2RateRatios: readonly number[] = [2.5, 5, 7.5, 10, 15];

/** Configurations of C2 at a profile. */
export function c2Configs(profile: Profile): ClaimConfig[] {
  const main = profile === "ci"
    ? { d: 500, k: 10, n: 100, m: 100, nTest: 1000 }
    : { d: 2000, k: 20, n: 200, m: 256, nTest: 2000 };
  const unseen = profile === "ci"
    ? { d: 1500, k: 50, n: 25, m: 100, nTest: 1000 }
    : { d: 3000, k: 100, n: 50, m: 256, nTest: 2000 };
  return [
    {
      key: sizeKey(main),
      params: { ...main, means: "orthogonal" },
      checks: [{ ...generalizes, expect: "holds" }],
      trials: profile === "ci" ? 40 : 100,
    },
    {
      key: `unseen-clusters:${sizeKey(unseen)}`,
      params: { ...unseen, means: "orthogonal" },
      checks: [{
        ...generalizes,
        name: "control_unseen_clusters",
        description:
          `${generalizes.description}, with n < k so clusters go unseen (must fail)`,
        expect: "fails",
      }],
      trials: profile === "ci" ? 10 : 30,
    },
    ...c2RateRatios.map((ratio): ClaimConfig => {
      const k = c2Constants.rateClusters;
      const d = ratio * k;
      const n = Math.ceil(3 * k * Math.log(k));
      return {
        key: `rate:${sizeKey({ d, k, n, m: 100 })}`,
        params: {
          d,
          k,
          n,
          m: 100,
          nTest: profile === "ci" ? 2000 : 4000,
          means: "orthogonal",
        },
        checks: [{
          name: "test_error_below_rate_bound",
          description:
            "test error ≤ 2·exp(-d/(2k)), the averaging network's bound, at small d/k",
          target: c2Constants.target,
          expect: "holds",
        }],
        trials: profile === "ci" ? 4 : 10,
      };
    }),
  ];
}

/** Configurations of the rate sweep, by their key prefix. */
function isRateConfig(key: string): boolean {
  return key.startsWith("rate:");
}

/**
 * Pooled test error (all errors / all test points) of each d/k of the rate
 * sweep, in increasing d/k.
 */
export function pooledRateErrors(
  records: TrialRecord[],
): { ratio: number; error: number; points: number }[] {
  const pooled = new Map<number, { errors: number; points: number }>();
  for (
    const r of okRecords(records.filter((r) => isRateConfig(r.task.config)))
  ) {
    const v = r.result.values;
    const ratio = Number(v.d) / Number(v.k);
    const points = Number(v.test_points);
    const entry = pooled.get(ratio) ?? { errors: 0, points: 0 };
    entry.errors += Math.round(Number(v.test_error) * points);
    entry.points += points;
    pooled.set(ratio, entry);
  }
  return [...pooled.entries()].sort((a, b) => a[0] - b[0])
    .map(([ratio, e]) => ({
      ratio,
      error: e.errors / e.points,
      points: e.points,
    }));
}

/**
 * Claim-level check of the rate: ln(pooled test error) against d/k must
 * decrease linearly (an exponential decay): the 95% CI of the fitted slope
 * lies below 0. The detail compares the slope with the bound's -1/2.
 */
export function c2Assess(records: TrialRecord[]): Assessment[] {
  const errors = pooledRateErrors(records).filter((e) => e.error > 0);
  const check = "test_error_decays_exponentially_in_d_over_k";
  const sweep = records.filter((r) => isRateConfig(r.task.config));
  const unfinished = unfinishedShare(sweep);
  if (unfinished > MAX_UNFINISHED_ASSESSMENT_SHARE) {
    return [{
      check,
      expect: "holds",
      verdict: "inconclusive",
      detail: `${
        (100 * unfinished).toFixed(0)
      }% of the rate sweep's trials did not finish`,
    }];
  }
  if (errors.length < 3) {
    return [{
      check,
      expect: "holds",
      verdict: "inconclusive",
      detail:
        `only ${errors.length} values of d/k with a non-zero pooled test error`,
    }];
  }
  const lnError = errors.map((e) => Math.log(e.error));
  const fit = linearFit(errors.map((e) => e.ratio), lnError);
  // An exponential law is linear in d/k; a power law would be linear in ln(d/k).
  const power = linearFit(errors.map((e) => Math.log(e.ratio)), lnError);
  const decreases = fit.slopeCi.high < 0;
  const exponential = fit.rSquared > power.rSquared;
  return [{
    check,
    expect: "holds",
    verdict: decreases && exponential
      ? "holds"
      : fit.slopeCi.low >= 0 || (decreases && !exponential)
      ? "fails"
      : "inconclusive",
    detail: `ln(test error) vs d/k: slope ${fit.slope.toFixed(3)} ` +
      `[${fit.slopeCi.low.toFixed(3)}, ${fit.slopeCi.high.toFixed(3)}] ` +
      `(95% CI, ${errors.length} values of d/k, R²=${
        fit.rSquared.toFixed(3)
      }; ` +
      `a power law in d/k fits with R²=${power.rSquared.toFixed(3)}); ` +
      `holds when the slope's CI is below 0 and the exponential fits better; ` +
      `the averaging network's bound 2·exp(-d/(2k)) has slope -0.5; pooled errors ` +
      errors.map((e) => `${e.error.toPrecision(2)} at d/k=${e.ratio}`).join(
        ", ",
      ),
  }];
}

/** One C2 trial: draw, train, measure test error. */
export function c2Trial(seed: number, config: ClaimConfig): TrialResult {
  const params = instanceParams(config.params);
  const instance = drawInstance(seed, params);
  const flow = trainInstance(instance);
  const base = flowStatus(flow);
  const testError = classificationError(flow.weights, instance.test);
  const trainError = classificationError(flow.weights, instance.train);
  const small = base.status === "ok" && testError <= c2Constants.maxTestError;
  const bound = 2 * Math.exp(-params.d / (2 * params.k));
  const all: Record<string, boolean> = {
    test_error_small: small,
    control_unseen_clusters: small,
    test_error_below_rate_bound: base.status === "ok" && testError <= bound,
  };
  return {
    ...base,
    checks: selectChecks(config, all),
    values: {
      ...flowColumns(instance, flow),
      d: params.d,
      k: params.k,
      test_points: params.nTest,
      train_error: round(trainError, 6),
      test_error: round(testError, 6),
      bound_2exp: round(bound, 4),
    },
  };
}

/** The C2 claim. */
export const c2: ClaimSpec = {
  id: "C2",
  title: "Generalization",
  statement:
    "Gradient flow from a small initialization on k well-separated clusters (nearly orthogonal means of norm √d) " +
    "reaches a network whose test error is exponentially small in d/k, even when the network has far more " +
    "parameters than training points; on a sweep of small d/k the error stays below 2·exp(-d/(2k)) and decays " +
    "exponentially in d/k.",
  source: "[A, rate R]",
  hypotheses: [
    "d/k ≥ 25",
    "ρ ≪ d (orthogonal means)",
    "every cluster seen in training (n ≳ k log k)",
    "m(d+2) ≫ n",
  ],
  constants: { ...c2Constants },
  assess: (records) => c2Assess(records),
  figures: async (records) => {
    const pooled = pooledRateErrors(records).filter((e) => e.error > 0);
    return [{
      file: "C2_test_error_rate.svg",
      caption:
        "Pooled test error against d/k (rate sweep, k = 40), with the averaging network's bound 2·exp(-d/(2k))",
      svg: await lineChart({
        title: "C2: test error vs d/k",
        xLabel: "d/k",
        yLabel: "test error",
        logY: true,
        series: [
          {
            name: "gradient flow (pooled)",
            points: pooled.map((e) => ({ x: e.ratio, y: e.error })),
          },
          {
            name: "2·exp(-d/(2k))",
            points: c2RateRatios.map((r) => ({
              x: r,
              y: 2 * Math.exp(-r / 2),
            })),
          },
        ],
      }),
    }];
  },
  configs: c2Configs,
  runTrial: syncTrial(c2Trial),
  highlights: [
    "test_error",
    "train_error",
    "clusters_seen",
    "steps",
    "conserved_drift",
  ],
};
