/**
 * `deno task claims [flags]`: run the claim checks and write the reports.
 *
 * Every flag is checked before anything is written: a bad flag prints a
 * message naming the flag and its allowed range on stderr and exits with
 * code 2. A run prints its progress on stderr, then the summary table
 * (Markdown) and the output directory on stdout, and exits 0 when every
 * check reached its expected verdict, 1 when some check did not, and 2 on
 * bad input or an internal error (with the stack). Run `--help` for the
 * flags (see {@linkcode usage}).
 *
 * The parameter overrides `--d`, `--k`, `--n` and `--m` replace that
 * parameter in every configuration of the selected claims; each overridden
 * configuration's key gets a suffix such as `|override:d=800,k=8`, so its
 * trial seeds (and `run.json`) differ from those of the unmodified run.
 *
 * @module
 */

import { parseArgs } from "node:util";
import {
  backendAvailable,
  type BackendChoice,
  type BackendName,
  describeBackend,
  initBackend,
} from "../backend/backends.ts";
import { type ProgressOptions, ProgressReporter } from "./progress.ts";
import { type Io, reportError } from "./regress.ts";
import {
  type Format,
  FORMATS,
  parseFormats,
  runClaims,
} from "../runner/run.ts";
import { formatShard, parseShard, type Shard } from "../runner/shard.ts";
import { summaryTableMarkdown } from "../report/summary.ts";
import type { ClaimConfig, ClaimSpec, Profile } from "../claims/types.ts";
import { loadOpenBlas } from "../backend/openblas.ts";
import { UsageError } from "../base/usage_error.ts";

/** The parameters `--d`, `--k`, `--n`, `--m` can override. */
export type OverrideName = "d" | "k" | "n" | "m";

/** Parameter overrides (absent = keep each configuration's own value). */
export type ParamOverrides = Partial<Record<OverrideName, number>>;

/** The parsed and checked flags of `deno task claims`. */
export interface ClaimsArgs {
  /** `--help`: print the usage and stop. */
  help: boolean;
  /** The selected claims in registry order, overrides applied. */
  claims: ClaimSpec[];
  /** The parameter overrides. */
  overrides: ParamOverrides;
  /** `--trials`: trials per configuration, overriding the claims' own. */
  trials?: number;
  /** `--profile`. */
  profile: Profile;
  /** `--seed`. */
  seed: number;
  /** `--backend`. */
  backend: BackendChoice;
  /** `--workers`. */
  workers: number;
  /** `--out`. */
  out: string;
  /** `--shard`. */
  shard?: Shard;
  /** `--resume`. */
  resume: boolean;
  /** `--format`. */
  formats: Format[];
}

/** Injected dependencies of {@linkcode claimsMain} (for tests). */
export interface ClaimsDeps {
  /** The claims that can be selected (default: the paper's, from the registry). */
  claims?: ClaimSpec[];
  /**
   * Module exporting the same `claims` (and optionally `initWorker`), loaded
   * by workers (default: the registry).
   */
  workerModule?: URL;
  /** Progress reporter options (default: stderr). */
  progress?: ProgressOptions;
  /** Whether a backend can be used (default: `backendAvailable`). */
  backendAvailable?: (name: BackendName) => boolean;
}

const PROFILES: readonly Profile[] = ["ci", "paper"];
const BACKENDS: readonly BackendChoice[] = ["auto", "wasm", "blas", "cpu"];
const OVERRIDES: readonly OverrideName[] = ["d", "k", "n", "m"];
const MAX_WORKERS = 64;
const DEFAULT_OUT = "reports/latest";

/** The default number of workers: the number of cores, within 1..64. */
function defaultWorkers(): number {
  const cores = navigator.hardwareConcurrency;
  return Number.isInteger(cores)
    ? Math.min(MAX_WORKERS, Math.max(1, cores))
    : 1;
}

/** Flags taking a value, with their allowed range (used in errors and help). */
const RANGES: Record<string, string> = {
  claim: "a claim id (case-insensitive), repeatable or comma-separated",
  trials: "an integer >= 1",
  profile: `one of ${PROFILES.join(", ")}`,
  seed: `an integer from 0 to ${Number.MAX_SAFE_INTEGER}`,
  backend: `one of ${BACKENDS.join(", ")}`,
  workers: `an integer from 1 to ${MAX_WORKERS}`,
  out: "a directory path",
  shard: "I/N with integers 1 <= I <= N",
  format: `a comma-separated list of ${FORMATS.join(", ")}`,
  d: "an integer >= 2, and >= k",
  k: "an integer >= 2, and <= d",
  n: "an integer >= 1",
  m: "an integer >= 1",
};

/**
 * The `--help` text: every flag with its allowed values and default.
 *
 * @example
 * ```ts
 * import { usage } from "./claims.ts";
 * import assert from "node:assert/strict";
 * assert.match(usage(["C1", "C2"]), /--workers N/);
 * ```
 */
export function usage(ids: string[]): string {
  return [
    "usage: deno task claims [flags]",
    "",
    "Run the claim checks and write the reports (summary.csv/md/json, trials/,",
    "figures/, run.json, timing.csv). Exit code 0: every check reached its",
    "expected verdict; 1: some check did not; 2: bad input or internal error.",
    "",
    "flags:",
    `  --claim ID        claim to run (${ids.join(", ")}; case-insensitive),`,
    "                    repeatable or comma-separated; default: every claim",
    "  --trials N        trials per configuration, integer >= 1;",
    "                    default: each configuration's own count",
    "  --profile P       ci | paper; default: ci",
    `  --seed S          run seed, integer 0..${Number.MAX_SAFE_INTEGER}; default: 1`,
    "  --backend B       auto | wasm | blas | cpu; default: auto (blas if",
    "                    OpenBLAS loads, else wasm)",
    `  --workers N       parallel workers, integer 1..${MAX_WORKERS}; default: the`,
    `                    number of cores (here ${defaultWorkers()})`,
    `  --out DIR         output directory; default: ${DEFAULT_OUT}`,
    "  --shard I/N       run only shard I of N (1 <= I <= N); default: all",
    "  --resume          continue the run already in --out; default: off",
    "  --format LIST     comma list of csv, md, json; default: csv,md,json",
    "                    (figures are written with md)",
    "  --d N             override d in every configuration, integer >= 2, >= k",
    "  --k N             override k in every configuration, integer >= 2, <= d",
    "  --n N             override n in every configuration, integer >= 1",
    "  --m N             override m in every configuration, integer >= 1",
    "                    (overridden configurations get the key suffix",
    "                    |override:d=..,k=..; default: no override)",
    "  -h, --help        print this text and exit",
  ].join("\n");
}

/** A UsageError naming a flag and its allowed range. */
function flagError(flag: string, got: string, why = ""): UsageError {
  return new UsageError(
    `--${flag} must be ${RANGES[flag]}, got "${got}"${why ? `: ${why}` : ""}`,
  );
}

/**
 * Parse an integer flag value within [min, max]; a bad value is a
 * UsageError naming the flag and its range (`RANGES` for this command's
 * flags, else "an integer in min..max").
 */
export function integerFlag(
  flag: string,
  text: string,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): number {
  const range = RANGES[flag] ?? `an integer in ${min}..${max}`;
  const bad = () => new UsageError(`--${flag} must be ${range}, got "${text}"`);
  if (!/^\s*\d+\s*$/.test(text)) throw bad();
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < min || value > max) throw bad();
  return value;
}

/** The `|override:...` key suffix of a set of overrides ("" when none). */
export function overrideSuffix(overrides: ParamOverrides): string {
  const parts = OVERRIDES.filter((name) => overrides[name] !== undefined)
    .map((name) => `${name}=${overrides[name]}`);
  return parts.length === 0 ? "" : `|override:${parts.join(",")}`;
}

/**
 * The overrides encoded in a configuration key's {@linkcode overrideSuffix}
 * (`|override:d=800,k=8`), or `undefined` when the key has none.
 *
 * @example
 * ```ts
 * import { parseOverrideSuffix } from "./claims.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(parseOverrideSuffix("d=50|override:d=80,k=4"), { d: 80, k: 4 });
 * assert.equal(parseOverrideSuffix("d=50"), undefined);
 * ```
 */
export function parseOverrideSuffix(key: string): ParamOverrides | undefined {
  const at = key.lastIndexOf("|override:");
  if (at < 0) return undefined;
  const overrides: ParamOverrides = {};
  for (const part of key.slice(at + "|override:".length).split(",")) {
    const [name, value] = part.split("=");
    if (
      !OVERRIDES.includes(name as OverrideName) || !/^\d+$/.test(value ?? "")
    ) {
      throw new UsageError(
        `configuration key "${key}" has a malformed override "${part}"`,
      );
    }
    overrides[name as OverrideName] = Number(value);
  }
  return overrides;
}

/**
 * A claim whose configurations have the given parameters replaced (in
 * every configuration) and their keys suffixed with
 * {@linkcode overrideSuffix}; the claim itself when there is no override.
 *
 * @example
 * ```ts
 * import { withParamOverrides } from "./claims.ts";
 * import assert from "node:assert/strict";
 * const claim = {
 *   id: "C0", title: "", statement: "", source: "", hypotheses: [], constants: {},
 *   configs: () => [{ key: "d=50", params: { d: 50, k: 5 }, checks: [], trials: 1 }],
 *   runTrial: () => Promise.reject(new Error("not run")),
 * };
 * const [config] = withParamOverrides(claim, { d: 80 }).configs("ci");
 * assert.equal(config.key, "d=50|override:d=80");
 * assert.deepEqual(config.params, { d: 80, k: 5 });
 * ```
 */
export function withParamOverrides(
  claim: ClaimSpec,
  overrides: ParamOverrides,
): ClaimSpec {
  const suffix = overrideSuffix(overrides);
  if (suffix === "") return claim;
  const set: Record<string, number> = {};
  for (const name of OVERRIDES) {
    const value = overrides[name];
    if (value !== undefined) set[name] = value;
  }
  return {
    ...claim,
    configs: (profile: Profile): ClaimConfig[] =>
      claim.configs(profile).map((c) => ({
        ...c,
        key: `${c.key}${suffix}`,
        params: { ...c.params, ...set },
      })),
  };
}

/** Check d >= k >= 2 in every configuration of the overridden claims. */
function checkOverriddenConfigs(
  claims: ClaimSpec[],
  profile: Profile,
  overrides: ParamOverrides,
): void {
  if (overrides.d === undefined && overrides.k === undefined) return;
  const flags = ["d", "k"].filter((f) =>
    overrides[f as OverrideName] !== undefined
  ).map((f) => `--${f}`).join(" and ");
  for (const claim of claims) {
    for (const config of claim.configs(profile)) {
      const { d, k } = config.params;
      const where = `claim ${claim.id}, configuration "${config.key}"`;
      if (typeof k === "number" && k < 2) {
        throw new UsageError(
          `${flags}: k must be an integer >= 2, but ${where} would have k=${k}`,
        );
      }
      if (typeof d === "number" && typeof k === "number" && d < k) {
        throw new UsageError(
          `${flags}: d must be >= k (d >= k >= 2), but ${where} would have ` +
            `d=${d}, k=${k}`,
        );
      }
    }
  }
}

/**
 * Reject overrides that make a configuration invalid for its claim (e.g.
 * correlated means need d ≥ k + 1, C3 needs m(d+2) ≥ 10n), naming the flags.
 */
function checkClaimConstraints(
  claims: ClaimSpec[],
  profile: Profile,
  overrides: ParamOverrides,
): void {
  const flags = (["d", "k", "n", "m"] as const).filter((f) =>
    overrides[f] !== undefined
  ).map((f) => `--${f}`).join(", ");
  if (flags === "") return;
  for (const claim of claims) {
    for (const config of claim.configs(profile)) {
      try {
        claim.validate?.(config);
      } catch (error) {
        if (!(error instanceof RangeError)) throw error;
        throw new UsageError(
          `${flags}: claim ${claim.id}, configuration "${config.key}": ${error.message}`,
        );
      }
    }
  }
}

/**
 * Parse and check the flags of `deno task claims` against the claims that
 * can be selected; throws a {@linkcode UsageError} naming the flag and its
 * allowed range for anything wrong. Touches neither the disk nor the
 * backend.
 *
 * @example
 * ```ts
 * import { parseClaimsArgs } from "./claims.ts";
 * import assert from "node:assert/strict";
 * const claim = {
 *   id: "C4", title: "", statement: "", source: "", hypotheses: [], constants: {},
 *   configs: () => [],
 *   runTrial: () => Promise.reject(new Error("not run")),
 * };
 * const args = parseClaimsArgs(["--claim", "c4", "--seed", "3"], [claim]);
 * assert.equal(args.claims[0].id, "C4");
 * assert.equal(args.seed, 3);
 * assert.throws(() => parseClaimsArgs(["--seed", "x"], [claim]), /--seed/);
 * ```
 */
export function parseClaimsArgs(
  args: string[],
  available: ClaimSpec[],
): ClaimsArgs {
  // node:util rejects "--seed -1" as ambiguous; say what the range is instead.
  for (let i = 0; i + 1 < args.length; i++) {
    const flag = args[i].replace(/^--/, "");
    if (
      args[i].startsWith("--") && flag in RANGES && /^-\d/.test(args[i + 1])
    ) {
      throw flagError(flag, args[i + 1]);
    }
  }
  let parsed;
  try {
    parsed = parseArgs({
      args,
      strict: true,
      allowPositionals: false,
      options: {
        claim: { type: "string", multiple: true },
        trials: { type: "string" },
        profile: { type: "string" },
        seed: { type: "string" },
        backend: { type: "string" },
        workers: { type: "string" },
        out: { type: "string" },
        shard: { type: "string" },
        resume: { type: "boolean" },
        format: { type: "string" },
        d: { type: "string" },
        k: { type: "string" },
        n: { type: "string" },
        m: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new UsageError(
      `${message.replace(/\s*\n\s*/g, " ")} (see --help)`,
    );
  }
  const v = parsed.values;
  const ids = available.map((c) => c.id);

  let claims = available;
  if (v.claim !== undefined) {
    const wanted = new Set<string>();
    for (const id of v.claim.flatMap((c) => c.split(","))) {
      const claim = available.find((c) =>
        c.id.toLowerCase() === id.trim().toLowerCase()
      );
      if (claim === undefined) {
        throw new UsageError(
          `--claim: unknown claim "${id.trim()}" (valid ids: ${
            ids.join(", ")
          })`,
        );
      }
      wanted.add(claim.id);
    }
    claims = available.filter((c) => wanted.has(c.id));
  }

  const trials = v.trials === undefined
    ? undefined
    : integerFlag("trials", v.trials, 1);
  const profile = (v.profile ?? "ci") as Profile;
  if (!PROFILES.includes(profile)) throw flagError("profile", v.profile ?? "");
  const seed = v.seed === undefined ? 1 : integerFlag("seed", v.seed, 0);
  const backend = (v.backend ?? "auto") as BackendChoice;
  if (!BACKENDS.includes(backend)) throw flagError("backend", v.backend ?? "");
  const workers = v.workers === undefined
    ? defaultWorkers()
    : integerFlag("workers", v.workers, 1, MAX_WORKERS);
  const out = v.out ?? DEFAULT_OUT;
  if (out.trim() === "") throw flagError("out", out);
  const shard = v.shard === undefined ? undefined : parseShard(v.shard);

  const formats = parseFormats(v.format ?? FORMATS.join(","));

  const overrides: ParamOverrides = {};
  for (const name of OVERRIDES) {
    const text = v[name];
    if (text !== undefined) {
      overrides[name] = integerFlag(
        name,
        text,
        name === "d" || name === "k" ? 2 : 1,
      );
    }
  }
  if (
    overrides.d !== undefined && overrides.k !== undefined &&
    overrides.d < overrides.k
  ) {
    throw new UsageError(
      `--d and --k: d must be >= k (d >= k >= 2), got d=${overrides.d}, ` +
        `k=${overrides.k}`,
    );
  }
  const selected = claims.map((c) => withParamOverrides(c, overrides));
  checkOverriddenConfigs(selected, profile, overrides);
  checkClaimConstraints(selected, profile, overrides);

  return {
    help: v.help === true,
    claims: selected,
    overrides,
    trials,
    profile,
    seed,
    backend,
    workers,
    out,
    shard,
    resume: v.resume === true,
    formats,
  };
}

/**
 * A module URL exporting `base`'s claims with the overrides applied (and
 * its `initWorker`), for the workers: a `data:` module importing both.
 */
function overrideModule(base: URL, overrides: ParamOverrides): URL {
  const source = [
    `import * as base from ${JSON.stringify(base.href)};`,
    `import { withParamOverrides } from ${
      JSON.stringify(new URL(import.meta.url).href)
    };`,
    `const overrides = ${JSON.stringify(overrides)};`,
    "export const claims = base.claims.map((c) => withParamOverrides(c, overrides));",
    "export const initWorker = base.initWorker;",
  ].join("\n");
  const bytes = new TextEncoder().encode(source);
  const binary = Array.from(bytes, (b) => String.fromCharCode(b)).join("");
  return new URL(`data:application/javascript;base64,${btoa(binary)}`);
}

/** Check that the output directory can be one (not an existing file). */
async function checkOut(out: string): Promise<void> {
  try {
    const info = await Deno.stat(out);
    if (!info.isDirectory) {
      throw new UsageError(`--out: "${out}" exists and is not a directory`);
    }
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
}

const consoleIo: Io = {
  out: (text) => console.log(text),
  err: (text) => console.error(text),
};

/**
 * The claims command: parse and check `args`, set up the backend, run the
 * claims with a progress reporter on stderr, print the summary table and
 * the output directory; returns the exit code (0 all checks at their
 * expected verdict, 1 some not, 2 bad input or internal error).
 *
 * @example
 * ```ts
 * import { claimsMain } from "./claims.ts";
 * import assert from "node:assert/strict";
 * const errors: string[] = [];
 * const code = await claimsMain(["--trials", "0"], {
 *   out() {},
 *   err: (text) => errors.push(text),
 * }, { claims: [] });
 * assert.equal(code, 2);
 * assert.match(errors[0], /--trials/);
 * ```
 */
export async function claimsMain(
  args: string[],
  io: Io = consoleIo,
  deps: ClaimsDeps = {},
): Promise<number> {
  try {
    let available = deps.claims;
    let workerModule = deps.workerModule;
    if (available === undefined) {
      available = (await import("../claims/registry.ts")).claims;
      workerModule ??= new URL("../claims/registry.ts", import.meta.url);
    }
    const parsed = parseClaimsArgs(args, available);
    if (parsed.help) {
      io.out(usage(available.map((c) => c.id)));
      return 0;
    }
    if (parsed.claims.length === 0) {
      throw new UsageError("--claim: no claims to run");
    }
    const isAvailable = deps.backendAvailable ?? backendAvailable;
    if (parsed.backend !== "auto" && !isAvailable(parsed.backend)) {
      throw new UsageError(
        `--backend ${parsed.backend} is not available here: ` +
          describeBackend(parsed.backend) +
          ` (allowed: ${BACKENDS.join(", ")}; try --backend auto)`,
      );
    }
    await checkOut(parsed.out);

    let backend: BackendName;
    try {
      backend = await initBackend(parsed.backend);
      // Workers run OpenBLAS single-threaded (see claims/registry.ts); so does
      // the main thread, so that the reported thread count is the real one.
      if (backend === "blas") loadOpenBlas()?.setThreads(1);
    } catch (error) {
      throw new UsageError(
        `--backend ${parsed.backend}: ${
          error instanceof Error ? error.message : String(error)
        }`,
      );
    }
    if (
      workerModule !== undefined && parsed.workers > 1 &&
      overrideSuffix(parsed.overrides) !== ""
    ) {
      // Workers need the overridden claims too. (In-process, runClaims
      // loads the module only for its initWorker, and importing this
      // module from itself would deadlock on its top-level await.)
      workerModule = overrideModule(workerModule, parsed.overrides);
    }
    const ids = parsed.claims.map((c) => c.id).join(", ");
    io.err(
      `running ${ids} (profile ${parsed.profile}, seed ${parsed.seed}` +
        `${parsed.trials === undefined ? "" : `, ${parsed.trials} trials`}` +
        `${
          parsed.shard === undefined
            ? ""
            : `, shard ${formatShard(parsed.shard)}`
        }` +
        `) on ${describeBackend(backend)} with ${parsed.workers} worker(s) ` +
        `into ${parsed.out}`,
    );
    const suffix = overrideSuffix(parsed.overrides);
    const reporter = new ProgressReporter(deps.progress);
    let outcome;
    try {
      outcome = await runClaims({
        claims: parsed.claims,
        profile: parsed.profile,
        seed: parsed.seed,
        trials: parsed.trials,
        out: parsed.out,
        shard: parsed.shard,
        resume: parsed.resume,
        workers: parsed.workers,
        workerModule,
        backend,
        formats: parsed.formats,
        onProgress: (p) => reporter.update(p),
        runInfoExtra: {
          "backend details": describeBackend(backend),
          "workers and cores": `${parsed.workers} worker(s) on ` +
            `${navigator.hardwareConcurrency} core(s)`,
          "Deno": `${Deno.version.deno} (V8 ${Deno.version.v8}, ` +
            `TypeScript ${Deno.version.typescript})`,
          ...(suffix === ""
            ? {}
            : { "parameter overrides": suffix.replace("|override:", "") }),
        },
      });
    } finally {
      reporter.finish();
    }
    io.out(summaryTableMarkdown(outcome.rows));
    for (const { claim, a } of outcome.assessments) {
      io.out(
        `${claim} ${a.check}: ${a.verdict} (expected ${a.expect}) ` +
          `${a.verdict === a.expect ? "✓" : "✗"} ${a.detail}`,
      );
    }
    io.out(`reports written to ${parsed.out}`);
    if (parsed.shard !== undefined) {
      // A shard holds part of every claim's trials: its verdicts are partial
      // and only the merged report decides, so a finished shard exits 0.
      io.err(
        `shard ${parsed.shard.index}/${parsed.shard.count} done: its verdicts are ` +
          "partial; merge all shards (deno task merge) for the real ones",
      );
      return 0;
    }
    if (!outcome.allOk) {
      io.err("some checks did not reach their expected verdict");
    }
    return outcome.allOk ? 0 : 1;
  } catch (error) {
    return reportError(error, io);
  }
}

if (import.meta.main) {
  Deno.exit(await claimsMain(Deno.args));
}
