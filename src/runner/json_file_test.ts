import assert from "node:assert/strict";
import { readJsonFile } from "./json_file.ts";
import { UsageError } from "../base/usage_error.ts";

Deno.test("readJsonFile: undefined when missing, a UsageError when not JSON", async () => {
  const dir = await Deno.makeTempDir();
  try {
    assert.equal(await readJsonFile(`${dir}/missing.json`), undefined);
    await Deno.writeTextFile(`${dir}/list.json`, "[1, 2]\n");
    assert.deepEqual(await readJsonFile(`${dir}/list.json`), [1, 2]);
    await Deno.writeTextFile(`${dir}/bad.json`, "nope");
    await assert.rejects(
      () => readJsonFile(`${dir}/bad.json`),
      (e) =>
        e instanceof UsageError &&
        e.message.startsWith(`${dir}/bad.json is not valid JSON: `),
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
