/**
 * Reading a JSON file of a run folder (`run.json`, `summary.json`, …) with
 * the suite's errors: a missing file is `undefined`, a file that is not
 * JSON a `UsageError` naming it.
 *
 * @module
 */

import { errorMessage } from "../base/errors.ts";
import { UsageError } from "../base/usage_error.ts";

/**
 * The parsed content of a JSON file, or `undefined` when it does not
 * exist; throws a {@linkcode UsageError} naming the file when it is not
 * valid JSON.
 *
 * @example
 * ```ts
 * import { readJsonFile } from "./json_file.ts";
 * import assert from "node:assert/strict";
 * const dir = await Deno.makeTempDir();
 * assert.equal(await readJsonFile(`${dir}/none.json`), undefined);
 * await Deno.writeTextFile(`${dir}/a.json`, '{"x": 1}');
 * assert.deepEqual(await readJsonFile(`${dir}/a.json`), { x: 1 });
 * await Deno.writeTextFile(`${dir}/b.json`, "{ x");
 * await assert.rejects(() => readJsonFile(`${dir}/b.json`), /b\.json is not valid JSON/);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function readJsonFile(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${path} is not valid JSON: ${errorMessage(error)}`);
  }
}
