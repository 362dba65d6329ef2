import assert from "node:assert/strict";
import { initBackend } from "../backend/backends.ts";
import { c7Configs } from "./c7_configs.ts";
import { c7Trial } from "./c7_trial.ts";
import type { ClaimConfig } from "./types.ts";

await initBackend("cpu");

Deno.test("a small C7 trial measures both brackets, fills its margins and is replayable", () => {
  const [full] = c7Configs("ci");
  const config: ClaimConfig = {
    ...full,
    key: "d=48,k=4,n=60,m=8",
    params: {
      ...full.params,
      d: 48,
      k: 4,
      n: 60,
      m: 8,
      nTest: 40,
      attackPoints: 4,
    },
  };
  const result = c7Trial(2, config);
  assert.equal(result.status, "ok", result.reason);
  assert.deepEqual(
    Object.keys(result.checks),
    config.checks.map((c) => c.name),
  );
  assert.equal(typeof result.values.gf_attack_over_sqrt_dk, "number");
  const attack = Number(result.values.gf_attack_median);
  const ratio = Number(result.values.gf_attack_ratio);
  assert.ok(Math.abs(ratio - attack / Math.sqrt(48 / 4)) < 1e-4 * ratio);
  assert.equal(result.values.robust_soundness_violations, 0);
  assert.deepEqual(c7Trial(2, config), result);
});
