import assert from "node:assert/strict";
import {
  assertClose,
  assertRelClose,
  choose,
} from "../../fixtures/assert_close.ts";
import { Rng } from "../model/rng.ts";
import {
  binomialLowerTail,
  binomialUpperTail,
  clopperPearsonInterval,
  fisherExactLowerTail,
  type PassCount,
  wilsonInterval,
} from "./proportions.ts";
import { binomialSample } from "./sampling.ts";

/** Ratio of two BigInts as a double, exact to rounding. */
function ratio(numerator: bigint, denominator: bigint): number {
  const scale = 10n ** 30n;
  return Number((numerator * scale) / denominator) / 1e30;
}

/** P(X ≤ current.passed) for the hypergeometric table, with exact BigInt binomials. */
function fisherReference(baseline: PassCount, current: PassCount): number {
  const total = baseline.trials + current.trials;
  const passed = baseline.passed + current.passed;
  let numerator = 0n;
  for (let x = 0; x <= current.passed; x++) {
    numerator += choose(passed, x) * choose(total - passed, current.trials - x);
  }
  return ratio(numerator, choose(total, current.trials));
}

/** A pass count from `[passed, trials]`. */
function count([passed, trials]: number[]): PassCount {
  return { passed, trials };
}

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
    const a = wilsonInterval(3, 17, { confidence: 0.9 });
    const b = wilsonInterval(14, 17, { confidence: 0.9 });
    assertClose(a.low, 1 - b.high, 1e-14);
    assertClose(a.high, 1 - b.low, 1e-14);
  });
  await t.step("validation", () => {
    assert.throws(() => wilsonInterval(11, 10), RangeError);
    assert.throws(() => wilsonInterval(1.5, 10), RangeError);
    assert.throws(() => wilsonInterval(-1, 10), RangeError);
    assert.throws(() => wilsonInterval(1, 10, { confidence: 1 }), RangeError);
    assert.throws(() => wilsonInterval(1, 10, { confidence: 0 }), RangeError);
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
    ci = clopperPearsonInterval(50, 50, { confidence: 0.99 });
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
        const k = binomialSample(rng, { trials, p });
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
    assert.throws(
      () => clopperPearsonInterval(1, 2, { confidence: 1.2 }),
      RangeError,
    );
  });
});

Deno.test("fisherExactLowerTail", async (t) => {
  await t.step(
    "baseline 19/20 vs current 10/20 against exact BigInt sums",
    () => {
      const baseline = count([19, 20]), current = count([10, 20]);
      const p = fisherExactLowerTail(baseline, current);
      assertRelClose(p, fisherReference(baseline, current), 1e-10);
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
      const baseline = count([bp, bn]), current = count([cp, cn]);
      assertRelClose(
        fisherExactLowerTail(baseline, current),
        fisherReference(baseline, current),
        1e-10,
        `${bp}/${bn} vs ${cp}/${cn}`,
      );
    }
  });
  await t.step("no drop gives a large p-value; edge tables", () => {
    assert.equal(fisherExactLowerTail(count([5, 10]), count([10, 10])), 1);
    assert.equal(fisherExactLowerTail(count([5, 10]), count([0, 0])), 1);
    assert.ok(fisherExactLowerTail(count([10, 20]), count([10, 20])) > 0.5);
  });
  await t.step("validation", () => {
    assert.throws(
      () => fisherExactLowerTail(count([21, 20]), count([10, 20])),
      /baselinePassed \(21\) must not exceed baselineTrials \(20\)/,
    );
    assert.throws(
      () => fisherExactLowerTail(count([19, 20]), count([10.5, 20])),
      /currentPassed must be a non-negative integer/,
    );
  });
});

/** P(Bin(n, num/den) in [from, to]) exactly, with BigInt arithmetic. */
function binomialReference(
  n: number,
  rate: { num: number; den: number; from: number; to: number },
): number {
  const { num, den, from, to } = rate;
  let numerator = 0n;
  for (let j = from; j <= to; j++) {
    numerator += choose(n, j) * BigInt(num) ** BigInt(j) *
      BigInt(den - num) ** BigInt(n - j);
  }
  return tinyRatio(numerator, BigInt(den) ** BigInt(n));
}

/** A ratio of BigInts as a double with full relative precision, however small. */
function tinyRatio(numerator: bigint, denominator: bigint): number {
  if (numerator === 0n) return 0;
  const bits = (x: bigint) => x.toString(2).length;
  const shift = Math.max(0, bits(denominator) - bits(numerator) + 64);
  return Number((numerator << BigInt(shift)) / denominator) / 2 ** shift;
}

Deno.test("binomial tails", async (t) => {
  await t.step("hand-computed values", () => {
    // 20/20 at a target of 0.8: 0.8^20; a control 0/30 at the ceiling 0.2: 0.8^30.
    assertRelClose(
      binomialUpperTail(count([20, 20]), 0.8),
      0.011529215046068483,
      1e-13,
    );
    assertRelClose(
      binomialLowerTail(count([0, 30]), 0.2),
      0.0012379400392853823,
      1e-13,
    );
    // P(X ≥ 9 | 10, 1/2) = (C(10,9) + C(10,10)) / 2^10 = 11/1024.
    assertRelClose(binomialUpperTail(count([9, 10]), 0.5), 11 / 1024, 1e-14);
    // P(X ≤ 1 | 20, 0.2) = 0.8^20 + 20·0.2·0.8^19 = 4.8·0.8^19.
    assertRelClose(
      binomialLowerTail(count([1, 20]), 0.2),
      4.8 * 0.8 ** 19,
      1e-13,
    );
    assertClose(binomialUpperTail(count([2, 3]), 0.5), 0.5, 1e-15);
  });
  await t.step("against exact sums", () => {
    for (const n of [1, 7, 30, 100]) {
      for (const [num, den] of [[1, 5], [4, 5], [1, 2], [19, 20]]) {
        for (let k = 0; k <= n; k += Math.max(1, Math.floor(n / 7))) {
          const upper = binomialReference(n, { num, den, from: k, to: n });
          const lower = binomialReference(n, { num, den, from: 0, to: k });
          const where = `n=${n} p=${num}/${den} k=${k}`;
          assertRelClose(
            binomialUpperTail(count([k, n]), num / den),
            upper,
            1e-11,
            where,
          );
          assertRelClose(
            binomialLowerTail(count([k, n]), num / den),
            lower,
            1e-11,
            where,
          );
        }
      }
    }
  });
  await t.step("edges: no trials, all or none passing, p at 0 or 1", () => {
    assert.equal(binomialUpperTail(count([0, 0]), 0.8), 1);
    assert.equal(binomialLowerTail(count([0, 0]), 0.2), 1);
    assert.equal(binomialUpperTail(count([0, 12]), 0.3), 1);
    assert.equal(binomialLowerTail(count([12, 12]), 0.3), 1);
    assert.equal(binomialUpperTail(count([1, 5]), 0), 0);
    assert.equal(binomialLowerTail(count([4, 5]), 1), 0);
    assert.equal(binomialUpperTail(count([5, 5]), 1), 1);
  });
  await t.step("bad arguments throw", () => {
    assert.throws(() => binomialUpperTail(count([3, 2]), 0.5), /exceed/);
    assert.throws(() => binomialLowerTail(count([1, 2]), 1.5), /p must be/);
  });
});
