import assert from "node:assert/strict";
import { c2Configs } from "./c2_generalization.ts";

/** A finished C2 rate-sweep trial record at d/k = `ratio` with a given test error. */
function rateRecord(
  ratio: number,
  { error, trial, points = 1000 }: {
    error: number;
    trial: number;
    points?: number;
  },
) {
  return {
    task: {
      claim: "C2",
      config: `rate:d=${ratio * 40},k=40`,
      trial,
      seed: trial,
    },
    result: {
      status: "ok" as const,
      reason: "",
      checks: {},
      values: { d: ratio * 40, k: 40, test_points: points, test_error: error },
    },
  };
}

Deno.test("C2 configurations meet (and the control breaks) the hypotheses", () => {
  for (const profile of ["ci", "paper"] as const) {
    const [main, control] = c2Configs(profile);
    const p = main.params as Record<string, number>;
    assert.ok(p.d / p.k >= 25, "d/k ≥ 25");
    assert.ok(p.m * (p.d + 2) >= 100 * p.n, "m(d+2) ≫ n");
    assert.ok(p.nTest >= 1000, "≥ 1000 test points");
    assert.ok(p.n >= p.k * Math.log(p.k), "n ≳ k log k");
    const q = control.params as Record<string, number>;
    assert.ok(q.n < q.k, "the control has n < k");
    assert.equal(control.checks[0].expect, "fails");
  }
});

Deno.test("C2 rate assessment", async (t) => {
  const { c2Assess, pooledRateErrors } = await import("./c2_generalization.ts");
  await t.step("pooled errors and an exponential decay hold", () => {
    const records = [2.5, 5, 7.5, 10].flatMap((
      r,
      i,
    ) => [
      rateRecord(r, { error: Math.exp(-r / 2) / 2, trial: 2 * i }),
      rateRecord(r, { error: Math.exp(-r / 2), trial: 2 * i + 1 }),
    ]);
    const pooled = pooledRateErrors(records);
    assert.deepEqual(pooled.map((p) => p.ratio), [2.5, 5, 7.5, 10]);
    assert.equal(pooled[0].points, 2000);
    const [a] = c2Assess(records);
    assert.equal(a.verdict, "holds", a.detail);
  });
  await t.step(
    "an error that does not fall fails; too few non-zero errors is inconclusive",
    () => {
      const flat = [2.5, 5, 7.5, 10].map((r, i) =>
        rateRecord(r, { error: 0.05 + 0.01 * i, trial: i })
      );
      assert.equal(c2Assess(flat)[0].verdict, "fails");
      assert.equal(
        c2Assess([
          rateRecord(2.5, { error: 0.1, trial: 0 }),
          rateRecord(5, { error: 0, trial: 1 }),
        ])[0].verdict,
        "inconclusive",
      );
    },
  );
});

Deno.test("C2 rate assessment tells an exponential from a power law", async () => {
  const { c2Assess } = await import("./c2_generalization.ts");
  const ratios = [2.5, 5, 7.5, 10, 15];
  const power = ratios.map((r, i) =>
    rateRecord(r, { error: 0.5 * r ** -2, trial: i, points: 1_000_000 })
  );
  assert.equal(c2Assess(power)[0].verdict, "fails");
  const exponential = ratios.map((r, i) =>
    rateRecord(r, {
      error: 0.5 * Math.exp(-r / 2),
      trial: i,
      points: 1_000_000,
    })
  );
  assert.equal(c2Assess(exponential)[0].verdict, "holds");
});
