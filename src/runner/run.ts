/**
 * Running the trials of a run: plan every trial (claim → configuration →
 * trial), keep the trials of this shard, prepare the output directory
 * (`run.json`), skip the trials already on disk when resuming, run the rest
 * in-process or on Deno Workers, and append each finished trial to its
 * claim's trial file (and `timing.csv`) at once. At the end every trial
 * file is rewritten sorted, so that it does not depend on completion order.
 *
 * Files written under the output directory: `run.json` (`manifest.ts`),
 * `trials/<claim>.csv` (`trial_csv.ts`), `timing.csv` (`timing.ts`) and
 * `provenance.json` (`provenance.ts`, written at the start and again at the
 * end).
 * The reports are written from what {@linkcode runTrials} returns
 * (`src/report/`).
 *
 * @module
 */

import { RunConflictError, type RunNotice, RunOptionError } from "./errors.ts";
import { manifestOf, prepareOutDir } from "./manifest.ts";
import { asExpected, errorResult, normalizeResult } from "./normalize.ts";
import { type PlannedTrial, planRun, type RunPlan, taskKey } from "./plan.ts";
import {
  collectProvenance,
  finishedProvenance,
  readProvenance,
  resumedProvenance,
  writeProvenance,
} from "./provenance.ts";
import { runOnPool } from "./worker_pool.ts";
import type { TrialOutcome } from "./scheduler.ts";
import { inShard, type Shard } from "./shard.ts";
import {
  appendTiming,
  readTimings,
  type Timing,
  writeTimings,
} from "./timing.ts";
import { TrialLog } from "./trial_log.ts";
import { findConfig } from "./worker.ts";
import type { ParamOverrides } from "../claims/overrides.ts";
import type {
  ClaimConfig,
  ClaimSpec,
  Profile,
  TrialRecord,
  TrialTask,
} from "../claims/types.ts";

/** Progress of a run, reported after every finished trial. */
export interface Progress {
  /** Trials of this run finished so far (including resumed ones). */
  done: number;
  /** Trials of this run (this shard), including resumed ones. */
  total: number;
  /**
   * Finished trials with status `ok` and every check as expected: `true`
   * for a prediction (`expect: "holds"`), `false` for a control.
   */
  passed: number;
  /** Estimated seconds left, from this session's pace (`NaN` before the first trial). */
  etaSeconds: number;
}

/** Options of {@linkcode runTrials}. */
export interface RunTrialsOptions {
  /** The claims to run, in run order (already filtered, overrides applied). */
  claims: ClaimSpec[];
  /** Size profile. */
  profile: Profile;
  /** Run seed. */
  seed: number;
  /** Overrides every configuration's number of trials. */
  trials?: number;
  /** Output directory. */
  out: string;
  /** Run only this shard of the plan. */
  shard?: Shard;
  /** Continue the run already in `out`. */
  resume: boolean;
  /** Number of Deno Workers; at most 1 runs in-process. */
  workers: number;
  /** Module exporting `claims` (and optionally `initWorker`), loaded by workers. */
  workerModule?: URL;
  /**
   * The parameter overrides applied to `claims`, which workers apply to the
   * claims of `workerModule` (default: none).
   */
  overrides?: ParamOverrides;
  /** Backend name (passed to `initWorker`, recorded in run.json). */
  backend: string;
  /** Called after every finished trial. */
  onProgress?: (p: Progress) => void;
  /** Told what the run notices on the way (default: its message on stderr). */
  notify?: (notice: RunNotice) => void;
}

/** What {@linkcode runTrials} gives back. */
export interface TrialRun {
  /** The whole plan (every shard). */
  plan: RunPlan;
  /** The trials of this run (this shard), in plan order. */
  mine: PlannedTrial[];
  /** Every trial record of this run (resumed and new). */
  records: TrialRecord[];
  /** Start time as an ISO string. */
  started: string;
  /** Wall time of the run in seconds. */
  elapsedSeconds: number;
}

/**
 * Throw a {@linkcode RunOptionError} for a bad trials override (not a
 * positive integer) or seed (not a safe integer).
 *
 * @example
 * ```ts
 * import { checkRunOptions } from "./run.ts";
 * import assert from "node:assert/strict";
 * assert.throws(() => checkRunOptions({ seed: 1, trials: 0 }), /trials must be a positive integer/);
 * checkRunOptions({ seed: 1 });
 * ```
 */
export function checkRunOptions(
  options: Pick<RunTrialsOptions, "trials" | "seed">,
): void {
  const { trials, seed } = options;
  if (trials !== undefined && (!Number.isInteger(trials) || trials < 1)) {
    throw new RunOptionError("trials", {
      requirement: "a positive integer",
      got: String(trials),
    });
  }
  if (!Number.isSafeInteger(seed)) {
    throw new RunOptionError("seed", {
      requirement: "an integer",
      got: String(seed),
    });
  }
}

/**
 * Open the trial file of every claim of the plan (reading back its rows
 * when resuming) and return them with the resumed records. A resumed row
 * that is not a trial of `mine` throws a {@linkcode RunConflictError}.
 */
function openTrialLogs(
  out: string,
  options: {
    plan: RunPlan;
    mine: PlannedTrial[];
    resume: boolean;
    notify: (notice: RunNotice) => void;
  },
): { logs: Map<string, TrialLog>; records: TrialRecord[] } {
  const planned = new Map(options.mine.map((t) => [taskKey(t.task), t]));
  const logs = new Map<string, TrialLog>();
  const records: TrialRecord[] = [];
  try {
    for (const p of options.plan.claims) {
      const log = TrialLog.open(`${out}/trials/${p.claim.id}.csv`, {
        resume: options.resume,
        checks: p.checks.map((c) => c.name),
        claim: p.claim.id,
      });
      logs.set(p.claim.id, log);
      if (log.truncated) {
        options.notify({
          kind: "dropped-partial-line",
          path: log.path,
          message:
            `${log.path}: dropped a partial last line (interrupted write)`,
        });
      }
      for (const r of log.records) {
        const want = planned.get(taskKey(r.task));
        if (want === undefined || want.task.seed !== r.task.seed) {
          throw new RunConflictError(
            `${log.path} holds trial ${r.task.config}/${r.task.trial} that is ` +
              `not part of this run`,
            { kind: "foreign-trial", dir: out },
          );
        }
        records.push(r);
      }
    }
  } catch (error) {
    for (const log of logs.values()) log.close();
    throw error;
  }
  return { logs, records };
}

/**
 * Run the trials of a run and write `run.json`, the trial files and
 * `timing.csv`; see the module documentation. Throws a
 * {@linkcode RunOptionError} for a bad trials override or seed, and a
 * {@linkcode RunConflictError} when `out` holds a different run (or trial
 * files without `run.json`), or when resumed trial files do not belong to
 * this run.
 */
export async function runTrials(options: RunTrialsOptions): Promise<TrialRun> {
  const started = new Date();
  const startMs = performance.now();
  const { out, profile, resume } = options;
  const notify = options.notify ??
    ((notice: RunNotice) => console.error(notice.message));
  checkRunOptions(options);
  const plan = planRun(options.claims, options);
  const manifest = manifestOf(plan, {
    seed: options.seed,
    profile,
    backend: options.backend,
    trials: options.trials ?? null,
    shard: options.shard ?? null,
  });
  await prepareOutDir(out, { manifest, resume, notify });

  const mine = plan.trials.filter((t) => inShard(t.index, options.shard));
  const { logs, records } = openTrialLogs(out, { plan, mine, resume, notify });
  const provenance = resumedProvenance(
    await collectProvenance({
      kind: "run",
      backend: options.backend,
      workers: Math.max(1, options.workers),
      started,
    }),
    resume ? await readProvenance(out) : null,
  );
  await writeProvenance(out, provenance);
  const timingPath = `${out}/timing.csv`;
  const timings: Timing[] = resume ? await readTimings(timingPath) : [];
  const done = new Set(records.map((r) => taskKey(r.task)));
  const pending = mine.filter((t) => !done.has(taskKey(t.task))).map((t) =>
    t.task
  );
  const cache = new Map<string, ClaimConfig[]>();
  const lookup = (task: TrialTask) =>
    findConfig(options.claims, task, {
      profile,
      trials: options.trials ?? null,
      cache,
    });
  await writeTimings(timingPath, { trials: mine, timings });

  let passed = records.filter((r) => asExpected(r, lookup(r.task).config))
    .length;
  let finished = 0;
  const sessionStart = performance.now();
  const onDone = (task: TrialTask, outcome: TrialOutcome) => {
    const { config } = lookup(task);
    const result = outcome.threw !== undefined
      ? errorResult(outcome.threw, config)
      : normalizeResult(outcome.result, config);
    const record = { task, result };
    logs.get(task.claim)!.append(record);
    records.push(record);
    const timing = { task, ms: outcome.ms };
    timings.push(timing);
    appendTiming(timingPath, timing);
    finished++;
    if (asExpected(record, config)) passed++;
    const elapsed = (performance.now() - sessionStart) / 1000;
    options.onProgress?.({
      done: records.length,
      total: mine.length,
      passed,
      etaSeconds: (elapsed / finished) * (mine.length - records.length),
    });
  };

  try {
    await runOnPool(pending, {
      workers: options.workers,
      workerModule: options.workerModule,
      init: {
        backend: options.backend,
        profile,
        trials: options.trials ?? null,
        overrides: options.overrides ?? {},
      },
      lookup,
      onDone,
    });
  } finally {
    for (const log of logs.values()) log.close();
  }

  for (const p of plan.claims) {
    await logs.get(p.claim.id)!.finalize(
      records.filter((r) => r.task.claim === p.claim.id),
      p.configs.map((c) => c.key),
    );
  }
  await writeTimings(timingPath, { trials: mine, timings });
  const elapsedSeconds = (performance.now() - startMs) / 1000;
  await writeProvenance(
    out,
    finishedProvenance(provenance, { finished: new Date(), elapsedSeconds }),
  );
  return {
    plan,
    mine,
    records,
    started: started.toISOString(),
    elapsedSeconds,
  };
}
