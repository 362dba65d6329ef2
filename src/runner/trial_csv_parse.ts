/**
 * Reading a trial file `<out>/trials/<claim>.csv` (the format of
 * `trial_csv.ts`) back into records, types and all, with a clear error for
 * anything that is not a trial file of the expected claim and checks.
 *
 * @module
 */

import { parse } from "csv-parse/sync";
import {
  CHECK_PREFIX,
  FIXED_COLUMNS,
  TRIAL_STATUSES,
  type TrialColumns,
} from "./trial_csv.ts";
import type { Cell, TrialRecord, TrialStatus } from "../claims/types.ts";
import { errorMessage } from "../base/errors.ts";

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

/** Options of {@linkcode parseTrialCsv} and {@linkcode readTrialFile}. */
export interface ParseTrialOptions {
  /** Drop a partial last line (else it is an error). */
  tolerateTruncation: boolean;
  /** The check columns the header must have, in order. */
  expectedChecks?: string[];
  /** The claim every row must belong to. */
  claim?: string;
  /** Name of the text in error messages (default `trial file`). */
  source?: string;
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
 * The check and value columns of a trial file's header; throws when the
 * header is not of the trial-file form or has other checks than
 * `expectedChecks` (when given).
 */
function parseHeader(
  header: string[],
  options: { source: string; expectedChecks?: string[] },
): TrialColumns {
  const { source, expectedChecks } = options;
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
    expectedChecks !== undefined &&
    checks.join("\u0000") !== expectedChecks.join("\u0000")
  ) {
    throw new Error(
      `${source}: header does not match this run: its check columns are ` +
        `[${checks.join(", ")}], expected [${expectedChecks.join(", ")}]`,
    );
  }
  if (valueColumns.some((c) => c.startsWith(CHECK_PREFIX))) {
    throw new Error(`${source}: check columns must come before value columns`);
  }
  if (new Set(header).size !== header.length) {
    throw new Error(`${source}: duplicate column names in the header`);
  }
  return { checks, valueColumns };
}

/** One data row of a trial file as a record; throws on a bad cell. */
function parseRow(
  row: InCell[],
  options: TrialColumns & { where: string; claim?: string },
): TrialRecord {
  const { checks, valueColumns, where } = options;
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
  if (!(TRIAL_STATUSES as readonly string[]).includes(status)) {
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
  const end = FIXED_COLUMNS.length + checks.length;
  valueColumns.forEach((name, j) => {
    const v = parseValue(row[end + j]);
    if (v !== undefined) values[name] = v;
  });
  return {
    task: { claim, config, trial: Number(trialText), seed: Number(seedText) },
    result: {
      status: status as TrialStatus,
      reason,
      checks: checkValues,
      values,
    },
  };
}

/**
 * Parse the text of a trial file. A last line without its newline (a row
 * cut short by a kill) is dropped and reported as `truncated` when
 * `tolerateTruncation` is set, else it is an error. Throws a clear Error on
 * anything else that is wrong: a header not of the trial-file form (or with
 * other checks than `expectedChecks`, when given), a bad row, a duplicate
 * row, or a row of another claim.
 *
 * @example
 * ```ts
 * import { parseTrialCsv } from "./trial_csv_parse.ts";
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
  options: ParseTrialOptions,
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
    throw new Error(`${source}: not valid CSV: ${errorMessage(error)}`);
  }
  const columns = parseHeader(rows[0].map((c) => c.text), {
    source,
    expectedChecks: options.expectedChecks,
  });
  const records: TrialRecord[] = [];
  const seen = new Set<string>();
  for (let i = 1; i < rows.length; i++) {
    const where = `${source}, line ${i + 1}`;
    const record = parseRow(rows[i], {
      ...columns,
      where,
      claim: options.claim,
    });
    const { claim, config } = record.task;
    const trialText = rows[i][2].text;
    const id = `${claim}\u0000${config}\u0000${trialText}`;
    if (seen.has(id)) {
      throw new Error(
        `${where}: duplicate row for ${claim}/${config}/trial ${trialText}`,
      );
    }
    seen.add(id);
    records.push(record);
  }
  return { records, ...columns, truncated, hasHeader: true };
}

/**
 * Read a trial file from disk with {@linkcode parseTrialCsv} (its path as
 * `source`); a missing file reads as empty.
 */
export function readTrialFile(
  path: string,
  options: Omit<ParseTrialOptions, "source">,
): ParsedTrialFile {
  let text = "";
  try {
    text = Deno.readTextFileSync(path);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  return parseTrialCsv(text, { ...options, source: path });
}
