/**
 * C8 (beyond the paper: pReLU gradient flow is robust, Min & Vidal), checked
 * at CI size with its twin (p = 1) and controls: see
 * `src/claims/c8_prelu_robustness.ts` for the statement, constants and
 * checks.
 *
 * @module
 */

import { claimTest } from "../src/report/claim_check.ts";
import { c8 } from "../src/claims/c8_prelu_robustness.ts";

Deno.test("C8 pReLU gradient flow is robust (follow-up)", claimTest(c8));
