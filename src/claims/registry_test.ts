import assert from "node:assert/strict";
import { claimById, claims } from "./registry.ts";

Deno.test("claim registry", async (t) => {
  await t.step("ids are unique and cover C1–C7 and N1", () => {
    assert.deepEqual(claims.map((c) => c.id), [
      "C1",
      "C2",
      "C3",
      "C4",
      "C5",
      "C6",
      "C7",
      "N1",
    ]);
    assert.equal(claimById("c4")?.id, "C4");
    assert.equal(claimById("C9"), undefined);
  });

  for (const claim of claims) {
    await t.step(`${claim.id} is fully declared at both profiles`, () => {
      assert.ok(
        claim.title && claim.statement.length > 40 &&
          claim.source.startsWith("["),
      );
      assert.ok(claim.hypotheses.length > 0);
      for (const [name, value] of Object.entries(claim.constants)) {
        assert.ok(Number.isFinite(value), `${claim.id}.${name}`);
      }
      for (const profile of ["ci", "paper"] as const) {
        const configs = claim.configs(profile);
        assert.ok(configs.length > 0);
        assert.equal(
          new Set(configs.map((c) => c.key)).size,
          configs.length,
          "config keys unique",
        );
        for (const config of configs) {
          assert.ok(Number.isInteger(config.trials) && config.trials > 0);
          assert.ok(config.checks.length > 0);
          const d = Number(config.params.d), k = Number(config.params.k);
          assert.ok(d >= k && k >= 2, `${config.key}: d ≥ k ≥ 2`);
          for (const check of config.checks) {
            assert.ok(check.target > 0 && check.target < 1);
            assert.ok(check.description.length > 10);
          }
        }
      }
    });

    await t.step(`${claim.id} has a control that must fail`, () => {
      const checks = claim.configs("ci").flatMap((c) => c.checks);
      const hasControl = checks.some((c) => c.expect === "fails") ||
        claim.assess !== undefined;
      assert.ok(hasControl, `${claim.id} has no control`);
    });
  }

  await t.step("paper profile is at least as large as CI", () => {
    for (const claim of claims) {
      const trials = (p: "ci" | "paper") =>
        claim.configs(p).reduce((s, c) => s + c.trials, 0);
      assert.ok(trials("paper") >= trials("ci"), claim.id);
    }
  });
});
