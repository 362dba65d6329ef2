import assert from "node:assert/strict";
import { c2Configs } from "./c2_generalization.ts";

Deno.test("C2 configurations meet (and the control breaks) the hypotheses", () => {
  for (const profile of ["ci", "paper"] as const) {
    const [main, control] = c2Configs(profile);
    const p = main.params as Record<string, number>;
    assert.ok(p.d / p.k >= 25, "d/k ≥ 25");
    assert.ok(p.m * (p.d + 2) >= 100 * p.n, "m(d+2) ≫ n");
    assert.ok(p.nTest >= 1000, "≥ 1000 test points");
    assert.ok(p.n >= p.k * Math.log(p.k), "n ≳ k log k");
    const q = control.params as Record<string, number>;
    assert.ok(q.n < q.k, "the control has n < k");
    assert.equal(control.checks[0].expect, "fails");
  }
});
