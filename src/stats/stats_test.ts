import assert from "node:assert/strict";
import { Rng } from "../model/rng.ts";
import {
  binomialSample,
  clopperPearsonInterval,
  fisherExactLowerTail,
  inverseRegularizedIncompleteBeta,
  linearFit,
  logGamma,
  mean,
  median,
  normalQuantile,
  quantile,
  regularizedIncompleteBeta,
  studentTQuantile,
  wilsonInterval,
} from "./stats.ts";

/** Assert |actual - expected| ≤ tolerance (absolute). */
function assertClose(
  actual: number,
  expected: number,
  tolerance: number,
  message = "",
): void {
  assert.ok(
    Math.abs(actual - expected) <= tolerance,
    `${message} expected ${expected}, got ${actual} (diff ${
      Math.abs(actual - expected)
    } > ${tolerance})`,
  );
}

/** Assert |actual - expected| ≤ tolerance · |expected| (relative). */
function assertRelClose(
  actual: number,
  expected: number,
  tolerance: number,
  message = "",
): void {
  assertClose(actual, expected, tolerance * Math.abs(expected), message);
}

/** Exact binomial coefficient as a BigInt. */
function choose(n: number, k: number): bigint {
  if (k < 0 || k > n) return 0n;
  let result = 1n;
  for (let i = 1; i <= k; i++) {
    result = (result * BigInt(n - k + i)) / BigInt(i);
  }
  return result;
}

/** Ratio of two BigInts as a double, exact to rounding. */
function ratio(numerator: bigint, denominator: bigint): number {
  const scale = 10n ** 30n;
  return Number((numerator * scale) / denominator) / 1e30;
}

/** P(X ≤ c) for the hypergeometric table, with exact BigInt binomials. */
function fisherReference(
  baselinePassed: number,
  baselineTrials: number,
  currentPassed: number,
  currentTrials: number,
): number {
  const total = baselineTrials + currentTrials;
  const passed = baselinePassed + currentPassed;
  let numerator = 0n;
  for (let x = 0; x <= currentPassed; x++) {
    numerator += choose(passed, x) * choose(total - passed, currentTrials - x);
  }
  return ratio(numerator, choose(total, currentTrials));
}

/** P(Bin(n, p) ≥ k) by direct summation, for the incomplete beta identity. */
function binomialUpperTail(n: number, k: number, p: number): number {
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

Deno.test("regularizedIncompleteBeta", async (t) => {
  // Dyadic points, so that 1 - x is exact in the symmetry check.
  const xs = [2 ** -20, 2 ** -7, 0.1875, 0.5, 0.75, 1 - 2 ** -7];
  await t.step("closed forms", () => {
    for (const x of xs) {
      assertClose(regularizedIncompleteBeta(x, 1, 1), x, 1e-14);
      assertRelClose(regularizedIncompleteBeta(x, 3, 1), x ** 3, 1e-13);
      assertClose(
        regularizedIncompleteBeta(x, 1, 4),
        1 - (1 - x) ** 4,
        1e-14,
      );
      assertRelClose(
        regularizedIncompleteBeta(x, 0.5, 0.5),
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
          regularizedIncompleteBeta(x, a, b),
          1 - regularizedIncompleteBeta(1 - x, b, a),
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
            regularizedIncompleteBeta(p, k, n - k + 1),
            binomialUpperTail(n, k, p),
            1e-12,
            `n=${n} k=${k} p=${p}`,
          );
        }
      }
    }
  });
  await t.step("ends and validation", () => {
    assert.equal(regularizedIncompleteBeta(0, 2, 3), 0);
    assert.equal(regularizedIncompleteBeta(1, 2, 3), 1);
    assert.throws(() => regularizedIncompleteBeta(1.1, 2, 3), RangeError);
    assert.throws(() => regularizedIncompleteBeta(0.5, 0, 3), RangeError);
    assert.throws(() => regularizedIncompleteBeta(0.5, 2, -1), RangeError);
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
        const x = inverseRegularizedIncompleteBeta(p, a, b);
        assert.ok(x >= 0 && x <= 1);
        // I(x) = p up to 1e-9 relative, or up to the change of I over a few
        // ulps of x (Beta(0.1, 0.1) puts its 0.975-quantile 1e-13 below 1).
        const step = 4 * Number.EPSILON * x;
        const below = regularizedIncompleteBeta(Math.max(0, x - step), a, b);
        const above = regularizedIncompleteBeta(Math.min(1, x + step), a, b);
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
        inverseRegularizedIncompleteBeta(p, 0.5, 0.5),
        Math.sin((Math.PI * p) / 2) ** 2,
        1e-10,
      );
      // Beta(a, 1): x = p^(1/a)
      assertRelClose(
        inverseRegularizedIncompleteBeta(p, 4, 1),
        p ** 0.25,
        1e-10,
      );
      // Beta(1, b): x = 1 - (1-p)^(1/b)
      assertRelClose(
        inverseRegularizedIncompleteBeta(p, 1, 3),
        -Math.expm1(Math.log1p(-p) / 3),
        1e-10,
      );
    }
  });
  await t.step("quantiles far in the tails", () => {
    // Beta(0.01, 1): x = p^100
    assertRelClose(
      inverseRegularizedIncompleteBeta(1e-3, 0.01, 1),
      1e-300,
      1e-10,
    );
    assertRelClose(
      1 - inverseRegularizedIncompleteBeta(1 - 1e-3, 1, 0.5),
      1e-6,
      1e-8,
    );
    // p^1000 underflows: the quantile is 0 in double precision.
    assert.equal(inverseRegularizedIncompleteBeta(1e-3, 0.001, 1), 0);
  });
  await t.step("ends and validation", () => {
    assert.equal(inverseRegularizedIncompleteBeta(0, 2, 3), 0);
    assert.equal(inverseRegularizedIncompleteBeta(1, 2, 3), 1);
    assert.throws(
      () => inverseRegularizedIncompleteBeta(-0.1, 2, 3),
      RangeError,
    );
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

Deno.test("wilsonInterval", async (t) => {
  await t.step("reference values", () => {
    const { low, high } = wilsonInterval(8, 10);
    assertClose(low, 0.4901625, 1e-7);
    assertClose(high, 0.9433178, 1e-7);
  });
  await t.step("ends", () => {
    assert.deepEqual(wilsonInterval(0, 0), { low: 0, high: 1 });
    assert.equal(wilsonInterval(0, 10).low, 0);
    assert.equal(wilsonInterval(10, 10).high, 1);
    // symmetry in passed ↔ failed
    const a = wilsonInterval(3, 17, 0.9);
    const b = wilsonInterval(14, 17, 0.9);
    assertClose(a.low, 1 - b.high, 1e-14);
    assertClose(a.high, 1 - b.low, 1e-14);
  });
  await t.step("validation", () => {
    assert.throws(() => wilsonInterval(11, 10), RangeError);
    assert.throws(() => wilsonInterval(1.5, 10), RangeError);
    assert.throws(() => wilsonInterval(-1, 10), RangeError);
    assert.throws(() => wilsonInterval(1, 10, 1), RangeError);
    assert.throws(() => wilsonInterval(1, 10, 0), RangeError);
  });
});

Deno.test("clopperPearsonInterval", async (t) => {
  await t.step("reference values", () => {
    let ci = clopperPearsonInterval(8, 10);
    assertClose(ci.low, 0.4439045, 1e-7);
    assertClose(ci.high, 0.9747893, 1e-7);
    ci = clopperPearsonInterval(0, 10);
    assert.equal(ci.low, 0);
    assertClose(ci.high, 0.3084971, 1e-7);
    ci = clopperPearsonInterval(10, 10);
    assertClose(ci.low, 0.6915029, 1e-7);
    assert.equal(ci.high, 1);
    // All-pass closed form: low = (α/2)^(1/n)
    ci = clopperPearsonInterval(50, 50, 0.99);
    assertRelClose(ci.low, 0.005 ** (1 / 50), 1e-12);
    assert.deepEqual(clopperPearsonInterval(0, 0), { low: 0, high: 1 });
  });
  await t.step("contains the point estimate; mirrors passed ↔ failed", () => {
    for (const [k, n] of [[1, 10], [5, 10], [37, 100], [99, 100]]) {
      const cp = clopperPearsonInterval(k, n);
      assert.ok(cp.low < k / n && k / n < cp.high, `${k}/${n}`);
      const mirrored = clopperPearsonInterval(n - k, n);
      assertClose(cp.low, 1 - mirrored.high, 1e-13);
      assertClose(cp.high, 1 - mirrored.low, 1e-13);
    }
  });
  await t.step("covers the true rate at least ~95% of the time", () => {
    const rng = new Rng(20230611n);
    const trials = 30;
    const replicates = 400;
    for (const p of [0.1, 0.5, 0.85]) {
      let covered = 0;
      for (let r = 0; r < replicates; r++) {
        const k = binomialSample(rng, trials, p);
        const { low, high } = clopperPearsonInterval(k, trials);
        if (low <= p && p <= high) covered++;
      }
      // Exact coverage is ≥ 0.95; allow ~2.5 binomial standard errors.
      assert.ok(
        covered / replicates >= 0.925,
        `p=${p}: ${covered}/${replicates}`,
      );
    }
  });
  await t.step("validation", () => {
    assert.throws(() => clopperPearsonInterval(3, 2), RangeError);
    assert.throws(() => clopperPearsonInterval(1, 2.5), RangeError);
    assert.throws(() => clopperPearsonInterval(1, 2, 1.2), RangeError);
  });
});

Deno.test("fisherExactLowerTail", async (t) => {
  await t.step(
    "baseline 19/20 vs current 10/20 against exact BigInt sums",
    () => {
      const p = fisherExactLowerTail(19, 20, 10, 20);
      assertRelClose(p, fisherReference(19, 20, 10, 20), 1e-10);
      assert.ok(p < 0.01);
    },
  );
  await t.step("a grid of tables against exact BigInt sums", () => {
    const tables = [
      [5, 10, 5, 10],
      [10, 10, 0, 10],
      [0, 10, 0, 10],
      [30, 50, 12, 40],
      [3, 7, 6, 9],
      [95, 100, 80, 100],
      [200, 300, 150, 300],
    ];
    for (const [bp, bn, cp, cn] of tables) {
      assertRelClose(
        fisherExactLowerTail(bp, bn, cp, cn),
        fisherReference(bp, bn, cp, cn),
        1e-10,
        `${bp}/${bn} vs ${cp}/${cn}`,
      );
    }
  });
  await t.step("no drop gives a large p-value; edge tables", () => {
    assert.equal(fisherExactLowerTail(5, 10, 10, 10), 1);
    assert.equal(fisherExactLowerTail(5, 10, 0, 0), 1);
    assert.ok(fisherExactLowerTail(10, 20, 10, 20) > 0.5);
  });
  await t.step("validation", () => {
    assert.throws(() => fisherExactLowerTail(21, 20, 10, 20), RangeError);
    assert.throws(() => fisherExactLowerTail(19, 20, 10.5, 20), RangeError);
  });
});

Deno.test("mean, median, quantile", async (t) => {
  const data = [3, 1, 4, 1, 5, 9, 2, 6];
  await t.step("type-7 quantiles", () => {
    assert.equal(quantile(data, 0), 1);
    assert.equal(quantile(data, 1), 9);
    assert.equal(quantile(data, 0.25), 1.75);
    assertClose(quantile(data, 0.1), 1, 1e-15);
    assertClose(quantile(data, 0.9), 6.9, 1e-12);
    assert.equal(median(data), 3.5);
    assert.equal(median(new Float64Array([7, 1, 4])), 4);
    assert.equal(quantile([42], 0.3), 42);
  });
  await t.step("does not reorder its input", () => {
    const copy = [...data];
    quantile(copy, 0.5);
    assert.deepEqual(copy, data);
  });
  await t.step("mean", () => {
    assert.equal(mean(data), 31 / 8);
    assert.equal(mean(new Float64Array([2, 4])), 3);
  });
  await t.step("empty and NaN input", () => {
    assert.ok(Number.isNaN(median([])));
    assert.ok(Number.isNaN(quantile([], 0.2)));
    assert.ok(Number.isNaN(mean([])));
    assert.ok(Number.isNaN(median([1, NaN, 3])));
    assert.throws(() => quantile(data, 1.5), RangeError);
  });
});

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
    assert.throws(() => linearFit([1, 2, 3], [1, 2, 3], 1), RangeError);
  });
});

Deno.test("binomialSample", async (t) => {
  await t.step("degenerate rates", () => {
    const rng = new Rng(7n);
    assert.equal(binomialSample(rng, 25, 0), 0);
    assert.equal(binomialSample(rng, 25, 1), 25);
    assert.equal(binomialSample(rng, 0, 0.5), 0);
  });
  await t.step("mean matches n·p and seeds replay", () => {
    const rng = new Rng(11n);
    let total = 0;
    const draws = 2000;
    for (let i = 0; i < draws; i++) total += binomialSample(rng, 10, 0.3);
    // sd of the mean = sqrt(10·0.3·0.7/2000) ≈ 0.032
    assertClose(total / draws, 3, 0.15);
    assert.equal(
      binomialSample(new Rng(5n), 40, 0.4),
      binomialSample(new Rng(5n), 40, 0.4),
    );
  });
  await t.step("validation", () => {
    assert.throws(() => binomialSample(new Rng(1n), -1, 0.5), RangeError);
    assert.throws(() => binomialSample(new Rng(1n), 3, 1.5), RangeError);
  });
});
