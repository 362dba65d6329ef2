import assert from "node:assert/strict";
import { n1Configs } from "./n1_broken_hypotheses.ts";

Deno.test("N1 configurations break a hypothesis and expect failure", () => {
  for (const profile of ["ci", "paper"] as const) {
    const [correlated, unseen] = n1Configs(profile);
    assert.equal(correlated.params.means, "correlated");
    assert.ok(Number(correlated.params.correlation) >= 0.5);
    assert.ok(Number(unseen.params.n) < Number(unseen.params.k));
    for (const c of [correlated, unseen]) {
      assert.ok(c.checks.every((k) => k.expect === "fails"));
    }
  }
});
