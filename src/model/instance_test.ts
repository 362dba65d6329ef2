import assert from "node:assert/strict";
import { initBackend } from "../backend/backends.ts";
import {
  drawInstance,
  flowStatus,
  instanceParams,
  round,
  trainInstance,
} from "./instance.ts";

await initBackend("cpu");

Deno.test("instance", async (t) => {
  await t.step("params are validated with clear messages", () => {
    assert.throws(() => instanceParams({ d: 3, k: 5 }), /d must be ≥ k/);
    assert.throws(() => instanceParams({ k: 1 }), /k must be ≥ 2/);
    assert.throws(
      () => instanceParams({ n: 0 }),
      /n must be a positive integer/,
    );
    assert.equal(instanceParams({ d: 50 }).d, 50);
  });

  await t.step("the same seed replays the same instance and training", () => {
    const params = instanceParams({
      d: 40,
      k: 4,
      n: 20,
      m: 8,
      nTest: 10,
      maxSteps: 3000,
    });
    const a = drawInstance(9, params), b = drawInstance(9, params);
    assert.deepEqual(a.train.x, b.train.x);
    assert.deepEqual(a.init.w, b.init.w);
    const fa = trainInstance(a), fb = trainInstance(b);
    assert.equal(fa.steps, fb.steps);
    assert.deepEqual(fa.weights.v, fb.weights.v);
    assert.equal(flowStatus(fa).status, "ok");
  });

  await t.step("a flow that never separates is not-converged, never ok", () => {
    const params = instanceParams({
      d: 40,
      k: 4,
      n: 20,
      m: 8,
      nTest: 10,
      maxSteps: 5,
    });
    const flow = trainInstance(drawInstance(9, params));
    assert.equal(flow.status, "not-separated");
    assert.equal(flowStatus(flow).status, "not-converged");
  });

  await t.step(
    "a flow stuck at a zero gradient before separating is not-converged",
    () => {
      const stuck = {
        status: "stuck",
        separatedAtStep: -1,
        steps: 3,
      } as Parameters<typeof flowStatus>[0];
      assert.equal(flowStatus(stuck).status, "not-converged");
    },
  );

  await t.step("round", () => {
    assert.equal(round(1.23456, 3), 1.23);
    assert.ok(Number.isNaN(round(NaN, 3)));
  });
});
