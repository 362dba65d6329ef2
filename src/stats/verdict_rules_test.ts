import assert from "node:assert/strict";
import {
  CONTROL_CEILING,
  DEFAULT_TARGET,
  FAMILY_ALPHA,
  MARGIN_BAND,
  SATURATION_SHARE,
  VERDICT_RULE_REASONS,
  VERDICT_RULES,
} from "./verdict_rules.ts";

Deno.test("every verdict rule has its value and a one-line reason", () => {
  assert.deepEqual(VERDICT_RULES, {
    confidence: 0.95,
    defaultTarget: 0.8,
    controlCeiling: 0.2,
    familyAlpha: 0.05,
    marginBand: 0.1,
    saturationShare: 0.05,
    maxUnfinishedControlShare: 0.2,
  });
  assert.deepEqual(
    Object.keys(VERDICT_RULE_REASONS).sort(),
    Object.keys(VERDICT_RULES).sort(),
  );
  for (const reason of Object.values(VERDICT_RULE_REASONS)) {
    assert.ok(reason.length > 20 && !reason.includes("\n"), reason);
  }
  assert.deepEqual(
    [
      CONTROL_CEILING,
      DEFAULT_TARGET,
      FAMILY_ALPHA,
      MARGIN_BAND,
      SATURATION_SHARE,
    ],
    [0.2, 0.8, 0.05, 0.1, 0.05],
  );
});
