import assert from "node:assert/strict";
import { capture } from "../../fixtures/capture_io.ts";
import { consoleIo, reportError } from "./io.ts";
import { UsageError } from "../base/usage_error.ts";

Deno.test("reportError shows a stack only for unexpected errors", () => {
  const io = capture();
  assert.equal(reportError(new UsageError("plain"), io), 2);
  assert.equal(io.stderr[0], "error: plain");
  reportError(new RangeError("bug"), io);
  assert.match(io.stderr[1], /RangeError: bug\n\s+at /);
  reportError(new Deno.errors.NotFound("no file"), io);
  assert.equal(io.stderr[2], "error: no file");
  const parseError = Object.assign(new TypeError("Unknown option '--x'"), {
    code: "ERR_PARSE_ARGS_UNKNOWN_OPTION",
  });
  reportError(parseError, io);
  assert.equal(io.stderr[3], "error: Unknown option '--x'");
  reportError("a string", io);
  assert.equal(io.stderr[4], "error: a string");
  assert.deepEqual(io.stdout, []);
});

Deno.test("consoleIo writes to stdout and stderr", () => {
  const logged: string[] = [];
  const { log, error } = console;
  console.log = (text: string) => logged.push(`out ${text}`);
  console.error = (text: string) => logged.push(`err ${text}`);
  try {
    consoleIo.out("a");
    consoleIo.err("b");
  } finally {
    console.log = log;
    console.error = error;
  }
  assert.deepEqual(logged, ["out a", "err b"]);
});
