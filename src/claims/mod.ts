/**
 * The claims layer: one module per claim of the paper (and the negative
 * regime N1), the registry that lists them in report order, the kit claim
 * modules are written with, and the shared types of the claim-checking
 * engine.
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
