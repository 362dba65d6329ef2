/**
 * The command line's wording of what the runner reports in its own terms
 * (`src/runner/errors.ts`): the same message, plus which flag to use
 * instead (`--out`, `--resume`, …).
 *
 * @module
 */

import {
  RunConflictError,
  type RunConflictKind,
  type RunNotice,
  RunOptionError,
  type RunOptionName,
} from "../runner/errors.ts";
import { UsageError } from "../base/usage_error.ts";

/** What to do about each kind of conflict, in flags. */
const REMEDIES: Record<RunConflictKind, string> = {
  "different-run":
    "; use another --out, or the same parameters with --resume to continue it",
  "trials-without-manifest": " (use another --out)",
  "foreign-trial": "; use another --out",
  "merge-target-taken": "; use another --out",
  "incomplete-shard": "; finish it with --resume first",
};

/** The flag of each run option. */
const OPTION_FLAGS: Record<RunOptionName, string> = {
  trials: "--trials",
  seed: "--seed",
  formats: "--format",
};

/**
 * A runner error worded for the command line: a
 * {@linkcode RunConflictError} or {@linkcode RunOptionError} becomes a
 * {@linkcode UsageError} naming the flags (the original as its `cause`);
 * anything else is returned as it is.
 *
 * @example
 * ```ts
 * import { withFlagNames } from "./run_errors.ts";
 * import { RunConflictError } from "../runner/errors.ts";
 * import assert from "node:assert/strict";
 * const error = new RunConflictError("out holds trial files but no run.json; refusing to overwrite them", {
 *   kind: "trials-without-manifest",
 *   dir: "out",
 * });
 * assert.match((withFlagNames(error) as Error).message, /\(use another --out\)$/);
 * ```
 */
export function withFlagNames(error: unknown): unknown {
  if (error instanceof RunConflictError) {
    return new UsageError(`${error.message}${REMEDIES[error.kind]}`, {
      cause: error,
    });
  }
  if (error instanceof RunOptionError) {
    return new UsageError(
      `${OPTION_FLAGS[error.option]} must be ${error.requirement}, ` +
        `got ${error.got}`,
      { cause: error },
    );
  }
  return error;
}

/**
 * A run notice as the command line prints it (moving an earlier run aside
 * says how to continue it instead).
 *
 * @example
 * ```ts
 * import { noticeText } from "./run_errors.ts";
 * import assert from "node:assert/strict";
 * const text = noticeText({ kind: "moved-aside", path: "out/previous", message: "moved" });
 * assert.equal(text, "moved (use --resume to continue a run instead)");
 * ```
 */
export function noticeText(notice: RunNotice): string {
  return notice.kind === "moved-aside"
    ? `${notice.message} (use --resume to continue a run instead)`
    : notice.message;
}
