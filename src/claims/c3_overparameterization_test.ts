import assert from "node:assert/strict";
import { c3Configs, c3Validate } from "./c3_overparameterization.ts";
import { generalizationThreshold } from "./criteria.ts";

Deno.test("C3 configurations", async (t) => {
  await t.step(
    "overparameterized, N_bad fits in the width, every cluster seen, one d > n and one d < n",
    () => {
      for (const profile of ["ci", "paper"] as const) {
        const configs = c3Configs(profile);
        for (const c of configs) c3Validate(c);
        const sizes = configs.map((c) => c.params as Record<string, number>);
        assert.ok(sizes.some((p) => p.d > p.n) && sizes.some((p) => p.d < p.n));
        for (const p of sizes) {
          // The memorizer's error 1/k sits within a factor 2 above the threshold.
          const ratio = 1 / p.k / generalizationThreshold({ d: p.d, k: p.k });
          assert.ok(ratio > 1 && ratio < 2, `twin/threshold = ${ratio}`);
        }
      }
    },
  );
  await t.step(
    "every check has a role and margin; twins shadow a prediction",
    () => {
      const checks = c3Configs("ci")[0].checks;
      for (const check of checks) {
        assert.ok(check.role !== undefined && check.margin !== undefined);
        if (check.role === "twin") {
          assert.equal(check.expect, "fails");
          assert.ok(checks.some((c) => c.name === check.twinOf));
        }
      }
    },
  );
  await t.step("m(d+2) < 10n, m < n + 2 and n < 3k·ln k are rejected", () => {
    const [config] = c3Configs("ci");
    const with_ = (p: Record<string, number>) => ({
      ...config,
      params: { ...config.params, ...p },
    });
    assert.throws(() => c3Validate(with_({ m: 1 })), /m\(d\+2\) ≥ 10n/);
    assert.throws(() => c3Validate(with_({ m: 100 })), /m ≥ n \+ 2/);
    assert.throws(
      () => c3Validate(with_({ n: 60, m: 100 })),
      /n ≥ 3k·ln k/,
    );
  });
});
