/**
 * Atomic file writes: a reader sees either the old content or the new
 * content of a file, never a half-written one, even when the process is
 * killed mid-write.
 *
 * @module
 */

import { dirname } from "node:path";
import { writeAll, writeAllSync } from "../base/write_all.ts";

/** How the temporary file is opened: created or emptied, for writing. */
const TEMP_FILE: Deno.OpenOptions = {
  write: true,
  create: true,
  truncate: true,
};

/** The temporary file for `path`: `path.tmp-<pid>-<random hex>`. */
function tempPath(path: string): string {
  const bytes = crypto.getRandomValues(new Uint8Array(6));
  const suffix = Array.from(bytes, (b) => b.toString(16).padStart(2, "0"))
    .join("");
  return `${path}.tmp-${Deno.pid}-${suffix}`;
}

/**
 * Write `text` to `path` atomically: the text goes to
 * `path.tmp-<pid>-<random>` in the same directory, is flushed to disk
 * (fsync), and the temporary file is then renamed over `path`. Missing parent
 * directories are created. On failure the temporary file is removed and the
 * old content of `path`, if any, is untouched.
 *
 * @example
 * ```ts
 * import { writeTextFileAtomic } from "./atomic_write.ts";
 * import assert from "node:assert/strict";
 * const dir = await Deno.makeTempDir();
 * await writeTextFileAtomic(`${dir}/a/b.txt`, "hello\n");
 * assert.equal(await Deno.readTextFile(`${dir}/a/b.txt`), "hello\n");
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function writeTextFileAtomic(
  path: string,
  text: string,
): Promise<void> {
  await Deno.mkdir(dirname(path), { recursive: true });
  const tmp = tempPath(path);
  try {
    const file = await Deno.open(tmp, TEMP_FILE);
    try {
      await writeAll(file, text);
      await file.sync();
    } finally {
      file.close();
    }
    await Deno.rename(tmp, path);
  } catch (error) {
    await Deno.remove(tmp).catch(() => {});
    throw error;
  }
}

/**
 * Synchronous twin of {@linkcode writeTextFileAtomic}, for code that must
 * not yield between reading and replacing a file.
 *
 * @example
 * ```ts
 * import { writeTextFileAtomicSync } from "./atomic_write.ts";
 * import assert from "node:assert/strict";
 * const dir = Deno.makeTempDirSync();
 * writeTextFileAtomicSync(`${dir}/x.txt`, "x");
 * assert.equal(Deno.readTextFileSync(`${dir}/x.txt`), "x");
 * Deno.removeSync(dir, { recursive: true });
 * ```
 */
export function writeTextFileAtomicSync(path: string, text: string): void {
  Deno.mkdirSync(dirname(path), { recursive: true });
  const tmp = tempPath(path);
  try {
    const file = Deno.openSync(tmp, TEMP_FILE);
    try {
      writeAllSync(file, text);
      file.syncSync();
    } finally {
      file.close();
    }
    Deno.renameSync(tmp, path);
  } catch (error) {
    try {
      Deno.removeSync(tmp);
    } catch {
      // The temporary file was never created or is already gone.
    }
    throw error;
  }
}
