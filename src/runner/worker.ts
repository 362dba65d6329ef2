/**
 * The worker side of a parallel run. The main thread (`worker_pool.ts`)
 * starts each worker on this module and talks to it with the messages
 * below:
 *
 * 1. `init` (module URL, backend, profile, trials override, parameter
 *    overrides as data): the worker imports the module (which exports
 *    `claims: ClaimSpec[]` and optionally `initWorker(backend)`), calls
 *    `initWorker` (the suite's own backend set-up, `initWorker` of
 *    `backend/init_worker.ts`, when the module exports none), applies the
 *    parameter overrides to the claims
 *    (`withParamOverrides`) and answers `ready` or `init-error`.
 * 2. `trial` (a task): the worker runs the claim's `runTrial` on the
 *    task's configuration and answers `result` (with the wall time) or
 *    `threw` (with the error message).
 *
 * A worker runs one trial at a time; the main thread hands it the next task
 * when it answers (dynamic scheduling).
 *
 * @module
 */

import { configsAt } from "./plan.ts";
import {
  type ParamOverrides,
  withParamOverrides,
} from "../claims/overrides.ts";
import type {
  ClaimConfig,
  ClaimSpec,
  Profile,
  TrialTask,
} from "../claims/types.ts";
import { errorMessage } from "../base/errors.ts";

/** Main thread → worker: load the claims module and initialize the backend. */
export interface InitMessage {
  /** Message kind. */
  type: "init";
  /** URL of a module exporting `claims` and optionally `initWorker`. */
  module: string;
  /** Backend name passed to `initWorker`. */
  backend: string;
  /** Size profile of the run. */
  profile: Profile;
  /** Trials override of the run, or `null`. */
  trials: number | null;
  /** Parameter overrides of the run, applied to the module's claims. */
  overrides: ParamOverrides;
}

/** Main thread → worker: run one trial. */
export interface TrialMessage {
  /** Message kind. */
  type: "trial";
  /** The trial to run. */
  task: TrialTask;
}

/** Worker → main thread. */
export type WorkerReply =
  | { type: "ready" }
  | { type: "init-error"; message: string }
  | { type: "result"; result: unknown; ms: number }
  | { type: "threw"; message: string; ms: number };

/** What a worker module exports. */
export interface WorkerModule {
  /** The claims the worker can run. */
  claims: ClaimSpec[];
  /** Optional backend initialization, called once before the first trial. */
  initWorker?: (backend: string) => void | Promise<void>;
}

/**
 * The backend set-up of a worker module: its own `initWorker`, or the
 * suite's (`backend/init_worker.ts`) when it exports none, so that a claims
 * module of one's own runs on the run's backend without knowing about it.
 *
 * @example
 * ```ts
 * import { workerInit } from "./worker.ts";
 * import assert from "node:assert/strict";
 * const own = () => {};
 * assert.equal(await workerInit({ claims: [], initWorker: own }), own);
 * assert.equal(typeof await workerInit({ claims: [] }), "function");
 * ```
 */
export async function workerInit(
  mod: WorkerModule,
): Promise<(backend: string) => void | Promise<void>> {
  if (typeof mod.initWorker === "function") return mod.initWorker;
  return (await import("../backend/init_worker.ts")).initWorker;
}

/** Where {@linkcode findConfig} looks a configuration up. */
export interface FindConfigOptions {
  /** Size profile of the run. */
  profile: Profile;
  /** Trials override of the run, or `null`. */
  trials: number | null;
  /** Configurations already computed, by claim id (filled in). */
  cache?: Map<string, ClaimConfig[]>;
}

/**
 * Find a task's claim and configuration (with the trials override applied)
 * in a list of claims; throws when either is unknown.
 *
 * @example
 * ```ts
 * import { findConfig } from "./worker.ts";
 * import assert from "node:assert/strict";
 * const claim = {
 *   id: "C0", title: "", statement: "", source: "", hypotheses: [], constants: {},
 *   configs: () => [{ key: "k", params: {}, checks: [], trials: 3 }],
 *   runTrial: () => Promise.reject(new Error("not run")),
 * };
 * const task = { claim: "C0", config: "k", trial: 0, seed: 1 };
 * assert.equal(findConfig([claim], task, { profile: "ci", trials: 2 }).config.trials, 2);
 * ```
 */
export function findConfig(
  claims: ClaimSpec[],
  task: TrialTask,
  options: FindConfigOptions,
): { claim: ClaimSpec; config: ClaimConfig } {
  const cache = options.cache ?? new Map<string, ClaimConfig[]>();
  const claim = claims.find((c) => c.id === task.claim);
  if (claim === undefined) throw new Error(`unknown claim "${task.claim}"`);
  let configs = cache.get(claim.id);
  if (configs === undefined) {
    configs = configsAt(claim, options);
    cache.set(claim.id, configs);
  }
  const config = configs.find((c) => c.key === task.config);
  if (config === undefined) {
    throw new Error(`claim ${claim.id} has no configuration "${task.config}"`);
  }
  return { claim, config };
}

/** The worker's message loop. */
function serve(): void {
  const scope = globalThis as unknown as {
    onmessage: ((event: MessageEvent) => void) | null;
    postMessage(message: WorkerReply): void;
  };
  let claims: ClaimSpec[] | null = null;
  let lookup: FindConfigOptions = { profile: "ci", trials: null };

  async function handle(message: InitMessage | TrialMessage): Promise<void> {
    if (message.type === "init") {
      try {
        const mod = await import(message.module) as WorkerModule;
        if (!Array.isArray(mod.claims)) {
          throw new Error(`${message.module} does not export "claims"`);
        }
        const overrides = message.overrides ?? {};
        await (await workerInit(mod))(message.backend);
        claims = mod.claims.map((c) => withParamOverrides(c, overrides));
        lookup = {
          profile: message.profile,
          trials: message.trials,
          cache: new Map(),
        };
        scope.postMessage({ type: "ready" });
      } catch (error) {
        scope.postMessage({ type: "init-error", message: errorMessage(error) });
      }
      return;
    }
    const start = performance.now();
    try {
      if (claims === null) throw new Error("worker got a trial before init");
      const { claim, config } = findConfig(claims, message.task, lookup);
      const result = await claim.runTrial(message.task, config);
      scope.postMessage({
        type: "result",
        result,
        ms: performance.now() - start,
      });
    } catch (error) {
      scope.postMessage({
        type: "threw",
        message: errorMessage(error),
        ms: performance.now() - start,
      });
    }
  }

  scope.onmessage = (event: MessageEvent) => {
    void handle(event.data as InitMessage | TrialMessage);
  };
}

if (
  import.meta.main &&
  typeof (globalThis as Record<string, unknown>).WorkerGlobalScope ===
    "function"
) {
  serve();
}
