import assert from "node:assert/strict";
import { runAll, type Runner } from "./scheduler.ts";
import type { TrialTask } from "../claims/types.ts";

const tasks: TrialTask[] = Array.from({ length: 6 }, (_, trial) => ({
  claim: "C1",
  config: "k",
  trial,
  seed: trial,
}));

Deno.test("runAll runs every task once on its lanes and closes every runner", async () => {
  let made = 0;
  let closed = 0;
  const seen: number[] = [];
  await runAll(tasks, {
    lanes: 3,
    makeRunner: () => {
      made++;
      return Promise.resolve({
        run: (task) => Promise.resolve({ result: task.trial, ms: 1 }),
        close: () => closed++,
      });
    },
    onDone: (task, outcome) => {
      assert.equal(outcome.result, task.trial);
      seen.push(task.trial);
    },
  });
  assert.deepEqual(seen.sort(), [0, 1, 2, 3, 4, 5]);
  assert.equal(made, 3);
  assert.equal(closed, 3);
  await runAll([], { lanes: 4, makeRunner: () => assert.fail(), onDone() {} });
});

Deno.test("runAll replaces a failed runner and stops at the first error", async () => {
  let made = 0;
  const makeRunner = (): Promise<Runner> => {
    made++;
    let failed = false;
    return Promise.resolve({
      run: (task) => {
        if (task.trial === 1) failed = true;
        return Promise.resolve({ ms: 0 });
      },
      close() {},
      get failed() {
        return failed;
      },
    });
  };
  const done: number[] = [];
  await runAll(tasks, {
    lanes: 1,
    makeRunner,
    onDone: (task) => done.push(task.trial),
  });
  assert.deepEqual(done, [0, 1, 2, 3, 4, 5]);
  assert.equal(made, 2, "the runner that failed on trial 1 was replaced");
  const stop = new Error("stop");
  let after = 0;
  await assert.rejects(
    () =>
      runAll(tasks, {
        lanes: 1,
        makeRunner,
        onDone: (task) => {
          if (task.trial === 2) throw stop;
          after++;
        },
      }),
    (e) => e === stop,
  );
  assert.equal(after, 2);
});
