/**
 * Dynamic scheduling of trials over runners: each runner (a Deno Worker, or
 * the main thread) pulls the next task as soon as it finishes one, and a
 * runner that fails (a crashed worker) is replaced before it gets another
 * task.
 *
 * @module
 */

import type { TrialTask } from "../claims/types.ts";

/** What running one trial gave: the raw result, or the thrown message. */
export interface TrialOutcome {
  /** What `runTrial` returned (unchecked). */
  result?: unknown;
  /** The message of what it threw (or why the worker failed). */
  threw?: string;
  /** Wall time in milliseconds. */
  ms: number;
}

/** Runs trials one at a time (in-process or on one worker). */
export interface Runner {
  /** Run one trial; resolves with the raw result or a thrown message. */
  run(task: TrialTask): Promise<TrialOutcome>;
  /** Release the runner. */
  close(): void;
  /** Whether the runner broke and must be replaced (a crashed worker). */
  readonly failed?: boolean;
}

/** Options of {@linkcode runAll}. */
export interface RunAllOptions {
  /** How many runners work at once (at most one per task). */
  lanes: number;
  /** Start a runner (also to replace a failed one). */
  makeRunner: () => Promise<Runner>;
  /** Called with every finished task, in completion order. */
  onDone: (task: TrialTask, outcome: TrialOutcome) => void;
}

/**
 * Run `tasks` with `lanes` runners pulling the next task as they finish
 * (dynamic scheduling); a runner that failed is closed and replaced. The
 * first error (from `makeRunner` or `onDone`) stops handing out tasks and
 * is thrown once every lane has stopped; every runner is closed.
 *
 * @example
 * ```ts
 * import { runAll } from "./scheduler.ts";
 * import assert from "node:assert/strict";
 * const done: number[] = [];
 * const tasks = [0, 1, 2].map((trial) => ({ claim: "C", config: "k", trial, seed: trial }));
 * await runAll(tasks, {
 *   lanes: 2,
 *   makeRunner: () => Promise.resolve({ run: () => Promise.resolve({ ms: 0 }), close() {} }),
 *   onDone: (task) => done.push(task.trial),
 * });
 * assert.deepEqual(done.sort(), [0, 1, 2]);
 * ```
 */
export async function runAll(
  tasks: TrialTask[],
  options: RunAllOptions,
): Promise<void> {
  const { makeRunner, onDone } = options;
  let next = 0;
  let failure: { error: unknown } | null = null;
  const runners: Runner[] = [];
  const lane = async () => {
    try {
      let runner = await makeRunner();
      runners.push(runner);
      while (failure === null && next < tasks.length) {
        if (runner.failed) {
          // A crashed worker is replaced before it is given another task.
          runner.close();
          runner = await makeRunner();
          runners.push(runner);
          continue;
        }
        const task = tasks[next++];
        const outcome = await runner.run(task);
        if (failure !== null) break;
        onDone(task, outcome);
      }
    } catch (error) {
      failure ??= { error };
    }
  };
  try {
    await Promise.all(
      Array.from({ length: Math.min(options.lanes, tasks.length) }, lane),
    );
  } finally {
    for (const runner of runners) runner.close();
  }
  if (failure !== null) throw (failure as { error: unknown }).error;
}
