/**
 * `timing.csv` (`claim,config,trial,ms`): the wall time of every trial, the
 * only file of a run with wall times besides the Markdown summary's "Run"
 * section. A line is appended as each trial ends; at the end of a run the
 * file is rewritten in plan order.
 *
 * @module
 */

import { parse } from "csv-parse/sync";
import { stringify } from "csv-stringify/sync";
import { writeTextFileAtomic } from "./atomic_write.ts";
import { type PlannedTrial, taskKey } from "./plan.ts";
import type { TrialTask } from "../claims/types.ts";

/** One wall-time measurement. */
export interface Timing {
  /** The trial. */
  task: TrialTask;
  /** Milliseconds. */
  ms: number;
}

const HEADER = "claim,config,trial,ms\n";

/**
 * Read the timing rows of `timing.csv` (lenient: a missing file reads as
 * empty, bad lines are skipped, read-back tasks have seed 0).
 */
export async function readTimings(path: string): Promise<Timing[]> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return [];
    throw error;
  }
  if (!text.endsWith("\n")) text = text.slice(0, text.lastIndexOf("\n") + 1);
  let rows: string[][];
  try {
    rows = parse(text, { relax_column_count: true }) as string[][];
  } catch {
    return [];
  }
  const out: Timing[] = [];
  for (const row of rows.slice(1)) {
    const [claim, config, trial, ms] = row;
    if (
      row.length !== 4 || !/^\d+$/.test(trial) || !Number.isFinite(Number(ms))
    ) {
      continue;
    }
    out.push({
      task: { claim, config, trial: Number(trial), seed: 0 },
      ms: Number(ms),
    });
  }
  return out;
}

/**
 * One `timing.csv` line (milliseconds with one decimal).
 *
 * @example
 * ```ts
 * import { timingLine } from "./timing.ts";
 * import assert from "node:assert/strict";
 * const task = { claim: "C1", config: "d=1,k=2", trial: 3, seed: 9 };
 * assert.equal(timingLine({ task, ms: 12.345 }), 'C1,"d=1,k=2",3,12.3\n');
 * ```
 */
export function timingLine(t: Timing): string {
  return stringify([[
    t.task.claim,
    t.task.config,
    String(t.task.trial),
    t.ms.toFixed(1),
  ]], {
    record_delimiter: "\n",
  });
}

/** Append one measurement to `timing.csv` at once (synchronously). */
export function appendTiming(path: string, timing: Timing): void {
  Deno.writeTextFileSync(path, timingLine(timing), { append: true });
}

/**
 * Write `timing.csv` atomically, with one line per planned trial of
 * `trials` that has a measurement in `timings`, in plan order.
 */
export async function writeTimings(
  path: string,
  options: { trials: PlannedTrial[]; timings: Timing[] },
): Promise<void> {
  const byKey = new Map(options.timings.map((t) => [taskKey(t.task), t]));
  let text = HEADER;
  for (const p of options.trials) {
    const t = byKey.get(taskKey(p.task));
    if (t !== undefined) text += timingLine({ task: p.task, ms: t.ms });
  }
  await writeTextFileAtomic(path, text);
}
