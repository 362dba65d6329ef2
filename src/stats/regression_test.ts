import assert from "node:assert/strict";
import { assertClose } from "../../fixtures/assert_close.ts";
import { linearFit, slopePValue } from "./regression.ts";

Deno.test("linearFit", async (t) => {
  await t.step("exact lines", () => {
    const x = [0, 1, 2, 3, 4, 5];
    const fit = linearFit(x, x.map((v) => -0.5 * v + 3));
    assertClose(fit.slope, -0.5, 1e-14);
    assertClose(fit.intercept, 3, 1e-14);
    assertClose(fit.slopeStdErr, 0, 1e-14);
    assertClose(fit.slopeCi.low, -0.5, 1e-13);
    assertClose(fit.slopeCi.high, -0.5, 1e-13);
    assertClose(fit.rSquared, 1, 1e-14);
    assert.equal(fit.n, 6);
    const flat = linearFit([1, 2, 3], [4, 4, 4]);
    assert.equal(flat.slope, 0);
    assert.equal(flat.rSquared, 1);
  });
  await t.step("small data set worked by hand", () => {
    // x̄ = 3, Sxx = 10, Sxy = 19.9, residuals 0.06 -0.13 0.18 -0.21 0.1,
    // SSE = 0.107, SST = 39.708, t(0.975, 3) = 3.182446305284263.
    const fit = linearFit([1, 2, 3, 4, 5], [2.1, 3.9, 6.2, 7.8, 10.1]);
    assertClose(fit.slope, 1.99, 1e-12);
    assertClose(fit.intercept, 0.05, 1e-12);
    const se = Math.sqrt(0.107 / 3 / 10);
    assertClose(fit.slopeStdErr, se, 1e-12);
    assertClose(fit.slopeCi.low, 1.99 - 3.182446305284263 * se, 1e-10);
    assertClose(fit.slopeCi.high, 1.99 + 3.182446305284263 * se, 1e-10);
    assertClose(fit.rSquared, 1 - 0.107 / 39.708, 1e-12);
  });
  await t.step("validation", () => {
    assert.throws(() => linearFit([1, 2], [1, 2]), RangeError);
    assert.throws(() => linearFit([1, 1, 1], [1, 2, 3]), RangeError);
    assert.throws(() => linearFit([1, 2, 3], [1, 2]), RangeError);
    assert.throws(() => linearFit([1, 2, NaN], [1, 2, 3]), RangeError);
    assert.throws(
      () => linearFit([1, 2, 3], [1, 2, 3], { confidence: 1 }),
      RangeError,
    );
  });
});

Deno.test("slopePValue", async (t) => {
  await t.step("three points worked by hand (df = 1, a Cauchy t)", () => {
    // x = 0,1,2, y = 0,1,3: slope 3/2, SSE 1/6, se = √(1/12), t = 3√3.
    const fit = linearFit([0, 1, 2], [0, 1, 3]);
    const tStat = 3 * Math.sqrt(3);
    assertClose(fit.slope / fit.slopeStdErr, tStat, 1e-12);
    const greater = 0.5 - Math.atan(tStat) / Math.PI;
    assertClose(slopePValue(fit, { alternative: "greater" }), greater, 1e-12);
    assertClose(slopePValue(fit, { alternative: "less" }), 1 - greater, 1e-12);
    // Against a slope of 3/2 itself: t = 0.
    assertClose(
      slopePValue(fit, { alternative: "less", value: 1.5 }),
      0.5,
      1e-12,
    );
  });
  await t.step("a perfect fit is 0 or 1", () => {
    const fit = linearFit([0, 1, 2, 3], [3, 2, 1, 0]);
    assert.equal(slopePValue(fit, { alternative: "less" }), 0);
    assert.equal(slopePValue(fit, { alternative: "greater" }), 1);
    assert.equal(slopePValue(fit, { alternative: "less", value: -1 }), 1);
  });
});
