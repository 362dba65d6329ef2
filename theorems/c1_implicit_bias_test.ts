/**
 * C1 (Implicit bias towards a KKT point), checked at CI size with its controls: see
 * `src/claims/c1_implicit_bias.ts` for the statement, constants and checks.
 *
 * @module
 */

import { claimTest } from "../src/report/claim_check.ts";
import { c1 } from "../src/claims/c1_implicit_bias.ts";

Deno.test("C1 Implicit bias towards a KKT point", claimTest(c1));
