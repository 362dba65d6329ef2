import assert from "node:assert/strict";
import {
  boundAssessment,
  c2Assess,
  c2Configs,
  c2Predictions,
  c2SweepClusters,
  c2SweepRatios,
  fitRateLaws,
  kExponent,
  rateLawAssessment,
  type SweepPoint,
  sweepPoints,
  validationAssessment,
} from "./c2_generalization.ts";
import { generalizationThreshold, nearTwinRatio } from "./criteria.ts";
import type { TrialRecord } from "./types.ts";

/** A finished sweep trial with the given exact errors of the flow and of N*. */
function sweepRecord(
  sizes: { d: number; k: number },
  values: {
    error: number;
    robust?: number;
    trial?: number;
    testError?: number;
    testPoints?: number;
  },
): TrialRecord {
  const { d, k } = sizes;
  const { error, robust = Math.exp(-d / 8), trial = 0 } = values;
  return {
    task: {
      claim: "C2",
      config: `rate:d=${d},k=${k},n=${12 * k},m=100`,
      trial,
      seed: trial,
    },
    result: {
      status: "ok",
      reason: "",
      checks: { test_error_small: true },
      values: {
        d,
        k,
        test_error_exact: error,
        test_error_low: 0.9 * error,
        test_error_high: error > 0 ? 1.1 * error : 1e-3,
        test_error_se: 0.02 * error,
        test_error: values.testError ?? error,
        test_points: values.testPoints ?? 200,
        robust_error_exact: robust,
        robust_error_high: 1.1 * robust,
      },
    },
  };
}

/** Sweep records following `law(d, k)` for ln(error), with a little scatter. */
function sweep(law: (d: number, k: number) => number): TrialRecord[] {
  return [10, 20, 40].flatMap((k) =>
    c2SweepRatios.flatMap((r, i) =>
      [0, 1].map((t) =>
        sweepRecord({ d: r * k, k }, {
          error: Math.exp(law(r * k, k) + 0.2 * Math.sin(7 * i + 3 * t + k)),
          trial: t,
        })
      )
    )
  );
}

Deno.test("C2 configurations: near twin, n ≥ 3k·ln k, overparameterized, sweep of d and k", () => {
  for (const profile of ["ci", "paper"] as const) {
    const configs = c2Configs(profile);
    const [orthogonal, gaussian] = configs;
    assert.equal(orthogonal.params.means, "orthogonal");
    assert.equal(gaussian.params.means, "gaussian");
    for (const c of configs) {
      const p = c.params as Record<string, number>;
      assert.ok(p.n >= 3 * p.k * Math.log(p.k), `${c.key}: every cluster seen`);
      assert.ok(p.m * (p.d + 2) >= 10 * p.n, `${c.key}: m(d+2) ≫ n`);
      for (const check of c.checks) {
        assert.ok(check.role !== undefined && check.margin !== undefined);
        if (check.role === "twin") {
          assert.ok(c.checks.some((x) => x.name === check.twinOf));
          assert.equal(check.expect, "fails");
        }
      }
    }
    // The twin's error ≈ 1/k sits within a factor 2 above the threshold.
    const p = orthogonal.params as Record<string, number>;
    assert.equal(p.d / p.k, nearTwinRatio(p.k));
    const ratio = 1 / p.k / generalizationThreshold({ d: p.d, k: p.k });
    assert.ok(ratio > 1 && ratio < 2, `twin/threshold = ${ratio}`);
    // Equal d/k at every k, equal d at several d/k, n/k and m fixed.
    const rates = configs.filter((c) => c.key.startsWith("rate:"));
    assert.equal(
      rates.length,
      c2SweepRatios.length * c2SweepClusters(profile).length,
    );
    const byD = new Map<number, number>();
    for (const c of rates) {
      const q = c.params as Record<string, number>;
      assert.equal(q.n / q.k, 12);
      assert.equal(q.m, 100);
      byD.set(q.d, (byD.get(q.d) ?? 0) + 1);
    }
    assert.ok([...byD.values()].filter((n) => n >= 2).length >= 3);
  }
});

Deno.test("C2 rate laws: the comparison picks the law the errors follow", () => {
  const fits = (law: (d: number, k: number) => number) =>
    fitRateLaws(
      sweepPoints(sweep(law)).map((p) => ({
        d: p.d,
        k: p.k,
        lnError: Math.log(p.error),
      })),
    )[0].law;
  assert.equal(fits((d, k) => -0.4 * d / k), "d/k");
  assert.equal(fits((d) => -d / 8), "d");
  assert.equal(fits((d, k) => -8 * d / (k * k)), "d/k²");
  // The profile of the k exponent finds γ ≈ 0 for a d-only law.
  const points = sweepPoints(sweep((d) => -d / 8)).map((p) => ({
    d: p.d,
    k: p.k,
    lnError: Math.log(p.error),
  }));
  const { gamma, low, high } = kExponent(points);
  assert.ok(low <= gamma && gamma <= high && high < 0.1, `${gamma}`);
});

Deno.test("C2 assessments on synthetic sweeps", async (t) => {
  await t.step("a d/k law holds; N* following d is the twin that fails", () => {
    const [law, twin] = c2Assess(sweep((d, k) => -0.4 * d / k));
    assert.equal(law.verdict, "holds", law.detail);
    assert.equal(twin.verdict, "fails", twin.detail);
  });
  await t.step("the rate law's estimates carry the fitted slopes and γ", () => {
    const [law] = c2Assess(sweep((d, k) => -0.4 * d / k));
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
    const [law] = c2Assess(sweep((d) => -d / 40));
    assert.equal(law.verdict, "fails", law.detail);
  });
  await t.step("too few values of d/k or k is inconclusive", () => {
    const few = sweep((d, k) => -0.4 * d / k).filter((r) =>
      Number(r.result.values.k) === 10
    );
    const [law] = c2Assess(few);
    assert.equal(law.verdict, "inconclusive");
  });
  await t.step(
    "unfinished sweep trials make every assessment inconclusive",
    () => {
      const records = sweep((d, k) => -0.4 * d / k).map((r, i) =>
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
      const records = sweep((d, k) => -0.4 * d / k);
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
