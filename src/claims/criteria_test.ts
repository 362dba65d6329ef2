import assert from "node:assert/strict";
import { sharedCriteria } from "./criteria.ts";
import { c2Constants } from "./c2_generalization.ts";
import { c7Constants } from "./c7_scaling.ts";
import { n1Configs } from "./n1_broken_hypotheses.ts";

Deno.test("shared criteria are the claims' own constants", () => {
  assert.equal(c2Constants.maxTestError, sharedCriteria.maxTestError);
  assert.equal(c7Constants.orderFactor, sharedCriteria.flipOrderFactor);
  const descriptions = n1Configs("ci")[0].checks.map((c) => c.description);
  assert.deepEqual(descriptions, [
    "test error ≤ 0.01 (C2's check)",
    "median flip radius / √(d/k) within [1/2, 2] (C7's check)",
    "median neuron cosine with u± ≥ 0.8 (C6's neuron check)",
  ]);
});
