/**
 * Parsers of flag values shared by the commands: each checks a value and
 * throws a {@linkcode UsageError} naming the flag and its allowed range
 * (exit code 2), and the value lists the flags allow.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { type Format, FORMATS } from "../report/write.ts";
import type { Shard } from "../runner/shard.ts";
import { BACKEND_NAMES, type BackendChoice } from "../backend/backends.ts";
import type { Profile } from "../claims/types.ts";
import { UsageError } from "../base/usage_error.ts";

/** The values of `--profile` (`map`: the regime maps, see `claims/regime_map.ts`). */
export const PROFILES: readonly Profile[] = ["ci", "paper", "map"];

/** The values of `--backend`: `auto`, then every backend name. */
export const BACKEND_FLAG_VALUES: readonly BackendChoice[] = [
  "auto",
  ...BACKEND_NAMES,
];

/** The allowed range of a `--seed`, as error messages and help say it. */
export const SEED_RANGE = `an integer from 0 to ${Number.MAX_SAFE_INTEGER}`;

/** The allowed values of an integer flag. */
export interface IntegerRange {
  /** The smallest value allowed. */
  min: number;
  /** The largest value allowed (default `Number.MAX_SAFE_INTEGER`). */
  max?: number;
  /** How errors say the range (default `an integer in min..max`). */
  range?: string;
}

/**
 * Parse an integer flag value within [min, max]; a bad value is a
 * {@linkcode UsageError} naming the flag and its range.
 *
 * @example
 * ```ts
 * import { integerFlag } from "./flags.ts";
 * import assert from "node:assert/strict";
 * assert.equal(integerFlag("workers", " 3 ", { min: 1, max: 64 }), 3);
 * assert.throws(
 *   () => integerFlag("trial", "-1", { min: 0, max: 9 }),
 *   /--trial must be an integer in 0\.\.9, got "-1"/,
 * );
 * ```
 */
export function integerFlag(
  flag: string,
  text: string,
  options: IntegerRange,
): number {
  const { min, max = Number.MAX_SAFE_INTEGER } = options;
  const range = options.range ?? `an integer in ${min}..${max}`;
  const bad = () => new UsageError(`--${flag} must be ${range}, got "${text}"`);
  if (!/^\s*\d+\s*$/.test(text)) throw bad();
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < min || value > max) throw bad();
  return value;
}

/**
 * Parse a `--format` value: a comma-separated list of csv, md, json and html
 * (duplicates dropped, order kept); anything else is a
 * {@linkcode UsageError} naming the flag.
 *
 * @example
 * ```ts
 * import { parseFormats } from "./flags.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(parseFormats("md, csv,md"), ["md", "csv"]);
 * assert.throws(() => parseFormats("csv,xml"), /unknown format "xml"/);
 * ```
 */
export function parseFormats(text: string): Format[] {
  const formats: Format[] = [];
  for (const part of text.split(",")) {
    const name = part.trim() as Format;
    if (!FORMATS.includes(name)) {
      throw new UsageError(
        `--format must be a comma-separated list of ${FORMATS.join(", ")}, ` +
          `got "${text}": unknown format "${part.trim()}"`,
      );
    }
    if (!formats.includes(name)) formats.push(name);
  }
  return formats;
}

/**
 * Parse a `--shard` value of the form `I/N` with integers 1 ≤ I ≤ N.
 * Anything else throws a {@linkcode UsageError} naming `--shard` and the
 * allowed form.
 *
 * @example
 * ```ts
 * import { parseShard } from "./flags.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(parseShard("2/3"), { index: 2, count: 3 });
 * assert.throws(() => parseShard("0/3"));
 * ```
 */
export function parseShard(text: string): Shard {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const fail = (why: string): never => {
    throw new UsageError(
      `--shard must have the form I/N with integers 1 <= I <= N ` +
        `(for example --shard 2/4); got "${text}": ${why}`,
    );
  };
  if (match === null) return fail("not of the form I/N");
  const index = Number(match[1]);
  const count = Number(match[2]);
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(count)) {
    return fail("number too large");
  }
  if (count < 1) return fail("N must be at least 1");
  if (index < 1 || index > count) return fail("I must be between 1 and N");
  return { index, count };
}

/** What {@linkcode parseCommandLine} found. */
export interface CommandLine<Name extends string> {
  /** The value of every string flag given (`--name VALUE`). */
  values: Partial<Record<Name, string>> & { help?: boolean };
  /** The other arguments, in order. */
  positionals: string[];
}

/**
 * Parse a command line of string flags (`--name VALUE` or `--name=VALUE`)
 * and `-h`/`--help`, strictly: an unknown flag, a missing value or (without
 * `positionals`) a positional argument throws.
 *
 * @example
 * ```ts
 * import { parseCommandLine } from "./flags.ts";
 * import assert from "node:assert/strict";
 * const line = parseCommandLine(["--out", "x", "a"], {
 *   strings: ["out"],
 *   positionals: true,
 * });
 * assert.equal(line.values.out, "x");
 * assert.deepEqual(line.positionals, ["a"]);
 * assert.throws(() => parseCommandLine(["--what"], { strings: [], positionals: false }));
 * ```
 */
export function parseCommandLine<Name extends string>(
  args: string[],
  options: { strings: readonly Name[]; positionals: boolean },
): CommandLine<Name> {
  const flags: Record<
    string,
    { type: "string" } | {
      type: "boolean";
      short: string;
    }
  > = Object.fromEntries(
    options.strings.map((name) => [name, { type: "string" as const }]),
  );
  flags.help = { type: "boolean", short: "h" };
  const { values, positionals } = parseArgs({
    args,
    strict: true,
    allowPositionals: options.positionals,
    options: flags,
  });
  return { values: values as CommandLine<Name>["values"], positionals };
}
