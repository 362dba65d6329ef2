import assert from "node:assert/strict";
import { sweepRecord, sweepRecords } from "../../fixtures/c2_sweep_records.ts";
import {
  boundAssessment,
  c2Assess,
  type SweepPoint,
  sweepPoints,
  validationAssessment,
} from "./c2_assessments.ts";
import { c2Predictions } from "./c2_generalization.ts";
import { rateLawAssessment } from "./c2_rate_laws.ts";

Deno.test("C2 assessments on synthetic sweeps", async (t) => {
  await t.step("a d/k law holds; N* following d is the twin that fails", () => {
    const [law, twin] = c2Assess(sweepRecords((d, k) => -0.4 * d / k));
    assert.equal(law.verdict, "holds", law.detail);
    assert.equal(twin.verdict, "fails", twin.detail);
  });
  await t.step("the rate law's estimates carry the fitted slopes and γ", () => {
    const [law] = c2Assess(sweepRecords((d, k) => -0.4 * d / k));
    const e = law.estimates!;
    assert.deepEqual(Object.keys(e).sort(), [
      "k_exponent",
      "slope_d",
      "slope_d_over_k",
      "slope_d_over_k2",
    ]);
    const slope = e.slope_d_over_k;
    assert.ok(Math.abs(slope.value + 0.4) < 0.05, `${slope.value}`);
    assert.ok(slope.low! <= slope.value && slope.value <= slope.high!);
    assert.ok(Math.abs(e.k_exponent.value - 1) < 0.1);
    // The predictions read these estimates of this assessment.
    for (const p of c2Predictions) {
      assert.equal(p.measured.kind, "fit");
      if (p.measured.kind !== "fit") continue;
      assert.equal(p.measured.assessment, law.check);
      assert.ok(p.measured.estimate in e, p.measured.estimate);
    }
  });
  await t.step("a d-only law fails the d/k check", () => {
    const [law] = c2Assess(sweepRecords((d) => -d / 40));
    assert.equal(law.verdict, "fails", law.detail);
  });
  await t.step("too few values of d/k or k is inconclusive", () => {
    const few = sweepRecords((d, k) => -0.4 * d / k).filter((r) =>
      Number(r.result.values.k) === 10
    );
    const [law] = c2Assess(few);
    assert.equal(law.verdict, "inconclusive");
  });
  await t.step(
    "unfinished sweep trials make every assessment inconclusive",
    () => {
      const records = sweepRecords((d, k) => -0.4 * d / k).map((r, i) =>
        i % 3 === 0
          ? { ...r, result: { ...r.result, status: "error" as const } }
          : r
      );
      assert.ok(c2Assess(records).every((a) => a.verdict === "inconclusive"));
    },
  );
  await t.step(
    "a trial whose samples never erred enters at its upper bound",
    () => {
      const records = sweepRecords((d, k) => -0.4 * d / k);
      records[0].result.values.test_error_exact = 0;
      const points = sweepPoints(records);
      assert.ok(points[0].censored && points[0].error > 0);
      const a = rateLawAssessment(
        points.map((p) => ({ ...p, lnError: Math.log(p.error) })),
        { check: "x", expect: "holds", network: "gradient flow" },
      );
      assert.match(a.detail, /1 trial\(s\) without an erring sample/);
    },
  );
});

Deno.test("C2 averaging bound: kept, broken, or mixed per d/k", () => {
  const point = (ratio: number, factor: number): SweepPoint => {
    const error = factor * 2 * Math.exp(-ratio / 2);
    return {
      d: ratio * 10,
      k: 10,
      error,
      low: 0.9 * error,
      high: 1.1 * error,
      censored: false,
      robust: NaN,
      robustCensored: false,
      testError: 0,
      testPoints: 200,
      se: 0,
    };
  };
  const kept = [point(4, 0.2), point(8, 0.3), point(16, 0.5)];
  assert.equal(boundAssessment(kept).verdict, "holds");
  const broken = [...kept, point(64, 10), point(64, 30)];
  const a = boundAssessment(broken);
  assert.equal(a.verdict, "fails");
  assert.match(a.detail, /d\/k=64: measured\/bound 20 \[10, 30\] broken/);
  assert.equal(
    boundAssessment([...kept, point(32, 0.95), point(32, 1.2)]).verdict,
    "inconclusive",
  );
});

Deno.test("C2 instrument check: exact errors against the plain test set", () => {
  const big = (error: number, testError: number, trial: number) =>
    sweepRecord({ d: 40, k: 10 }, {
      error,
      testError,
      testPoints: 10000,
      trial,
    });
  const agree = sweepPoints([big(0.05, 0.051, 0), big(0.05, 0.0495, 1)]);
  assert.equal(validationAssessment(agree).verdict, "holds");
  const biased = sweepPoints([big(0.05, 0.07, 0), big(0.05, 0.072, 1)]);
  assert.equal(validationAssessment(biased).verdict, "fails");
  assert.equal(validationAssessment([]).verdict, "inconclusive");
});
