/**
 * `deno task history --run DIR [--file reports/history/history.csv]
 * [--commit SHA] [--claims-module M]`: add a run's summary to the run
 * history (see `src/report/history.ts`) — its pass counts, rates and
 * verdicts, and its key measurements (from `summary.json` when it carries
 * them, else from the trial files and the claims' `highlights`) — keyed by
 * the git commit of its code (from its `provenance.json`, else `--commit`,
 * else the current checkout's) and its profile, replacing an entry of the
 * same commit and profile; then redraw the charts (`history_<claim>.svg`,
 * one per claim) and `history.md` beside the history file. Every file is
 * written atomically. Exit code 0, or 2 on bad input (nothing written).
 *
 * @module
 */

import { dirname } from "node:path";
import { loadClaimsModule } from "./claims_module.ts";
import { parseCommandLine } from "./flags.ts";
import { consoleIo, type Io, reportError } from "./io.ts";
import {
  historyCsv,
  type HistoryEntryInput,
  historyRowsOf,
  measuredHighlights,
  mergeHistory,
  parseHistory,
} from "../report/history.ts";
import { historyFigures, historyMarkdown } from "../report/history_charts.ts";
import type { HtmlHighlights, JsonObject } from "../report/html.ts";
import { writeTextFileAtomic } from "../runner/atomic_write.ts";
import { readJsonFile } from "../runner/json_file.ts";
import {
  CODE_ROOT,
  gitCommitTime,
  gitState,
  readProvenance,
} from "../runner/provenance.ts";
import { readTrialFile } from "../runner/trial_csv_parse.ts";
import type { ClaimSpec } from "../claims/types.ts";
import { errorMessage } from "../base/errors.ts";
import { UsageError } from "../base/usage_error.ts";

/** The default history file. */
export const DEFAULT_HISTORY_FILE = "reports/history/history.csv";

const USAGE =
  `usage: deno task history --run DIR [--file ${DEFAULT_HISTORY_FILE}]
                          [--commit SHA] [--claims-module M]

Adds the run in DIR (its summary.json, and its trial files for the key
measurements) to the history file, keyed by the git commit of the run's code
(its provenance.json; else --commit; else the current checkout) and its
profile, replacing an entry of the same commit and profile. Then draws, beside
the history file, history_<claim>.svg (pass rates and key measurements over
the commits) and history.md. M is the module of the run's own claims, as given
to deno task claims (default: the paper's claims).`;

/** Injected dependencies of {@linkcode historyMain} (for tests). */
export interface HistoryDeps {
  /** The claims whose `highlights` name the key measurements (default: the registry). */
  claims?: ClaimSpec[];
  /** The checkout whose commit a run without provenance gets (default: this code's). */
  root?: URL;
  /** The git executable (default `git`). */
  git?: string;
}

/** Read a run's `summary.json`. */
async function readSummary(dir: string): Promise<JsonObject> {
  const path = `${dir}/summary.json`;
  const value = await readJsonFile(path);
  if (value === undefined) {
    throw new UsageError(
      `--run: ${path} not found (the run must be written with the json format)`,
    );
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new UsageError(`--run: ${path} is not a summary.json`);
  }
  if ((value as JsonObject).kind === "regime-maps") {
    throw new UsageError(
      `--run: ${path} is a regime-map run's (--profile map); the history follows runs of the ci or paper profile`,
    );
  }
  return value as JsonObject;
}

/**
 * Key measurements computed from a run's trial files, for the claims of
 * `summary.json` that `claims` has and that declare `highlights`, over the
 * configurations found in the trial files (in file order).
 */
function trialHighlights(
  dir: string,
  options: { ids: string[]; claims: ClaimSpec[] },
): Record<string, HtmlHighlights> {
  const out: Record<string, HtmlHighlights> = {};
  for (const id of options.ids) {
    const claim = options.claims.find((c) => c.id === id);
    if (claim?.highlights === undefined) continue;
    let records;
    try {
      records = readTrialFile(`${dir}/trials/${id}.csv`, {
        tolerateTruncation: true,
      }).records;
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) continue;
      throw new UsageError(`--run: ${errorMessage(error)}`);
    }
    const keys = [...new Set(records.map((r) => r.task.config))];
    out[id] = measuredHighlights({
      claim,
      configs: keys.map((key) => ({ key, params: {}, checks: [], trials: 0 })),
      checks: [],
    }, records);
  }
  return out;
}

/** The commit of the run, whether its tree was dirty, and the commit's time. */
async function commitOf(
  dir: string,
  options: { commit?: string; deps: HistoryDeps },
): Promise<Omit<HistoryEntryInput, "summary">> {
  const root = options.deps.root ?? CODE_ROOT;
  const git = options.deps.git;
  let commit = options.commit;
  let dirty: boolean | null = null;
  if (commit !== undefined) {
    if (!/^[0-9a-f]{7,64}$/.test(commit)) {
      throw new UsageError(
        `--commit must be a git commit hash (7 to 64 hex digits), got "${commit}"`,
      );
    }
  } else {
    const provenance = await readProvenance(dir);
    commit = provenance?.git?.commit ?? undefined;
    dirty = provenance?.git?.dirty ?? null;
    commit ??= (await gitState(root, { git })).commit ?? undefined;
  }
  if (commit === undefined) {
    throw new UsageError(
      `${dir} has no provenance.json naming its git commit and git cannot ` +
        "tell the current one: give --commit SHA",
    );
  }
  const commitTime = await gitCommitTime(root, commit, { git }) ?? "";
  return { commit, dirty, commitTime };
}

/**
 * The history command: parse `args`, add the run to the history, redraw
 * the charts; returns the exit code (0 done, 2 bad input).
 *
 * @example
 * ```ts
 * import { historyMain } from "./history.ts";
 * import assert from "node:assert/strict";
 * const errors: string[] = [];
 * const code = await historyMain([], { out() {}, err: (t) => errors.push(t) });
 * assert.equal(code, 2);
 * assert.match(errors[0], /--run is required/);
 * ```
 */
export async function historyMain(
  args: string[],
  io: Io = consoleIo,
  deps: HistoryDeps = {},
): Promise<number> {
  try {
    const { values } = parseCommandLine(args, {
      strings: ["run", "file", "commit", "claims-module"],
      positionals: false,
    });
    if (values.help) {
      io.out(USAGE);
      return 0;
    }
    const dir = values.run;
    if (dir === undefined) throw new UsageError(`--run is required; ${USAGE}`);
    const file = values.file ?? DEFAULT_HISTORY_FILE;
    const summary = await readSummary(dir);
    const where = await commitOf(dir, { commit: values.commit, deps });
    const ids = (Array.isArray(summary.claims) ? summary.claims : []).map((c) =>
      String((c as JsonObject)?.id)
    );
    const module = values["claims-module"];
    const claims = module !== undefined
      ? (await loadClaimsModule(module)).claims
      : deps.claims ?? (await import("../claims/registry.ts")).claims;
    const entry = historyRowsOf({
      summary,
      ...where,
      highlights: trialHighlights(dir, { ids, claims }),
    });
    let history: ReturnType<typeof parseHistory> = [];
    try {
      history = parseHistory(await Deno.readTextFile(file), file);
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
    const merged = mergeHistory(history, entry);
    const figures = await historyFigures(merged);
    const folder = dirname(file);
    await Deno.mkdir(folder, { recursive: true });
    await writeTextFileAtomic(file, historyCsv(merged));
    for (const f of figures) {
      await writeTextFileAtomic(`${folder}/${f.file}`, f.svg);
    }
    await writeTextFileAtomic(
      `${folder}/history.md`,
      historyMarkdown(merged, figures.map((f) => f.file)),
    );
    const replaced = history.some((r) =>
      r.commit === where.commit && r.profile === entry[0]?.profile
    );
    io.out(
      `${replaced ? "replaced" : "added"} ${where.commit.slice(0, 12)} ` +
        `(profile ${entry[0]?.profile ?? "?"}, ${entry.length} lines) in ` +
        `${file}; charts: ${figures.map((f) => f.file).join(", ")}`,
    );
    return 0;
  } catch (error) {
    return reportError(error, io);
  }
}

if (import.meta.main) {
  Deno.exit(await historyMain(Deno.args));
}
