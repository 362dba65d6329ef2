/**
 * The runner layer: from claims to trial records on disk. It plans a run
 * (`plan.ts`), prepares the output directory and its `run.json`
 * (`manifest.ts`), runs the trials in the main thread or on Deno Workers
 * (`worker_pool.ts`, `scheduler.ts`, `worker.ts`), checks what each trial
 * returned (`normalize.ts`), writes the trial files (`trial_log.ts`,
 * `trial_csv.ts`, `trial_csv_parse.ts`), `timing.csv` (`timing.ts`) and
 * `provenance.json` (`provenance.ts`), and merges the trial files of a
 * sharded run (`merge.ts`). Its errors are data
 * (`errors.ts`); the command line words them with flag names.
 *
 * The reports are written from what it returns, by `src/report/`.
 *
 * @example Plan a run
 * ```ts
 * import { planRun } from "./mod.ts";
 * import assert from "node:assert/strict";
 * const claim = {
 *   id: "C0", title: "", statement: "", source: "", hypotheses: [], constants: {},
 *   configs: () => [{ key: "k", params: {}, checks: [], trials: 3 }],
 *   runTrial: () => Promise.reject(new Error("not run")),
 * };
 * assert.equal(planRun([claim], { profile: "ci", seed: 1 }).trials.length, 3);
 * ```
 *
 * @module
 */

export {
  writeTextFileAtomic,
  writeTextFileAtomicSync,
} from "./atomic_write.ts";
export {
  RunConflictError,
  type RunConflictKind,
  type RunNotice,
  RunOptionError,
  type RunOptionName,
} from "./errors.ts";
export {
  manifestDifferences,
  manifestOf,
  type ManifestParams,
  manifestText,
  prepareOutDir,
  readManifest,
  type RunManifest,
  SCHEMA_VERSION,
  SchemaVersionError,
  schemaVersionOf,
} from "./manifest.ts";
export { readJsonFile } from "./json_file.ts";
export { type MergedRun, mergeShardTrials } from "./merge.ts";
export { asExpected, errorResult, normalizeResult } from "./normalize.ts";
export {
  CODE_ROOT,
  type CollectOptions,
  collectProvenance,
  finishedProvenance,
  gitCommitTime,
  type GitState,
  gitState,
  type OpenBlasInfo,
  type Provenance,
  PROVENANCE_FILE,
  readProvenance,
  resumedProvenance,
  writeProvenance,
} from "./provenance.ts";
export {
  claimChecks,
  type ClaimPlan,
  configsAt,
  type PlannedTrial,
  type PlanOptions,
  planRun,
  type RunPlan,
  taskKey,
} from "./plan.ts";
export {
  checkRunOptions,
  type Progress,
  runTrials,
  type RunTrialsOptions,
  type TrialRun,
} from "./run.ts";
export {
  runAll,
  type RunAllOptions,
  type Runner,
  type TrialOutcome,
} from "./scheduler.ts";
export { formatShard, inShard, type Shard } from "./shard.ts";
export {
  appendTiming,
  readTimings,
  type Timing,
  timingLine,
  writeTimings,
} from "./timing.ts";
export {
  CHECK_PREFIX,
  FIXED_COLUMNS,
  formatTrialCsv,
  mergeKeyOrder,
  sortRecords,
  TRIAL_STATUSES,
  type TrialColumns,
  trialCsvText,
  valueColumnsOf,
} from "./trial_csv.ts";
export {
  type ParsedTrialFile,
  parseTrialCsv,
  type ParseTrialOptions,
  readTrialFile,
} from "./trial_csv_parse.ts";
export { TrialLog, type TrialLogOptions } from "./trial_log.ts";
export {
  findConfig,
  type FindConfigOptions,
  type InitMessage,
  type TrialMessage,
  workerInit,
  type WorkerModule,
  type WorkerReply,
} from "./worker.ts";
export {
  type ConfigLookup,
  inProcessRunner,
  type PoolOptions,
  runOnPool,
  WorkerRunner,
} from "./worker_pool.ts";
