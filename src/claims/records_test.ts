import assert from "node:assert/strict";
import { column, columnRange, okRecords } from "./records.ts";
import type { TrialRecord } from "./types.ts";

const rec = (
  trial: number,
  { status, x }: { status: "ok" | "error"; x: number },
): TrialRecord => ({
  task: { claim: "C0", config: "c", trial, seed: trial },
  result: { status, reason: "", checks: {}, values: { x } },
});

Deno.test("records", () => {
  const records = [
    rec(0, { status: "ok", x: 1 }),
    rec(1, { status: "error", x: 100 }),
    rec(2, { status: "ok", x: NaN }),
    rec(3, { status: "ok", x: 3 }),
  ];
  assert.equal(okRecords(records).length, 3);
  assert.deepEqual(column(records, "x"), [1, 3]);
  assert.equal(columnRange(records, "x"), "2 [1.2, 2.8]");
  assert.equal(columnRange(records, "missing"), "n/a");
});
