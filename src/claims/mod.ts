/**
 * The claims layer: one module per claim of the paper (and the negative
 * regime N1; a large claim's pieces in modules sharing its prefix), the
 * registry that lists them in report order, the kit claim modules are
 * written with, the shared types of the claim-checking engine, and the
 * regime maps (`regime_map.ts`: map cells as
 * configurations; `map_grids.ts`: the suite's grids and hypothesis
 * boundaries).
 *
 * @example
 * ```ts
 * import { claimById, claims } from "./mod.ts";
 * import assert from "node:assert/strict";
 * assert.ok(claims.length > 0);
 * assert.equal(claimById(claims[0].id), claims[0]);
 * ```
 *
 * @module
 */

export * from "./types.ts";
export {
  claimById,
  claims,
  initWorker,
  withInstanceValidation,
} from "./registry.ts";
export * from "./kit.ts";
export * from "./overrides.ts";
export { predictionProblems } from "./predictions.ts";
export * from "./regime_map.ts";
export * from "./map_grids.ts";
