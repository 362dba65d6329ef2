/**
 * C3 (Benign despite overparameterization), checked at CI size with its controls: see
 * `src/claims/c3_overparameterization.ts` for the statement, constants and checks.
 *
 * @module
 */

import { claimTest } from "../src/report/claim_check.ts";
import { c3 } from "../src/claims/c3_overparameterization.ts";

Deno.test("C3 Benign despite overparameterization", claimTest(c3));
