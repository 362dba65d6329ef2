/**
 * A claim of one's own, run by the suite without forking it:
 *
 * ```sh
 * deno task claims --claims-module ./examples/my_claim.ts --out reports/mine
 * ```
 *
 * The module exports `claims` (a `ClaimSpec[]`); it may also export
 * `initWorker(backend)`, else the workers set up the run's backend with the
 * suite's own. It is built with the claims kit of the public API (`mod.ts`)
 * only: draw an instance from the trial's seed, train it by gradient flow,
 * measure, and say per check whether the trial passed.
 *
 * The claim: gradient flow from a small initialization separates two
 * well-separated clusters of opposite labels — its training error reaches
 * zero and its test error is small. The control makes the clusters overlap
 * (noise σ = 6 against a distance √(2d) = 10 between the means): the
 * network still interpolates its training set, but its test error is not
 * small, so the check must fail there.
 *
 * @module
 */

import {
  type ClaimConfig,
  type ClaimSpec,
  classificationError,
  drawInstance,
  flowColumns,
  flowStatus,
  gradientFlow,
  instanceParams,
  type Profile,
  round,
  sizeKey,
  syncTrial,
  type TrialResult,
} from "../mod.ts";

/** Named constants of the example claim. */
export const separationConstants = {
  /** Test error a separating network may have. */
  maxTestError: 0.05,
  /** Noise scale σ of the control (overlapping clusters). */
  controlSigma: 6,
  /** Target pass rate. */
  target: 0.8,
};

/** The two configurations: well-separated clusters, and the control. */
function configs(profile: Profile): ClaimConfig[] {
  const { maxTestError, controlSigma, target } = separationConstants;
  const sizes = { d: 50, k: 2, n: 20, m: 16 };
  const trials = profile === "ci" ? 30 : 100;
  const check = (name: string, expect: "holds" | "fails") => ({
    name,
    description: `training error 0 and test error ≤ ${maxTestError}` +
      (expect === "fails" ? ` with noise σ = ${controlSigma} (must fail)` : ""),
    target,
    expect,
  });
  return [
    {
      key: sizeKey(sizes),
      params: { ...sizes, nTest: 200 },
      checks: [check("separates", "holds")],
      trials,
    },
    {
      key: `overlapping:${sizeKey(sizes)}`,
      params: { ...sizes, nTest: 200, sigma: controlSigma },
      checks: [check("control_overlapping_clusters", "fails")],
      trials,
    },
  ];
}

/** One trial: draw, train, measure the training and test errors. */
function separationTrial(seed: number, config: ClaimConfig): TrialResult {
  const instance = drawInstance(seed, instanceParams(config.params));
  const { train, test, init, params } = instance;
  const flow = gradientFlow(train, init, {
    stepFraction: params.stepFraction,
    maxSteps: params.maxSteps,
  });
  const trainError = classificationError(flow.weights, train);
  const testError = classificationError(flow.weights, test);
  const separated = trainError === 0 &&
    testError <= separationConstants.maxTestError;
  return {
    ...flowStatus(flow),
    checks: Object.fromEntries(config.checks.map((c) => [c.name, separated])),
    values: {
      ...flowColumns(instance, flow),
      train_error: trainError,
      test_error: round(testError, 4),
    },
  };
}

/** The example claim. */
export const separation: ClaimSpec = {
  id: "X1",
  title: "Two clusters are separated",
  statement:
    "Gradient flow from a small initialization on two well-separated " +
    "clusters of opposite labels reaches zero training error and a small " +
    "test error.",
  source: "[R]",
  hypotheses: ["two orthogonal cluster means of norm √d, noise σ = 1"],
  constants: separationConstants,
  constantReasons: {
    maxTestError: "well above the Bayes error (≈ 0) of orthogonal clusters",
    controlSigma:
      "σ = 6 exceeds half the distance between the means (5): even the best " +
      "linear classifier errs on ≈ 20% of the points",
    target: "the suite's usual target",
  },
  configs,
  validate: (config) => void instanceParams(config.params),
  runTrial: syncTrial(separationTrial),
  highlights: ["train_error", "test_error"],
  // What the claim predicts for a quantity it measures: listed against the
  // measured value in the report's "Deviations from the paper".
  predictions: [{
    name: "training_error",
    measured: { kind: "median", column: "train_error", check: "separates" },
    predicted: 0,
    law: "gradient flow interpolates its training set",
    source: "[R]",
    note: "the median over the well-separated configuration's trials",
  }],
};

/** The claims of this module, as `deno task claims --claims-module` wants them. */
export const claims: ClaimSpec[] = [separation];
