import assert from "node:assert/strict";
import { claims as fakeClaims } from "../../fixtures/fake_claims.ts";
import { fakeWorkerModule } from "../../fixtures/run_options.ts";
import { inProcessRunner, runOnPool, WorkerRunner } from "./worker_pool.ts";
import type { TrialOutcome } from "./scheduler.ts";
import { findConfig } from "./worker.ts";
import type { TrialTask } from "../claims/types.ts";

const lookup = (task: TrialTask) =>
  findConfig(fakeClaims, task, { profile: "ci", trials: null });
const task = { claim: "F1", config: "p=0.9,tag=a", trial: 0, seed: 42 };
const init = {
  type: "init" as const,
  module: fakeWorkerModule.href,
  backend: "cpu",
  profile: "ci" as const,
  trials: null,
  overrides: {},
};

Deno.test("a WorkerRunner runs trials like the main thread", async () => {
  const worker = await WorkerRunner.start(init);
  try {
    const remote = await worker.run(task);
    const local = await inProcessRunner(lookup).run(task);
    // The worker ran initWorker("cpu"); the main thread did not.
    const withoutBackend = (outcome: TrialOutcome) => {
      const result = outcome.result as { values: Record<string, unknown> };
      return { ...result, values: { ...result.values, backend: undefined } };
    };
    assert.equal(
      (remote.result as { values: { backend: string } }).values.backend,
      "cpu",
    );
    assert.deepEqual(withoutBackend(remote), withoutBackend(local));
    assert.equal(worker.failed, false);
    const unknown = await worker.run({ ...task, claim: "Q" });
    assert.equal(unknown.threw, 'unknown claim "Q"');
  } finally {
    worker.close();
  }
  await assert.rejects(
    () => WorkerRunner.start({ ...init, backend: "explode" }),
    /worker initialization failed: backend "explode" is not available/,
  );
});

Deno.test("runOnPool runs every task in-process or on workers", async () => {
  const tasks = [0, 1, 2].map((trial) => ({ ...task, trial, seed: trial }));
  for (const workers of [1, 2]) {
    const done = new Map<number, TrialOutcome>();
    await runOnPool(tasks, {
      workers,
      workerModule: fakeWorkerModule,
      init: { backend: "cpu", profile: "ci", trials: null, overrides: {} },
      lookup,
      onDone: (t, outcome) => done.set(t.trial, outcome),
    });
    assert.deepEqual([...done.keys()].sort(), [0, 1, 2], `${workers}`);
    assert.ok([...done.values()].every((o) => o.threw === undefined));
  }
  await assert.rejects(
    () =>
      runOnPool(tasks, {
        workers: 2,
        init: { backend: "cpu", profile: "ci", trials: null, overrides: {} },
        lookup,
        onDone() {},
      }),
    /workerModule/,
  );
});
