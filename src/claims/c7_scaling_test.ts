import assert from "node:assert/strict";
import * as claim from "./c7_scaling.ts";
import * as assessments from "./c7_assessments.ts";
import * as configs from "./c7_configs.ts";
import { c7Trial } from "./c7_trial.ts";

Deno.test("C7's names are importable from the claim module as before the split", () => {
  const before = [
    "C7_ASSESSMENTS",
    "C7_FITS",
    "c7Assess",
    "lawAssessments",
  ] as const;
  for (const name of before) assert.equal(claim[name], assessments[name], name);
  for (const [name, value] of Object.entries(configs)) {
    assert.equal((claim as Record<string, unknown>)[name], value, name);
  }
  assert.equal(claim.c7Trial, c7Trial);
  assert.equal(claim.c7.configs, configs.c7Configs);
  assert.deepEqual(
    Object.keys(claim.c7.constantReasons ?? {}).sort(),
    Object.keys(configs.c7Constants).sort(),
  );
});
