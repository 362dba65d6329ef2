import assert from "node:assert/strict";
import { formatShard, inShard } from "./shard.ts";

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

Deno.test("formatShard writes I/N", () => {
  assert.equal(formatShard({ index: 2, count: 5 }), "2/5");
});
