import assert from "node:assert/strict";
import { c8Configs, c8Constants } from "./c8_prelu_configs.ts";
import { c8Trial } from "./c8_prelu_trial.ts";
import type { ClaimConfig } from "./types.ts";
import { initBackend } from "../backend/backends.ts";

/** C8's CI configuration shrunk to a fast trial (d = 60, k = 6), with extra parameters. */
function smallConfig(extra: Record<string, number> = {}): ClaimConfig {
  const [full] = c8Configs("ci");
  return {
    ...full,
    key: "d=60,k=6,n=60,m=16",
    params: {
      ...full.params,
      d: 60,
      k: 6,
      n: 60,
      m: 16,
      nTest: 60,
      attackPoints: 8,
      ...extra,
    },
  };
}

Deno.test("a small C8 trial runs, fills every margin column and is replayable", async () => {
  await initBackend("cpu");
  const config = smallConfig();
  const result = c8Trial(5, config);
  assert.equal(result.status, "ok", result.reason);
  for (const check of config.checks) {
    assert.equal(typeof result.checks[check.name], "boolean", check.name);
    const measured = result.values[check.margin!.measured];
    assert.equal(typeof measured, "number", check.margin!.measured);
  }
  // On the planted regime the pReLU network is per-cluster, the twin is not.
  assert.equal(result.checks.neurons_per_cluster, true);
  assert.equal(result.checks.twin_relu_neurons_per_cluster, false);
  assert.deepEqual(c8Trial(5, config), result);
});

Deno.test("a C8 configuration with one check trains only what it reads (a map cell)", async () => {
  await initBackend("cpu");
  const small = smallConfig({ power: 2 });
  const config = {
    ...small,
    checks: small.checks.filter((c) => c.name === "certified_robust"),
  };
  const result = c8Trial(3, config);
  assert.deepEqual(Object.keys(result.checks), ["certified_robust"]);
  assert.equal(result.values.power, 2);
  assert.equal(typeof result.values.prelu_certified_all_q10, "number");
  for (const prefix of ["relu_", "unnormalized_", "large_init_", "noisy_"]) {
    assert.ok(
      !Object.keys(result.values).some((key) => key.startsWith(prefix)),
      `no ${prefix} columns`,
    );
  }
});

Deno.test("the C8 p sweep runs on the configuration's first sweepTrials trials only", async () => {
  await initBackend("cpu");
  const small = smallConfig({ sweepTrials: 1 });
  const config = {
    ...small,
    params: { ...small.params, sweepPowers: "2" },
    checks: small.checks.filter((c) => c.name === "certified_robust"),
  };
  const first = c8Trial(3, config, { trial: 0 });
  const second = c8Trial(3, config, { trial: 1 });
  assert.equal(typeof first.values.sweep_p2_certified_median, "number");
  assert.equal(typeof first.values.sweep_p2_attack_median, "number");
  assert.equal(second.values.sweep_p2_certified_median, undefined);
  // The sweep adds columns and changes nothing else.
  const {
    sweep_p2_certified_median: _c,
    sweep_p2_attack_median: _a,
    sweep_p2_soundness_violations: _v,
    ...rest
  } = first.values;
  assert.deepEqual(rest, second.values);
  const [paper] = c8Configs("paper");
  assert.equal(paper.params.sweepTrials, c8Constants.sweepTrials);
  assert.equal(c8Configs("ci")[0].params.sweepTrials, 0);
});
