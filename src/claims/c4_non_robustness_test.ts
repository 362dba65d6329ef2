import assert from "node:assert/strict";
import {
  c4Configs,
  HISTOGRAM_BIN,
  HISTOGRAM_BINS,
  pooledRatios,
  ratioHistogram,
} from "./c4_non_robustness.ts";

Deno.test("C4 per-point flip-ratio histogram", async (t) => {
  const hist = ratioHistogram([0.05, 0.05, 0.15, 2.49, 2.5, Infinity]);
  await t.step("one column per bin and one for the rest", () => {
    assert.equal(Object.keys(hist).length, HISTOGRAM_BINS + 1);
    assert.equal(hist.hist_00, 2);
    assert.equal(hist.hist_01, 1);
    assert.equal(hist.hist_24, 1);
    assert.equal(hist.hist_over, 2);
  });
  await t.step("pooled over ok records at the bin centres", () => {
    const record = (status: "ok" | "error") => ({
      task: { claim: "C4", config: "c", trial: 0, seed: 0 },
      result: { status, reason: "", checks: {}, values: hist },
    });
    const pooled = pooledRatios([record("ok"), record("error"), record("ok")]);
    assert.equal(pooled.length, 2 * 4);
    assert.equal(pooled[0], 0.5 * HISTOGRAM_BIN);
    assert.ok(Math.abs(pooled[7] - 24.5 * HISTOGRAM_BIN) < 1e-12);
  });
});

Deno.test("C4 has its two controls on the main configuration", () => {
  for (const profile of ["ci", "paper"] as const) {
    const [config] = c4Configs(profile);
    assert.deepEqual(config.checks.map((c) => [c.name, c.expect]), [
      ["flips_within_C", "holds"],
      ["control_flips_at_quarter_scale", "fails"],
      ["control_random_direction", "fails"],
    ]);
  }
});
