import assert from "node:assert/strict";
import {
  assertClose,
  assertRelClose,
  choose,
} from "../../fixtures/assert_close.ts";
import {
  inverseRegularizedIncompleteBeta,
  logGamma,
  regularizedIncompleteBeta,
} from "./special.ts";

/** P(Bin(n, p) ≥ k) by direct summation, for the incomplete beta identity. */
function binomialUpperTail(
  { n, p }: { n: number; p: number },
  k: number,
): number {
  let sum = 0;
  for (let j = k; j <= n; j++) {
    sum += Number(choose(n, j)) * p ** j * (1 - p) ** (n - j);
  }
  return sum;
}

Deno.test("logGamma", async (t) => {
  await t.step("matches log factorials exactly computed", () => {
    assert.equal(logGamma(1), 0);
    assert.equal(logGamma(2), 0);
    let logFactorial = 0;
    for (let n = 1; n <= 170; n++) {
      logFactorial += Math.log(n);
      assertRelClose(logGamma(n + 1), logFactorial, 1e-13, `n=${n}`);
    }
  });
  await t.step("half-integers and the reflection formula", () => {
    const logSqrtPi = 0.5 * Math.log(Math.PI);
    assertClose(logGamma(0.5), logSqrtPi, 1e-14);
    assertClose(logGamma(1.5), logSqrtPi - Math.log(2), 1e-14);
    // Γ(-0.5) = -2√π, Γ(-1.5) = 4√π/3
    assertClose(logGamma(-0.5), Math.log(2) + logSqrtPi, 1e-14);
    assertClose(logGamma(-1.5), Math.log(4 / 3) + logSqrtPi, 1e-14);
    // Γ(x) ~ 1/x near 0
    assertRelClose(logGamma(1e-8), -Math.log(1e-8), 1e-8);
  });
  await t.step("poles and non-numbers", () => {
    assert.equal(logGamma(0), Infinity);
    assert.equal(logGamma(-3), Infinity);
    assert.ok(Number.isNaN(logGamma(NaN)));
  });
});

Deno.test("regularizedIncompleteBeta", async (t) => {
  // Dyadic points, so that 1 - x is exact in the symmetry check.
  const xs = [2 ** -20, 2 ** -7, 0.1875, 0.5, 0.75, 1 - 2 ** -7];
  await t.step("closed forms", () => {
    for (const x of xs) {
      assertClose(regularizedIncompleteBeta(x, { a: 1, b: 1 }), x, 1e-14);
      assertRelClose(
        regularizedIncompleteBeta(x, { a: 3, b: 1 }),
        x ** 3,
        1e-13,
      );
      assertClose(
        regularizedIncompleteBeta(x, { a: 1, b: 4 }),
        1 - (1 - x) ** 4,
        1e-14,
      );
      assertRelClose(
        regularizedIncompleteBeta(x, { a: 0.5, b: 0.5 }),
        (2 / Math.PI) * Math.asin(Math.sqrt(x)),
        1e-13,
      );
    }
  });
  await t.step("symmetry I_x(a,b) = 1 - I_{1-x}(b,a)", () => {
    const shapes = [[0.3, 2], [2.5, 3.5], [10, 1], [40, 60], [500, 700]];
    for (const [a, b] of shapes) {
      for (const x of xs) {
        assertClose(
          regularizedIncompleteBeta(x, { a, b }),
          1 - regularizedIncompleteBeta(1 - x, { a: b, b: a }),
          1e-13,
          `a=${a} b=${b} x=${x}`,
        );
      }
    }
  });
  await t.step("binomial tail identity I_p(k, n-k+1) = P(Bin(n,p) ≥ k)", () => {
    for (const n of [5, 20, 60]) {
      for (const k of [1, Math.floor(n / 2), n]) {
        for (const p of [0.05, 0.5, 0.9]) {
          assertClose(
            regularizedIncompleteBeta(p, { a: k, b: n - k + 1 }),
            binomialUpperTail({ n, p }, k),
            1e-12,
            `n=${n} k=${k} p=${p}`,
          );
        }
      }
    }
  });
  await t.step("ends and validation", () => {
    assert.equal(regularizedIncompleteBeta(0, { a: 2, b: 3 }), 0);
    assert.equal(regularizedIncompleteBeta(1, { a: 2, b: 3 }), 1);
    assert.throws(
      () => regularizedIncompleteBeta(1.1, { a: 2, b: 3 }),
      RangeError,
    );
    assert.throws(
      () => regularizedIncompleteBeta(0.5, { a: 0, b: 3 }),
      RangeError,
    );
    assert.throws(
      () => regularizedIncompleteBeta(0.5, { a: 2, b: -1 }),
      RangeError,
    );
  });
});

Deno.test("inverseRegularizedIncompleteBeta", async (t) => {
  await t.step("round trip over shapes and probabilities", () => {
    const shapes = [
      [0.1, 0.1],
      [0.5, 0.5],
      [0.3, 7],
      [1, 1],
      [2.5, 3.5],
      [10, 1],
      [1, 200],
      [30, 40],
      [1000, 3000],
    ];
    const ps = [1e-12, 1e-6, 0.001, 0.025, 0.3, 0.5, 0.9, 0.975, 0.999999];
    for (const [a, b] of shapes) {
      for (const p of ps) {
        const x = inverseRegularizedIncompleteBeta(p, { a, b });
        assert.ok(x >= 0 && x <= 1);
        // I(x) = p up to 1e-9 relative, or up to the change of I over a few
        // ulps of x (Beta(0.1, 0.1) puts its 0.975-quantile 1e-13 below 1).
        const step = 4 * Number.EPSILON * x;
        const below = regularizedIncompleteBeta(Math.max(0, x - step), {
          a,
          b,
        });
        const above = regularizedIncompleteBeta(Math.min(1, x + step), {
          a,
          b,
        });
        assert.ok(
          below - 1e-9 * p <= p && p <= above + 1e-9 * p,
          `a=${a} b=${b} p=${p}: I(x ± 4ulp) = [${below}, ${above}]`,
        );
      }
    }
  });
  await t.step("closed forms to 1e-10 (relative for tiny quantiles)", () => {
    for (const p of [1e-10, 1e-4, 0.01, 0.3, 0.5, 0.8, 0.999]) {
      // Beta(½, ½): x = sin²(πp/2)
      assertRelClose(
        inverseRegularizedIncompleteBeta(p, { a: 0.5, b: 0.5 }),
        Math.sin((Math.PI * p) / 2) ** 2,
        1e-10,
      );
      // Beta(a, 1): x = p^(1/a)
      assertRelClose(
        inverseRegularizedIncompleteBeta(p, { a: 4, b: 1 }),
        p ** 0.25,
        1e-10,
      );
      // Beta(1, b): x = 1 - (1-p)^(1/b)
      assertRelClose(
        inverseRegularizedIncompleteBeta(p, { a: 1, b: 3 }),
        -Math.expm1(Math.log1p(-p) / 3),
        1e-10,
      );
    }
  });
  await t.step("quantiles far in the tails", () => {
    // Beta(0.01, 1): x = p^100
    assertRelClose(
      inverseRegularizedIncompleteBeta(1e-3, { a: 0.01, b: 1 }),
      1e-300,
      1e-10,
    );
    assertRelClose(
      1 - inverseRegularizedIncompleteBeta(1 - 1e-3, { a: 1, b: 0.5 }),
      1e-6,
      1e-8,
    );
    // p^1000 underflows: the quantile is 0 in double precision.
    assert.equal(inverseRegularizedIncompleteBeta(1e-3, { a: 0.001, b: 1 }), 0);
  });
  await t.step("ends and validation", () => {
    assert.equal(inverseRegularizedIncompleteBeta(0, { a: 2, b: 3 }), 0);
    assert.equal(inverseRegularizedIncompleteBeta(1, { a: 2, b: 3 }), 1);
    assert.throws(
      () => inverseRegularizedIncompleteBeta(-0.1, { a: 2, b: 3 }),
      RangeError,
    );
  });
});
