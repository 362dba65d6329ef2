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
 * const sample = sampleClusters(rng, { model, n: 10 });
 * assert.equal(sample.x.length, 10 * 100);
 * // f(t) = relu(1 - t) - 0.5·relu(t): the sign flips at t = 2/3.
 * const line = { offsets: [1, 0], slopes: [-1, 1], outputWeights: [1, -0.5] };
 * assert.equal(flipRadius(line, 1), 2 / 3);
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
  type FlipRadiusOptions,
  type LineAttack,
  type ReluLine,
} from "./src/measure/flip_radius.ts";
export { networkOutput } from "./src/model/forward.ts";
export {
  certifiedRadius,
  certifiedRadiusAt,
  type IntervalBound,
} from "./src/measure/certified_radius.ts";
export { robustNetwork } from "./src/measure/constructions.ts";
export {
  gramMatrix,
  type KktOptions,
  type KktReport,
  kktResidual,
} from "./src/measure/kkt.ts";
export * from "./src/stats/mod.ts";
export {
  backendAvailable,
  type BackendChoice,
  type BackendName,
  describeBackend,
  initBackend,
} from "./src/backend/backends.ts";
export { claimById, claims, initWorker } from "./src/claims/registry.ts";
export type { Format, RunOutcome } from "./src/report/write.ts";
export type { Progress } from "./src/runner/run.ts";
export {
  type MergeOptions,
  mergeShards,
  runClaims,
  type RunOptions,
} from "./src/report/pipeline.ts";
export type { Shard } from "./src/runner/shard.ts";
export type { ClaimAssessment } from "./src/report/verdict.ts";
export { RunConflictError, RunOptionError } from "./src/runner/errors.ts";
export {
  type ParamOverrides,
  withParamOverrides,
} from "./src/claims/overrides.ts";
export {
  compareWithBaseline,
  type RegressionReport,
  type RegressionRow,
} from "./src/report/regress.ts";
