import assert from "node:assert/strict";
import { initBackend } from "../backend/backends.ts";
import { defaultInstance, drawInstance } from "../model/instance.ts";
import {
  oneLabelColumns,
  oneLabelTwin,
  singleMeanAlignment,
  twinStatus,
} from "./c4_one_label_twin.ts";
import { robustNetwork } from "../measure/constructions.ts";

await initBackend("cpu");

Deno.test("C4 one-label twin on a small instance: sound brackets, correct points only, replayable", () => {
  const params = { ...defaultInstance, d: 120, k: 4, n: 24, m: 16, nTest: 12 };
  const run = () => {
    const instance = drawInstance(11, params);
    return oneLabelTwin(instance, { points: instance.test, pairs: 1 });
  };
  const twin = run();
  assert.equal(twin.violations, 0);
  assert.equal(twin.certified.length, twin.attack.length);
  assert.equal(twin.norms.length, twin.attack.length);
  assert.ok(twin.attack.length > 0 && twin.attack.length <= 12);
  twin.certified.forEach((c, i) => assert.ok(c <= twin.attack[i] + 1e-9));
  assert.ok(twin.significant > 0);
  assert.ok(twin.meanAlignment >= -1 && twin.meanAlignment <= 1);
  assert.deepEqual(run(), twin);
});

Deno.test("C4 one-label twin status: a stationary stop is finished, a budget run is not", () => {
  const at = { steps: 10, separatedAtStep: -1 };
  assert.equal(twinStatus({ ...at, status: "stuck" }).status, "ok");
  assert.equal(twinStatus({ ...at, status: "converged" }).status, "ok");
  assert.equal(
    twinStatus({ ...at, status: "not-separated" }).status,
    "not-converged",
  );
  assert.equal(twinStatus({ ...at, status: "diverged" }).status, "error");
});

Deno.test("C4 one-label columns: every radius in units of √(d/k), medians also in √d", () => {
  const twin = {
    flow: { status: "stuck", steps: 7, normalizedMargin: 0 } as never,
    certified: [2, 4, 6],
    attack: [4, 8, Infinity],
    norms: [10, 10, 10],
    meanAlignment: 0.8,
    classAlignment: 0.2,
    significant: 3,
    inactiveTraining: 1,
    unverified: 0,
    violations: 0,
  };
  const c = oneLabelColumns(twin, {
    d: 16,
    scale: 2,
    share: 0.9,
    threshold: 2,
  });
  assert.equal(c.one_label_points, 3);
  assert.equal(c.one_label_attack_median, 4);
  assert.equal(c.one_label_attack_q90, Infinity);
  assert.equal(c.one_label_certified_median, 2);
  assert.equal(c.one_label_attack_median_over_sqrt_d, 2);
  assert.ok(
    Math.abs(Number(c.one_label_frac_certified_threshold) - 2 / 3) < 1e-4,
  );
  assert.equal(c.one_label_median_radius_over_norm, 0.8);
  assert.equal(c.one_label_inactive_training_points, 1);
  assert.equal(c.one_label_flow_status, "stuck");
});

Deno.test("C4 single-mean alignment: N*'s neurons lie on single means", () => {
  const instance = drawInstance(3, {
    ...defaultInstance,
    d: 50,
    k: 5,
    n: 10,
    m: 4,
    nTest: 2,
  });
  const aligned = singleMeanAlignment(robustNetwork(instance.model), instance);
  assert.ok(Math.abs(aligned - 1) < 1e-12);
});
