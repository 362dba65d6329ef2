/**
 * The runners of a run: trials on Deno Workers executing `worker.ts`
 * (talking to them with its messages), or in the main thread, scheduled by
 * `scheduler.ts`.
 *
 * @module
 */

import { runAll, type Runner, type TrialOutcome } from "./scheduler.ts";
import {
  type InitMessage,
  type TrialMessage,
  workerInit,
  type WorkerModule,
  type WorkerReply,
} from "./worker.ts";
import type { ClaimConfig, ClaimSpec, TrialTask } from "../claims/types.ts";
import { errorMessage } from "../base/errors.ts";

/** A runner on one Deno Worker executing `worker.ts`. */
export class WorkerRunner implements Runner {
  #worker: Worker;
  #waiting: {
    resolve: (reply: WorkerReply) => void;
    reject: (error: Error) => void;
  } | null = null;
  #failure: Error | null = null;

  /**
   * Start a worker and initialize it with `init`; an initialization that
   * fails closes the worker and throws `worker initialization failed: …`.
   */
  static async start(init: InitMessage): Promise<WorkerRunner> {
    const runner = new WorkerRunner();
    try {
      await runner.#init(init);
    } catch (error) {
      runner.close();
      throw error;
    }
    return runner;
  }

  private constructor() {
    this.#worker = new Worker(new URL("./worker.ts", import.meta.url), {
      type: "module",
    });
    this.#worker.onmessage = (event: MessageEvent) => {
      const waiting = this.#waiting;
      this.#waiting = null;
      waiting?.resolve(event.data as WorkerReply);
    };
    this.#worker.onerror = (event: ErrorEvent) => {
      event.preventDefault();
      const error = new Error(`worker crashed: ${event.message}`);
      this.#failure = error;
      const waiting = this.#waiting;
      this.#waiting = null;
      waiting?.reject(error);
    };
  }

  #request(message: InitMessage | TrialMessage): Promise<WorkerReply> {
    if (this.#failure !== null) return Promise.reject(this.#failure);
    return new Promise((resolve, reject) => {
      this.#waiting = { resolve, reject };
      this.#worker.postMessage(message);
    });
  }

  async #init(message: InitMessage): Promise<void> {
    const reply = await this.#request(message);
    if (reply.type === "init-error") {
      throw new Error(`worker initialization failed: ${reply.message}`);
    }
    if (reply.type !== "ready") {
      throw new Error(`unexpected worker reply ${reply.type}`);
    }
  }

  /** Run one trial on the worker; a crash gives a `threw` outcome. */
  async run(task: TrialTask): Promise<TrialOutcome> {
    const start = performance.now();
    try {
      const reply = await this.#request({ type: "trial", task });
      if (reply.type === "result") {
        return { result: reply.result, ms: reply.ms };
      }
      if (reply.type === "threw") return { threw: reply.message, ms: reply.ms };
      return { threw: `unexpected worker reply ${reply.type}`, ms: 0 };
    } catch (error) {
      return { threw: errorMessage(error), ms: performance.now() - start };
    }
  }

  /** Whether the worker crashed (it must be replaced). */
  get failed(): boolean {
    return this.#failure !== null;
  }

  /** Terminate the worker. */
  close(): void {
    this.#worker.terminate();
  }
}

/** Finds a task's claim and configuration. */
export type ConfigLookup = (
  task: TrialTask,
) => { claim: ClaimSpec; config: ClaimConfig };

/**
 * A runner in the main thread: it runs `runTrial` of the task's claim
 * (found by `lookup`) and turns a throw into a `threw` outcome.
 */
export function inProcessRunner(lookup: ConfigLookup): Runner {
  return {
    async run(task: TrialTask): Promise<TrialOutcome> {
      const start = performance.now();
      try {
        const { claim, config } = lookup(task);
        const result = await claim.runTrial(task, config);
        return { result, ms: performance.now() - start };
      } catch (error) {
        return { threw: errorMessage(error), ms: performance.now() - start };
      }
    },
    close() {},
  };
}

/** Options of {@linkcode runOnPool}. */
export interface PoolOptions {
  /** Number of Deno Workers; at most 1 runs in the main thread. */
  workers: number;
  /** Module exporting `claims` (and optionally `initWorker`), loaded by workers. */
  workerModule?: URL;
  /** What every worker is initialized with (besides the module). */
  init: Omit<InitMessage, "type" | "module">;
  /** Finds a task's claim and configuration in the main thread. */
  lookup: ConfigLookup;
  /** Called with every finished task, in completion order. */
  onDone: (task: TrialTask, outcome: TrialOutcome) => void;
}

/**
 * Run `tasks` on `workers` Deno Workers (each initialized with the worker
 * module, backend and overrides), or, with at most one worker, in the main
 * thread after calling the worker module's `initWorker` (the suite's own
 * when it exports none; see `workerInit`). A failing
 * initialization throws `worker initialization failed: …`.
 */
export async function runOnPool(
  tasks: TrialTask[],
  options: PoolOptions,
): Promise<void> {
  const { workerModule, onDone } = options;
  if (options.workers > 1) {
    if (workerModule === undefined) {
      throw new Error("runClaims: workers > 1 needs a workerModule");
    }
    const init: InitMessage = {
      type: "init",
      module: workerModule.href,
      ...options.init,
    };
    await runAll(tasks, {
      lanes: options.workers,
      makeRunner: () => WorkerRunner.start(init),
      onDone,
    });
  } else if (tasks.length > 0) {
    if (workerModule !== undefined) {
      const mod = await import(workerModule.href) as WorkerModule;
      try {
        await (await workerInit(mod))(options.init.backend);
      } catch (error) {
        throw new Error(
          `worker initialization failed: ${errorMessage(error)}`,
        );
      }
    }
    const runner = inProcessRunner(options.lookup);
    await runAll(tasks, {
      lanes: 1,
      makeRunner: () => Promise.resolve(runner),
      onDone,
    });
  }
}
