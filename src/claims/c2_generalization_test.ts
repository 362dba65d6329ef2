import assert from "node:assert/strict";
import * as claim from "./c2_generalization.ts";
import * as assessments from "./c2_assessments.ts";
import * as configs from "./c2_configs.ts";
import * as rateLaws from "./c2_rate_laws.ts";
import { c2Trial } from "./c2_trial.ts";

Deno.test("C2's names are importable from the claim module as before the split", () => {
  for (const module of [assessments, configs, rateLaws]) {
    for (const [name, value] of Object.entries(module)) {
      if (name === "isRateConfig") continue;
      assert.equal((claim as Record<string, unknown>)[name], value, name);
    }
  }
  assert.equal(claim.c2Trial, c2Trial);
  assert.equal(claim.c2.configs, configs.c2Configs);
  assert.deepEqual(
    Object.keys(claim.c2.constantReasons ?? {}).sort(),
    Object.keys(configs.c2Constants).sort(),
  );
});
