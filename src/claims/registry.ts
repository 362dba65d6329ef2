/**
 * The claim registry: every claim of the paper that the suite checks, in
 * order, each with its statement, source tag, hypotheses, named constants,
 * configurations, per-trial checks, targets and controls (see `ClaimSpec`).
 * Reports and tests read it, so each statement and constant is written once.
 *
 * Adding a claim takes one line here (its module's claim, in report order),
 * besides the claim's own module and its theorem test.
 *
 * Also the worker hook: Deno Workers running trials import this module and
 * call {@linkcode initWorker} with the run's backend before their first trial.
 *
 * @example
 * ```ts
 * import { claimById, claims } from "./registry.ts";
 * import assert from "node:assert/strict";
 * assert.equal(claimById(claims[0].id.toLowerCase()), claims[0]);
 * ```
 *
 * @module
 */

import { instanceParams } from "./kit.ts";
import type { ClaimSpec } from "./types.ts";

/** The worker hook: workers call it with the run's backend before their first trial. */
export { initWorker } from "../backend/init_worker.ts";

/**
 * All claims, in report order: the paper's C1–C7, the follow-up's C8
 * (beyond the paper), then the negative regime N1.
 */
export const claims: ClaimSpec[] = [
  (await import("./c1_implicit_bias.ts")).c1,
  (await import("./c2_generalization.ts")).c2,
  (await import("./c3_overparameterization.ts")).c3,
  (await import("./c4_non_robustness.ts")).c4,
  (await import("./c5_robust_network.ts")).c5,
  (await import("./c6_mechanism.ts")).c6,
  (await import("./c7_scaling.ts")).c7,
  (await import("./c8_prelu_robustness.ts")).c8,
  (await import("./n1_broken_hypotheses.ts")).n1,
].map(withInstanceValidation);

/**
 * Give a claim without its own `validate` the instance-parameter validation
 * (d ≥ k ≥ 2, correlated means need d ≥ k + 1, known means kind, ...).
 */
export function withInstanceValidation(claim: ClaimSpec): ClaimSpec {
  if (claim.validate !== undefined) return claim;
  return { ...claim, validate: (config) => void instanceParams(config.params) };
}

/** The claim with a given id (case-insensitive), or undefined. */
export function claimById(id: string): ClaimSpec | undefined {
  return claims.find((c) => c.id.toLowerCase() === id.toLowerCase());
}
