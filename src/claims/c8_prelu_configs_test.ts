import assert from "node:assert/strict";
import {
  c8Configs,
  certifiedThreshold,
  perClusterBound,
} from "./c8_prelu_configs.ts";
import { MIN_TRIALS } from "./criteria.ts";

Deno.test("certifiedThreshold sits between F's interval bound and √(d/k)", () => {
  for (const k of [10, 20, 40]) {
    const perCluster = perClusterBound(k, 3);
    assert.ok(Math.abs(perCluster - 1 / (1 + Math.cbrt(k / 2))) < 1e-15);
    const relu = 1 / Math.sqrt(k);
    const c = certifiedThreshold(k, 3);
    assert.ok(
      relu < c && c < perCluster,
      `k=${k}: ${relu} < ${c} < ${perCluster}`,
    );
    assert.ok(Math.abs(c * c - perCluster * relu) < 1e-15);
  }
});

Deno.test("C8 configurations: enough trials, twins and controls shadow predictions", () => {
  for (const profile of ["ci", "paper"] as const) {
    const configs = c8Configs(profile);
    for (const config of configs) {
      assert.ok(config.trials >= MIN_TRIALS);
      const names = config.checks.map((c) => c.name);
      assert.equal(new Set(names).size, names.length);
      for (const check of config.checks) {
        if (check.expect === "fails") {
          const of = config.checks.find((c) => c.name === check.twinOf);
          assert.ok(of !== undefined && of.role === "prediction", check.name);
        }
        assert.ok(check.margin !== undefined, `${check.name} has a margin`);
      }
    }
  }
});
