import assert from "node:assert/strict";
import { writeAll, writeAllSync } from "./write_all.ts";

/** A writer taking at most `chunk` bytes per call. */
function slowSink(chunk: number) {
  const parts: Uint8Array[] = [];
  const take = (bytes: Uint8Array) => {
    const n = Math.min(chunk, bytes.length);
    parts.push(bytes.slice(0, n));
    return n;
  };
  const text = () =>
    new TextDecoder().decode(
      Uint8Array.from(parts.flatMap((p) => [...p])),
    );
  return { parts, take, text };
}

Deno.test("writeAllSync and writeAll write every byte of partial writes", async () => {
  const sync = slowSink(3);
  writeAllSync({ writeSync: sync.take }, "✓ λ and more");
  assert.equal(sync.text(), "✓ λ and more");
  assert.ok(sync.parts.length > 1);
  const async = slowSink(2);
  await writeAll({ write: (b) => Promise.resolve(async.take(b)) }, "abcde");
  assert.equal(async.text(), "abcde");
  assert.equal(async.parts.length, 3);
  writeAllSync({ writeSync: () => assert.fail("nothing to write") }, "");
});
