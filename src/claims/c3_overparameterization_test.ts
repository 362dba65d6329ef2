import assert from "node:assert/strict";
import { c3Configs, c3Validate } from "./c3_overparameterization.ts";

Deno.test("C3 configurations", async (t) => {
  await t.step(
    "every configuration is overparameterized, one has d > n, one d < n",
    () => {
      for (const profile of ["ci", "paper"] as const) {
        const configs = c3Configs(profile);
        for (const c of configs) c3Validate(c);
        const sizes = configs.map((c) => c.params as Record<string, number>);
        assert.ok(sizes.some((p) => p.d > p.n) && sizes.some((p) => p.d < p.n));
        assert.ok(
          configs.some((c) => c.checks.some((k) => k.expect === "fails")),
        );
      }
    },
  );
  await t.step("m(d+2) < 10n is rejected with a clear message", () => {
    const [config] = c3Configs("ci");
    assert.throws(
      () => c3Validate({ ...config, params: { ...config.params, m: 1 } }),
      /m\(d\+2\) ≥ 10n/,
    );
  });
});
