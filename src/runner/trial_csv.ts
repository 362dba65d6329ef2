/**
 * The text of a trial file `<out>/trials/<claim>.csv`: one row per finished
 * trial, written here ({@linkcode formatTrialCsv}) and read back exactly by
 * `trial_csv_parse.ts`.
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

import { stringify } from "csv-stringify/sync";
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

/** Every trial status, as written in the `status` column. */
export const TRIAL_STATUSES: readonly TrialStatus[] = [
  "ok",
  "not-converged",
  "error",
];

/** The columns of a trial file's text. */
export interface TrialColumns {
  /** Check names of the claim, in column order. */
  checks: string[];
  /** Value column names, in order. */
  valueColumns: string[];
}

/**
 * Merge the key order of `keys` into `order`: keys already present keep
 * their place; a new key is inserted right after the previous key of `keys`
 * (at the start if none), so every list folded in keeps its relative order
 * whenever the lists agree on one.
 *
 * @example
 * ```ts
 * import { mergeKeyOrder } from "./trial_csv.ts";
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

/** The text itself, or an error when it holds a line break. */
function withoutLineBreak(text: string, what: string): string {
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

/** Header row for the given columns. */
function headerRow(columns: TrialColumns): OutCell[] {
  return [
    ...FIXED_COLUMNS,
    ...columns.checks.map((c) => CHECK_PREFIX + c),
    ...columns.valueColumns,
  ].map((name) => ({
    value: withoutLineBreak(name, "a column name"),
    quoted: false,
  }));
}

/** One data row. */
function dataRow(record: TrialRecord, columns: TrialColumns): OutCell[] {
  const { task, result } = record;
  const { checks, valueColumns } = columns;
  const plain = (value: string, what: string): OutCell => ({
    value: withoutLineBreak(value, what),
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
      row.push({
        value: withoutLineBreak(value, `value "${name}"`),
        quoted: true,
      });
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

/**
 * The rows of `records` in the given order and columns, with the header
 * line first when `header` is set. A record with a check that is not a
 * column, or a cell with a line break, throws before anything is returned.
 *
 * @example
 * ```ts
 * import { trialCsvText } from "./trial_csv.ts";
 * import assert from "node:assert/strict";
 * const text = trialCsvText([{
 *   task: { claim: "C1", config: "k", trial: 0, seed: 7 },
 *   result: { status: "ok", reason: "", checks: {}, values: { x: 1 } },
 * }], { checks: [], valueColumns: ["x"], header: false });
 * assert.equal(text, "C1,k,0,7,ok,,1\n");
 * ```
 */
export function trialCsvText(
  records: TrialRecord[],
  options: TrialColumns & { header: boolean },
): string {
  const rows = records.map((r) => dataRow(r, options));
  return csvText(options.header ? [headerRow(options), ...rows] : rows);
}

/** Value columns of a list of records, in merged key order. */
export function valueColumnsOf(records: TrialRecord[]): string[] {
  let order: string[] = [];
  for (const r of records) {
    order = mergeKeyOrder(order, Object.keys(r.result.values));
  }
  return order;
}

/** Compare two strings (`<` order). */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Records sorted by (claim, configuration order, trial index). */
export function sortRecords(
  records: TrialRecord[],
  configOrder: string[],
): TrialRecord[] {
  const rank = (config: string): number => {
    const i = configOrder.indexOf(config);
    return i < 0 ? configOrder.length : i;
  };
  return [...records].sort((a, b) =>
    compareText(a.task.claim, b.task.claim) ||
    rank(a.task.config) - rank(b.task.config) ||
    compareText(a.task.config, b.task.config) ||
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
 * import { formatTrialCsv } from "./trial_csv.ts";
 * import assert from "node:assert/strict";
 * const text = formatTrialCsv([{
 *   task: { claim: "C1", config: "k=1", trial: 0, seed: 7 },
 *   result: { status: "ok", reason: "", checks: { a: true }, values: { k: 1, tag: "x" } },
 * }], { checks: ["a"], configOrder: ["k=1"] });
 * assert.equal(text, 'claim,config,trial,seed,status,reason,check:a,k,tag\nC1,k=1,0,7,ok,,true,1,"x"\n');
 * ```
 */
export function formatTrialCsv(
  records: TrialRecord[],
  options: { checks: string[]; configOrder: string[] },
): string {
  const sorted = sortRecords(records, options.configOrder);
  return trialCsvText(sorted, {
    checks: options.checks,
    valueColumns: valueColumnsOf(sorted),
    header: true,
  });
}
