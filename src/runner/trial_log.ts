/**
 * The per-claim trial file `<out>/trials/<claim>.csv` while a run writes
 * it: one row per finished trial, appended and flushed to disk as soon as
 * the trial ends, so that an interrupted run loses at most the trial being
 * written, and read back on resume. The file's text format is that of
 * `trial_csv.ts`.
 *
 * @module
 */

import {
  writeTextFileAtomic,
  writeTextFileAtomicSync,
} from "./atomic_write.ts";
import { formatTrialCsv, mergeKeyOrder, trialCsvText } from "./trial_csv.ts";
import { type ParsedTrialFile, readTrialFile } from "./trial_csv_parse.ts";
import type { TrialRecord } from "../claims/types.ts";
import { writeAllSync } from "../base/write_all.ts";

/** Options of {@linkcode TrialLog.open}. */
export interface TrialLogOptions {
  /** Keep and read back the rows already in the file (else start empty). */
  resume: boolean;
  /** Check names of the claim, in column order. */
  checks: string[];
  /** If given, every row must belong to this claim. */
  claim?: string;
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
    options: TrialLogOptions & { parsed: ParsedTrialFile },
  ) {
    const { parsed } = options;
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
    const log = new TrialLog(path, { ...options, parsed });
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
    writeTextFileAtomicSync(
      this.path,
      this.#records.length === 0 && !this.#hasHeader ? "" : trialCsvText(
        this.#records,
        {
          checks: [...this.checks],
          valueColumns: this.#valueColumns,
          header: true,
        },
      ),
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
    const text = trialCsvText([record], {
      checks,
      valueColumns: columns,
      header: !this.#hasHeader,
    });
    if (this.#hasHeader && columns.length !== this.#valueColumns.length) {
      this.#records.push(record);
      this.#valueColumns = columns;
      this.#file.close();
      this.#file = null;
      this.#rewrite();
      this.#file = Deno.openSync(this.path, { write: true, append: true });
      return;
    }
    writeAllSync(this.#file, text);
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
      formatTrialCsv(records, { checks: [...this.checks], configOrder }),
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
