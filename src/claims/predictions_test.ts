import assert from "node:assert/strict";
import { predictionProblems } from "./predictions.ts";
import { claims } from "./registry.ts";
import type { ClaimSpec, Prediction } from "./types.ts";

const check = {
  name: "a",
  description: "d",
  target: 0.8,
  expect: "holds" as const,
};

/** A claim with one configuration running check `a`, and these predictions. */
function claimWith(predictions: unknown): ClaimSpec {
  return {
    id: "C0",
    title: "t",
    statement: "s",
    source: "[R]",
    hypotheses: [],
    constants: {},
    configs: () => [{ key: "x", params: {}, checks: [check], trials: 1 }],
    runTrial: () => Promise.reject(new Error("not run")),
    predictions: predictions as Prediction[],
  };
}

const good: Prediction = {
  name: "slope",
  measured: { kind: "median", column: "v", check: "a" },
  predicted: 0.5,
  law: "√d",
  source: "[A]",
  note: "n",
};

Deno.test("predictionProblems", async (t) => {
  await t.step("none for no predictions or well-formed ones", () => {
    assert.deepEqual(predictionProblems(claimWith(undefined)), []);
    assert.deepEqual(predictionProblems(claimWith([good])), []);
    const fit: Prediction = {
      ...good,
      name: "exponent",
      measured: { kind: "fit", assessment: "law", estimate: "a" },
    };
    assert.deepEqual(predictionProblems(claimWith([good, fit])), []);
  });
  await t.step("each malformed field is named", () => {
    const cases: [unknown, RegExp][] = [
      [{ ...good, name: "a b" }, /name must be a word/],
      [{ ...good, predicted: NaN }, /predicted must be a finite number/],
      [{ ...good, form: "rate" }, /form must be "value" or "order"/],
      [{ ...good, form: "order" }, /"order" prediction has predicted 1/],
      [{ ...good, law: "" }, /law must be a non-empty string/],
      [{ ...good, note: 3 }, /note must be a non-empty string/],
      [{ ...good, source: "A" }, /source must be a source tag/],
      [{ ...good, measured: null }, /measured must be an object/],
      [
        { ...good, measured: { kind: "mean" } },
        /kind must be "median" or "fit"/,
      ],
      [
        { ...good, measured: { kind: "median" } },
        /column must be a value column/,
      ],
      [
        { ...good, measured: { kind: "fit", assessment: "x" } },
        /measured\.estimate must be a non-empty string/,
      ],
      [
        { ...good, measured: { kind: "median", column: "v", check: "zz" } },
        /check "zz" is run by no configuration at profile ci/,
      ],
      [7, /predictions\[0\] is not an object/],
    ];
    for (const [prediction, pattern] of cases) {
      const problems = predictionProblems(claimWith([prediction]));
      assert.ok(
        problems.some((p) => pattern.test(p)),
        `${JSON.stringify(prediction)}: ${problems.join("; ")}`,
      );
    }
  });
  await t.step("a name used twice, and a non-array, are problems", () => {
    assert.match(
      predictionProblems(claimWith([good, good])).join("\n"),
      /"slope" is used twice/,
    );
    assert.match(
      predictionProblems(claimWith({}))[0],
      /predictions must be an array/,
    );
  });
  await t.step("the registry's predictions are well formed", () => {
    for (const claim of claims) {
      assert.deepEqual(predictionProblems(claim), [], claim.id);
    }
    // The claims that measure a predicted quantity declare it.
    const declaring = claims.filter((c) => (c.predictions ?? []).length > 0)
      .map((c) => c.id);
    for (const id of ["C2", "C4", "C5", "C7"]) {
      assert.ok(declaring.includes(id), id);
    }
  });
});
