/**
 * implicit-bias-claims: checks, by experiment, the theorems of Frei, Vardi,
 * Bartlett & Srebro, "The Double-Edged Sword of Implicit Bias: Generalization
 * vs. Robustness in ReLU Networks" (NeurIPS 2023).
 *
 * Each claim (C1–C7, and the negative regime N1) samples many random
 * instances — cluster means, a training set, an initialization — trains a
 * two-layer ReLU network by gradient flow, checks the claim on each instance,
 * and asserts on the pass rate with a 95% confidence interval.
 *
 * @example Draw an instance and compute an exact flip radius
 * ```ts
 * import { clusterModel, flipRadius, Rng, sampleClusters } from "./mod.ts";
 * import assert from "node:assert/strict";
 *
 * const rng = new Rng(1);
 * const model = clusterModel(rng, { d: 100, k: 4 });
 * const sample = sampleClusters(rng, model, 10);
 * assert.equal(sample.x.length, 10 * 100);
 * // f(t) = relu(1 - t) - 0.5·relu(t): the sign flips at t = 2/3.
 * assert.equal(flipRadius([1, 0], [-1, 1], [1, -0.5], 1), 2 / 3);
 * ```
 *
 * @example Confidence intervals for a pass rate
 * ```ts
 * import { clopperPearsonInterval } from "./mod.ts";
 * import assert from "node:assert/strict";
 * const { low } = clopperPearsonInterval(30, 30);
 * assert.ok(low > 0.88 && low < 0.89);
 * ```
 *
 * @example The claim registry
 * ```ts
 * import { claims } from "./mod.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(claims.map((c) => c.id).slice(0, 7), ["C1", "C2", "C3", "C4", "C5", "C6", "C7"]);
 * ```
 *
 * @module
 */

export * from "./src/claims/types.ts";
export { hashString, Rng, trialSeed } from "./src/model/rng.ts";
export * from "./src/model/data.ts";
export * from "./src/model/weights.ts";
export * from "./src/model/network.ts";
export * from "./src/flow/gradient_flow.ts";
export {
  flipRadius,
  flipRadiusAlong,
  networkOutput,
} from "./src/measure/flip_radius.ts";
export {
  certifiedRadius,
  certifiedRadiusAt,
  robustNetwork,
} from "./src/measure/certified_radius.ts";
export {
  gramMatrix,
  type KktOptions,
  type KktReport,
  kktResidual,
} from "./src/measure/kkt.ts";
export * from "./src/stats/stats.ts";
export {
  backendAvailable,
  type BackendChoice,
  type BackendName,
  describeBackend,
  initBackend,
} from "./src/backend/backends.ts";
export { claimById, claims, initWorker } from "./src/claims/registry.ts";
export {
  type Format,
  type Progress,
  runClaims,
  type RunOptions,
  type RunOutcome,
} from "./src/runner/run.ts";
export type { Shard } from "./src/runner/shard.ts";
export type { ClaimAssessment } from "./src/report/summary.ts";
export { type MergeOptions, mergeShards } from "./src/runner/merge.ts";
export {
  compareWithBaseline,
  type RegressionReport,
  type RegressionRow,
} from "./src/report/regress.ts";
