import assert from "node:assert/strict";
import { initBackend } from "../backend/backends.ts";
import { c2Configs } from "./c2_configs.ts";
import { c2Trial } from "./c2_trial.ts";
import type { ClaimConfig } from "./types.ts";

await initBackend("cpu");

/** C2's main CI configuration (prediction and twin) shrunk to a fast trial, under `key`. */
function smallConfig(key: string): ClaimConfig {
  const [main] = c2Configs("ci");
  return {
    ...main,
    key,
    params: { ...main.params, d: 40, k: 4, n: 48, m: 8, nTest: 50 },
  };
}

Deno.test("a small C2 trial measures the exact errors its checks read, N*'s on the sweep only", () => {
  const sweep = smallConfig("rate:d=40,k=4,n=48,m=8");
  const result = c2Trial(3, sweep);
  assert.deepEqual(
    Object.keys(result.checks).sort(),
    sweep.checks.map((c) => c.name).sort(),
  );
  for (const check of sweep.checks) {
    const measured = result.values[check.margin!.measured];
    assert.equal(typeof measured, "number", check.margin!.measured);
  }
  assert.equal(typeof result.values.robust_error_exact, "number");
  assert.equal(result.values.d_over_k, 10);
  assert.deepEqual(c2Trial(3, sweep), result);
  const main = c2Trial(3, smallConfig("d=40,k=4,n=48,m=8"));
  assert.equal(main.values.robust_error_exact, undefined);
  assert.equal(main.values.test_error_exact, result.values.test_error_exact);
});
