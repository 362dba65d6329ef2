/**
 * What can go wrong with what a run was asked to do, as data: the runner
 * says which option or which directory is wrong and how, in its own terms;
 * the command line (`src/cli/run_errors.ts`) words it with flag names.
 * Both errors are {@linkcode UsageError}s (bad input, exit code 2), so their
 * plain message is still a fine report where nobody rephrases them.
 *
 * @module
 */

import { UsageError } from "../base/usage_error.ts";

/** The run options that are checked before anything is written. */
export type RunOptionName = "trials" | "seed" | "formats";

/**
 * A run option out of its range, e.g. `trials must be a positive integer,
 * got 0`.
 *
 * @example
 * ```ts
 * import { RunOptionError } from "./errors.ts";
 * import assert from "node:assert/strict";
 * const e = new RunOptionError("trials", { requirement: "a positive integer", got: "0" });
 * assert.equal(e.message, "trials must be a positive integer, got 0");
 * assert.equal(e.option, "trials");
 * ```
 */
export class RunOptionError extends UsageError {
  /** Which option. */
  readonly option: RunOptionName;
  /** What the option must be, e.g. `a positive integer`. */
  readonly requirement: string;
  /** The value given, as text. */
  readonly got: string;

  /** An error for `option`, which must be `requirement` but was `got`. */
  constructor(
    option: RunOptionName,
    details: { requirement: string; got: string },
  ) {
    super(`${option} must be ${details.requirement}, got ${details.got}`);
    this.name = "RunOptionError";
    this.option = option;
    this.requirement = details.requirement;
    this.got = details.got;
  }
}

/**
 * Why a directory cannot be used as asked:
 *
 * - `different-run`: the output directory holds `run.json` of another run;
 * - `trials-without-manifest`: it holds trial rows but no `run.json`;
 * - `foreign-trial`: a trial file to resume holds a trial of another run;
 * - `merge-target-taken`: the output directory of a merge holds another run;
 * - `incomplete-shard`: a shard to merge lacks some of its trials.
 */
export type RunConflictKind =
  | "different-run"
  | "trials-without-manifest"
  | "foreign-trial"
  | "merge-target-taken"
  | "incomplete-shard";

/**
 * A directory that holds something else than the run needs. The message
 * says what is wrong (never which flag to use instead).
 *
 * @example
 * ```ts
 * import { RunConflictError } from "./errors.ts";
 * import assert from "node:assert/strict";
 * const e = new RunConflictError("out holds a different run", {
 *   kind: "different-run",
 *   dir: "out",
 *   differences: ["seed"],
 * });
 * assert.equal(e.kind, "different-run");
 * assert.deepEqual(e.differences, ["seed"]);
 * ```
 */
export class RunConflictError extends UsageError {
  /** What kind of conflict. */
  readonly kind: RunConflictKind;
  /** The directory in question (output or shard directory). */
  readonly dir: string;
  /** For `different-run`: the `run.json` fields that differ. */
  readonly differences: readonly string[];

  /** A conflict described by `message`. */
  constructor(
    message: string,
    details: { kind: RunConflictKind; dir: string; differences?: string[] },
  ) {
    super(message);
    this.name = "RunConflictError";
    this.kind = details.kind;
    this.dir = details.dir;
    this.differences = details.differences ?? [];
  }
}

/** Something a run reports on the way without stopping. */
export interface RunNotice {
  /**
   * `moved-aside`: the output directory held trials of the same run, which
   * were moved to `path` to start afresh; `dropped-partial-line`: the trial
   * file `path` ended in a partial line (an interrupted write), dropped.
   */
  kind: "moved-aside" | "dropped-partial-line";
  /** The directory or file concerned. */
  path: string;
  /** The notice as one line of text. */
  message: string;
}
