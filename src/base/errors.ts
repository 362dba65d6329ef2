/**
 * Turning thrown values into text: whatever a `catch` receives (an `Error`
 * or any other value) gives one message.
 *
 * @module
 */

/**
 * The message of a thrown value: an `Error`'s `message`, the `message` of an
 * error-like object (wasm runtimes throw those), anything else as
 * `String(value)`.
 *
 * @example
 * ```ts
 * import { errorMessage } from "./errors.ts";
 * import assert from "node:assert/strict";
 * assert.equal(errorMessage(new Error("boom")), "boom");
 * assert.equal(errorMessage("plain"), "plain");
 * assert.equal(errorMessage({ message: "wasm abort" }), "wasm abort");
 * ```
 */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === "object" && error !== null && "message" in error) {
    return String(error.message);
  }
  return String(error);
}
