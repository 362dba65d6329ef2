import assert from "node:assert/strict";
import {
  checkConfidence,
  checkCount,
  checkPassedTrials,
  checkPositive,
  checkProbability,
} from "./checks.ts";

Deno.test("argument checks name the offending argument", () => {
  checkCount("n", 0);
  assert.throws(() => checkCount("n", -1), /n must be a non-negative integer/);
  assert.throws(() => checkCount("n", 1.5), /n must be a non-negative integer/);
  checkPassedTrials(["passed", 3], ["trials", 3]);
  assert.throws(
    () => checkPassedTrials(["hits", 4], ["shots", 3]),
    /hits \(4\) must not exceed shots \(3\)/,
  );
  assert.throws(
    () => checkPassedTrials(["hits", 1], ["shots", -3]),
    /shots must be a non-negative integer/,
  );
  checkConfidence(0.95);
  assert.throws(() => checkConfidence(1), /confidence must be in \(0, 1\)/);
  checkProbability("p", 1);
  assert.throws(() => checkProbability("q", NaN), /q must be in \[0, 1\]/);
  checkPositive("a", 1e-300);
  assert.throws(() => checkPositive("a", 0), /a must be a finite positive/);
  assert.throws(() => checkPositive("b", Infinity), /b must be a finite/);
});
