import assert from "node:assert/strict";
import { initBackend } from "../backend/backends.ts";
import { Rng } from "../model/rng.ts";
import {
  exactCases,
  randomCase,
  singleNeuronCase,
} from "../../fixtures/attack_cases.ts";
import { randomUnitVector } from "./flips.ts";
import {
  atLeastQuantile,
  atMostQuantile,
  radiusViolations,
  ratios,
  robustnessOf,
  soundnessReason,
} from "./robustness.ts";

await initBackend("cpu");

Deno.test("robustnessOf brackets the exact radius of the exact cases", () => {
  for (const [name, c] of Object.entries(exactCases(11))) {
    const report = robustnessOf(c.weights, c.points, { targets: c.targets });
    assert.equal(report.correct.length, c.exact.length, name);
    assert.deepEqual(report.violations, [], name);
    report.correct.forEach((i, j) => {
      const r = c.exact[i];
      assert.ok(report.certified[j] <= r * (1 + 1e-9), `${name} certified`);
      assert.ok(report.attack[j] >= r * (1 - 1e-9), `${name} attack`);
      // The ensemble reaches the exact radius on these cases.
      assert.ok(report.attack[j] <= r * (1 + 1e-6), `${name} attack tight`);
    });
    const found = Object.values(report.foundBy).reduce((a, b) => a + b, 0);
    assert.equal(found, report.correct.length);
    assert.equal(report.foundBy.none, 0);
  }
});

Deno.test("robustnessOf on random networks: sound, with analytic and random radii", () => {
  const d = 20, m = 50, n = 24;
  const { weights, points, rng } = randomCase(5, { d, m, n });
  const directions = [randomUnitVector(rng, d), randomUnitVector(rng, d)];
  const report = robustnessOf(weights, points, {
    direction: rng.normalArray(d),
    randomDirections: directions,
  });
  assert.deepEqual(report.violations, []);
  assert.ok(report.correct.length > 0);
  for (
    const key of ["certified", "attack", "analytic", "random", "norms"] as const
  ) {
    assert.equal(report[key].length, report.correct.length, key);
  }
  report.correct.forEach((i, j) => {
    // The best attack is at most any single direction's flip radius.
    assert.ok(report.attack[j] <= report.brackets[i].attack);
    assert.ok(report.certified[j] <= report.analytic[j] * (1 + 1e-9));
    assert.ok(report.certified[j] <= report.random[j] * (1 + 1e-9));
  });
});

Deno.test("radius violations: any radius below a certificate, and the reason", () => {
  const bracket = {
    certified: 2,
    attack: 1.5,
    foundBy: "fmn" as const,
    perturbation: null,
    radii: { deepfool: 3, fmn: 1.5, malt: 2 },
    analytic: 1.9,
    width: -0.5,
  };
  const found = radiusViolations([bracket], { random: [1] });
  assert.deepEqual(found.map((v) => v.source), ["fmn", "analytic", "random"]);
  assert.match(
    soundnessReason(found, { network: "N*" }),
    /^soundness: 3 verified flips of N\* below .*fmn at attacked point 0, radius 1\.5 < certified 2/,
  );
  // A misclassified point (certified 0, radius 0) is no violation, and is left out.
  const net = { d: 2, m: 1, w: [1, 0], b: [-1], v: [1] }; // relu(x1 - 1)
  const report = robustnessOf(net, { x: [3, 0, 0.5, 0], y: [1, 1] });
  assert.deepEqual(report.correct, [0]);
  assert.equal(report.certified[0], 2);
  assert.deepEqual(report.violations, []);
});

Deno.test("share quantiles decide 'at least a share' exactly", () => {
  const rng = new Rng(4);
  for (let trial = 0; trial < 50; trial++) {
    const n = 1 + rng.int(40);
    const values = Array.from(rng.normalArray(n));
    const share = [0.5, 0.8, 0.9, 1][rng.int(4)];
    const t = rng.normal();
    const atMost = values.filter((v) => v <= t).length >= share * n - 1e-9;
    assert.equal(atMostQuantile(values, share) <= t, atMost);
    const atLeast = values.filter((v) => v >= t).length >= share * n - 1e-9;
    assert.equal(atLeastQuantile(values, share) >= t, atLeast);
  }
  assert.ok(Number.isNaN(atMostQuantile([], 0.9)));
  assert.throws(() => atMostQuantile([1], 0), /share/);
  assert.deepEqual(ratios([2, 4], [1, 0]), [2]);
});

Deno.test("robustnessOf a cubic network: brackets the exact radius, no violation", () => {
  // The single-neuron case of exactCases(11) (its seed 12), cubed: every
  // point has the label y = sign(v), and −y·u = −w for u = y·w.
  const c = singleNeuronCase(new Rng(12), { d: 30, count: 12, power: 3 });
  const y = c.points.y[0];
  const report = robustnessOf(c.weights, c.points, {
    targets: c.targets,
    direction: c.weights.w.map((wt) => y * wt),
    randomDirections: [randomUnitVector(new Rng(3), 30)],
  });
  assert.equal(report.correct.length, c.exact.length);
  assert.deepEqual(report.violations, []);
  assert.equal(report.unverified, 0);
  report.correct.forEach((i, j) => {
    const r = c.exact[i];
    assert.ok(report.certified[j] <= r);
    assert.ok(report.certified[j] >= r * (1 - 1e-11));
    for (const radius of [report.attack[j], report.analytic[j]]) {
      assert.ok(radius >= r * (1 - 1e-12) && radius <= r * (1 + 1e-8));
    }
    assert.ok(report.random[j] >= report.certified[j]);
  });
});
