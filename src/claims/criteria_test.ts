import assert from "node:assert/strict";
import {
  generalizationThreshold,
  nearTwinRatio,
  sharedCriteria,
  sharedCriteriaReasons,
} from "./criteria.ts";
import { c2Constants } from "./c2_generalization.ts";
import { c3Constants } from "./c3_overparameterization.ts";
import { c7Constants } from "./c7_scaling.ts";
import { n1Configs, n1Constants } from "./n1_broken_hypotheses.ts";

Deno.test("shared criteria are the claims' own constants", () => {
  const c = sharedCriteria.generalizationExponent;
  assert.equal(c2Constants.rateExponent, c);
  assert.equal(c3Constants.rateExponent, c);
  assert.equal(n1Constants.rateExponent, c);
  assert.equal(c7Constants.orderFactor, sharedCriteria.flipOrderFactor);
  const descriptions = n1Configs("ci")[0].checks.map((c) => c.description);
  assert.match(descriptions[0], /^C2's check \(exact test error/);
  assert.match(descriptions[1], /within \[1\/2, 2\] \(C7's check/);
  assert.match(descriptions[2], /^median neuron cosine with u± ≥ 0.8/);
  for (const key of Object.keys(sharedCriteria)) {
    assert.ok(key in sharedCriteriaReasons, `${key} has a reason`);
  }
});

Deno.test("the near-twin ratio puts exp(-d/(4k)) between 1/(2k) and 1/k", () => {
  for (const k of [8, 10, 16, 20, 32, 40, 64]) {
    const t = generalizationThreshold({ d: nearTwinRatio(k) * k, k });
    assert.ok(t > 1 / (2 * k) && t < 1 / k, `k=${k}: ${t}`);
  }
});
