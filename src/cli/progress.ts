/**
 * Progress of a run on stderr. On a terminal it is one line redrawn in place
 * (`\r`): a bar, trials done/total, the pass rate so far and the estimated
 * time left. Elsewhere (a log file, CI) it is a plain line every so many
 * trials or seconds, and one at the end.
 *
 * The writer, the terminal test and the clock can be injected, so the
 * reporter is testable without a terminal or real time.
 *
 * @example A plain log
 * ```ts
 * import { ProgressReporter } from "./progress.ts";
 * import assert from "node:assert/strict";
 * const lines: string[] = [];
 * const reporter = new ProgressReporter({
 *   write: (text) => lines.push(text),
 *   terminal: false,
 *   now: () => 0,
 *   everyTrials: 2,
 * });
 * for (let done = 1; done <= 4; done++) {
 *   reporter.update({ done, total: 4, passed: done, etaSeconds: 4 - done });
 * }
 * reporter.finish();
 * assert.equal(lines.length, 2);
 * assert.match(lines[1], /4\/4 trials/);
 * ```
 *
 * @module
 */

import type { Progress } from "../runner/run.ts";
import { writeAllSync } from "../base/write_all.ts";

/** Options of {@linkcode ProgressReporter}. */
export interface ProgressOptions {
  /** Where the text goes (default: stderr, unbuffered). */
  write?: (text: string) => void;
  /** Redraw one line in place (default: whether stderr is a terminal). */
  terminal?: boolean;
  /** Clock in milliseconds (default: `performance.now`). */
  now?: () => number;
  /** Plain mode: log after this many more trials (default 25). */
  everyTrials?: number;
  /** Plain mode: or after this many seconds (default 10). */
  everySeconds?: number;
  /** Terminal mode: redraw at most this often, in milliseconds (default 100). */
  redrawMs?: number;
  /** Width of the bar in characters (default 24). */
  barWidth?: number;
  /** Text before each line (default `"progress:"`). */
  label?: string;
}

/** Write text to stderr at once. */
function writeStderr(text: string): void {
  writeAllSync(Deno.stderr, text);
}

/** Whether stderr is a terminal (false when that cannot be told). */
function stderrIsTerminal(): boolean {
  try {
    return Deno.stderr.isTerminal();
  } catch {
    return false;
  }
}

/**
 * A duration as `45s`, `3m 05s` or `2h 07m`; `?` when not finite.
 *
 * @example
 * ```ts
 * import { formatDuration } from "./progress.ts";
 * import assert from "node:assert/strict";
 * assert.equal(formatDuration(42.4), "42s");
 * assert.equal(formatDuration(185), "3m 05s");
 * assert.equal(formatDuration(7620), "2h 07m");
 * assert.equal(formatDuration(NaN), "?");
 * ```
 */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return "?";
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  const pad = (x: number) => String(x).padStart(2, "0");
  if (s < 3600) return `${Math.floor(s / 60)}m ${pad(s % 60)}s`;
  return `${Math.floor(s / 3600)}h ${pad(Math.floor(s / 60) % 60)}m`;
}

/**
 * A bar of `width` characters filled in proportion to `done / total`.
 *
 * @example
 * ```ts
 * import { progressBar } from "./progress.ts";
 * import assert from "node:assert/strict";
 * assert.equal(progressBar(1, 2, { width: 4 }), "[##--]");
 * ```
 */
export function progressBar(
  done: number,
  total: number,
  options: { width: number },
): string {
  const { width } = options;
  const fraction = total > 0 ? Math.min(1, Math.max(0, done / total)) : 1;
  const filled = Math.round(fraction * width);
  return `[${"#".repeat(filled)}${"-".repeat(width - filled)}]`;
}

/**
 * The text of one progress report (no bar, no line end): trials done/total
 * with the percentage, the pass rate so far (trials whose every check came
 * out as expected: predictions true, controls false)
 * and the estimated time left.
 *
 * @example
 * ```ts
 * import { progressText } from "./progress.ts";
 * import assert from "node:assert/strict";
 * assert.equal(
 *   progressText({ done: 5, total: 20, passed: 4, etaSeconds: 90 }),
 *   "5/20 trials (25.0%), pass rate 0.800, ETA 1m 30s",
 * );
 * ```
 */
export function progressText(p: Progress): string {
  const percent = p.total > 0 ? (100 * p.done) / p.total : 100;
  const rate = p.done > 0 ? (p.passed / p.done).toFixed(3) : "n/a";
  const eta = p.done >= p.total
    ? "done"
    : `ETA ${formatDuration(p.etaSeconds)}`;
  return `${p.done}/${p.total} trials (${percent.toFixed(1)}%), ` +
    `pass rate ${rate}, ${eta}`;
}

/**
 * Reports a run's progress (feed it {@linkcode Progress} values, e.g. as
 * the `onProgress` of `runClaims`, then call {@linkcode ProgressReporter.finish}).
 */
export class ProgressReporter {
  #write: (text: string) => void;
  #terminal: boolean;
  #now: () => number;
  #everyTrials: number;
  #everyMs: number;
  #redrawMs: number;
  #barWidth: number;
  #label: string;
  #last: Progress | null = null;
  #shown: Progress | null = null;
  #shownAt = -Infinity;
  #drawn = false;

  /** Create a reporter; see {@linkcode ProgressOptions} for the defaults. */
  constructor(options: ProgressOptions = {}) {
    this.#write = options.write ?? writeStderr;
    this.#terminal = options.terminal ?? stderrIsTerminal();
    this.#now = options.now ?? (() => performance.now());
    this.#everyTrials = Math.max(1, options.everyTrials ?? 25);
    this.#everyMs = 1000 * (options.everySeconds ?? 10);
    this.#redrawMs = options.redrawMs ?? 100;
    this.#barWidth = Math.max(1, options.barWidth ?? 24);
    this.#label = options.label ?? "progress:";
    // A plain log waits a full interval before its first line.
    this.#shownAt = this.#terminal ? -Infinity : this.#now();
  }

  /** Whether the reporter redraws one line in place. */
  get terminal(): boolean {
    return this.#terminal;
  }

  /** Record a new progress value and show it if it is time to. */
  update(p: Progress): void {
    this.#last = p;
    const now = this.#now();
    const final = p.done >= p.total;
    if (this.#terminal) {
      if (final || now - this.#shownAt >= this.#redrawMs) this.#show(p, now);
      return;
    }
    if (final) return; // The last line is written by finish().
    const since = this.#shown === null ? p.done : p.done - this.#shown.done;
    if (since >= this.#everyTrials || now - this.#shownAt >= this.#everyMs) {
      this.#show(p, now);
    }
  }

  /**
   * Show the last progress value if it has not been shown and end the line
   * (terminal mode). Does nothing when there was no progress at all.
   */
  finish(): void {
    const last = this.#last;
    if (last !== null && last !== this.#shown) this.#show(last, this.#now());
    if (this.#terminal && this.#drawn) {
      this.#write("\n");
      this.#drawn = false;
    }
  }

  #show(p: Progress, now: number): void {
    this.#shown = p;
    this.#shownAt = now;
    const text = `${this.#label} ${progressText(p)}`;
    if (this.#terminal) {
      const bar = progressBar(p.done, p.total, { width: this.#barWidth });
      // \x1b[K clears what a longer earlier line left on the right.
      this.#write(`\r${bar} ${text}\x1b[K`);
      this.#drawn = true;
    } else {
      this.#write(`${text}\n`);
    }
  }
}
