import assert from "node:assert/strict";
import {
  writeTextFileAtomic,
  writeTextFileAtomicSync,
} from "./atomic_write.ts";

Deno.test("writeTextFileAtomic", async (t) => {
  const dir = await Deno.makeTempDir();
  try {
    await t.step("creates parent directories and writes the text", async () => {
      const path = `${dir}/deep/er/file.csv`;
      await writeTextFileAtomic(path, "a,b\n1,2\n");
      assert.equal(await Deno.readTextFile(path), "a,b\n1,2\n");
    });
    await t.step(
      "replaces existing content and leaves no temp file",
      async () => {
        const path = `${dir}/replace.txt`;
        await writeTextFileAtomic(path, "old content that is longer");
        await writeTextFileAtomic(path, "new");
        assert.equal(await Deno.readTextFile(path), "new");
        const names = [...Deno.readDirSync(dir)].map((e) => e.name).sort();
        assert.deepEqual(names, ["deep", "replace.txt"]);
      },
    );
    await t.step("writes unicode and empty text", async () => {
      await writeTextFileAtomic(`${dir}/u.txt`, "✓ ✗ λ");
      assert.equal(await Deno.readTextFile(`${dir}/u.txt`), "✓ ✗ λ");
      await writeTextFileAtomic(`${dir}/e.txt`, "");
      assert.equal(await Deno.readTextFile(`${dir}/e.txt`), "");
    });
    await t.step("fails cleanly when the target is a directory", async () => {
      await Deno.mkdir(`${dir}/adir/inner`, { recursive: true });
      await assert.rejects(() => writeTextFileAtomic(`${dir}/adir`, "x"));
      const names = [...Deno.readDirSync(dir)].map((e) => e.name);
      assert.ok(!names.some((n) => n.includes(".tmp-")), names.join(","));
    });
    await t.step("sync twin behaves the same", () => {
      writeTextFileAtomicSync(`${dir}/s/x.txt`, "one");
      writeTextFileAtomicSync(`${dir}/s/x.txt`, "two");
      assert.equal(Deno.readTextFileSync(`${dir}/s/x.txt`), "two");
      assert.deepEqual([...Deno.readDirSync(`${dir}/s`)].map((e) => e.name), [
        "x.txt",
      ]);
      assert.throws(() => writeTextFileAtomicSync(`${dir}/adir`, "x"));
      const names = [...Deno.readDirSync(dir)].map((e) => e.name);
      assert.ok(!names.some((n) => n.includes(".tmp-")), names.join(","));
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
