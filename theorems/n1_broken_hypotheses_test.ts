/**
 * N1 (negative regime): with a hypothesis broken on purpose, the predictions
 * of C2, C6 and C7's flip scale must be reported as failing. See
 * `src/claims/n1_broken_hypotheses.ts`.
 *
 * @module
 */

import { claimTest } from "../src/report/claim_check.ts";
import { n1 } from "../src/claims/n1_broken_hypotheses.ts";

Deno.test("N1 Negative regime: broken hypotheses", claimTest(n1));
