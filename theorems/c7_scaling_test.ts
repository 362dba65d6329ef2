/**
 * C7 (Scaling), checked at CI size with its controls: see
 * `src/claims/c7_scaling.ts` for the statement, constants and checks.
 *
 * @module
 */

import { claimTest } from "../src/report/claim_check.ts";
import { c7 } from "../src/claims/c7_scaling.ts";

Deno.test("C7 Scaling", claimTest(c7));
