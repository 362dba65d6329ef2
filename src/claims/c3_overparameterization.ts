/**
 * Claim C3 (benign despite overparameterization): with m(d+2) ≥ 10n, and also
 * with d > n, gradient flow reaches zero training error and small test error,
 * while the explicit interpolator N_bad of the same network class has zero
 * training error and test error near 1, on the same instances. Control: the
 * same "benign" check on gradient flow when n < k (clusters unseen in
 * training) must fail — the check can fail when a hypothesis breaks.
 *
 * @module
 */

import { drawInstance, type InstanceParams } from "../model/instance.ts";
import { trainInstance } from "../flow/train.ts";
import { classificationError } from "../measure/classification.ts";
import { badInterpolator } from "../measure/constructions.ts";
import {
  flowColumns,
  flowStatus,
  instanceParams,
  round,
  selectChecks,
  sizeKey,
  syncTrial,
} from "./kit.ts";
import type { ClaimConfig, ClaimSpec, Profile, TrialResult } from "./types.ts";

/** Named constants of C3. */
export const c3Constants = {
  /** Benign: zero training error and test error at most this. */
  maxTestError: 0.01,
  /** Harmful: zero training error and test error at least this. */
  harmfulTestError: 0.9,
  /** Overparameterization required: m(d+2) ≥ this × n. */
  overparameterization: 10,
  /** Target pass rate. */
  target: 0.8,
};

/** Configurations of C3. */
export function c3Configs(profile: Profile): ClaimConfig[] {
  const sizes = profile === "ci"
    ? [{ d: 200, k: 8, n: 300, m: 200 }, { d: 800, k: 16, n: 100, m: 50 }]
    : [{ d: 400, k: 16, n: 600, m: 100 }, { d: 2000, k: 40, n: 200, m: 200 }];
  const unseen = profile === "ci"
    ? { d: 1500, k: 50, n: 25, m: 100 }
    : { d: 3000, k: 100, n: 50, m: 200 };
  const { maxTestError, harmfulTestError, target } = c3Constants;
  const benign = {
    name: "gradient_flow_benign",
    description:
      `gradient flow: zero training error and test error ≤ ${maxTestError}`,
    target,
  };
  const params = (p: { d: number; k: number; n: number; m: number }) => ({
    ...p,
    nTest: 1000,
    means: "orthogonal",
    overparam_ratio: (p.m * (p.d + 2)) / p.n,
  });
  return [
    ...sizes.map((p): ClaimConfig => ({
      key: `${p.d > p.n ? "d>n" : "d<n"}:${sizeKey(p)}`,
      params: params(p),
      trials: profile === "ci" ? 20 : 50,
      checks: [
        { ...benign, expect: "holds" },
        {
          name: "bad_interpolator_harmful",
          description:
            `N_bad: zero training error and test error ≥ ${harmfulTestError}`,
          target,
          expect: "holds",
        },
      ],
    })),
    {
      key: `unseen-clusters:${sizeKey(unseen)}`,
      params: params(unseen),
      trials: profile === "ci" ? 10 : 30,
      checks: [{
        ...benign,
        name: "control_gradient_flow_unseen_clusters",
        description:
          `${benign.description}, with n < k so clusters go unseen in training (must fail)`,
        expect: "fails",
      }],
    },
  ];
}

/** Validate a C3 configuration (instance parameters and m(d+2) ≥ 10n). */
export function c3Validate(config: ClaimConfig): InstanceParams {
  const params = instanceParams(config.params);
  const { overparameterization } = c3Constants;
  if (params.m * (params.d + 2) < overparameterization * params.n) {
    throw new RangeError(
      `C3 needs m(d+2) ≥ ${overparameterization}n, got m=${params.m}, d=${params.d}, n=${params.n}`,
    );
  }
  return params;
}

/** One C3 trial. */
export function c3Trial(seed: number, config: ClaimConfig): TrialResult {
  const params = c3Validate(config);
  const instance = drawInstance(seed, params);
  const flow = trainInstance(instance);
  const base = flowStatus(flow);
  const bad = badInterpolator(instance.model, instance.train);
  const gf = {
    train: classificationError(flow.weights, instance.train),
    test: classificationError(flow.weights, instance.test),
  };
  const nb = {
    train: classificationError(bad, instance.train),
    test: classificationError(bad, instance.test),
  };
  const { maxTestError, harmfulTestError } = c3Constants;
  const benign = base.status === "ok" && gf.train === 0 &&
    gf.test <= maxTestError;
  const all: Record<string, boolean> = {
    gradient_flow_benign: benign,
    bad_interpolator_harmful: nb.train === 0 && nb.test >= harmfulTestError,
    control_gradient_flow_unseen_clusters: benign,
  };
  return {
    ...base,
    checks: selectChecks(config, all),
    values: {
      ...flowColumns(instance, flow),
      gf_train_error: round(gf.train, 6),
      gf_test_error: round(gf.test, 6),
      bad_train_error: round(nb.train, 6),
      bad_test_error: round(nb.test, 6),
    },
  };
}

/** The C3 claim. */
export const c3: ClaimSpec = {
  id: "C3",
  title: "Benign despite overparameterization",
  statement:
    "Even when the network has many more parameters than training points (m(d+2) ≥ 10n, and d > n), gradient flow " +
    "interpolates and generalizes, although the same class contains an interpolator N_bad that fits the training set " +
    "and errs on almost every fresh point: the implicit bias, not the class, explains generalization.",
  source: "[A]",
  hypotheses: ["m(d+2) ≥ 10n", "d/k ≥ 25", "orthogonal means"],
  constants: { ...c3Constants },
  validate: (config) => void c3Validate(config),
  configs: c3Configs,
  runTrial: syncTrial(c3Trial),
  highlights: [
    "gf_train_error",
    "gf_test_error",
    "bad_train_error",
    "bad_test_error",
    "steps",
  ],
};
