import assert from "node:assert/strict";
import { claimById, claims } from "./registry.ts";

Deno.test("claim registry", async (t) => {
  await t.step("ids are unique, well formed and found by claimById", () => {
    assert.ok(claims.length > 0);
    assert.equal(new Set(claims.map((c) => c.id)).size, claims.length);
    for (const claim of claims) {
      assert.match(claim.id, /^[A-Z]\d+$/);
      assert.equal(claimById(claim.id.toLowerCase()), claim);
    }
    assert.equal(claimById("no-such-claim"), undefined);
  });

  await t.step(
    "claims come in report order: by letter (C, N), then number",
    () => {
      const order = claims.map((c) =>
        [c.id[0], Number(c.id.slice(1))] as const
      );
      const sorted = [...order].sort((a, b) =>
        a[0] === b[0] ? a[1] - b[1] : a[0] < b[0] ? -1 : 1
      );
      assert.deepEqual(order, sorted);
    },
  );

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

    await t.step(`${claim.id} validates its configurations`, () => {
      assert.ok(claim.validate !== undefined);
      for (const config of claim.configs("ci")) claim.validate!(config);
      const [config] = claim.configs("ci");
      assert.throws(
        () =>
          claim.validate!({ ...config, params: { ...config.params, k: 1 } }),
        RangeError,
      );
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

Deno.test("claim modules import no other claim module", async () => {
  const isClaim = (file: string) =>
    /^[a-z]\d+_[a-z_]+\.ts$/.test(file) && !file.endsWith("_test.ts");
  const folder = new URL(".", import.meta.url);
  const modules: string[] = [];
  for await (const entry of Deno.readDir(folder)) {
    if (isClaim(entry.name)) modules.push(entry.name);
  }
  assert.equal(modules.length, claims.length, "one module per claim");
  for (const file of modules) {
    const text = await Deno.readTextFile(new URL(file, folder));
    const imported = [...text.matchAll(/from\s+"\.\/([^"]+)"/g)].map((m) =>
      m[1]
    );
    const claimsImported = imported.filter(isClaim);
    assert.deepEqual(claimsImported, [], `${file} imports ${claimsImported}`);
  }
});
