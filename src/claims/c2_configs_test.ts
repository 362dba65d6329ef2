import assert from "node:assert/strict";
import { c2Configs, c2SweepClusters, c2SweepRatios } from "./c2_configs.ts";
import { generalizationThreshold, nearTwinRatio } from "./criteria.ts";

Deno.test("C2 configurations: near twin, n ≥ 3k·ln k, overparameterized, sweep of d and k", () => {
  for (const profile of ["ci", "paper"] as const) {
    const configs = c2Configs(profile);
    const [orthogonal, gaussian] = configs;
    assert.equal(orthogonal.params.means, "orthogonal");
    assert.equal(gaussian.params.means, "gaussian");
    for (const c of configs) {
      const p = c.params as Record<string, number>;
      assert.ok(p.n >= 3 * p.k * Math.log(p.k), `${c.key}: every cluster seen`);
      assert.ok(p.m * (p.d + 2) >= 10 * p.n, `${c.key}: m(d+2) ≫ n`);
      for (const check of c.checks) {
        assert.ok(check.role !== undefined && check.margin !== undefined);
        if (check.role === "twin") {
          assert.ok(c.checks.some((x) => x.name === check.twinOf));
          assert.equal(check.expect, "fails");
        }
      }
    }
    // The twin's error ≈ 1/k sits within a factor 2 above the threshold.
    const p = orthogonal.params as Record<string, number>;
    assert.equal(p.d / p.k, nearTwinRatio(p.k));
    const ratio = 1 / p.k / generalizationThreshold({ d: p.d, k: p.k });
    assert.ok(ratio > 1 && ratio < 2, `twin/threshold = ${ratio}`);
    // Equal d/k at every k, equal d at several d/k, n/k and m fixed.
    const rates = configs.filter((c) => c.key.startsWith("rate:"));
    assert.equal(
      rates.length,
      c2SweepRatios.length * c2SweepClusters(profile).length,
    );
    const byD = new Map<number, number>();
    for (const c of rates) {
      const q = c.params as Record<string, number>;
      assert.equal(q.n / q.k, 12);
      assert.equal(q.m, 100);
      byD.set(q.d, (byD.get(q.d) ?? 0) + 1);
    }
    assert.ok([...byD.values()].filter((n) => n >= 2).length >= 3);
  }
});
