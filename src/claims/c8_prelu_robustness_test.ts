import assert from "node:assert/strict";
import * as claim from "./c8_prelu_robustness.ts";
import * as configs from "./c8_prelu_configs.ts";
import { c8Trial } from "./c8_prelu_trial.ts";

const { c8, c8Constants } = claim;

Deno.test("the C8 claim gives a reason for every named constant", () => {
  assert.deepEqual(
    Object.keys(c8.constantReasons ?? {}).sort(),
    Object.keys(c8Constants).sort(),
  );
});

Deno.test("C8's names are importable from the claim module as before the split", () => {
  assert.equal(claim.c8Configs, configs.c8Configs);
  assert.equal(claim.certifiedThreshold, configs.certifiedThreshold);
  assert.equal(claim.perClusterBound, configs.perClusterBound);
  assert.equal(claim.c8ConstantReasons, configs.c8ConstantReasons);
  assert.equal(claim.c8Maps, configs.c8Maps);
  assert.equal(claim.c8Trial, c8Trial);
  assert.equal(c8.configs, configs.c8Configs);
});
