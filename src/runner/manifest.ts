/**
 * `run.json`, the manifest of an output directory: the layout version of
 * the run folder (`schema_version`), the run parameters (seed, profile,
 * backend, trials override, claims with their constants and
 * configurations, shard, plan size), written first, so that a directory
 * holding a different run is never reused; and the preparation of an output
 * directory for a run ({@linkcode prepareOutDir}).
 *
 * `schema_version` ({@linkcode SCHEMA_VERSION}) names the layout of the
 * whole run folder (`run.json`, the trial files, the summaries); it changes
 * when any of them changes in a way older code cannot read (CHANGELOG.md
 * lists the versions). A folder of another version cannot be resumed or
 * merged: {@linkcode readManifest} says so ({@linkcode SchemaVersionError}).
 *
 * @module
 */

import { writeTextFileAtomic } from "./atomic_write.ts";
import { RunConflictError, type RunNotice } from "./errors.ts";
import { readJsonFile } from "./json_file.ts";
import type { RunPlan } from "./plan.ts";
import { inShard, type Shard } from "./shard.ts";
import type { Profile } from "../claims/types.ts";
import { VERDICT_RULES } from "../stats/verdict_rules.ts";
import { UsageError } from "../base/usage_error.ts";

/** The content of `run.json`. */
export interface RunManifest {
  /** Version of the run folder's layout ({@linkcode SCHEMA_VERSION}). */
  schema_version: number;
  /** Run seed. */
  seed: number;
  /** Size profile. */
  profile: Profile;
  /** Backend name. */
  backend: string;
  /** Trials override, or `null`. */
  trials: number | null;
  /** Shard of this directory, or `null` for the whole plan. */
  shard: Shard | null;
  /** Claims with constants and configurations (key and trial count). */
  claims: {
    id: string;
    constants: Record<string, number>;
    configs: { key: string; trials: number }[];
  }[];
  /** Plan size: all trials, and the trials of this shard. */
  plan: { total: number; inShard: number };
  /** The verdict-rule constants the reports use (absent in older files). */
  rules?: Record<string, number>;
}

/** The run parameters recorded in `run.json` besides the plan. */
export interface ManifestParams {
  /** Run seed. */
  seed: number;
  /** Size profile. */
  profile: Profile;
  /** Backend name. */
  backend: string;
  /** Trials override, or `null`. */
  trials: number | null;
  /** Shard of the directory, or `null` for the whole plan. */
  shard: Shard | null;
}

/**
 * The layout version of the run folder this code writes and reads: 2 since
 * `run.json`'s `format` field became `schema_version` (version 1 wrote
 * `"format": 1`); see CHANGELOG.md.
 */
export const SCHEMA_VERSION = 2;

/**
 * A `run.json` of another {@linkcode SCHEMA_VERSION}: the folder was
 * written by other code and cannot be resumed or merged by this one.
 */
export class SchemaVersionError extends UsageError {
  /** The schema version found (`null` when none could be read). */
  readonly found: number | null;

  /** A mismatch in the `run.json` at `path`. */
  constructor(path: string, found: number | null) {
    super(
      `${path} has schema_version ${found ?? "unknown"}, but this code reads ` +
        `and writes schema_version ${SCHEMA_VERSION} (see CHANGELOG.md): ` +
        `the folder was written by other code and cannot be resumed or ` +
        `merged by this one; rerun it into an empty directory`,
    );
    this.name = "SchemaVersionError";
    this.found = found;
  }
}

/** The files and directories of a run in its output directory. */
const RUN_FILES = [
  "run.json",
  "trials",
  "summary.csv",
  "summary.md",
  "summary.json",
  "timing.csv",
  "provenance.json",
  "failures.md",
  "index.html",
  "figures",
];

/**
 * The `run.json` content of a plan.
 *
 * @example
 * ```ts
 * import { manifestOf } from "./manifest.ts";
 * import assert from "node:assert/strict";
 * const m = manifestOf({ claims: [], trials: [] }, {
 *   seed: 1, profile: "ci", backend: "cpu", trials: null, shard: null,
 * });
 * assert.deepEqual(m.plan, { total: 0, inShard: 0 });
 * ```
 */
export function manifestOf(
  plan: RunPlan,
  params: ManifestParams,
): RunManifest {
  return {
    schema_version: SCHEMA_VERSION,
    seed: params.seed,
    profile: params.profile,
    backend: params.backend,
    trials: params.trials,
    shard: params.shard,
    claims: plan.claims.map((p) => ({
      id: p.claim.id,
      constants: p.claim.constants,
      configs: p.configs.map((c) => ({ key: c.key, trials: c.trials })),
    })),
    plan: {
      total: plan.trials.length,
      inShard:
        plan.trials.filter((t) => inShard(t.index, params.shard ?? undefined))
          .length,
    },
    rules: { ...VERDICT_RULES },
  };
}

/** `run.json` text of a manifest. */
export function manifestText(manifest: RunManifest): string {
  return JSON.stringify(manifest, null, 2) + "\n";
}

/**
 * Names of the top-level fields in which two manifests differ (`shard` and
 * `plan` are left out with `ignoreShard`).
 *
 * @example
 * ```ts
 * import { manifestDifferences, manifestOf } from "./manifest.ts";
 * import assert from "node:assert/strict";
 * const params = { seed: 1, profile: "ci" as const, backend: "cpu", trials: null, shard: null };
 * const a = manifestOf({ claims: [], trials: [] }, params);
 * const b = manifestOf({ claims: [], trials: [] }, { ...params, seed: 2, shard: { index: 1, count: 2 } });
 * assert.deepEqual(manifestDifferences(a, b), ["seed", "shard"]);
 * assert.deepEqual(manifestDifferences(a, b, { ignoreShard: true }), ["seed"]);
 * ```
 */
export function manifestDifferences(
  a: RunManifest,
  b: RunManifest,
  options: { ignoreShard?: boolean } = {},
): string[] {
  const fields: (keyof RunManifest)[] = [
    "schema_version",
    "seed",
    "profile",
    "backend",
    "trials",
    "claims",
    ...(options.ignoreShard ? [] : ["shard", "plan"] as (keyof RunManifest)[]),
  ];
  return fields.filter((f) => JSON.stringify(a[f]) !== JSON.stringify(b[f]));
}

/** Whether a parsed value is a shard (or `null`). */
function isShardOrNull(s: unknown): boolean {
  if (s === null) return true;
  if (typeof s !== "object") return false;
  const { index, count } = s as Shard;
  return Number.isInteger(index) && Number.isInteger(count) && index >= 1 &&
    index <= count;
}

/** Whether a parsed value has the layout of a {@linkcode RunManifest}. */
function isManifest(value: unknown): value is RunManifest {
  const m = value as Partial<RunManifest> | null;
  return m !== null && typeof m === "object" &&
    m.schema_version === SCHEMA_VERSION && typeof m.seed === "number" &&
    (m.profile === "ci" || m.profile === "paper" || m.profile === "map") &&
    typeof m.backend === "string" &&
    (m.trials === null || typeof m.trials === "number") &&
    isShardOrNull(m.shard) &&
    Array.isArray(m.claims) &&
    m.claims.every((c) =>
      c !== null && typeof c === "object" && typeof c.id === "string" &&
      Array.isArray(c.configs) &&
      c.configs.every((k) =>
        typeof k?.key === "string" && Number.isInteger(k?.trials)
      )
    ) &&
    typeof m.plan === "object" && m.plan !== null &&
    Number.isInteger(m.plan.total) && Number.isInteger(m.plan.inShard);
}

/**
 * The schema version a parsed `run.json` declares: its `schema_version`, 1
 * for the `"format": 1` of version 1, or `null` when it declares none.
 *
 * @example
 * ```ts
 * import { schemaVersionOf } from "./manifest.ts";
 * import assert from "node:assert/strict";
 * assert.equal(schemaVersionOf({ schema_version: 2 }), 2);
 * assert.equal(schemaVersionOf({ format: 1 }), 1);
 * assert.equal(schemaVersionOf([]), null);
 * ```
 */
export function schemaVersionOf(value: unknown): number | null {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    return null;
  }
  const m = value as { schema_version?: unknown; format?: unknown };
  if (Number.isInteger(m.schema_version)) return m.schema_version as number;
  if (m.format === 1) return 1;
  return null;
}

/**
 * Read and check `<dir>/run.json`; `null` when the file does not exist.
 * Throws a {@linkcode SchemaVersionError} when it declares another
 * {@linkcode SCHEMA_VERSION}, and a {@linkcode UsageError} when it is not
 * a run manifest.
 */
export async function readManifest(dir: string): Promise<RunManifest | null> {
  const path = `${dir}/run.json`;
  const value = await readJsonFile(path);
  if (value === undefined) return null;
  const version = schemaVersionOf(value);
  if (version !== null && version !== SCHEMA_VERSION) {
    throw new SchemaVersionError(path, version);
  }
  if (!isManifest(value)) {
    throw new UsageError(
      `${path} is not a run.json of this suite (schema_version ${SCHEMA_VERSION})`,
    );
  }
  return value;
}

/** Whether the trial files under `dir/trials` hold at least one data row. */
async function hasTrialRows(dir: string): Promise<boolean> {
  try {
    for await (const entry of Deno.readDir(`${dir}/trials`)) {
      if (!entry.isFile || !entry.name.endsWith(".csv")) continue;
      const text = await Deno.readTextFile(`${dir}/trials/${entry.name}`);
      if (text.split("\n").filter((line) => line.length > 0).length > 1) {
        return true;
      }
    }
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  return false;
}

/** Move the files of an earlier run to `<out>/previous-<timestamp>/`. */
async function moveAside(out: string): Promise<string> {
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  const target = `${out}/previous-${stamp}`;
  await Deno.mkdir(target, { recursive: true });
  for (const name of RUN_FILES) {
    try {
      await Deno.rename(`${out}/${name}`, `${target}/${name}`);
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
  }
  return target;
}

/**
 * Make `out` the output directory of the run described by `manifest` and
 * write its `run.json`. A directory holding `run.json` of another run, or
 * trial rows without `run.json`, throws a {@linkcode RunConflictError}
 * and is left untouched. Trial rows of the same run are kept with `resume`,
 * else moved aside to `<out>/previous-<timestamp>/` (told to `notify`).
 */
export async function prepareOutDir(
  out: string,
  options: {
    manifest: RunManifest;
    resume: boolean;
    notify: (notice: RunNotice) => void;
  },
): Promise<void> {
  const { manifest, resume } = options;
  await Deno.mkdir(out, { recursive: true });
  const existing = await readManifest(out);
  if (existing !== null) {
    const differences = manifestDifferences(existing, manifest);
    if (differences.length > 0) {
      throw new RunConflictError(
        `${out} holds a different run (it differs in: ${
          differences.join(", ")
        })`,
        { kind: "different-run", dir: out, differences },
      );
    }
    if (!resume && await hasTrialRows(out)) {
      const moved = await moveAside(out);
      options.notify({
        kind: "moved-aside",
        path: moved,
        message:
          `${out} held trials of the same run; moved them to ${moved} and starting afresh`,
      });
    }
  } else if (await hasTrialRows(out)) {
    throw new RunConflictError(
      `${out} holds trial files but no run.json; refusing to overwrite them`,
      { kind: "trials-without-manifest", dir: out },
    );
  }
  await writeTextFileAtomic(`${out}/run.json`, manifestText(manifest));
}
