import assert from "node:assert/strict";
import { errorMessage } from "./errors.ts";
import { UsageError } from "./usage_error.ts";

Deno.test("errorMessage: an Error's message, anything else as a string", () => {
  assert.equal(errorMessage(new Error("m")), "m");
  assert.equal(errorMessage(new UsageError("u")), "u");
  assert.equal(errorMessage("s"), "s");
  assert.equal(errorMessage(42), "42");
  assert.equal(errorMessage(undefined), "undefined");
});
