import assert from "node:assert/strict";
import { Rng } from "../model/rng.ts";
import type { TrialRecord } from "./types.ts";
import { C7_ASSESSMENTS, C7_FITS, c7Assess } from "./c7_assessments.ts";
import { c7Grid } from "./c7_configs.ts";
import { c7Predictions } from "./c7_scaling.ts";

/**
 * Fake finished trials on a grid: the gradient-flow radius follows
 * d^a·k^b, N*'s radii √d/2, each with log-normal noise.
 */
function fakeRecords(
  rng: Rng,
  law: { a: number; b: number; noise?: number; grid?: "ci" | "paper" },
): TrialRecord[] {
  const { a, b, noise = 0.03, grid = "paper" } = law;
  return c7Grid(grid).flatMap(({ d, k }) =>
    Array.from({ length: 5 }, (_, trial): TrialRecord => {
      const jitter = () => Math.exp(noise * rng.normal());
      const robust = (Math.sqrt(d) / 2) * jitter();
      return {
        task: { claim: "C7", config: `${d},${k}`, trial, seed: trial },
        result: {
          status: "ok",
          reason: "",
          checks: {},
          values: {
            d,
            k,
            gf_attack_median: d ** a * k ** b * jitter(),
            robust_certified_median: robust * 0.93,
            robust_attack_median: robust,
            test_error: 0.01 / (d / k),
            soundness_violations: 0,
            robust_soundness_violations: 0,
          },
        },
      };
    })
  );
}

/** The verdict of one assessment by name. */
function verdictOf(records: TrialRecord[], check: string): string {
  const found = c7Assess(records).find((x) => x.check === check);
  assert.ok(found, check);
  return found.verdict;
}

Deno.test("C7 joint fit: √(d/k) is selected, and r ∝ d is not mistaken for it", async (t) => {
  await t.step("gradient flow at √(d/k): every assessment as expected", () => {
    const records = fakeRecords(new Rng(1), { a: 0.5, b: -0.5 });
    const assessments = c7Assess(records);
    assert.deepEqual(
      assessments.map((x) => [x.check, x.expect]),
      C7_ASSESSMENTS,
    );
    for (const x of assessments) assert.equal(x.verdict, x.expect, x.detail);
    const twins = assessments.filter((x) => x.check.startsWith("twin_"));
    assert.ok(twins.every((x) => typeof x.pValue === "number"));
  });
  await t.step(
    "each law's estimates are its fitted exponents, which the predictions read",
    () => {
      const assessments = c7Assess(
        fakeRecords(new Rng(6), { a: 0.5, b: -0.5 }),
      );
      const law = assessments.find((x) =>
        x.check === "law_gf_attack_sqrt_d_over_k"
      )!;
      const { a, b } = law.estimates!;
      assert.ok(
        Math.abs(a.value - 0.5) < 0.05 && Math.abs(b.value + 0.5) < 0.05,
      );
      assert.ok(a.low! < a.value && a.value < a.high!);
      assert.equal(c7Predictions.length, 2 * C7_FITS.length);
      for (const p of c7Predictions) {
        if (p.measured.kind !== "fit") throw new Error(p.name);
        const { assessment, estimate } = p.measured;
        const found = assessments.find((x) => x.check === assessment);
        assert.ok(found?.estimates?.[estimate] !== undefined, p.name);
      }
      const gf = c7Predictions.filter((p) => p.name.startsWith("gf_attack_"));
      assert.deepEqual(gf.map((p) => p.predicted), [0.5, -0.5]);
      assert.match(gf[1].law, /exponent of k −0\.5$/);
    },
  );
  await t.step("r ∝ d (slope ½ against log(d/k) too) fails the law", () => {
    const records = fakeRecords(new Rng(2), { a: 1, b: 0 });
    assert.equal(verdictOf(records, "law_gf_attack_sqrt_d_over_k"), "fails");
  });
  await t.step("r ∝ √d: the twin holds, the law fails", () => {
    const records = fakeRecords(new Rng(3), { a: 0.5, b: 0 });
    assert.equal(verdictOf(records, "law_gf_attack_sqrt_d_over_k"), "fails");
    assert.equal(verdictOf(records, "twin_gf_attack_law_sqrt_d"), "holds");
  });
  await t.step("a noisy grid cannot tell the laws apart: inconclusive", () => {
    const records = fakeRecords(new Rng(4), {
      a: 0.5,
      b: -0.5,
      noise: 1.5,
      grid: "ci",
    });
    assert.equal(
      verdictOf(records, "law_gf_attack_sqrt_d_over_k"),
      "inconclusive",
    );
  });
  await t.step("a soundness violation fails attacks_sound", () => {
    const records = fakeRecords(new Rng(5), { a: 0.5, b: -0.5 });
    records[3].result.values.soundness_violations = 1;
    assert.equal(verdictOf(records, "attacks_sound"), "fails");
  });
});

Deno.test("C7 assessments: a law and a twin per fitted quantity, then the test error and soundness", () => {
  assert.equal(C7_FITS.length * 2 + 2, C7_ASSESSMENTS.length);
});
