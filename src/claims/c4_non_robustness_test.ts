import assert from "node:assert/strict";
import { initBackend } from "../backend/backends.ts";
import {
  c4Configs,
  c4ConstantReasons,
  c4Constants,
  c4Trial,
  flipThreshold,
  HISTOGRAM_BIN,
  HISTOGRAM_BINS,
  pooledRatios,
  ratioHistogram,
} from "./c4_non_robustness.ts";

await initBackend("cpu");

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

Deno.test("C4 configurations: two kinds of means, a prediction with its twins and a sanity line", () => {
  for (const profile of ["ci", "paper"] as const) {
    const configs = c4Configs(profile);
    assert.deepEqual(configs.map((c) => c.params.means), [
      "orthogonal",
      "gaussian",
    ]);
    for (const config of configs) {
      assert.deepEqual(
        config.checks.map((c) => [c.name, c.expect, c.role, c.twinOf]),
        [
          ["flips_within_C", "holds", "prediction", undefined],
          ["twin_robust_network", "fails", "twin", "flips_within_C"],
          ["twin_quarter_scale", "fails", "twin", "flips_within_C"],
          ["twin_one_label_network", "fails", "twin", "flips_within_C"],
          ["sanity_random_direction", "fails", "sanity", "flips_within_C"],
        ],
      );
      assert.ok(config.checks.every((c) => c.margin !== undefined));
    }
  }
});

Deno.test("C4 separates √(d/k) from √d: C·√(d/k) is at most κ times N*'s ideal radius √d/2", () => {
  const { radiusConstant: C, robustFraction: kappa } = c4Constants;
  for (const profile of ["ci", "paper"] as const) {
    const { d, k, n } = c4Configs(profile)[0].params as Record<string, number>;
    assert.ok(C * Math.sqrt(d / k) <= kappa * Math.sqrt(d) / 2, profile);
    assert.ok(d / k >= 25, `${profile}: d/k ≥ 25`);
    // Every cluster seen with probability ≳ 0.7: k·e^(−n/k) ≤ 0.35.
    assert.ok(k * Math.exp(-n / k) <= 0.35, `${profile}: clusters seen`);
  }
});

Deno.test("C4 threshold: the smaller of C·√(d/k) and κ·N*'s certified radius", () => {
  const C = c4Constants.radiusConstant;
  // d = 400, k = 4: √(d/k) = 10; κ·r* = 0.5·100 = 50 > 15.
  assert.deepEqual(flipThreshold({ d: 400, k: 4, robustCertified: 100 }), {
    ratio: C,
    source: "C·√(d/k)",
  });
  const tied = flipThreshold({ d: 400, k: 4, robustCertified: 20 });
  assert.deepEqual(tied, { ratio: 1, source: "κ·N*" });
});

Deno.test("C4 names a reason for every constant", () => {
  assert.deepEqual(
    Object.keys(c4ConstantReasons).sort(),
    Object.keys(c4Constants).sort(),
  );
});

Deno.test("C4 trial on a small instance: every check and margin column, replayable", () => {
  const [config] = c4Configs("ci");
  const small = {
    ...config,
    params: {
      ...config.params,
      d: 200,
      k: 8,
      n: 60,
      m: 30,
      nTest: 60,
      attackPoints: 16,
    },
  };
  const result = c4Trial(5, small);
  assert.equal(result.status, "ok", result.reason);
  assert.deepEqual(
    Object.keys(result.checks).sort(),
    small.checks.map((c) => c.name).sort(),
  );
  for (const check of small.checks) {
    const margin = check.margin!;
    assert.ok(margin.measured in result.values, margin.measured);
    if (typeof margin.threshold === "string") {
      assert.ok(margin.threshold in result.values, margin.threshold);
    }
  }
  assert.equal(result.values.soundness_violations, 0);
  assert.equal(result.values.robust_soundness_violations, 0);
  assert.equal(result.values.one_label_soundness_violations, 0);
  // N* flips no closer than its certificate; the trained network far closer.
  assert.ok(
    Number(result.values.robust_attack_q90) >
      Number(result.values.attack_q90),
  );
  // The one-label network's neurons lie closer to single means than
  // gradient flow's (which average them).
  assert.ok(
    Number(result.values.one_label_mean_alignment_median) >
      Number(result.values.mean_alignment_median),
  );
  assert.deepEqual(c4Trial(5, small), result);
});
