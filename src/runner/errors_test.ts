import assert from "node:assert/strict";
import { RunConflictError, RunOptionError } from "./errors.ts";
import { UsageError } from "../base/usage_error.ts";

Deno.test("run errors are usage errors carrying their fields", () => {
  const option = new RunOptionError("seed", {
    requirement: "an integer",
    got: "1.5",
  });
  assert.ok(option instanceof UsageError);
  assert.equal(option.name, "RunOptionError");
  assert.equal(option.message, "seed must be an integer, got 1.5");
  assert.deepEqual([option.option, option.requirement, option.got], [
    "seed",
    "an integer",
    "1.5",
  ]);
  const conflict = new RunConflictError("x holds trial files", {
    kind: "trials-without-manifest",
    dir: "x",
  });
  assert.ok(conflict instanceof UsageError);
  assert.equal(conflict.name, "RunConflictError");
  assert.equal(conflict.message, "x holds trial files");
  assert.equal(conflict.dir, "x");
  assert.deepEqual(conflict.differences, []);
});
