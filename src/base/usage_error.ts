/**
 * The error class for mistakes in what the user asked for (a bad flag, an
 * output directory that holds another run, a corrupt input file). Command-line
 * entry points turn it into exit code 2 and a one-line message on stderr,
 * without a stack trace.
 *
 * @module
 */

/**
 * An error caused by bad input rather than by a bug: command-line entry
 * points exit with code 2 and print only its message.
 *
 * @example
 * ```ts
 * import { UsageError } from "./usage_error.ts";
 * import assert from "node:assert/strict";
 * const e = new UsageError("--shard must be I/N");
 * assert.ok(e instanceof Error);
 * assert.equal(e.name, "UsageError");
 * ```
 */
export class UsageError extends Error {
  /** Create a usage error with a message meant for the user. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "UsageError";
  }
}
