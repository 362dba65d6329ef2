/**
 * The per-claim trial file `<out>/trials/<claim>.csv`: one row per finished
 * trial, appended and flushed to disk as soon as the trial ends, so that an
 * interrupted run loses at most the trial being written, and read back on
 * `--resume`.
 *
 * Columns: `claim,config,trial,seed,status,reason`, then one
 * `check:<name>` column per check of the claim (`true`/`false`, empty when
 * the trial did not report the check), then the value columns (the
 * configuration's parameters and the measured values, in the key order of
 * the first record, later keys merged in order).
 *
 * Types survive the round trip: in value columns a string is always quoted,
 * a number is written with `String(number)` (which reads back exactly) and a
 * boolean as `true`/`false`, both unquoted; an empty unquoted cell means the
 * record has no such value. Cells must not contain line breaks (the runner
 * replaces them by spaces), so that every row is exactly one line and a
 * truncated last line is easy to recognize and drop.
 *
 * @module
 */

import { parse } from "csv-parse/sync";
import { stringify } from "csv-stringify/sync";
import {
  writeTextFileAtomic,
  writeTextFileAtomicSync,
} from "./atomic_write.ts";
import type { Cell, TrialRecord, TrialStatus } from "../claims/types.ts";

/** The first columns of every trial file, in order. */
export const FIXED_COLUMNS: readonly string[] = [
  "claim",
  "config",
  "trial",
  "seed",
  "status",
  "reason",
];

/** Prefix of the check columns. */
export const CHECK_PREFIX = "check:";

const STATUSES: readonly TrialStatus[] = ["ok", "not-converged", "error"];

/** Options of {@linkcode TrialLog.open}. */
export interface TrialLogOptions {
  /** Keep and read back the rows already in the file (else start empty). */
  resume: boolean;
  /** Check names of the claim, in column order. */
  checks: string[];
  /** If given, every row must belong to this claim. */
  claim?: string;
}

/** What {@linkcode parseTrialCsv} found in a trial file. */
export interface ParsedTrialFile {
  /** The rows, in file order. */
  records: TrialRecord[];
  /** Check names from the header, in order. */
  checks: string[];
  /** Value column names from the header, in order. */
  valueColumns: string[];
  /** Whether a partial last line was dropped. */
  truncated: boolean;
  /** Whether the text held a header line. */
  hasHeader: boolean;
}

/**
 * Merge the key order of `keys` into `order`: keys already present keep
 * their place; a new key is inserted right after the previous key of `keys`
 * (at the start if none), so every list folded in keeps its relative order
 * whenever the lists agree on one.
 *
 * @example
 * ```ts
 * import { mergeKeyOrder } from "./trial_log.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(mergeKeyOrder(["b", "c"], ["a", "b", "d"]), ["a", "b", "d", "c"]);
 * ```
 */
export function mergeKeyOrder(order: string[], keys: string[]): string[] {
  const result = [...order];
  let pos = 0;
  for (const key of keys) {
    const at = result.indexOf(key);
    if (at >= 0) {
      pos = Math.max(pos, at + 1);
    } else {
      result.splice(pos, 0, key);
      pos++;
    }
  }
  return result;
}

/** Reject a cell text with a line break. */
function oneLine(text: string, what: string): string {
  if (/[\r\n]/.test(text)) {
    throw new Error(`trial log: ${what} must not contain a line break`);
  }
  return text;
}

/** A number written so that `Number(text)` gives it back exactly. */
function numberText(x: number): string {
  return Object.is(x, -0) ? "-0" : String(x);
}

/** A value cell: the text and whether to quote it. */
interface OutCell {
  value: string;
  quoted: boolean;
}

/** Header row for the given checks and value columns. */
function headerRow(checks: string[], valueColumns: string[]): OutCell[] {
  return [
    ...FIXED_COLUMNS,
    ...checks.map((c) => CHECK_PREFIX + c),
    ...valueColumns,
  ].map((name) => ({ value: oneLine(name, "a column name"), quoted: false }));
}

/** One data row. */
function dataRow(
  record: TrialRecord,
  checks: string[],
  valueColumns: string[],
): OutCell[] {
  const { task, result } = record;
  const plain = (value: string, what: string): OutCell => ({
    value: oneLine(value, what),
    quoted: false,
  });
  const row: OutCell[] = [
    plain(task.claim, "the claim id"),
    plain(task.config, "the configuration key"),
    plain(String(task.trial), "the trial index"),
    plain(String(task.seed), "the seed"),
    plain(result.status, "the status"),
    plain(result.reason, "the reason"),
  ];
  for (const name of Object.keys(result.checks)) {
    if (!checks.includes(name)) {
      throw new Error(
        `trial log: record ${task.claim}/${task.config}/${task.trial} has ` +
          `check "${name}" that is not a column of the file`,
      );
    }
  }
  for (const name of checks) {
    const passed = result.checks[name];
    row.push(plain(passed === undefined ? "" : String(passed), "a check"));
  }
  for (const name of valueColumns) {
    const value: Cell | undefined = result.values[name];
    if (value === undefined) row.push({ value: "", quoted: false });
    else if (typeof value === "string") {
      row.push({ value: oneLine(value, `value "${name}"`), quoted: true });
    } else if (typeof value === "number") {
      row.push({ value: numberText(value), quoted: false });
    } else row.push({ value: String(value), quoted: false });
  }
  return row;
}

/** CSV text of rows of cells (quoting where asked). */
function csvText(rows: OutCell[][]): string {
  return rows.map((row) =>
    stringify([row.map((c) => c.value)], {
      record_delimiter: "\n",
      cast: {
        string: (value, context) =>
          row[context.index ?? -1]?.quoted
            ? { value, quoted: true, quoted_empty: true }
            : value,
      },
    })
  ).join("");
}

/** Value columns of a list of records, in merged key order. */
export function valueColumnsOf(records: TrialRecord[]): string[] {
  let order: string[] = [];
  for (const r of records) {
    order = mergeKeyOrder(order, Object.keys(r.result.values));
  }
  return order;
}

/** Records sorted by (configuration order, trial index). */
export function sortRecords(
  records: TrialRecord[],
  configOrder: string[],
): TrialRecord[] {
  const rank = (config: string): number => {
    const i = configOrder.indexOf(config);
    return i < 0 ? configOrder.length : i;
  };
  return [...records].sort((a, b) =>
    a.task.claim < b.task.claim
      ? -1
      : a.task.claim > b.task.claim
      ? 1
      : rank(a.task.config) - rank(b.task.config) ||
        (a.task.config < b.task.config
          ? -1
          : a.task.config > b.task.config
          ? 1
          : 0) ||
        a.task.trial - b.task.trial
  );
}

/**
 * The text of a finished trial file: header and rows sorted by
 * (configuration order given, trial index), value columns in the key order
 * of the first sorted record (later keys merged in), so the text does not
 * depend on the order in which the trials finished.
 *
 * @example
 * ```ts
 * import { formatTrialCsv } from "./trial_log.ts";
 * import assert from "node:assert/strict";
 * const text = formatTrialCsv([{
 *   task: { claim: "C1", config: "k=1", trial: 0, seed: 7 },
 *   result: { status: "ok", reason: "", checks: { a: true }, values: { k: 1, tag: "x" } },
 * }], ["a"], ["k=1"]);
 * assert.equal(text, 'claim,config,trial,seed,status,reason,check:a,k,tag\nC1,k=1,0,7,ok,,true,1,"x"\n');
 * ```
 */
export function formatTrialCsv(
  records: TrialRecord[],
  checks: string[],
  configOrder: string[],
): string {
  const sorted = sortRecords(records, configOrder);
  const columns = valueColumnsOf(sorted);
  return csvText([
    headerRow(checks, columns),
    ...sorted.map((r) => dataRow(r, checks, columns)),
  ]);
}

/** A parsed cell: its text and whether it was quoted. */
interface InCell {
  text: string;
  quoted: boolean;
}

const NUMBER = /^(-?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?|NaN|-?Infinity)$/i;

/** Parse a value cell back to its type (`undefined` for "no value"). */
function parseValue(c: InCell): Cell | undefined {
  if (c.quoted) return c.text;
  if (c.text === "") return undefined;
  if (c.text === "true") return true;
  if (c.text === "false") return false;
  if (NUMBER.test(c.text)) return Number(c.text);
  return c.text;
}

/**
 * Parse the text of a trial file. A last line without its newline (a row
 * cut short by a kill) is dropped and reported as `truncated` when
 * `tolerateTruncation` is set, else it is an error. Throws a clear Error on
 * anything else that is wrong: a header not of the trial-file form (or with
 * other checks than `expectedChecks`, when given), a bad row, or a row of
 * another claim.
 *
 * @example
 * ```ts
 * import { parseTrialCsv } from "./trial_log.ts";
 * import assert from "node:assert/strict";
 * const text = 'claim,config,trial,seed,status,reason,check:a,x\nC1,k,0,5,ok,,true,0.1\nC1,k,1,';
 * const parsed = parseTrialCsv(text, { tolerateTruncation: true });
 * assert.equal(parsed.records.length, 1);
 * assert.equal(parsed.records[0].result.values.x, 0.1);
 * assert.equal(parsed.truncated, true);
 * ```
 */
export function parseTrialCsv(
  text: string,
  options: {
    tolerateTruncation: boolean;
    expectedChecks?: string[];
    claim?: string;
    source?: string;
  },
): ParsedTrialFile {
  const source = options.source ?? "trial file";
  let body = text;
  let truncated = false;
  if (body.length > 0 && !body.endsWith("\n")) {
    if (!options.tolerateTruncation) {
      throw new Error(
        `${source}: the last line is incomplete (truncated file)`,
      );
    }
    body = body.slice(0, body.lastIndexOf("\n") + 1);
    truncated = true;
  }
  if (body.length === 0) {
    return {
      records: [],
      checks: options.expectedChecks ?? [],
      valueColumns: [],
      truncated,
      hasHeader: false,
    };
  }
  let rows: InCell[][];
  try {
    rows = parse(body, {
      cast: (value, context) => ({ text: value, quoted: context.quoting }),
    }) as InCell[][];
  } catch (error) {
    throw new Error(
      `${source}: not valid CSV: ${
        error instanceof Error ? error.message : error
      }`,
    );
  }
  const header = rows[0].map((c) => c.text);
  const fixedOk = FIXED_COLUMNS.every((name, i) => header[i] === name);
  if (!fixedOk) {
    throw new Error(
      `${source}: header does not start with ${FIXED_COLUMNS.join(",")}: ` +
        `got ${header.slice(0, FIXED_COLUMNS.length).join(",")}`,
    );
  }
  let end = FIXED_COLUMNS.length;
  while (end < header.length && header[end].startsWith(CHECK_PREFIX)) end++;
  const checks = header.slice(FIXED_COLUMNS.length, end).map((h) =>
    h.slice(CHECK_PREFIX.length)
  );
  const valueColumns = header.slice(end);
  if (
    options.expectedChecks !== undefined &&
    checks.join("\u0000") !== options.expectedChecks.join("\u0000")
  ) {
    throw new Error(
      `${source}: header does not match this run: its check columns are ` +
        `[${checks.join(", ")}], expected [${
          options.expectedChecks.join(", ")
        }]`,
    );
  }
  if (valueColumns.some((c) => c.startsWith(CHECK_PREFIX))) {
    throw new Error(`${source}: check columns must come before value columns`);
  }
  if (new Set(header).size !== header.length) {
    throw new Error(`${source}: duplicate column names in the header`);
  }
  const records: TrialRecord[] = [];
  const seen = new Set<string>();
  for (let i = 1; i < rows.length; i++) {
    const row = rows[i];
    const where = `${source}, line ${i + 1}`;
    const [claim, config, trialText, seedText, status, reason] = row.map((c) =>
      c.text
    );
    if (options.claim !== undefined && claim !== options.claim) {
      throw new Error(
        `${where}: row of claim "${claim}", expected "${options.claim}"`,
      );
    }
    if (!/^\d+$/.test(trialText) || !Number.isSafeInteger(Number(trialText))) {
      throw new Error(`${where}: trial index "${trialText}" is not an integer`);
    }
    if (!/^\d+$/.test(seedText) || !Number.isSafeInteger(Number(seedText))) {
      throw new Error(`${where}: seed "${seedText}" is not an integer`);
    }
    if (!(STATUSES as readonly string[]).includes(status)) {
      throw new Error(`${where}: unknown status "${status}"`);
    }
    const checkValues: Record<string, boolean> = {};
    checks.forEach((name, j) => {
      const t = row[FIXED_COLUMNS.length + j].text;
      if (t === "true") checkValues[name] = true;
      else if (t === "false") checkValues[name] = false;
      else if (t !== "") {
        throw new Error(`${where}: check "${name}" is "${t}", not true/false`);
      }
    });
    const values: Record<string, Cell> = {};
    valueColumns.forEach((name, j) => {
      const v = parseValue(row[end + j]);
      if (v !== undefined) values[name] = v;
    });
    const id = `${claim}\u0000${config}\u0000${trialText}`;
    if (seen.has(id)) {
      throw new Error(
        `${where}: duplicate row for ${claim}/${config}/trial ${trialText}`,
      );
    }
    seen.add(id);
    records.push({
      task: { claim, config, trial: Number(trialText), seed: Number(seedText) },
      result: {
        status: status as TrialStatus,
        reason,
        checks: checkValues,
        values,
      },
    });
  }
  return { records, checks, valueColumns, truncated, hasHeader: true };
}

/**
 * Read a trial file from disk with {@linkcode parseTrialCsv}; a missing file
 * reads as empty.
 */
export function readTrialFile(
  path: string,
  options: {
    tolerateTruncation: boolean;
    expectedChecks?: string[];
    claim?: string;
  },
): ParsedTrialFile {
  let text = "";
  try {
    text = Deno.readTextFileSync(path);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  return parseTrialCsv(text, { ...options, source: path });
}

/**
 * An append-only trial file. Each {@linkcode TrialLog.append} writes one row
 * with a single write and flushes it to disk before returning. The header
 * is written with the first row; if a later record brings a value column
 * the header lacks, the file is rewritten atomically with the wider header.
 *
 * @example
 * ```ts
 * import { TrialLog } from "./trial_log.ts";
 * import assert from "node:assert/strict";
 * const dir = Deno.makeTempDirSync();
 * const log = TrialLog.open(`${dir}/C1.csv`, { resume: false, checks: ["a"] });
 * log.append({
 *   task: { claim: "C1", config: "k", trial: 0, seed: 1 },
 *   result: { status: "ok", reason: "", checks: { a: true }, values: { x: 2 } },
 * });
 * log.close();
 * const again = TrialLog.open(`${dir}/C1.csv`, { resume: true, checks: ["a"] });
 * assert.equal(again.records[0].result.values.x, 2);
 * again.close();
 * Deno.removeSync(dir, { recursive: true });
 * ```
 */
export class TrialLog {
  /** Path of the file. */
  readonly path: string;
  /** Check names of the claim, in column order. */
  readonly checks: readonly string[];
  /** Whether a partial last line was dropped when the file was opened. */
  readonly truncated: boolean;
  #claim: string | undefined;
  #file: Deno.FsFile | null;
  #records: TrialRecord[];
  #valueColumns: string[];
  #hasHeader: boolean;

  private constructor(
    path: string,
    options: TrialLogOptions,
    parsed: ParsedTrialFile,
  ) {
    this.path = path;
    this.checks = [...options.checks];
    this.truncated = parsed.truncated;
    this.#claim = options.claim;
    this.#records = parsed.records;
    this.#valueColumns = parsed.valueColumns;
    this.#hasHeader = parsed.hasHeader;
    this.#file = null;
  }

  /**
   * Open the trial file at `path` (creating parent directories). Without
   * `resume` the file starts empty. With `resume` its rows are read back
   * (see {@linkcode TrialLog.records}); a truncated last line is dropped and
   * the file rewritten without it; a header that does not match `checks`
   * throws.
   */
  static open(path: string, options: TrialLogOptions): TrialLog {
    const dir = path.replace(/[/\\][^/\\]*$/, "");
    if (dir !== path) Deno.mkdirSync(dir, { recursive: true });
    const empty: ParsedTrialFile = {
      records: [],
      checks: options.checks,
      valueColumns: [],
      truncated: false,
      hasHeader: false,
    };
    const parsed = options.resume
      ? readTrialFile(path, {
        tolerateTruncation: true,
        expectedChecks: options.checks,
        claim: options.claim,
      })
      : empty;
    const log = new TrialLog(path, options, parsed);
    if (parsed.truncated) log.#rewrite();
    log.#file = Deno.openSync(path, {
      write: true,
      create: true,
      append: options.resume,
      truncate: !options.resume,
    });
    return log;
  }

  /** Every record of the file: those read back on resume, then those appended. */
  get records(): TrialRecord[] {
    return [...this.#records];
  }

  /** Rewrite the whole file atomically with the current header and records. */
  #rewrite(): void {
    const rows = [headerRow([...this.checks], this.#valueColumns)];
    for (const r of this.#records) {
      rows.push(dataRow(r, [...this.checks], this.#valueColumns));
    }
    writeTextFileAtomicSync(
      this.path,
      this.#records.length === 0 && !this.#hasHeader ? "" : csvText(rows),
    );
  }

  /**
   * Append one finished trial and flush it to disk (fdatasync) before
   * returning.
   */
  append(record: TrialRecord): void {
    if (this.#file === null) {
      throw new Error(`trial log ${this.path} is closed`);
    }
    if (this.#claim !== undefined && record.task.claim !== this.#claim) {
      throw new Error(
        `trial log ${this.path}: record of claim "${record.task.claim}", ` +
          `expected "${this.#claim}"`,
      );
    }
    const checks = [...this.checks];
    const columns = mergeKeyOrder(
      this.#valueColumns,
      Object.keys(record.result.values),
    );
    // Validate before touching the file.
    const row = dataRow(record, checks, columns);
    if (this.#hasHeader && columns.length !== this.#valueColumns.length) {
      this.#records.push(record);
      this.#valueColumns = columns;
      this.#file.close();
      this.#file = null;
      this.#rewrite();
      this.#file = Deno.openSync(this.path, { write: true, append: true });
      return;
    }
    const text = this.#hasHeader
      ? csvText([row])
      : csvText([headerRow(checks, columns), row]);
    const bytes = new TextEncoder().encode(text);
    let written = 0;
    while (written < bytes.length) {
      written += this.#file.writeSync(bytes.subarray(written));
    }
    this.#file.syncDataSync();
    this.#hasHeader = true;
    this.#valueColumns = columns;
    this.#records.push(record);
  }

  /**
   * Close the file and rewrite it atomically with `records` sorted by
   * (configuration order given, trial index); see
   * {@linkcode formatTrialCsv}.
   */
  async finalize(records: TrialRecord[], configOrder: string[]): Promise<void> {
    this.close();
    await writeTextFileAtomic(
      this.path,
      formatTrialCsv(records, [...this.checks], configOrder),
    );
  }

  /** Close the file (appending is no longer possible). */
  close(): void {
    if (this.#file !== null) {
      this.#file.close();
      this.#file = null;
    }
  }
}
