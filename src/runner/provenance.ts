/**
 * `provenance.json`: where and with what a run was made — the git commit of
 * the code (and whether the work tree had changes), the command line, the
 * Deno, V8, TypeScript and TensorFlow.js versions, the OpenBLAS build and
 * the core type its kernels run for, the CPU and its core count, a SHA-256
 * of `deno.lock`, the backend, the number of workers and the start and end
 * times.
 *
 * Like `timing.csv` it depends on the machine and the moment, so it is kept
 * out of the files that are byte-identical for the same seed (`run.json`,
 * the trial files, `summary.csv`, `summary.json`, the figures). The runner
 * writes it when a run starts (`status: "running"`) and again when it ends
 * (`"finished"`); a file still saying `running` belongs to a run that was
 * interrupted. A resumed run keeps the provenance of its earlier sessions
 * in `previous`; a merged run keeps that of each shard in `shards`.
 *
 * Nothing here fails a run: whatever cannot be found (no git, no
 * `--allow-run=git`, no OpenBLAS, no `/proc/cpuinfo`) is `null`.
 *
 * @module
 */

import { cpus } from "node:os";
import { fileURLToPath } from "node:url";
import { writeTextFileAtomic } from "./atomic_write.ts";

/** File name of the provenance record in a run folder. */
export const PROVENANCE_FILE = "provenance.json";

/** The git state of the code that ran. */
export interface GitState {
  /** The commit checked out (`git rev-parse HEAD`), or `null` without git. */
  commit: string | null;
  /** Whether tracked or untracked files differ from it (`git status`), or `null`. */
  dirty: boolean | null;
}

/** The OpenBLAS library the process can load. */
export interface OpenBlasInfo {
  /** Its version, e.g. `0.3.21` (from its configuration string). */
  version: string | null;
  /** `openblas_get_config()`: version, build options and core. */
  config: string;
  /** `openblas_get_corename()`: the core type its kernels run for. */
  corename: string;
  /** The `OPENBLAS_CORETYPE` environment variable, if set. */
  coretypeEnv: string | null;
}

/** The content of `provenance.json`. */
export interface Provenance {
  /** What wrote the folder: a run of trials, or a merge of shards. */
  kind: "run" | "merge";
  /** `running` from the start of a run until it has written its trial files. */
  status: "running" | "finished";
  /** Start time, ISO 8601. */
  started: string;
  /** End time, ISO 8601, or `null` while running. */
  finished: string | null;
  /** Wall time in seconds, or `null` while running. */
  elapsedSeconds: number | null;
  /**
   * The command line: the Deno executable, its flags, the script and its
   * arguments (`/proc/self/cmdline`, which Deno lets a script read only
   * with `--allow-all`; else the executable, the script and its arguments,
   * the flags being told by `permissions`).
   */
  command: string[];
  /** The permissions granted to the process (`granted`, `prompt` or `denied`), by name. */
  permissions: Record<string, string>;
  /** The working directory of the command. */
  cwd: string | null;
  /** The git state of the code. */
  git: GitState;
  /** `Deno.version`. */
  deno: { deno: string; v8: string; typescript: string };
  /** The TensorFlow.js version (`version_core`), or `null`. */
  tfjs: string | null;
  /** The OpenBLAS library, or `null` when it cannot be loaded. */
  openblas: OpenBlasInfo | null;
  /** The machine. */
  cpu: {
    /** CPU model name (`os.cpus()`, with `--allow-sys`), or `null`. */
    model: string | null;
    /** Logical cores (`navigator.hardwareConcurrency`). */
    cores: number;
    /** Deno's build target, e.g. `x86_64-unknown-linux-gnu`. */
    target: string;
  };
  /** SHA-256 (hex) of the code's `deno.lock`, or `null`. */
  denoLockSha256: string | null;
  /** The backend of the run (as resolved by the command line). */
  backend: string;
  /** A description of the backend, when it names one (`null` for `auto`). */
  backendDetails: string | null;
  /** Number of workers (`null` for a merge). */
  workers: number | null;
  /** A resumed run: the provenance of its earlier sessions, oldest first. */
  previous?: Provenance[];
  /** A merged run: each shard directory with its provenance (`null` if it had none). */
  shards?: { dir: string; provenance: Provenance | null }[];
}

/** Options of {@linkcode collectProvenance}. */
export interface CollectOptions {
  /** A run or a merge. */
  kind: Provenance["kind"];
  /** Backend name of the run. */
  backend: string;
  /** Number of workers (`null` for a merge). */
  workers: number | null;
  /** Start time (default: now). */
  started?: Date;
  /** The git executable (default `git`; tests pass a missing one). */
  git?: string;
  /** The code's repository root (default: the one holding this module). */
  root?: URL;
}

/** The repository root of this code (where its `deno.lock` and git checkout are). */
export const CODE_ROOT: URL = new URL("../../", import.meta.url);

/**
 * Whether a permission is granted: nothing here may make Deno prompt for
 * one on a terminal.
 */
function granted(descriptor: Deno.PermissionDescriptor): boolean {
  try {
    return Deno.permissions.querySync(descriptor).state === "granted";
  } catch {
    return false;
  }
}

/** Run `git -C dir args...`; its trimmed stdout, or `null` on any failure. */
async function git(
  executable: string,
  options: { dir: string; args: string[] },
): Promise<string | null> {
  try {
    const { success, stdout } = await new Deno.Command(executable, {
      args: ["-C", options.dir, ...options.args],
      stdin: "null",
      stdout: "piped",
      stderr: "null",
    }).output();
    return success ? new TextDecoder().decode(stdout).trim() : null;
  } catch {
    return null;
  }
}

/**
 * The git commit of the code in `root` and whether its work tree differs
 * from it; `null`s when git is missing, not allowed (`--allow-run=git`) or
 * `root` is not a checkout.
 *
 * @example
 * ```ts
 * import { gitState } from "./provenance.ts";
 * import assert from "node:assert/strict";
 * const none = await gitState(new URL("file:///"), { git: "no-such-git" });
 * assert.deepEqual(none, { commit: null, dirty: null });
 * ```
 */
export async function gitState(
  root: URL,
  options: { git?: string } = {},
): Promise<GitState> {
  const executable = options.git ?? "git";
  if (
    root.protocol !== "file:" ||
    !granted({ name: "run", command: executable })
  ) {
    return { commit: null, dirty: null };
  }
  const dir = decodeURIComponent(root.pathname);
  const commit = await git(executable, { dir, args: ["rev-parse", "HEAD"] });
  if (commit === null || !/^[0-9a-f]{40,64}$/.test(commit)) {
    return { commit: null, dirty: null };
  }
  const status = await git(executable, {
    dir,
    args: ["status", "--porcelain"],
  });
  return { commit, dirty: status === null ? null : status !== "" };
}

/**
 * The committer time of a commit (ISO 8601) in the checkout at `root`, or
 * `null` when git is missing, not allowed or does not know the commit.
 *
 * @example
 * ```ts
 * import { gitCommitTime } from "./provenance.ts";
 * import assert from "node:assert/strict";
 * assert.equal(await gitCommitTime(new URL("file:///"), "abc", { git: "no-such-git" }), null);
 * ```
 */
export async function gitCommitTime(
  root: URL,
  commit: string,
  options: { git?: string } = {},
): Promise<string | null> {
  const executable = options.git ?? "git";
  if (
    root.protocol !== "file:" || !/^[0-9a-f]{4,64}$/.test(commit) ||
    !granted({ name: "run", command: executable })
  ) {
    return null;
  }
  const time = await git(executable, {
    dir: decodeURIComponent(root.pathname),
    args: ["show", "-s", "--format=%cI", commit],
  });
  return time === null || time === "" ? null : time;
}

/** A text file's content, or `null` when it cannot (or may not) be read. */
async function readOptional(path: string | URL): Promise<string | null> {
  if (!granted({ name: "read", path })) return null;
  try {
    return await Deno.readTextFile(path);
  } catch {
    return null;
  }
}

/** The command line of this process (see {@linkcode Provenance.command}). */
async function commandLine(): Promise<string[]> {
  const text = await readOptional("/proc/self/cmdline");
  if (text !== null && text.length > 0) {
    return text.replace(/\0$/, "").split("\0");
  }
  let exec = "deno";
  if (granted({ name: "read" })) exec = Deno.execPath();
  const main = Deno.mainModule.startsWith("file:")
    ? fileURLToPath(Deno.mainModule)
    : Deno.mainModule;
  return [exec, main, ...Deno.args];
}

/** The permission names recorded in {@linkcode Provenance.permissions}. */
const PERMISSIONS = [
  "read",
  "write",
  "env",
  "sys",
  "ffi",
  "run",
  "net",
  "import",
] as const;

/** The state of each permission of this process. */
function permissionStates(): Record<string, string> {
  return Object.fromEntries(PERMISSIONS.map((name) => {
    try {
      return [name, Deno.permissions.querySync({ name }).state];
    } catch {
      return [name, "unknown"];
    }
  }));
}

/** The CPU model (`os.cpus()`, which needs `--allow-sys`), or `null`. */
function cpuModel(): string | null {
  if (!granted({ name: "sys", kind: "cpus" })) return null;
  try {
    return cpus()[0]?.model?.trim() || null;
  } catch {
    return null;
  }
}

/** SHA-256 (hex) of a file, or `null` when it cannot be read. */
async function sha256Of(url: URL): Promise<string | null> {
  if (url.protocol !== "file:" || !granted({ name: "read", path: url })) {
    return null;
  }
  let bytes: Uint8Array<ArrayBuffer>;
  try {
    bytes = await Deno.readFile(url);
  } catch {
    return null;
  }
  const digest = await crypto.subtle.digest("SHA-256", bytes);
  return Array.from(
    new Uint8Array(digest),
    (b) => b.toString(16).padStart(2, "0"),
  )
    .join("");
}

/** An environment variable, or `null` when unset or not readable. */
function envOrNull(name: string): string | null {
  if (!granted({ name: "env", variable: name })) return null;
  try {
    return Deno.env.get(name) ?? null;
  } catch {
    return null;
  }
}

/** The OpenBLAS this process loads, or `null`. */
async function openBlasInfo(): Promise<OpenBlasInfo | null> {
  const { loadOpenBlas } = await import("../backend/openblas.ts");
  const blas = loadOpenBlas();
  if (blas === null) return null;
  const config = blas.config();
  return {
    version: /OpenBLAS\s+(\S+)/.exec(config)?.[1] ?? null,
    config,
    corename: blas.corename(),
    coretypeEnv: envOrNull("OPENBLAS_CORETYPE"),
  };
}

/** The TensorFlow.js version, or `null`. */
async function tfjsVersion(): Promise<string | null> {
  try {
    return (await import("@tensorflow/tfjs-core")).version_core;
  } catch {
    return null;
  }
}

/** A description of a named backend, `null` for `auto` or an unknown name. */
async function backendDetails(name: string): Promise<string | null> {
  const { BACKEND_NAMES, describeBackend } = await import(
    "../backend/backends.ts"
  );
  const known = BACKEND_NAMES.find((b) => b === name);
  return known === undefined ? null : describeBackend(known);
}

/**
 * Gather the provenance of a run (or merge) starting now, with
 * `status: "running"`; see the module documentation for what is recorded.
 *
 * @example
 * ```ts
 * import { collectProvenance } from "./provenance.ts";
 * import assert from "node:assert/strict";
 * const p = await collectProvenance({ kind: "run", backend: "cpu", workers: 2 });
 * assert.equal(p.status, "running");
 * assert.equal(p.deno.deno, Deno.version.deno);
 * ```
 */
export async function collectProvenance(
  options: CollectOptions,
): Promise<Provenance> {
  const root = options.root ?? CODE_ROOT;
  const [command, gitInfo, tfjs, openblas, lock, details] = await Promise.all([
    commandLine(),
    gitState(root, { git: options.git }),
    tfjsVersion(),
    openBlasInfo(),
    sha256Of(new URL("deno.lock", root)),
    backendDetails(options.backend),
  ]);
  const cwd = granted({ name: "read" }) ? Deno.cwd() : null;
  return {
    kind: options.kind,
    status: "running",
    started: (options.started ?? new Date()).toISOString(),
    finished: null,
    elapsedSeconds: null,
    command,
    permissions: permissionStates(),
    cwd,
    git: gitInfo,
    deno: { ...Deno.version },
    tfjs,
    openblas,
    cpu: {
      model: cpuModel(),
      cores: navigator.hardwareConcurrency,
      target: Deno.build.target,
    },
    denoLockSha256: lock,
    backend: options.backend,
    backendDetails: details,
    workers: options.workers,
  };
}

/**
 * The provenance of a run that ended now: `status: "finished"`, the end
 * time and the wall time.
 *
 * @example
 * ```ts
 * import { finishedProvenance } from "./provenance.ts";
 * import assert from "node:assert/strict";
 * const p = finishedProvenance({ status: "running" } as never, {
 *   finished: new Date(0), elapsedSeconds: 2.5,
 * });
 * assert.deepEqual([p.status, p.finished, p.elapsedSeconds], ["finished", "1970-01-01T00:00:00.000Z", 2.5]);
 * ```
 */
export function finishedProvenance(
  provenance: Provenance,
  end: { finished: Date; elapsedSeconds: number },
): Provenance {
  return {
    ...provenance,
    status: "finished",
    finished: end.finished.toISOString(),
    elapsedSeconds: end.elapsedSeconds,
  };
}

/** `provenance.json` text. */
function provenanceText(provenance: Provenance): string {
  return JSON.stringify(provenance, null, 2) + "\n";
}

/** Write `<dir>/provenance.json` atomically. */
export async function writeProvenance(
  dir: string,
  provenance: Provenance,
): Promise<void> {
  await writeTextFileAtomic(
    `${dir}/${PROVENANCE_FILE}`,
    provenanceText(provenance),
  );
}

/**
 * Read `<dir>/provenance.json`; `null` when it is missing or is not a JSON
 * object (provenance is informative: never a reason to fail).
 */
export async function readProvenance(dir: string): Promise<Provenance | null> {
  const text = await readOptional(`${dir}/${PROVENANCE_FILE}`);
  if (text === null) return null;
  try {
    const value = JSON.parse(text);
    return value !== null && typeof value === "object" && !Array.isArray(value)
      ? value as Provenance
      : null;
  } catch {
    return null;
  }
}

/**
 * The provenance of a resumed session: `current` with the sessions already
 * recorded in `earlier` (its own `previous` flattened) in `previous`.
 *
 * @example
 * ```ts
 * import { resumedProvenance } from "./provenance.ts";
 * import assert from "node:assert/strict";
 * const a = { started: "a" } as never, b = { started: "b" } as never;
 * const c = resumedProvenance({ started: "c" } as never, { ...(b as object), previous: [a] } as never);
 * assert.deepEqual(c.previous?.map((p) => p.started), ["a", "b"]);
 * ```
 */
export function resumedProvenance(
  current: Provenance,
  earlier: Provenance | null,
): Provenance {
  if (earlier === null) return current;
  const { previous = [], ...session } = earlier;
  return { ...current, previous: [...previous, session] };
}
