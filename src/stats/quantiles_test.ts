import assert from "node:assert/strict";
import { assertClose, assertRelClose } from "../../fixtures/assert_close.ts";
import { normalQuantile, studentTCdf, studentTQuantile } from "./quantiles.ts";

Deno.test("normalQuantile", async (t) => {
  await t.step("reference values", () => {
    assertClose(normalQuantile(0.975), 1.959963985, 1e-9);
    assertClose(normalQuantile(0.995), 2.5758293035489, 1e-12);
    assertClose(normalQuantile(0.9), 1.2815515655446004, 1e-14);
    assertClose(normalQuantile(0.5), 0, 0);
    assertRelClose(normalQuantile(1e-10), -6.361340902404056, 1e-12);
  });
  await t.step("antisymmetric and monotone", () => {
    let previous = -Infinity;
    for (let i = 1; i < 1000; i++) {
      const p = i / 1000;
      const z = normalQuantile(p);
      assert.ok(z > previous);
      previous = z;
      assertClose(z, -normalQuantile(1 - p), 1e-12);
    }
  });
  await t.step("limits and validation", () => {
    assert.equal(normalQuantile(0), -Infinity);
    assert.equal(normalQuantile(1), Infinity);
    assert.throws(() => normalQuantile(1.5), RangeError);
    assert.throws(() => normalQuantile(NaN), RangeError);
  });
});

Deno.test("studentTQuantile", async (t) => {
  await t.step("reference values", () => {
    assertClose(studentTQuantile(0.975, 10), 2.228138852, 1e-9);
    assertClose(studentTQuantile(0.975, 3), 3.182446305284263, 1e-11);
    assertClose(studentTQuantile(0.025, 10), -2.228138852, 1e-9);
    assert.equal(studentTQuantile(0.5, 7), 0);
  });
  await t.step("closed forms for df = 1 (Cauchy) and df = 2", () => {
    // tan(π(p - ½)), written as -cot(πp) or cot(π(1 - p)) near the poles so
    // that the reference itself is well conditioned.
    const cauchy = (p: number): number =>
      p < 0.25
        ? -1 / Math.tan(Math.PI * p)
        : p > 0.75
        ? 1 / Math.tan(Math.PI * (1 - p))
        : Math.tan(Math.PI * (p - 0.5));
    for (const p of [1e-6, 0.01, 0.2, 0.4999, 0.6, 0.95, 0.999]) {
      assertRelClose(
        studentTQuantile(p, 1),
        cauchy(p),
        1e-11,
        `df=1 p=${p}`,
      );
      assertRelClose(
        studentTQuantile(p, 2),
        (2 * p - 1) / Math.sqrt(2 * p * (1 - p)),
        1e-11,
        `df=2 p=${p}`,
      );
    }
  });
  await t.step("tends to the normal quantile", () => {
    assertClose(studentTQuantile(0.975, 1e7), normalQuantile(0.975), 1e-6);
    assert.equal(studentTQuantile(0.975, Infinity), normalQuantile(0.975));
    assert.throws(() => studentTQuantile(0.975, 0), RangeError);
  });
});

Deno.test("studentTCdf", async (t) => {
  await t.step("closed forms at df = 1 and df = 2", () => {
    for (const x of [-7, -1, -0.25, 0, 0.5, 1, 3]) {
      // Cauchy: 1/2 + atan(t)/π; df = 2: 1/2 + t / (2√(2 + t²)).
      assertClose(studentTCdf(x, 1), 0.5 + Math.atan(x) / Math.PI, 1e-14);
      assertClose(
        studentTCdf(x, 2),
        0.5 + x / (2 * Math.sqrt(2 + x * x)),
        1e-14,
      );
    }
  });
  await t.step("inverts studentTQuantile", () => {
    for (const df of [3, 10, 57]) {
      for (const p of [0.001, 0.05, 0.3, 0.975]) {
        assertClose(studentTCdf(studentTQuantile(p, df), df), p, 1e-12);
      }
    }
  });
  await t.step("infinite t and bad arguments", () => {
    assert.equal(studentTCdf(Infinity, 4), 1);
    assert.equal(studentTCdf(-Infinity, 4), 0);
    assert.throws(() => studentTCdf(1, 0), /df/);
    assert.throws(() => studentTCdf(NaN, 3), /NaN/);
  });
});
