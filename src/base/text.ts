/**
 * Small text helpers shared by the layers that write one-line records
 * (trial files, reports).
 *
 * @module
 */

/**
 * The text with every line break (and the white space around it) replaced
 * by one space, for places that cannot hold a line break.
 *
 * @example
 * ```ts
 * import { oneLine } from "./text.ts";
 * import assert from "node:assert/strict";
 * assert.equal(oneLine("a\n  b\r\nc"), "a b c");
 * ```
 */
export function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, " ");
}
