import assert from "node:assert/strict";
import { claims as fakeClaims } from "../../fixtures/fake_claims.ts";
import { claimChecks, configsAt, planRun, taskKey } from "./plan.ts";
import { trialSeed } from "../model/rng.ts";
import type { CheckSpec, ClaimSpec } from "../claims/types.ts";

const main: CheckSpec = {
  name: "main",
  description: "",
  target: 0.8,
  expect: "holds",
};

Deno.test("planRun: every trial in order, seeds and running indices", () => {
  const plan = planRun(fakeClaims, { profile: "ci", seed: 7 });
  assert.equal(plan.trials.length, 27);
  assert.deepEqual(plan.trials.map((t) => t.index), [...Array(27).keys()]);
  const first = plan.trials[0].task;
  assert.deepEqual(first, {
    claim: "F1",
    config: "p=0.9,tag=a",
    trial: 0,
    seed: trialSeed(7, { claim: "F1", config: "p=0.9,tag=a", trial: 0 }),
  });
  assert.deepEqual(plan.claims.map((c) => c.checks.map((s) => s.name)), [
    ["heads", "control"],
    ["small"],
  ]);
  const two = planRun(fakeClaims, { profile: "ci", seed: 7, trials: 2 });
  assert.equal(two.trials.length, 8);
  assert.ok(two.claims.every((c) => c.configs.every((k) => k.trials === 2)));
});

Deno.test("planRun rejects duplicates and bad trial counts", () => {
  const claim = fakeClaims[1];
  assert.throws(
    () => planRun([claim, claim], { profile: "ci", seed: 1 }),
    /claim F2 is listed twice/,
  );
  const twice: ClaimSpec = {
    ...claim,
    configs: () => [...claim.configs("ci"), claim.configs("ci")[0]],
  };
  assert.throws(
    () => planRun([twice], { profile: "ci", seed: 1 }),
    /configuration "n=1" is listed twice/,
  );
  const half: ClaimSpec = {
    ...claim,
    configs: () => [{ ...claim.configs("ci")[0], trials: 1.5 }],
  };
  assert.throws(
    () => planRun([half], { profile: "ci", seed: 1 }),
    /trials must be a non-negative integer, got 1.5/,
  );
});

Deno.test("configsAt, claimChecks and taskKey", () => {
  assert.deepEqual(
    configsAt(fakeClaims[1], { profile: "ci", trials: null }).map((c) =>
      c.trials
    ),
    [6, 6],
  );
  assert.deepEqual(
    claimChecks([
      { key: "a", params: {}, checks: [main], trials: 1 },
      { key: "b", params: {}, checks: [main], trials: 1 },
    ]),
    [main],
  );
  assert.notEqual(
    taskKey({ claim: "C1", config: "a", trial: 1, seed: 0 }),
    taskKey({ claim: "C1", config: "a1", trial: 0, seed: 0 }),
  );
});

Deno.test("conflicting check declarations throw", () => {
  assert.throws(
    () =>
      claimChecks([
        { key: "a", params: {}, checks: [main], trials: 1 },
        {
          key: "b",
          params: {},
          checks: [{ ...main, target: 0.5 }],
          trials: 1,
        },
      ]),
    /different target or expect/,
  );
});
