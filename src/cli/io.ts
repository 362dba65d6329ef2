/**
 * What every command-line entry point (`claims`, `merge`, `regress`,
 * `replay`) shares: where it writes ({@linkcode Io}, injected so that tests
 * can capture it) and how an error becomes exit code 2
 * ({@linkcode reportError}).
 *
 * @module
 */

import { UsageError } from "../base/usage_error.ts";

/** Where a command-line entry point writes. */
export interface Io {
  /** Standard output (a line or block of text). */
  out(text: string): void;
  /** Standard error (a line of text). */
  err(text: string): void;
}

/** The process's standard output and error. */
export const consoleIo: Io = {
  out: (text) => console.log(text),
  err: (text) => console.error(text),
};

/**
 * Turn an error of an entry point into exit code 2 with a message on
 * stderr: only the message for a {@linkcode UsageError}, a missing file or
 * a bad command line, with the stack for anything else (a bug).
 *
 * @example
 * ```ts
 * import { reportError } from "./io.ts";
 * import { UsageError } from "../base/usage_error.ts";
 * import assert from "node:assert/strict";
 * const errors: string[] = [];
 * const code = reportError(new UsageError("--x is bad"), { out() {}, err: (t) => errors.push(t) });
 * assert.equal(code, 2);
 * assert.deepEqual(errors, ["error: --x is bad"]);
 * ```
 */
export function reportError(error: unknown, io: Io): number {
  if (error instanceof UsageError || error instanceof Deno.errors.NotFound) {
    io.err(`error: ${error.message}`);
  } else if (
    error instanceof Error && "code" in error &&
    String(error.code).startsWith("ERR_PARSE_ARGS")
  ) {
    io.err(`error: ${error.message}`);
  } else {
    io.err(
      `error: ${error instanceof Error ? error.stack ?? error.message : error}`,
    );
  }
  return 2;
}
