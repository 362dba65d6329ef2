/**
 * `deno task regress --baseline FILE --current DIR|FILE`: compare the
 * current run's summary with a baseline summary, print the comparison as
 * Markdown, and exit 0 (no regression), 1 (a regression: a significant
 * drop of a pass count, a control that rose, a baseline check or
 * assessment missing, an assessment that lost its expected verdict, a
 * named constant or verdict rule that differs from the baseline's, or a
 * key measurement or fitted estimate that moved beyond its tolerance) or 2
 * (bad input: wrong flags, a missing or corrupt file). Differences of
 * seed, profile, backend or trials override, and a baseline too old to
 * carry key measurements, are warned about on stderr.
 *
 * @module
 */

import { parseCommandLine } from "./flags.ts";
import { consoleIo, type Io, reportError } from "./io.ts";
import { compareWithBaseline } from "../report/regress.ts";
import { errorMessage } from "../base/errors.ts";
import { UsageError } from "../base/usage_error.ts";

const USAGE =
  "usage: deno task regress --baseline FILE --current DIR|FILE [--alpha A]";

/** The full `--help` text. */
const HELP = [
  USAGE,
  "",
  "Compares a run with a baseline and exits 1 on a regression:",
  "  - a check's pass count dropped (or a control's rose) significantly",
  "    (one-sided Fisher exact test at level --alpha, default 0.05);",
  "  - a check or assessment of the baseline is missing from the run;",
  "  - an assessment that reached its expected verdict no longer does;",
  "  - a named constant of a claim, or a verdict rule, differs from the",
  "    baseline's (no threshold may move after looking at the data);",
  "  - a key measurement (a claim's highlighted column: its median over the",
  "    finished trials of a configuration) or an assessment's fitted",
  "    estimate moved beyond its tolerance: max(1% of the baseline, t·SE),",
  "    SE from both runs' 10%-90% spreads and trial counts (an estimate:",
  "    its 95% intervals), t at the level --alpha divided by the number of",
  "    quantities compared (Bonferroni).",
  "A different seed, profile, backend or --trials is a warning, not a failure.",
  "",
  "--baseline FILE  a summary.json (preferred: format 3 records the",
  "                 constants, the verdict rules, the run parameters, the",
  "                 key measurements and the fitted estimates; format 2 has",
  "                 no measurements, which are then not compared, with a",
  "                 warning) or an older summary.csv (pass counts and",
  "                 assessment verdicts only; constants, run parameters and",
  "                 measurements are then not compared).",
  "--current DIR    a run's output directory: its summary.json, or its",
  "                 summary.csv when it has no summary.json; or a file.",
  "Exit codes: 0 no regression, 1 regression, 2 bad input.",
].join("\n");

/** A number to 4 significant digits (`null` as a dash). */
function short(x: number | null): string {
  return x === null ? "—" : String(Number(x.toPrecision(4)));
}

/** Read a file, or throw a `UsageError` naming what it is. */
async function readInput(path: string, what: string): Promise<string> {
  try {
    return await Deno.readTextFile(path);
  } catch (error) {
    throw new UsageError(
      `cannot read the ${what} ${path}: ${errorMessage(error)}`,
    );
  }
}

/** The current summary's path: a file as given, else DIR/summary.json or DIR/summary.csv. */
async function currentPath(current: string): Promise<string> {
  if (current.endsWith(".csv") || current.endsWith(".json")) return current;
  try {
    await Deno.stat(`${current}/summary.json`);
    return `${current}/summary.json`;
  } catch {
    return `${current}/summary.csv`;
  }
}

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
      io.out(HELP);
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
    const report = compareWithBaseline(
      await readInput(values.baseline, "baseline"),
      await readInput(await currentPath(values.current), "current summary"),
      { alpha },
    );
    io.out(report.markdown);
    for (const warning of report.warnings) io.err(`warning: ${warning}`);
    if (report.drop) io.err("regression: a check dropped significantly");
    if (report.missing) {
      io.err("regression: a baseline check is missing from the current run");
    }
    if (report.assessmentRegressed) {
      io.err(
        "regression: an assessment no longer reaches its expected verdict: " +
          report.assessments.filter((a) => a.status === "worse").map((a) =>
            `${a.claim}/${a.check} (${a.baseline} → ${a.current})`
          ).join(", "),
      );
    }
    if (report.constantsChanged) {
      io.err(
        "regression: named constants differ from the baseline: " +
          report.constantChanges.map((c) =>
            `${c.scope}.${c.name} ${c.baseline ?? "absent"} → ${
              c.current ?? "absent"
            }`
          ).join(", ") +
          " (a threshold must not move after looking at the data; if the " +
          "change was decided beforehand, regenerate the baseline: README, " +
          "Regression tracking)",
      );
    }
    if (report.measurementsMoved) {
      io.err(
        "regression: key measurements moved beyond their tolerance: " +
          report.measurements.filter((m) => m.status === "moved").map((m) =>
            `${m.claim}/${m.scope}/${m.name} ${short(m.baseline)} → ` +
            `${short(m.current)} (tolerance ${short(m.tolerance)})`
          ).join(", "),
      );
    }
    return report.failed ? 1 : 0;
  } catch (error) {
    return reportError(error, io);
  }
}

if (import.meta.main) {
  Deno.exit(await regressMain(Deno.args));
}
