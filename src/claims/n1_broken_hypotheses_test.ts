import assert from "node:assert/strict";
import { effectiveRatio, n1Configs } from "./n1_broken_hypotheses.ts";
import { clusterModel } from "../model/data.ts";
import { Rng } from "../model/rng.ts";

Deno.test("N1 configurations break a hypothesis and expect failure", () => {
  for (const profile of ["ci", "paper"] as const) {
    const [correlated, unseen] = n1Configs(profile);
    assert.equal(correlated.params.means, "correlated");
    assert.ok(Number(correlated.params.correlation) >= 0.5);
    assert.ok(Number(unseen.params.n) < Number(unseen.params.k));
    for (const c of [correlated, unseen]) {
      assert.ok(c.checks.every((k) => k.expect === "fails"));
    }
    // The generalization controls shadow C2's check, with its margin.
    for (const check of [correlated.checks[0], unseen.checks[0]]) {
      assert.equal(check.role, "control");
      assert.equal(check.twinOf, "C2:test_error_small");
      assert.equal(check.margin?.measured, "test_error_high");
    }
  }
});

Deno.test("N1 effective d/k: d/k for orthogonal or Gaussian means, (1 − c)·d/k when correlated", () => {
  const rng = new Rng(4);
  const d = 400, k = 8;
  assert.ok(
    Math.abs(effectiveRatio(clusterModel(rng, { d, k })) - d / k) < 1e-9,
  );
  const gaussian = effectiveRatio(
    clusterModel(rng, { d, k, kind: "gaussian" }),
  );
  assert.ok(gaussian > 0.5 * d / k && gaussian < 1.5 * d / k);
  const correlated = clusterModel(rng, {
    d,
    k,
    kind: "correlated",
    correlation: 0.9,
  });
  assert.ok(Math.abs(effectiveRatio(correlated) - 0.1 * d / k) < 1e-9);
});
