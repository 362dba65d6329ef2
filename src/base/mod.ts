/**
 * The base layer: what every other layer may use. The error for bad input
 * (`usage_error.ts`), the message of any thrown value (`errors.ts`),
 * one-line text (`text.ts`) and writing a whole buffer (`write_all.ts`).
 *
 * @example
 * ```ts
 * import { errorMessage, UsageError } from "./mod.ts";
 * import assert from "node:assert/strict";
 * assert.equal(errorMessage(new UsageError("bad")), "bad");
 * ```
 *
 * @module
 */

export { errorMessage } from "./errors.ts";
export { oneLine } from "./text.ts";
export { UsageError } from "./usage_error.ts";
export {
  type AsyncWriter,
  type SyncWriter,
  writeAll,
  writeAllSync,
} from "./write_all.ts";
