/**
 * C2's design, fixed before any run: the named constants with their
 * reasons, the rate sweep's grid of d/k and k, the prediction and its twin
 * (the one-cluster memorizer N_c) as checks on the exact test error, the
 * configurations of each profile (the two main ones and the sweep) and the
 * regime maps. The claim is in `c2_generalization.ts`.
 *
 * @example
 * ```ts
 * import { c2Configs, isRateConfig } from "./c2_configs.ts";
 * import assert from "node:assert/strict";
 * const [main, gaussian, ...sweep] = c2Configs("ci");
 * assert.ok(!isRateConfig(main.key) && !isRateConfig(gaussian.key));
 * assert.ok(sweep.every((c) => isRateConfig(c.key)));
 * ```
 *
 * @module
 */

import {
  GENERALIZATION_CRITERION,
  MIN_TRIALS,
  nearTwinRatio,
  sharedCriteria,
} from "./criteria.ts";
import { correlationGrid, mapConstants, samplesGrid } from "./map_grids.ts";
import { sizeKey } from "./kit.ts";
import type { CheckSpec, ClaimConfig, Profile, RegimeMap } from "./types.ts";

/** Named constants of C2. */
export const c2Constants = {
  /** c of the per-trial threshold exp(-c·d/k) (shared with C3 and N1). */
  rateExponent: sharedCriteria.generalizationExponent,
  /** Importance samples per cluster of the exact test error. */
  samplesPerCluster: sharedCriteria.errorSamplesPerCluster,
  /** n/k of the sweep and the main configurations. */
  pointsPerCluster: 12,
  /** Width m of every configuration. */
  width: 100,
  /** A law wins when its AIC is lower than every other's by at least this. */
  aicMargin: 10,
  /** Sweep cells with d/k at most this also get the large plain test set. */
  validationMaxRatio: 8,
  /** Points of that plain test set. */
  validationTestPoints: 10000,
  /** The exact and the plain errors agree when |z| is at most this. */
  validationZ: 3,
  /** Target pass rate of the predictions. */
  target: 0.8,
};

/** Why each constant of C2 has its value (fixed before looking at data). */
export const c2ConstantReasons: Record<keyof typeof c2Constants, string> = {
  rateExponent:
    "half the averaging network's exponent 1/2: exponentially small in d/k, with room for the flow's constant (shared criterion)",
  samplesPerCluster:
    "relative standard error of a few percent over k clusters at any rarity (shared criterion)",
  pointsPerCluster:
    "n ≥ 3k·ln k for every k of the sweep (3 ln 40 = 11.1), so every cluster is seen (P(miss) ≤ k·e^(-12)), and held fixed because the exponent depends on k/n",
  width:
    "m(d+2) ≥ 35n at the smallest d: overparameterized everywhere, and fixed across the sweep",
  aicMargin:
    "Burnham & Anderson: ΔAIC > 10 leaves the losing model essentially no support",
  validationMaxRatio:
    "below d/k = 8 the error exceeds 1e-3, so 10 000 plain test points see tens of errors",
  validationTestPoints:
    "tens to hundreds of plain errors per trial where errors are common",
  validationZ:
    "the exact and the plain estimates are independent: beyond 3 standard deviations (p ≈ 0.003) one is biased",
  target: "the suite's default: the prediction holds on at least 80% of trials",
};

/** d/k values of the rate sweep, from common errors to the bound's break. */
export const c2SweepRatios: readonly number[] = [4, 8, 16, 32, 64];

/** k values of the rate sweep at a profile (n = 12k, so k bounds the cost). */
export function c2SweepClusters(profile: Profile): readonly number[] {
  return profile === "ci" ? [8, 16, 32] : [10, 20, 40];
}

const { target } = c2Constants;

/** A check on the exact test error of a network column against the threshold. */
function errorCheck(
  spec: Pick<CheckSpec, "name" | "description" | "role" | "twinOf">,
  measured: string,
): CheckSpec {
  return {
    ...spec,
    target,
    expect: spec.role === "prediction" ? "holds" : "fails",
    margin: { measured, threshold: "threshold", direction: "below" },
  };
}

/** The prediction and its twin, by means kind (names suffixed for Gaussian means). */
function mainChecks(suffix: string, label: string): CheckSpec[] {
  const name = `test_error_small${suffix}`;
  return [
    errorCheck({
      name,
      description:
        `gradient flow${label}: ${GENERALIZATION_CRITERION} (the unseen-cluster and correlated-means controls of this check are N1's)`,
      role: "prediction",
    }, "test_error_high"),
    errorCheck({
      name: `twin_one_cluster_memorized${suffix}`,
      description:
        `twin${label}: N_c, an interpolator of the same width that memorizes one cluster's points instead of learning it (error ≈ 1/k), through the same check (must fail)`,
      role: "twin",
      twinOf: name,
    }, "twin_error_high"),
  ];
}

/** The sizes of a main configuration. */
function mainSizes(profile: Profile) {
  const k = profile === "ci" ? 16 : 40;
  const { pointsPerCluster, width } = c2Constants;
  return { d: nearTwinRatio(k) * k, k, n: pointsPerCluster * k, m: width };
}

/** Configurations of C2 at a profile. */
export function c2Configs(profile: Profile): ClaimConfig[] {
  const main = mainSizes(profile);
  const mainTrials = profile === "ci" ? MIN_TRIALS : 50;
  const { pointsPerCluster, width, validationMaxRatio, validationTestPoints } =
    c2Constants;
  const sweep = c2SweepClusters(profile).flatMap((k) =>
    c2SweepRatios.map((ratio): ClaimConfig => {
      const sizes = { d: ratio * k, k, n: pointsPerCluster * k, m: width };
      return {
        key: `rate:${sizeKey(sizes)}`,
        params: {
          ...sizes,
          nTest: ratio <= validationMaxRatio ? validationTestPoints : 200,
          means: "orthogonal",
        },
        checks: [mainChecks("", "")[0]],
        trials: profile === "ci" ? 2 : 6,
      };
    })
  );
  return [
    {
      key: sizeKey(main),
      params: { ...main, nTest: 1000, means: "orthogonal" },
      checks: mainChecks("", ""),
      trials: mainTrials,
    },
    {
      key: `gaussian-means:${sizeKey(main)}`,
      params: { ...main, nTest: 1000, means: "gaussian" },
      checks: mainChecks("_gaussian_means", " (Gaussian means)"),
      trials: mainTrials,
    },
    ...sweep,
  ];
}

/**
 * C2's regime maps (the `map` profile): its prediction `test_error_small`
 * per cell, with the exact test error drawn, as the means correlate (× d/k)
 * and as the training set shrinks below k·ln k (× d/k), at k =
 * `mapConstants.clusters`, m = `width`, test sets of 200 points (the
 * check reads the exact error, not the test set).
 *
 * @example
 * ```ts
 * import { c2Maps } from "./c2_configs.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(c2Maps().map((m) => m.check.name), ["test_error_small", "test_error_small"]);
 * ```
 */
export function c2Maps(): RegimeMap[] {
  const k = mapConstants.clusters;
  const { pointsPerCluster, width } = c2Constants;
  const check = mainChecks("", "")[0];
  const error = {
    column: "test_error_exact",
    label: "exact test error",
    log: true,
  };
  const trials = mapConstants.trialsPerCell;
  return [
    {
      name: "C2_correlation_d_over_k",
      title: "C2: test error as the cluster means correlate",
      relaxes:
        "ρ ≪ d: the means share a direction, ⟨μ_i, μ_j⟩ = c·d for every pair",
      ...correlationGrid(k),
      params: { n: pointsPerCluster * k, m: width, nTest: 200 },
      check,
      quantities: [error],
      trials,
    },
    {
      name: "C2_samples_d_over_k",
      title: "C2: test error as the training set shrinks below k·ln k",
      relaxes:
        "every cluster seen in training: n falls from 4·k·ln k to k·ln k / 2",
      ...samplesGrid(k),
      params: { m: width, nTest: 200, means: "orthogonal" },
      check,
      quantities: [error, {
        column: "clusters_seen",
        label: "clusters seen in training",
      }],
      trials,
    },
  ];
}

/** Whether a configuration key is one of the rate sweep's. */
export function isRateConfig(key: string): boolean {
  return key.startsWith("rate:");
}
