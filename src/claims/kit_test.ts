import assert from "node:assert/strict";
import { initBackend } from "../backend/backends.ts";
import { trainInstance } from "../flow/train.ts";
import { drawInstance } from "../model/instance.ts";
import type { FlowResult } from "../flow/mod.ts";
import {
  flowColumns,
  flowStatus,
  instanceParams,
  round,
  selectChecks,
  unlessDegenerate,
  withinFactor,
} from "./kit.ts";

await initBackend("cpu");

Deno.test("instanceParams", async (t) => {
  await t.step("params are validated with clear messages", () => {
    assert.throws(() => instanceParams({ d: 3, k: 5 }), /d must be ≥ k/);
    assert.throws(() => instanceParams({ k: 1 }), /k must be ≥ 2/);
    assert.throws(
      () => instanceParams({ n: 0 }),
      /n must be a positive integer/,
    );
    assert.throws(
      () => instanceParams({ means: "uniform" }),
      /means must be one of orthogonal, gaussian, correlated/,
    );
    assert.throws(
      () => instanceParams({ d: 4, k: 4, means: "correlated" }),
      /correlated means need d ≥ k \+ 1/,
    );
    assert.throws(
      () => instanceParams({ correlation: 1 }),
      /correlation must be in \[0, 1\), got 1/,
    );
    assert.throws(() => instanceParams({ sigma: -1 }), /sigma must be/);
    assert.throws(() => instanceParams({ initScale: 0 }), /initScale must be/);
    assert.throws(() => instanceParams({ stepFraction: 2 }), /stepFraction/);
    assert.equal(instanceParams({ d: 50 }).d, 50);
  });
});

Deno.test("trial status and columns from a flow", async (t) => {
  const params = instanceParams({
    d: 40,
    k: 4,
    n: 20,
    m: 8,
    nTest: 10,
    maxSteps: 3000,
  });

  await t.step("a separating flow is ok and reports its columns", () => {
    const instance = drawInstance(9, params);
    const flow = trainInstance(instance);
    assert.equal(flowStatus(flow).status, "ok");
    const columns = flowColumns(instance, flow);
    assert.equal(columns.steps, flow.steps);
    assert.equal(columns.rho, 0);
    assert.equal(columns.clusters_seen, 4);
  });

  await t.step("a flow that never separates is not-converged, never ok", () => {
    const flow = trainInstance(drawInstance(9, { ...params, maxSteps: 5 }));
    assert.equal(flow.status, "not-separated");
    assert.equal(flowStatus(flow).status, "not-converged");
  });

  await t.step(
    "stuck before separating is not-converged; NaN is an error",
    () => {
      const stuck = { status: "stuck", separatedAtStep: -1, steps: 3 };
      assert.equal(flowStatus(stuck as FlowResult).status, "not-converged");
      const late = { status: "stuck", separatedAtStep: 2, steps: 3 };
      assert.equal(flowStatus(late as FlowResult).status, "ok");
      const diverged = { status: "diverged", separatedAtStep: -1, steps: 3 };
      assert.equal(flowStatus(diverged as FlowResult).status, "error");
    },
  );
});

Deno.test("small helpers", async (t) => {
  await t.step("round", () => {
    assert.equal(round(1.23456, 3), 1.23);
    assert.ok(Number.isNaN(round(NaN, 3)));
    assert.equal(round(Infinity, 3), Infinity);
  });

  await t.step("unlessDegenerate keeps failures as they are", () => {
    const failed = { status: "not-converged" as const, reason: "slow" };
    assert.equal(
      unlessDegenerate(failed, { degenerate: true, reason: "x" }),
      failed,
    );
  });

  await t.step("selectChecks and withinFactor", () => {
    const check = (name: string) => ({
      name,
      description: "",
      target: 0.8,
      expect: "holds" as const,
    });
    const config = {
      key: "k",
      params: {},
      trials: 1,
      checks: [check("b"), check("a")],
    };
    assert.deepEqual(
      Object.entries(selectChecks(config, { a: true, b: false, c: true })),
      [["b", false], ["a", true]],
    );
    assert.ok(withinFactor(1, 4) && withinFactor(0.25, 4));
    assert.ok(!withinFactor(0.24, 4));
  });
});
