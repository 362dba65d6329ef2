import assert from "node:assert/strict";
import { UsageError } from "./usage_error.ts";

Deno.test("UsageError is an Error with its own name and message", () => {
  const cause = new Error("inner");
  const e = new UsageError("bad flag", { cause });
  assert.ok(e instanceof Error);
  assert.ok(e instanceof UsageError);
  assert.equal(e.name, "UsageError");
  assert.equal(e.message, "bad flag");
  assert.equal(e.cause, cause);
});
