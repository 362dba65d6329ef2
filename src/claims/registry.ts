/**
 * The claim registry: every claim of the paper that the suite checks, in
 * order, each with its statement, source tag, hypotheses, named constants,
 * configurations, per-trial checks, targets and controls (see `ClaimSpec`).
 * Reports and tests read it, so each statement and constant is written once.
 *
 * Also the worker hook: Deno Workers running trials import this module and
 * call {@linkcode initWorker} with the run's backend before their first trial.
 *
 * @module
 */

import { instanceParams } from "../model/instance.ts";
import type { ClaimSpec } from "./types.ts";

/** The worker hook: workers call it with the run's backend before their first trial. */
export { initWorker } from "../backend/init_worker.ts";
import { c1 } from "./c1_implicit_bias.ts";
import { c2 } from "./c2_generalization.ts";
import { c3 } from "./c3_overparameterization.ts";
import { c4 } from "./c4_non_robustness.ts";
import { c5 } from "./c5_robust_network.ts";
import { c6 } from "./c6_mechanism.ts";
import { c7 } from "./c7_scaling.ts";
import { n1 } from "./n1_broken_hypotheses.ts";

/** All claims, in the paper's order, then the negative regime N1. */
export const claims: ClaimSpec[] = [c1, c2, c3, c4, c5, c6, c7, n1].map(
  withInstanceValidation,
);

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
