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
 * The public API, one block per layer in the order data flows (see
 * docs/ARCHITECTURE.md): each layer's `mod.ts` facade is re-exported whole.
 *
 * @module
 */

// model: seeded generator, cluster data, the network and its weight type
export * from "./src/model/mod.ts";
// backend: tensor backends as one data list, OpenBLAS
export * from "./src/backend/mod.ts";
// flow: gradient flow: engines and the driver
export * from "./src/flow/mod.ts";
// measure: flip radius, certified radius, KKT residual, flips, alignments, N* and N_bad
export * from "./src/measure/mod.ts";
// stats: intervals, tests, fits
export * from "./src/stats/mod.ts";
// plot: SVG figures
export * from "./src/plot/mod.ts";
// claims: the claim kit, the claims and their registry
export * from "./src/claims/mod.ts";
// runner: planning, workers, shards, resume, trial files
export * from "./src/runner/mod.ts";
// report: verdicts, summaries, figures, the run pipeline, regression
export * from "./src/report/mod.ts";
