import assert from "node:assert/strict";
import { claims as fakeClaims } from "../../fixtures/fake_claims.ts";
import { errorMessage, findConfig, type WorkerReply } from "./worker.ts";

/** Send a message to a worker and wait for its reply. */
function ask(worker: Worker, message: unknown): Promise<WorkerReply> {
  return new Promise((resolve) => {
    worker.onmessage = (event) => resolve(event.data as WorkerReply);
    worker.postMessage(message);
  });
}

const task = { claim: "F1", config: "p=0.9,tag=a", trial: 3, seed: 123456789 };

Deno.test("findConfig applies the trials override and names unknowns", () => {
  const { claim, config } = findConfig(fakeClaims, task, "ci", 2);
  assert.equal(claim.id, "F1");
  assert.equal(config.trials, 2);
  assert.equal(findConfig(fakeClaims, task, "ci", null).config.trials, 10);
  assert.throws(
    () => findConfig(fakeClaims, { ...task, claim: "Z" }, "ci", null),
    /unknown claim "Z"/,
  );
  assert.throws(
    () => findConfig(fakeClaims, { ...task, config: "nope" }, "ci", null),
    /no configuration "nope"/,
  );
  assert.equal(errorMessage(new Error("m")), "m");
  assert.equal(errorMessage("s"), "s");
});

Deno.test("the worker runs trials exactly like the main thread", async () => {
  const worker = new Worker(new URL("./worker.ts", import.meta.url), {
    type: "module",
  });
  try {
    const early = await ask(worker, { type: "trial", task });
    assert.equal(early.type, "threw");
    const module =
      new URL("../../fixtures/fake_claims.ts", import.meta.url).href;
    const init = {
      type: "init",
      module,
      backend: "wasm",
      profile: "ci",
      trials: null,
    };
    assert.deepEqual(await ask(worker, init), { type: "ready" });
    const reply = await ask(worker, { type: "trial", task });
    assert.equal(reply.type, "result");
    const { claim, config } = findConfig(fakeClaims, task, "ci", null);
    const local = await claim.runTrial(task, config);
    if (reply.type !== "result") throw new Error("unreachable");
    assert.equal((reply.result as typeof local).values.backend, "wasm");
    assert.deepEqual(
      { ...(reply.result as typeof local), values: {} },
      { ...local, values: {} },
    );
    assert.equal((reply.result as typeof local).values.u, local.values.u);
    assert.ok(reply.ms >= 0);
    const unknown = await ask(worker, {
      type: "trial",
      task: { ...task, claim: "Q" },
    });
    assert.deepEqual(
      unknown.type === "threw" && unknown.message,
      'unknown claim "Q"',
    );
    // F2 throws on some seeds: the message comes back.
    let threw: WorkerReply | null = null;
    for (let trial = 0; trial < 40 && threw === null; trial++) {
      const r = await ask(worker, {
        type: "trial",
        task: { claim: "F2", config: "n=1", trial, seed: trial },
      });
      if (r.type === "threw") threw = r;
    }
    assert.ok(threw !== null && threw.type === "threw");
    assert.match(threw.message, /^diverged at step/);
  } finally {
    worker.terminate();
  }
});

Deno.test("a failing init is reported, not thrown", async () => {
  const worker = new Worker(new URL("./worker.ts", import.meta.url), {
    type: "module",
  });
  try {
    const module =
      new URL("../../fixtures/fake_claims.ts", import.meta.url).href;
    const explode = await ask(worker, {
      type: "init",
      module,
      backend: "explode",
      profile: "ci",
      trials: null,
    });
    assert.equal(explode.type, "init-error");
    const missing = await ask(worker, {
      type: "init",
      module: new URL("./no_such_module.ts", import.meta.url).href,
      backend: "cpu",
      profile: "ci",
      trials: null,
    });
    assert.equal(missing.type, "init-error");
  } finally {
    worker.terminate();
  }
});
