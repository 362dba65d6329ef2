import assert from "node:assert/strict";
import {
  c1,
  c1Checkpoints,
  c1Configs,
  c1Constants,
} from "./c1_implicit_bias.ts";

Deno.test("C1 declaration", () => {
  const [config] = c1Configs("ci");
  assert.deepEqual(config.checks.map((c) => [c.name, c.expect]), [
    ["kkt_residual_small", "holds"],
    ["control_bad_interpolator", "fails"],
  ]);
  assert.ok(c1Constants.kktTolerance > 0 && c1Constants.decreaseFactor < 1);
  assert.deepEqual([...c1Checkpoints].sort((a, b) => a - b), c1Checkpoints);
  assert.equal(c1.constants.kktTolerance, c1Constants.kktTolerance);
});
