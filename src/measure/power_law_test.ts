import assert from "node:assert/strict";
import { Rng } from "../model/rng.ts";
import { fitPowerLaw, type PowerLawCell, testLaw } from "./power_law.ts";

/** A 4×4 grid with r = d^a·k^b·e^(noise) and `trials` values per cell. */
function grid(
  rng: Rng,
  law: { a: number; b: number; noise: number; trials: number },
): PowerLawCell[] {
  const cells: PowerLawCell[] = [];
  for (const d of [500, 1000, 2000, 4000]) {
    for (const k of [5, 10, 20, 40]) {
      cells.push({
        d,
        k,
        values: Array.from(
          { length: law.trials },
          () => d ** law.a * k ** law.b * Math.exp(law.noise * rng.normal()),
        ),
      });
    }
  }
  return cells;
}

const LAWS = [
  { name: "√(d/k)", a: 0.5, b: -0.5 },
  { name: "√d", a: 0.5, b: 0 },
  { name: "d/k", a: 1, b: -1 },
  { name: "√(dk)", a: 0.5, b: 0.5 },
];

Deno.test("fitPowerLaw recovers (a, b) and each law selects itself alone", () => {
  const rng = new Rng(8);
  for (const truth of LAWS) {
    const fit = fitPowerLaw(grid(rng, { ...truth, noise: 0.05, trials: 10 }));
    assert.ok(Math.abs(fit.a - truth.a) < 0.05, `${truth.name} a ${fit.a}`);
    assert.ok(Math.abs(fit.b - truth.b) < 0.05, `${truth.name} b ${fit.b}`);
    assert.ok(fit.aCi.low < fit.a && fit.a < fit.aCi.high);
    const inside = LAWS.filter((law) =>
      testLaw(fit, law, { tolerance: 0.05 }).inside
    );
    assert.deepEqual(inside.map((l) => l.name), [truth.name]);
  }
});

Deno.test("the slope against log(d/k) cannot tell √(d/k) from d, the joint fit can", () => {
  // r ∝ d: on a symmetric grid the slope of log r against log(d/k) is
  // (a − b)/2 = ½, as for √(d/k); the joint fit puts (a, b) at (1, 0).
  const rng = new Rng(2);
  const fit = fitPowerLaw(grid(rng, { a: 1, b: 0, noise: 0.02, trials: 5 }));
  assert.ok(Math.abs(fit.a - 1) < 0.02 && Math.abs(fit.b) < 0.02);
  const sqrtDOverK = testLaw(fit, LAWS[0], { tolerance: 0.1 });
  assert.equal(sqrtDOverK.inside, false);
  assert.ok(sqrtDOverK.pValue < 1e-6);
});

Deno.test("lack of fit widens the region: curvature is not hidden by many trials", () => {
  const straight = grid(new Rng(3), {
    a: 0.5,
    b: -0.5,
    noise: 0.01,
    trials: 50,
  });
  const curved = straight.map((cell) => ({
    ...cell,
    values: cell.values.map((v) => v * Math.exp(0.2 * Math.log(cell.k) ** 2)),
  }));
  const clean = fitPowerLaw(straight);
  const fit = fitPowerLaw(curved);
  // The trial noise of a cell median is ~0.01/√50; the residuals are the curvature.
  assert.ok(fit.residualSd > 10 * fit.withinSe);
  assert.ok(clean.residualSd < 3 * clean.withinSe);
  assert.ok(fit.resolution > 10 * clean.resolution);
});

Deno.test("testLaw: tolerance disc, p-value formula and degenerate inputs", async (t) => {
  const rng = new Rng(4);
  const fit = fitPowerLaw(
    grid(rng, { a: 0.55, b: -0.5, noise: 0.01, trials: 5 }),
  );
  await t.step("a disc that contains the fit gives Q = 0, p = 1", () => {
    const law = { name: "x", a: 0.5, b: -0.5 };
    const test = testLaw(fit, law, { tolerance: 0.1 });
    assert.equal(test.q, 0);
    assert.equal(test.pValue, 1);
  });
  await t.step("Q_τ is the minimum of Q over the disc", () => {
    const law = { name: "√d", a: 0.5, b: 0 };
    const tol = 0.2;
    const test = testLaw(fit, law, { tolerance: tol });
    const [vaa, vab, vbb] = fit.covariance;
    const det = vaa * vbb - vab * vab;
    let best = Infinity;
    for (let i = 0; i < 20000; i++) {
      const angle = (2 * Math.PI * i) / 20000;
      const da = law.a + tol * Math.cos(angle) - fit.a;
      const db = law.b + tol * Math.sin(angle) - fit.b;
      best = Math.min(
        best,
        (vbb * da * da - 2 * vab * da * db + vaa * db * db) / det,
      );
    }
    assert.ok(Math.abs(test.q - best) <= 1e-6 * best);
    const nu = fit.df;
    assert.ok(
      Math.abs(test.pValue - (1 + test.q / nu) ** (-nu / 2)) < 1e-15,
    );
  });
  await t.step("the region quantile has p = 1 − confidence", () => {
    const nu = fit.df;
    const p = (1 + fit.regionQuantile / nu) ** (-nu / 2);
    assert.ok(Math.abs(p - 0.05) < 1e-12);
  });
  await t.step("too few cells or collinear sizes throw", () => {
    const cells = [1, 2, 3].map((j) => ({ d: 100 * j, k: j + 1, values: [1] }));
    assert.throws(() => fitPowerLaw(cells), /need at least 4/);
    const line = [1, 2, 3, 4, 5].map((j) => ({
      d: 100 * j,
      k: 10 * j,
      values: [j],
    }));
    assert.throws(() => fitPowerLaw(line), /collinear/);
  });
});
