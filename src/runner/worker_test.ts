import assert from "node:assert/strict";
import { claims as fakeClaims } from "../../fixtures/fake_claims.ts";
import { findConfig, type WorkerReply } from "./worker.ts";

/** Send a message to a worker and wait for its reply. */
function ask(worker: Worker, message: unknown): Promise<WorkerReply> {
  return new Promise((resolve) => {
    worker.onmessage = (event) => resolve(event.data as WorkerReply);
    worker.postMessage(message);
  });
}

const task = { claim: "F1", config: "p=0.9,tag=a", trial: 3, seed: 123456789 };

/** A worker running `worker.ts`. */
function startWorker(): Worker {
  return new Worker(new URL("./worker.ts", import.meta.url), {
    type: "module",
  });
}

/** An init message for the fake claims (backend `cpu`), with changes. */
function initMessage(changes: Record<string, unknown> = {}) {
  return {
    type: "init",
    module: new URL("../../fixtures/fake_claims.ts", import.meta.url).href,
    backend: "cpu",
    profile: "ci",
    trials: null,
    ...changes,
  };
}

Deno.test("findConfig applies the trials override and names unknowns", () => {
  const { claim, config } = findConfig(fakeClaims, task, {
    profile: "ci",
    trials: 2,
  });
  assert.equal(claim.id, "F1");
  assert.equal(config.trials, 2);
  assert.equal(
    findConfig(fakeClaims, task, { profile: "ci", trials: null }).config.trials,
    10,
  );
  assert.throws(
    () =>
      findConfig(fakeClaims, { ...task, claim: "Z" }, {
        profile: "ci",
        trials: null,
      }),
    /unknown claim "Z"/,
  );
  assert.throws(
    () =>
      findConfig(fakeClaims, { ...task, config: "nope" }, {
        profile: "ci",
        trials: null,
      }),
    /no configuration "nope"/,
  );
});

Deno.test("the worker runs trials exactly like the main thread", async () => {
  const worker = startWorker();
  try {
    const early = await ask(worker, { type: "trial", task });
    assert.equal(early.type, "threw");
    assert.deepEqual(await ask(worker, initMessage({ backend: "wasm" })), {
      type: "ready",
    });
    const reply = await ask(worker, { type: "trial", task });
    assert.equal(reply.type, "result");
    const { claim, config } = findConfig(fakeClaims, task, {
      profile: "ci",
      trials: null,
    });
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
  const worker = startWorker();
  try {
    const explode = await ask(worker, initMessage({ backend: "explode" }));
    assert.equal(explode.type, "init-error");
    const missing = await ask(
      worker,
      initMessage({
        module: new URL("./no_such_module.ts", import.meta.url).href,
      }),
    );
    assert.equal(missing.type, "init-error");
  } finally {
    worker.terminate();
  }
});

Deno.test("the worker applies the parameter overrides of its init message", async () => {
  const worker = startWorker();
  try {
    const init = initMessage({ overrides: { n: 3 } });
    assert.deepEqual(await ask(worker, init), { type: "ready" });
    const overridden = { claim: "F2", config: "n=1|override:n=3", trial: 0 };
    let reply = await ask(worker, {
      type: "trial",
      task: { ...overridden, seed: 12 },
    });
    for (let seed = 13; reply.type === "threw" && seed < 40; seed++) {
      // F2 throws on some seeds; any seed that runs will do.
      reply = await ask(worker, {
        type: "trial",
        task: { ...overridden, seed },
      });
    }
    assert.equal(reply.type, "result");
    const plain = await ask(worker, {
      type: "trial",
      task: { claim: "F2", config: "n=1", trial: 0, seed: 12 },
    });
    assert.deepEqual(
      plain.type === "threw" && plain.message,
      'claim F2 has no configuration "n=1"',
    );
  } finally {
    worker.terminate();
  }
});
