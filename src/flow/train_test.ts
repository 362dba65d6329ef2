import assert from "node:assert/strict";
import { initBackend } from "../backend/backends.ts";
import { defaultInstance, drawInstance } from "../model/instance.ts";
import { trainInstance } from "./train.ts";

await initBackend("cpu");

const params = {
  ...defaultInstance,
  d: 40,
  k: 4,
  n: 20,
  m: 8,
  nTest: 10,
  maxSteps: 3000,
};

Deno.test("trainInstance", async (t) => {
  await t.step("the same seed replays the same training", () => {
    const fa = trainInstance(drawInstance(9, params));
    const fb = trainInstance(drawInstance(9, params));
    assert.equal(fa.steps, fb.steps);
    assert.deepEqual(fa.weights.v, fb.weights.v);
    assert.notEqual(fa.status, "not-separated");
  });

  await t.step(
    "the instance's step budget, unless the options override it",
    () => {
      const short = trainInstance(drawInstance(9, { ...params, maxSteps: 5 }));
      assert.equal(short.status, "not-separated");
      assert.equal(short.steps, 5);
      const shorter = trainInstance(drawInstance(9, params), { maxSteps: 3 });
      assert.equal(shorter.steps, 3);
    },
  );
});
