/**
 * The command-line layer: the six commands (`claims.ts`, `merge.ts`,
 * `regress.ts`, `replay.ts`, `history.ts`, `readme.ts`, each with its
 * `main`), their flag parsing (`claims_args.ts`, `flags.ts`), the loading
 * of a claims module of one's own (`claims_module.ts`), their injected I/O
 * and exit-code-2 error reporting (`io.ts`), the wording of runner errors
 * with flag names (`run_errors.ts`) and the progress line (`progress.ts`).
 *
 * @example Parse a flag value
 * ```ts
 * import { parseShard } from "./mod.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(parseShard("2/3"), { index: 2, count: 3 });
 * ```
 *
 * @module
 */

export { type ClaimsDeps, claimsMain } from "./claims.ts";
export {
  type ClaimsArgs,
  defaultWorkers,
  parseClaimsArgs,
  usage,
} from "./claims_args.ts";
export {
  checkClaimsModule,
  type ClaimsModule,
  claimsModuleArg,
  loadClaimsModule,
} from "./claims_module.ts";
export {
  BACKEND_FLAG_VALUES,
  type CommandLine,
  integerFlag,
  type IntegerRange,
  parseCommandLine,
  parseFormats,
  parseShard,
  PROFILES,
  SEED_RANGE,
} from "./flags.ts";
export {
  DEFAULT_HISTORY_FILE,
  type HistoryDeps,
  historyMain,
} from "./history.ts";
export { consoleIo, type Io, reportError } from "./io.ts";
export { type MergeDeps, mergeMain } from "./merge.ts";
export {
  formatDuration,
  progressBar,
  type ProgressOptions,
  ProgressReporter,
  progressText,
} from "./progress.ts";
export {
  BLOCK_BEGIN,
  BLOCK_END,
  blockBegin,
  blockEnd,
  type BlockName,
  expectedReadme,
  README_SUMMARY,
  readmeBlock,
  readmeMain,
  replaceBlock,
  verdictsBlock,
} from "./readme.ts";
export { regressMain } from "./regress.ts";
export { replayMain } from "./replay.ts";
export { noticeText, withFlagNames } from "./run_errors.ts";
