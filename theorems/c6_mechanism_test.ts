/**
 * C6 (Mechanism: feature averaging), checked at CI size with its controls: see
 * `src/claims/c6_mechanism.ts` for the statement, constants and checks.
 *
 * @module
 */

import { claimTest } from "../src/report/claim_check.ts";
import { c6 } from "../src/claims/c6_mechanism.ts";

Deno.test("C6 Mechanism: feature averaging", claimTest(c6));
