/**
 * C4 (Non-robustness), checked at CI size with its controls: see
 * `src/claims/c4_non_robustness.ts` for the statement, constants and checks.
 *
 * @module
 */

import { claimTest } from "../src/report/claim_check.ts";
import { c4 } from "../src/claims/c4_non_robustness.ts";

Deno.test("C4 Non-robustness", claimTest(c4));
