import assert from "node:assert/strict";
import { formatShard, inShard, parseShard } from "./shard.ts";
import { UsageError } from "../base/usage_error.ts";

Deno.test("parseShard", async (t) => {
  await t.step("accepts I/N with 1 <= I <= N", () => {
    assert.deepEqual(parseShard("1/1"), { index: 1, count: 1 });
    assert.deepEqual(parseShard("3/3"), { index: 3, count: 3 });
    assert.deepEqual(parseShard(" 2 / 5 "), { index: 2, count: 5 });
    assert.equal(formatShard(parseShard("2/5")), "2/5");
  });
  await t.step("rejects bad input with a UsageError naming --shard", () => {
    for (
      const bad of [
        "",
        "1",
        "0/3",
        "4/3",
        "1/0",
        "a/b",
        "1/2/3",
        "-1/2",
        "1.5/3",
        "2/1",
      ]
    ) {
      assert.throws(
        () => parseShard(bad),
        (e: unknown) =>
          e instanceof UsageError && e.message.includes("--shard") &&
          e.message.includes("I/N"),
        bad,
      );
    }
  });
});

Deno.test("inShard partitions the plan", () => {
  const count = 3;
  const seen = new Array(20).fill(0);
  for (let index = 1; index <= count; index++) {
    for (let g = 0; g < seen.length; g++) {
      if (inShard(g, { index, count })) seen[g]++;
    }
  }
  assert.ok(seen.every((n) => n === 1));
  assert.ok(inShard(0, { index: 1, count: 3 }));
  assert.ok(inShard(5, { index: 3, count: 3 }));
  assert.ok(inShard(7, undefined));
});
