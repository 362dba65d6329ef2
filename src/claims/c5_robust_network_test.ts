import assert from "node:assert/strict";
import { c5Configs, c5Constants } from "./c5_robust_network.ts";

Deno.test("C5 configuration makes the control meaningful", () => {
  // The control (GF flip radius ≥ c√d) must fail because √(d/k) ≪ c√d, i.e.
  // k must be large enough that the typical flip radius (≈ 1.2·√(d/k) at the
  // 90th percentile) stays below c·√d.
  for (const profile of ["ci", "paper"] as const) {
    const p = c5Configs(profile)[0].params as Record<string, number>;
    assert.ok(
      1.25 * Math.sqrt(p.d / p.k) < c5Constants.radiusConstant * Math.sqrt(p.d),
    );
    assert.ok(p.n >= p.k * Math.log(p.k), "every cluster seen");
  }
});
