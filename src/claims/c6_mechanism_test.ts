import assert from "node:assert/strict";
import { c6Configs, c6Constants } from "./c6_mechanism.ts";
import { sharedCriteria } from "./criteria.ts";

Deno.test("C6", async (t) => {
  await t.step("controls break a hypothesis", () => {
    const [, correlated, large] = c6Configs("ci");
    assert.equal(correlated.params.means, "correlated");
    assert.ok(Number(large.params.initScale) >= 1);
    assert.ok([correlated, large].every((c) => c.checks[0].expect === "fails"));
  });
  await t.step("the neuron criterion is the one N1 applies", () => {
    assert.equal(c6Constants.neuronAlignment, sharedCriteria.neuronAlignment);
    assert.equal(c6Constants.significance, sharedCriteria.significance);
  });
});
