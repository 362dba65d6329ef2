/**
 * C5 (Robust networks exist), checked at CI size with its controls: see
 * `src/claims/c5_robust_network.ts` for the statement, constants and checks.
 *
 * @module
 */

import { claimTest } from "../src/report/claim_check.ts";
import { c5 } from "../src/claims/c5_robust_network.ts";

Deno.test("C5 Robust networks exist", claimTest(c5));
