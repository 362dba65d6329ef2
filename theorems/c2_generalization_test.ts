/**
 * C2 (Generalization), checked at CI size with its controls: see
 * `src/claims/c2_generalization.ts` for the statement, constants and checks.
 *
 * @module
 */

import { claimTest } from "../src/report/claim_check.ts";
import { c2 } from "../src/claims/c2_generalization.ts";

Deno.test("C2 Generalization", claimTest(c2));
