import assert from "node:assert/strict";
import { noticeText, withFlagNames } from "./run_errors.ts";
import { RunConflictError, RunOptionError } from "../runner/errors.ts";
import { UsageError } from "../base/usage_error.ts";

Deno.test("withFlagNames words every runner error with its flags", () => {
  const cases: [RunConflictError | RunOptionError, string][] = [
    [
      new RunConflictError("o holds a different run (it differs in: seed)", {
        kind: "different-run",
        dir: "o",
        differences: ["seed"],
      }),
      "o holds a different run (it differs in: seed); use another --out, or " +
      "the same parameters with --resume to continue it",
    ],
    [
      new RunConflictError("x", { kind: "foreign-trial", dir: "o" }),
      "x; use another --out",
    ],
    [
      new RunConflictError("merge: o holds a different run", {
        kind: "merge-target-taken",
        dir: "o",
      }),
      "merge: o holds a different run; use another --out",
    ],
    [
      new RunConflictError("merge: shard 1/2 in s is incomplete", {
        kind: "incomplete-shard",
        dir: "s",
      }),
      "merge: shard 1/2 in s is incomplete; finish it with --resume first",
    ],
    [
      new RunOptionError("trials", {
        requirement: "a positive integer",
        got: "0",
      }),
      "--trials must be a positive integer, got 0",
    ],
    [
      new RunOptionError("formats", {
        requirement: "one of csv, md, json",
        got: '"pdf"',
      }),
      '--format must be one of csv, md, json, got "pdf"',
    ],
  ];
  for (const [error, text] of cases) {
    const worded = withFlagNames(error);
    assert.ok(worded instanceof UsageError);
    assert.equal(worded.message, text);
    assert.equal(worded.cause, error);
  }
  const other = new Error("bug");
  assert.equal(withFlagNames(other), other);
});

Deno.test("noticeText adds the flag only to moving a run aside", () => {
  assert.equal(
    noticeText({ kind: "dropped-partial-line", path: "p", message: "m" }),
    "m",
  );
  assert.match(
    noticeText({ kind: "moved-aside", path: "p", message: "m" }),
    /^m \(use --resume/,
  );
});
