import assert from "node:assert/strict";
import { readVerdictTable, verdictsMarkdown } from "./readme_verdicts.ts";
import { UsageError } from "../base/usage_error.ts";

const ROW = {
  claim: "C1",
  check: "kkt_residual_shrinks",
  expect: "holds",
  trials: 32,
  passed: 22,
  ciLow: 0.49992241836783047,
  ciHigh: 0.8388152759117994,
  verdict: "inconclusive",
  pAdjusted: 0.9589116789764569,
  adjustedVerdict: "inconclusive",
  okAdjusted: false,
};

Deno.test("readVerdictTable reads every row and the family, or names what is wrong", () => {
  const table = readVerdictTable(
    {
      rows: [ROW, { ...ROW, check: "twin", okAdjusted: true }],
      family: { checks: 2, assessments: 1 },
    },
    "s.json",
  );
  assert.equal(table.lines.length, 2);
  assert.equal(table.checks, 2);
  assert.equal(table.assessments, 1);
  assert.deepEqual(table.lines[0], ROW);
  const bad: [unknown, RegExp][] = [
    [null, /s\.json is not an object/],
    [{ rows: [] }, /family is not an object/],
    [{ rows: [], family: { checks: 1 } }, /no checks or assessments count/],
    [
      { rows: [7], family: { checks: 1, assessments: 0 } },
      /rows\[0\] is not an object/,
    ],
    [
      { rows: [{ ...ROW, claim: 1 }], family: { checks: 1, assessments: 0 } },
      /rows\[0\]\.claim is not a string/,
    ],
    [{
      rows: [{ ...ROW, okAdjusted: "no" }],
      family: { checks: 1, assessments: 0 },
    }, /okAdjusted is not a boolean/],
  ];
  for (const [value, pattern] of bad) {
    assert.throws(
      () => readVerdictTable(value, "s.json"),
      (e: unknown) => e instanceof UsageError && pattern.test(e.message),
      String(pattern),
    );
  }
});

Deno.test("verdictsMarkdown counts the checks that missed their verdict and prints the report's numbers", () => {
  const lines = verdictsMarkdown({ lines: [ROW], checks: 53, assessments: 4 });
  assert.match(lines[0], /over the run's 53 checks and 4 fitted assessments/);
  assert.match(lines[0], /1 of 1 checks did not reach their expected verdict/);
  assert.equal(
    lines.at(-1),
    "| C1 | kkt_residual_shrinks | holds | 32 | 22 | [0.4999, 0.8388] | inconclusive | 0.9589 | inconclusive | ✗ |",
  );
  // Header, separator and one row per check follow the sentence and a blank line.
  assert.equal(lines.length, 5);
  assert.equal(lines[1], "");
});
