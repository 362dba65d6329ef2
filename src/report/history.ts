/**
 * The history of a suite's runs over commits (`reports/history/history.csv`):
 * per run, keyed by its git commit and profile, one line per check (pass
 * count, rate and its 95% interval, verdict), per assessment (verdict) and
 * per key measurement (median and 10%–90% range of a column over the
 * finished trials of a configuration). Appending a run replaces the entry
 * of the same commit and profile, in place; entries keep the order in which
 * they were first recorded, which is the commit order of the charts
 * (`history_charts.ts`).
 *
 * @module
 */

import { parse } from "csv-parse/sync";
import { stringify } from "csv-stringify/sync";
import type { HtmlHighlights, Json, JsonObject } from "./html.ts";
import type { ClaimPlan } from "../runner/plan.ts";
import { type KeyMeasurements, keyMeasurements } from "./measurements.ts";
import type { TrialRecord } from "../claims/types.ts";
import { UsageError } from "../base/usage_error.ts";

/** The columns of `history.csv`, in order. */
export const HISTORY_COLUMNS = [
  "commit",
  "commit_time",
  "dirty",
  "profile",
  "seed",
  "claim",
  "kind",
  "name",
  "config",
  "value",
  "low",
  "high",
  "trials",
  "passed",
  "verdict",
  "ok",
] as const;

/** What a line of the history records. */
export type HistoryKind = "check" | "assessment" | "measurement";

/** One line of `history.csv`. */
export interface HistoryRow {
  /** The git commit of the run's code. */
  commit: string;
  /** The commit's time (ISO 8601), or `""` when unknown. */
  commitTime: string;
  /** Whether the work tree had changes: `"true"`, `"false"` or `""` (unknown). */
  dirty: string;
  /** The run's profile. */
  profile: string;
  /** The run's seed. */
  seed: number;
  /** Claim id. */
  claim: string;
  /** A check's pass rate, an assessment's verdict, or a key measurement. */
  kind: HistoryKind;
  /** Check, assessment or value column name. */
  name: string;
  /** The configuration of a measurement (`""` otherwise). */
  config: string;
  /** Pass rate, or a measurement's median (`null` for an assessment). */
  value: number | null;
  /** Lower end: the interval's, or the 10% quantile. */
  low: number | null;
  /** Upper end: the interval's, or the 90% quantile. */
  high: number | null;
  /** Trials counted (finished trials for a measurement). */
  trials: number | null;
  /** Trials passing (a check only). */
  passed: number | null;
  /** Verdict (`""` for a measurement). */
  verdict: string;
  /** Whether the verdict is the expected one: `"true"`, `"false"` or `""`. */
  ok: string;
}

/** The run an entry of the history is made from. */
export interface HistoryEntryInput {
  /** The run's parsed `summary.json`. */
  summary: JsonObject;
  /** The git commit of the run's code. */
  commit: string;
  /** The commit's time, if known. */
  commitTime?: string;
  /** Whether the work tree had changes, if known. */
  dirty?: boolean | null;
  /** Key measurements by claim id (when `summary.json` has none). */
  highlights?: Record<string, HtmlHighlights>;
}

/** A JSON value as a finite number, else `null`. */
function num(value: Json | undefined): number | null {
  return typeof value === "number" && Number.isFinite(value) ? value : null;
}

/** A JSON value as an ok flag: `"true"`, `"false"` or `""`. */
function flag(value: Json | undefined): string {
  return typeof value === "boolean" ? String(value) : "";
}

/** "median [q10, q90]" cells parsed back to numbers. */
function rangeOf(cell: string): [number, number, number] | null {
  const m = /^(\S+) \[(\S+), (\S+)\]$/.exec(cell.trim());
  if (m === null) return null;
  const [median, low, high] = [m[1], m[2], m[3]].map(Number);
  return [median, low, high].every(Number.isFinite)
    ? [median, low, high]
    : null;
}

/** The key measurements a claim of `summary.json` carries, in the shape of `HtmlHighlights`. */
function summaryHighlights(claim: JsonObject): HtmlHighlights | undefined {
  const h = claim.highlights;
  if (h === null || typeof h !== "object" || Array.isArray(h)) return undefined;
  const { columns, rows } = h;
  if (!Array.isArray(columns) || !Array.isArray(rows)) return undefined;
  return {
    columns: columns.map(String),
    rows: rows.flatMap((r) => {
      if (r === null || typeof r !== "object" || Array.isArray(r)) return [];
      return [{
        config: String(r.config ?? ""),
        n: num(r.n) ?? 0,
        cells: Array.isArray(r.cells) ? r.cells.map(String) : [],
      }];
    }),
  };
}

/**
 * The lines of one run for the history: its checks, its assessments and
 * its key measurements (those of `summary.json`'s claims when it carries
 * them, else `input.highlights`).
 *
 * @example
 * ```ts
 * import { historyRowsOf } from "./history.ts";
 * import assert from "node:assert/strict";
 * const rows = historyRowsOf({
 *   commit: "abc",
 *   summary: {
 *     run: { seed: 1, profile: "ci" },
 *     rows: [{ claim: "C1", check: "a", rate: 1, ciLow: 0.9, ciHigh: 1, trials: 30, passed: 30, verdict: "holds", ok: true }],
 *   },
 * });
 * assert.deepEqual([rows[0].kind, rows[0].name, rows[0].value, rows[0].ok], ["check", "a", 1, "true"]);
 * ```
 */
export function historyRowsOf(input: HistoryEntryInput): HistoryRow[] {
  const { summary } = input;
  const run = (summary.run ?? {}) as JsonObject;
  const base = {
    commit: input.commit,
    commitTime: input.commitTime ?? "",
    dirty: input.dirty === undefined || input.dirty === null
      ? ""
      : String(input.dirty),
    profile: String(run.profile ?? ""),
    seed: num(run.seed) ?? 0,
  };
  const objects = (value: Json | undefined): JsonObject[] =>
    (Array.isArray(value) ? value : []).filter((v): v is JsonObject =>
      v !== null && typeof v === "object" && !Array.isArray(v)
    );
  const rows: HistoryRow[] = objects(summary.rows).map((r) => ({
    ...base,
    claim: String(r.claim),
    kind: "check",
    name: String(r.check),
    config: "",
    value: num(r.rate),
    low: num(r.ciLow),
    high: num(r.ciHigh),
    trials: num(r.trials),
    passed: num(r.passed),
    verdict: String(r.verdict ?? ""),
    ok: flag(r.ok),
  }));
  for (const a of objects(summary.assessments)) {
    rows.push({
      ...base,
      claim: String(a.claim),
      kind: "assessment",
      name: String(a.check),
      config: "",
      value: null,
      low: null,
      high: null,
      trials: null,
      passed: null,
      verdict: String(a.verdict ?? ""),
      ok: flag(a.ok),
    });
  }
  for (const claim of objects(summary.claims)) {
    const id = String(claim.id);
    const h = summaryHighlights(claim) ?? input.highlights?.[id];
    for (const r of h?.rows ?? []) {
      h!.columns.forEach((name, i) => {
        const range = rangeOf(r.cells[i] ?? "");
        if (range === null) return;
        rows.push({
          ...base,
          claim: id,
          kind: "measurement",
          name,
          config: r.config,
          value: range[0],
          low: range[1],
          high: range[2],
          trials: r.n,
          passed: null,
          verdict: "",
          ok: "",
        });
      });
    }
  }
  return rows;
}

/**
 * A claim's key measurements from its records: per configuration of the
 * plan, the finished trials and "median [q10, q90]" of each `highlights`
 * column (`n/a` without a finite value), as `summary.md` shows them, with
 * the numbers behind each cell ({@linkcode keyMeasurements}).
 */
export function measuredHighlights(
  plan: ClaimPlan,
  records: TrialRecord[],
): KeyMeasurements {
  return keyMeasurements(plan, records);
}

/** A number cell of `history.csv`. */
function numberCell(x: number | null): string {
  return x === null ? "" : String(x);
}

/**
 * The text of `history.csv`.
 *
 * @example
 * ```ts
 * import { historyCsv, HISTORY_COLUMNS } from "./history.ts";
 * import assert from "node:assert/strict";
 * assert.equal(historyCsv([]), HISTORY_COLUMNS.join(",") + "\n");
 * ```
 */
export function historyCsv(rows: HistoryRow[]): string {
  return stringify([
    [...HISTORY_COLUMNS],
    ...rows.map((r) => [
      r.commit,
      r.commitTime,
      r.dirty,
      r.profile,
      String(r.seed),
      r.claim,
      r.kind,
      r.name,
      r.config,
      numberCell(r.value),
      numberCell(r.low),
      numberCell(r.high),
      numberCell(r.trials),
      numberCell(r.passed),
      r.verdict,
      r.ok,
    ]),
  ], { eof: true, record_delimiter: "unix" });
}

/** A number cell read back (`""` is `null`). */
function readNumber(text: string, where: string): number | null {
  if (text === "") return null;
  const x = Number(text);
  if (!Number.isFinite(x)) {
    throw new UsageError(`${where}: "${text}" is not a number`);
  }
  return x;
}

/**
 * Parse `history.csv`; a {@linkcode UsageError} naming `source` and the
 * line when it is not one.
 */
export function parseHistory(text: string, source: string): HistoryRow[] {
  let cells: string[][];
  try {
    cells = parse(text, { relax_column_count: false }) as string[][];
  } catch (error) {
    throw new UsageError(
      `${source} is not a CSV file: ${
        error instanceof Error ? error.message : String(error)
      }`,
    );
  }
  if (cells.length === 0) return [];
  if (cells[0].join(",") !== HISTORY_COLUMNS.join(",")) {
    throw new UsageError(
      `${source} is not a history file: its header is not ` +
        HISTORY_COLUMNS.join(","),
    );
  }
  return cells.slice(1).map((c, i) => {
    const where = `${source} line ${i + 2}`;
    const kind = c[6];
    if (kind !== "check" && kind !== "assessment" && kind !== "measurement") {
      throw new UsageError(`${where}: unknown kind "${kind}"`);
    }
    return {
      commit: c[0],
      commitTime: c[1],
      dirty: c[2],
      profile: c[3],
      seed: readNumber(c[4], where) ?? 0,
      claim: c[5],
      kind,
      name: c[7],
      config: c[8],
      value: readNumber(c[9], where),
      low: readNumber(c[10], where),
      high: readNumber(c[11], where),
      trials: readNumber(c[12], where),
      passed: readNumber(c[13], where),
      verdict: c[14],
      ok: c[15],
    };
  });
}

/** The key of an entry: its commit and profile. */
function entryKey(row: { commit: string; profile: string }): string {
  return `${row.commit}\u0000${row.profile}`;
}

/**
 * The history with a run's lines added: an entry of the same commit and
 * profile is replaced where it stood, else the lines are appended.
 *
 * @example
 * ```ts
 * import { mergeHistory } from "./history.ts";
 * import assert from "node:assert/strict";
 * const row = (commit: string, value: number) => ({
 *   commit, commitTime: "", dirty: "", profile: "ci", seed: 1, claim: "C1", kind: "check" as const,
 *   name: "a", config: "", value, low: null, high: null, trials: null, passed: null, verdict: "", ok: "",
 * });
 * const merged = mergeHistory([row("a", 1), row("b", 1)], [row("a", 0.5)]);
 * assert.deepEqual(merged.map((r) => [r.commit, r.value]), [["a", 0.5], ["b", 1]]);
 * ```
 */
export function mergeHistory(
  history: HistoryRow[],
  entry: HistoryRow[],
): HistoryRow[] {
  if (entry.length === 0) return history;
  const key = entryKey(entry[0]);
  const at = history.findIndex((r) => entryKey(r) === key);
  if (at < 0) return [...history, ...entry];
  const rest = history.filter((r) => entryKey(r) !== key);
  const before = history.slice(0, at).filter((r) => entryKey(r) !== key);
  return [...before, ...entry, ...rest.slice(before.length)];
}

/** The entries of a history in order: commit, profile and their lines. */
export function historyEntries(
  rows: HistoryRow[],
): { commit: string; profile: string; rows: HistoryRow[] }[] {
  const entries = new Map<
    string,
    { commit: string; profile: string; rows: HistoryRow[] }
  >();
  for (const r of rows) {
    const key = entryKey(r);
    const entry = entries.get(key) ??
      { commit: r.commit, profile: r.profile, rows: [] };
    entry.rows.push(r);
    entries.set(key, entry);
  }
  return [...entries.values()];
}
