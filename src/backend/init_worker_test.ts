import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import { initWorker } from "./init_worker.ts";
import { backendAvailable } from "./backends.ts";
import { loadOpenBlas } from "./openblas.ts";

Deno.test("initWorker selects the backend", async () => {
  await initWorker("cpu");
  assert.equal(tf.getBackend(), "cpu");
});

Deno.test({
  name: "initWorker runs OpenBLAS on the threads asked for (one by default)",
  ignore: !backendAvailable("blas"),
  fn: async () => {
    await initWorker("blas");
    assert.equal(loadOpenBlas()!.threads(), 1);
    await initWorker("blas", 2);
    assert.equal(loadOpenBlas()!.threads(), 2);
    await initWorker("cpu");
    loadOpenBlas()!.setThreads(1);
  },
});
