import assert from "node:assert/strict";
import {
  type Deviation,
  deviationsMarkdown,
  deviationsOf,
  readDeviations,
} from "./deviations.ts";
import type { ClaimAssessment } from "./verdict.ts";
import type { ClaimPlan } from "../runner/plan.ts";
import type {
  CheckSpec,
  ClaimSpec,
  Prediction,
  TrialRecord,
} from "../claims/types.ts";
import { UsageError } from "../base/usage_error.ts";

const check = (name: string): CheckSpec => ({
  name,
  description: "d",
  target: 0.8,
  expect: "holds",
});

/** A plan of claim C0 with configurations `main` (check a) and `other` (check b). */
function plan(predictions: Prediction[]): ClaimPlan {
  const claim: ClaimSpec = {
    id: "C0",
    title: "t",
    statement: "s",
    source: "[R]",
    hypotheses: [],
    constants: {},
    configs: () => [],
    runTrial: () => Promise.reject(new Error("not run")),
    predictions,
  };
  return {
    claim,
    configs: [
      { key: "main", params: {}, checks: [check("a")], trials: 4 },
      { key: "other", params: {}, checks: [check("b")], trials: 2 },
    ],
    checks: [check("a"), check("b")],
  };
}

/** Finished trials with value r, in a configuration. */
function records(config: string, rs: number[]): TrialRecord[] {
  return rs.map((r, trial) => ({
    task: { claim: "C0", config, trial, seed: trial },
    result: { status: "ok", reason: "", checks: {}, values: { r } },
  }));
}

const base = { law: "l", source: "[R]", note: "n" };

Deno.test("deviationsOf", async (t) => {
  const recs = [
    ...records("main", [0.9, 1.0, 1.1, 1.2]),
    ...records("other", [5, 6]),
    // Another claim's records are ignored.
    ...records("main", [100]).map((r) => ({
      ...r,
      task: { ...r.task, claim: "C9" },
    })),
  ];
  await t.step("a median pools the configurations running its check", () => {
    const [pooled, all] = deviationsOf([
      plan([
        {
          ...base,
          name: "main_only",
          predicted: 1,
          measured: { kind: "median", column: "r", check: "a" },
        },
        {
          ...base,
          name: "every_config",
          predicted: 2,
          measured: { kind: "median", column: "r" },
        },
      ]),
    ], { records: recs, assessments: [] });
    assert.equal(pooled.measured, 1.05);
    assert.equal(pooled.trials, 4);
    assert.equal(pooled.range, "trials 10–90%");
    assert.ok(Math.abs(pooled.relative! - 0.05) < 1e-12);
    assert.ok(Math.abs(pooled.deviation! - 0.05) < 1e-12);
    assert.equal(pooled.inside, true);
    assert.match(
      pooled.from,
      /^median of r over 4 finished trials of the configurations running a$/,
    );
    assert.equal(all.trials, 6);
    assert.equal(all.measured, 1.15);
    assert.equal(all.inside, true);
    assert.match(all.from, /over 6 finished trials$/);
  });
  await t.step("a fit reads the assessment's estimate and interval", () => {
    const assessments: ClaimAssessment[] = [{
      claim: "C0",
      a: {
        check: "law",
        expect: "holds",
        verdict: "holds",
        detail: "",
        estimates: {
          slope: { value: -0.42, low: -0.43, high: -0.41 },
          bare: { value: 3 },
        },
      },
    }];
    const fit = (estimate: string, predicted: number): Prediction => ({
      ...base,
      name: estimate,
      predicted,
      measured: { kind: "fit", assessment: "law", estimate },
    });
    const [slope, bare, missing, zero] = deviationsOf([
      plan([
        fit("slope", -0.5),
        fit("bare", 3),
        fit("none", 1),
        fit("slope", 0),
      ]),
    ], { records: recs, assessments });
    assert.equal(slope.measured, -0.42);
    assert.equal(slope.range, "95% CI");
    assert.ok(Math.abs(slope.relative! - 0.16) < 1e-12);
    assert.equal(slope.inside, false);
    assert.equal(slope.trials, null);
    // Without an interval: no range, no inside.
    assert.equal(bare.range, null);
    assert.equal(bare.inside, null);
    assert.equal(bare.relative, 0);
    // An estimate the run did not report.
    assert.equal(missing.measured, null);
    assert.equal(missing.deviation, null);
    assert.match(missing.from, /not reported by this run/);
    // A prediction of 0: an absolute deviation, no relative one.
    assert.equal(zero.relative, null);
    assert.equal(zero.deviation, -0.42);
  });
  await t.step("an order prediction has its constant and no deviation", () => {
    const [d] = deviationsOf([
      plan([{
        ...base,
        name: "scale",
        predicted: 1,
        form: "order",
        measured: { kind: "median", column: "r", check: "a" },
      }]),
    ], { records: recs, assessments: [] });
    assert.equal(d.form, "order");
    assert.equal(d.measured, 1.05);
    assert.equal(d.deviation, null);
    assert.equal(d.relative, null);
    assert.equal(d.inside, null);
  });
  await t.step("a column without finished values is not measured", () => {
    const [d] = deviationsOf([
      plan([{
        ...base,
        name: "absent",
        predicted: 1,
        measured: { kind: "median", column: "nope" },
      }]),
    ], { records: recs, assessments: [] });
    assert.equal(d.measured, null);
    assert.equal(d.trials, 0);
    assert.equal(d.range, null);
  });
});

const row: Deviation = {
  claim: "C2",
  name: "rate",
  law: "a | b",
  source: "[R]",
  note: "n",
  form: "value",
  predicted: 0,
  from: "f",
  measured: 0.00194,
  low: 0.0014,
  high: 0.009,
  range: "trials 10–90%",
  trials: 32,
  deviation: 0.00194,
  relative: null,
  inside: false,
};

Deno.test("deviationsMarkdown", () => {
  const lines = deviationsMarkdown([
    row,
    { ...row, form: "order", predicted: 1, deviation: null, inside: null },
    { ...row, measured: null, low: null, high: null, range: null },
  ]);
  assert.match(lines[0], /^Measured against predicted/);
  assert.equal(
    lines[4],
    "| C2 | rate | 0 | a \\| b | [R] | 0.00194 [0.0014, 0.009] (trials 10–90%) | +0.00194 (absolute) | no | f | n |",
  );
  assert.match(
    lines[5],
    /\| order \(unit 1\) \|.*\| order only: constant 0\.00194 \| — \|/,
  );
  assert.match(lines[6], /\| — \| not measured \|/);
  assert.deepEqual(deviationsMarkdown([]).slice(-1), ["None."]);
});

Deno.test("readDeviations checks every field", () => {
  assert.deepEqual(readDeviations({ deviations: [row] }, "s"), [row]);
  const bad: [unknown, RegExp][] = [
    [{}, /s has no deviations \(a summary\.json of format 3/],
    [null, /has no deviations/],
    [{ deviations: [1] }, /deviations\[0\] is not an object/],
    [
      { deviations: [{ ...row, law: 3 }] },
      /deviations\[0\]\.law is not a string/,
    ],
    [{ deviations: [{ ...row, low: "x" }] }, /\.low is not a number or null/],
    [
      { deviations: [{ ...row, predicted: null }] },
      /\.predicted is not a number/,
    ],
    [
      { deviations: [{ ...row, form: "rate" }] },
      /\.form is not "value" or "order"/,
    ],
    [
      { deviations: [{ ...row, range: "90%" }] },
      /\.range is not a known range/,
    ],
    [{ deviations: [{ ...row, inside: "yes" }] }, /\.inside is not a boolean/],
  ];
  for (const [value, pattern] of bad) {
    assert.throws(
      () => readDeviations(value, "s"),
      (e: unknown) => e instanceof UsageError && pattern.test(e.message),
      pattern.source,
    );
  }
});
