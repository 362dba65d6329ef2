/**
 * Writing a whole buffer to a file or stream: `write` may accept fewer
 * bytes than asked, so these loop until every byte is written.
 *
 * @module
 */

/** Something with a synchronous, possibly partial `writeSync`. */
export interface SyncWriter {
  /** Write some of `bytes`; returns how many were written. */
  writeSync(bytes: Uint8Array): number;
}

/** Something with an asynchronous, possibly partial `write`. */
export interface AsyncWriter {
  /** Write some of `bytes`; resolves with how many were written. */
  write(bytes: Uint8Array): Promise<number>;
}

/**
 * Write all of `text` (UTF-8) to `writer` synchronously.
 *
 * @example
 * ```ts
 * import { writeAllSync } from "./write_all.ts";
 * import assert from "node:assert/strict";
 * const chunks: number[] = [];
 * writeAllSync({ writeSync: (b) => (chunks.push(Math.min(2, b.length)), Math.min(2, b.length)) }, "hello");
 * assert.deepEqual(chunks, [2, 2, 1]);
 * ```
 */
export function writeAllSync(writer: SyncWriter, text: string): void {
  const bytes = new TextEncoder().encode(text);
  let written = 0;
  while (written < bytes.length) {
    written += writer.writeSync(bytes.subarray(written));
  }
}

/**
 * Write all of `text` (UTF-8) to `writer`.
 *
 * @example
 * ```ts
 * import { writeAll } from "./write_all.ts";
 * import assert from "node:assert/strict";
 * let total = 0;
 * await writeAll({ write: (b) => Promise.resolve((total += Math.min(3, b.length), Math.min(3, b.length))) }, "hello");
 * assert.equal(total, 5);
 * ```
 */
export async function writeAll(
  writer: AsyncWriter,
  text: string,
): Promise<void> {
  const bytes = new TextEncoder().encode(text);
  let written = 0;
  while (written < bytes.length) {
    written += await writer.write(bytes.subarray(written));
  }
}
