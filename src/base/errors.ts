/**
 * Turning thrown values into text: whatever a `catch` receives (an `Error`
 * or any other value) gives one message.
 *
 * @module
 */

/**
 * The message of a thrown value: an `Error`'s `message`, anything else as
 * `String(value)`.
 *
 * @example
 * ```ts
 * import { errorMessage } from "./errors.ts";
 * import assert from "node:assert/strict";
 * assert.equal(errorMessage(new Error("boom")), "boom");
 * assert.equal(errorMessage("plain"), "plain");
 * ```
 */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
