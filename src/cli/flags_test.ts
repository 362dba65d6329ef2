import assert from "node:assert/strict";
import {
  BACKEND_FLAG_VALUES,
  integerFlag,
  parseCommandLine,
  parseFormats,
  parseShard,
  PROFILES,
  SEED_RANGE,
} from "./flags.ts";
import { formatShard } from "../runner/shard.ts";
import { BACKEND_NAMES } from "../backend/backends.ts";
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

Deno.test("integerFlag checks the range and names the flag", () => {
  assert.equal(integerFlag("seed", "0", { min: 0, range: SEED_RANGE }), 0);
  assert.throws(
    () => integerFlag("seed", "1e3", { min: 0, range: SEED_RANGE }),
    (e) =>
      e instanceof UsageError &&
      e.message === `--seed must be ${SEED_RANGE}, got "1e3"`,
  );
  assert.throws(
    () => integerFlag("n", "0", { min: 1 }),
    /--n must be an integer in 1\.\.\d+, got "0"/,
  );
  assert.throws(
    () => integerFlag("n", "99999999999999999999", { min: 1 }),
    /--n must be/,
  );
});

Deno.test("parseFormats keeps order and drops duplicates", () => {
  assert.deepEqual(parseFormats("json"), ["json"]);
  assert.deepEqual(parseFormats("csv, md,json,csv"), ["csv", "md", "json"]);
  assert.deepEqual(parseFormats("html,csv"), ["html", "csv"]);
  assert.throws(
    () => parseFormats("pdf"),
    (e) =>
      e instanceof UsageError &&
      e.message ===
        '--format must be a comma-separated list of csv, md, json, html, got "pdf": unknown format "pdf"',
  );
});

Deno.test("the flag value lists", () => {
  assert.deepEqual(PROFILES, ["ci", "paper", "map"]);
  assert.deepEqual(BACKEND_FLAG_VALUES, ["auto", ...BACKEND_NAMES]);
});

Deno.test("parseCommandLine: string flags, help and positionals", () => {
  const line = parseCommandLine(["--a=1", "-h", "p", "--b", "2"], {
    strings: ["a", "b"],
    positionals: true,
  });
  assert.deepEqual({ ...line.values }, { a: "1", help: true, b: "2" });
  assert.deepEqual(line.positionals, ["p"]);
  for (const args of [["--c", "1"], ["p"], ["--a"]]) {
    assert.throws(
      () => parseCommandLine(args, { strings: ["a"], positionals: false }),
      (e) => e instanceof TypeError && "code" in e,
      args.join(" "),
    );
  }
});
