/**
 * `deno task regress --baseline FILE --current DIR`: compare the current
 * run's `summary.csv` (in DIR, or DIR itself when it is a `.csv` file) with
 * a baseline `summary.csv`, print the comparison as Markdown, and exit 0 (no
 * significant drop), 1 (a significant drop) or 2 (bad input: wrong flags, a
 * missing or corrupt file).
 *
 * @module
 */

import { parseCommandLine } from "./flags.ts";
import { consoleIo, type Io, reportError } from "./io.ts";
import { compareWithBaseline } from "../report/regress.ts";
import { errorMessage } from "../base/errors.ts";
import { UsageError } from "../base/usage_error.ts";

const USAGE =
  "usage: deno task regress --baseline FILE --current DIR [--alpha A]";

/**
 * The regress command: parse `args`, compare, print; returns the exit code.
 *
 * @example
 * ```ts
 * import { regressMain } from "./regress.ts";
 * import assert from "node:assert/strict";
 * const errors: string[] = [];
 * const code = await regressMain(["--bogus"], { out() {}, err: (t) => errors.push(t) });
 * assert.equal(code, 2);
 * ```
 */
export async function regressMain(
  args: string[],
  io: Io = consoleIo,
): Promise<number> {
  try {
    const { values, positionals } = parseCommandLine(args, {
      strings: ["baseline", "current", "alpha"],
      positionals: true,
    });
    if (values.help) {
      io.out(USAGE);
      return 0;
    }
    if (positionals.length > 0) {
      throw new UsageError(`unexpected argument "${positionals[0]}"; ${USAGE}`);
    }
    if (values.baseline === undefined || values.current === undefined) {
      throw new UsageError(`--baseline and --current are required; ${USAGE}`);
    }
    const alpha = values.alpha === undefined ? 0.05 : Number(values.alpha);
    if (!(alpha > 0 && alpha < 1)) {
      throw new UsageError(
        `--alpha must be a number in (0, 1), got "${values.alpha}"`,
      );
    }
    const currentPath = values.current.endsWith(".csv")
      ? values.current
      : `${values.current}/summary.csv`;
    const read = async (path: string, what: string) => {
      try {
        return await Deno.readTextFile(path);
      } catch (error) {
        throw new UsageError(
          `cannot read the ${what} ${path}: ${errorMessage(error)}`,
        );
      }
    };
    const report = compareWithBaseline(
      await read(values.baseline, "baseline"),
      await read(currentPath, "current summary"),
      { alpha },
    );
    io.out(report.markdown);
    if (report.drop) io.err("regression: a check dropped significantly");
    if (report.missing) {
      io.err("regression: a baseline check is missing from the current run");
    }
    return report.drop || report.missing ? 1 : 0;
  } catch (error) {
    return reportError(error, io);
  }
}

if (import.meta.main) {
  Deno.exit(await regressMain(Deno.args));
}
