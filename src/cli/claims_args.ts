/**
 * The flags of `deno task claims`: their parsing and checking
 * ({@linkcode parseClaimsArgs}) and the `--help` text ({@linkcode usage}).
 * Every flag is checked before anything is written: anything wrong is a
 * {@linkcode UsageError} naming the flag and its allowed range.
 *
 * The parameter overrides `--d`, `--k`, `--n` and `--m` replace that
 * parameter in every configuration of the selected claims (see
 * `src/claims/overrides.ts`).
 *
 * @module
 */

import { parseArgs } from "node:util";
import {
  BACKEND_FLAG_VALUES,
  integerFlag,
  parseFormats,
  parseShard,
  PROFILES,
  SEED_RANGE,
} from "./flags.ts";
import { type Format, FORMATS } from "../report/write.ts";
import type { Shard } from "../runner/shard.ts";
import type { BackendChoice } from "../backend/backends.ts";
import {
  OVERRIDE_NAMES,
  type OverrideName,
  type ParamOverrides,
  withParamOverrides,
} from "../claims/overrides.ts";
import { claimsWithMaps, configsFor } from "../claims/regime_map.ts";
import type { ClaimSpec, Profile } from "../claims/types.ts";
import { errorMessage } from "../base/errors.ts";
import { UsageError } from "../base/usage_error.ts";

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
  /** `--claims-module`: the module the claims come from, as given (default: the registry). */
  claimsModule?: string;
}

/** The largest `--workers`. */
const MAX_WORKERS = 64;
/** The default `--out`. */
const DEFAULT_OUT = "reports/latest";

/**
 * The default number of workers: the number of cores, within 1..64.
 *
 * @example
 * ```ts
 * import { defaultWorkers } from "./claims_args.ts";
 * import assert from "node:assert/strict";
 * assert.ok(defaultWorkers() >= 1 && defaultWorkers() <= 64);
 * ```
 */
export function defaultWorkers(): number {
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
  seed: SEED_RANGE,
  backend: `one of ${BACKEND_FLAG_VALUES.join(", ")}`,
  workers: `an integer from 1 to ${MAX_WORKERS}`,
  out: "a directory path",
  shard: "I/N with integers 1 <= I <= N",
  format: `a comma-separated list of ${FORMATS.join(", ")}`,
  "claims-module": "a path or URL of a module exporting claims",
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
 * import { usage } from "./claims_args.ts";
 * import assert from "node:assert/strict";
 * assert.match(usage(["C1", "C2"]), /--workers N/);
 * ```
 */
export function usage(ids: string[]): string {
  return [
    "usage: deno task claims [flags]",
    "",
    "Run the claim checks and write the reports (summary.csv/md/json,",
    "index.html, failures.md, trials/, figures/, run.json, timing.csv,",
    "provenance.json). Exit code 0: every check reached its expected verdict;",
    "1: some check did not; 2: bad input or internal error.",
    "",
    "flags:",
    `  --claim ID        claim to run (${ids.join(", ")}; case-insensitive),`,
    "                    repeatable or comma-separated; default: every claim",
    "  --trials N        trials per configuration, integer >= 1;",
    "                    default: each configuration's own count",
    `  --profile P       ${PROFILES.join(" | ")}; default: ci (map: the regime`,
    "                    maps of the claims that declare them, no verdicts)",
    `  --seed S          run seed, integer 0..${Number.MAX_SAFE_INTEGER}; default: 1`,
    `  --backend B       ${
      BACKEND_FLAG_VALUES.join(" | ")
    }; default: auto (blas if`,
    "                    OpenBLAS loads, else wasm)",
    `  --workers N       parallel workers, integer 1..${MAX_WORKERS}; default: the`,
    `                    number of cores (here ${defaultWorkers()})`,
    `  --out DIR         output directory; default: ${DEFAULT_OUT}`,
    "  --shard I/N       run only shard I of N (1 <= I <= N); default: all",
    "  --resume          continue the run already in --out; default: off",
    `  --format LIST     comma list of ${FORMATS.join(", ")}; default: ${
      FORMATS.join(",")
    }`,
    "                    (figures are written with md; html inlines them)",
    "  --claims-module M run the claims exported by module M (a path or URL;",
    "                    `export const claims: ClaimSpec[]`, see",
    "                    examples/my_claim.ts) instead of the paper's",
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
function flagError(flag: string, got: string): UsageError {
  return new UsageError(`--${flag} must be ${RANGES[flag]}, got "${got}"`);
}

/** An integer flag of this command, with its range from `RANGES`. */
function intFlag(
  flag: string,
  text: string,
  limits: { min: number; max?: number },
): number {
  return integerFlag(flag, text, { ...limits, range: RANGES[flag] });
}

/** The flags given on an overridden parameter, e.g. `--d and --k`. */
function overrideFlags(
  overrides: ParamOverrides,
  options: { among: readonly OverrideName[]; joiner: string },
): string {
  return options.among.filter((f) => overrides[f] !== undefined)
    .map((f) => `--${f}`).join(options.joiner);
}

/** Check d >= k >= 2 in every configuration of the overridden claims. */
function checkOverriddenConfigs(
  claims: ClaimSpec[],
  options: { profile: Profile; overrides: ParamOverrides },
): void {
  const { overrides } = options;
  if (overrides.d === undefined && overrides.k === undefined) return;
  const flags = overrideFlags(overrides, {
    among: ["d", "k"],
    joiner: " and ",
  });
  for (const claim of claims) {
    for (const config of configsFor(claim, options.profile)) {
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
  options: { profile: Profile; overrides: ParamOverrides },
): void {
  const flags = overrideFlags(options.overrides, {
    among: OVERRIDE_NAMES,
    joiner: ", ",
  });
  if (flags === "") return;
  for (const claim of claims) {
    for (const config of configsFor(claim, options.profile)) {
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

/** The values of the flags, as `node:util` parses them (all checked later). */
type FlagValues =
  & {
    [
      name in
        | "trials"
        | "profile"
        | "seed"
        | "backend"
        | "workers"
        | "out"
        | "shard"
        | "format"
        | "claims-module"
        | OverrideName
    ]?: string;
  }
  & { claim?: string[]; resume?: boolean; help?: boolean };

/** Parse the command line into flag values, checking only its shape. */
function flagValues(args: string[]): FlagValues {
  // node:util rejects "--seed -1" as ambiguous; say what the range is instead.
  for (let i = 0; i + 1 < args.length; i++) {
    const flag = args[i].replace(/^--/, "");
    if (
      args[i].startsWith("--") && flag in RANGES && /^-\d/.test(args[i + 1])
    ) {
      throw flagError(flag, args[i + 1]);
    }
  }
  try {
    return parseArgs({
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
        "claims-module": { type: "string" },
        d: { type: "string" },
        k: { type: "string" },
        n: { type: "string" },
        m: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    }).values;
  } catch (error) {
    throw new UsageError(
      `${errorMessage(error).replace(/\s*\n\s*/g, " ")} (see --help)`,
    );
  }
}

/** The claims selected by `--claim` (all when not given), in registry order. */
function selectClaims(
  wanted: string[] | undefined,
  available: ClaimSpec[],
): ClaimSpec[] {
  if (wanted === undefined) return available;
  const ids = new Set<string>();
  for (const id of wanted.flatMap((c) => c.split(","))) {
    const claim = available.find((c) =>
      c.id.toLowerCase() === id.trim().toLowerCase()
    );
    if (claim === undefined) {
      throw new UsageError(
        `--claim: unknown claim "${id.trim()}" (valid ids: ${
          available.map((c) => c.id).join(", ")
        })`,
      );
    }
    ids.add(claim.id);
  }
  return available.filter((c) => ids.has(c.id));
}

/**
 * The claims of a `map` run: the selected claims that declare regime maps
 * (all of them when `--claim` is not given). A selected claim without a
 * map, or no claim with a map at all, is a {@linkcode UsageError}.
 */
function mapClaims(
  selected: ClaimSpec[],
  options: { explicit: boolean; available: ClaimSpec[] },
): ClaimSpec[] {
  const withMaps = claimsWithMaps(options.available).map((c) => c.id);
  if (withMaps.length === 0) {
    throw new UsageError(
      "--profile map: none of the claims declares a regime map (ClaimSpec.maps)",
    );
  }
  const without = selected.filter((c) => !withMaps.includes(c.id));
  if (options.explicit && without.length > 0) {
    throw new UsageError(
      `--claim: ${
        without.map((c) => c.id).join(", ")
      } declares no regime map (claims with maps: ${withMaps.join(", ")})`,
    );
  }
  return claimsWithMaps(selected);
}

/** The parameter overrides given by `--d`, `--k`, `--n` and `--m`. */
function parseOverrides(v: FlagValues): ParamOverrides {
  const overrides: ParamOverrides = {};
  for (const name of OVERRIDE_NAMES) {
    const text = v[name];
    if (text !== undefined) {
      overrides[name] = intFlag(name, text, {
        min: name === "d" || name === "k" ? 2 : 1,
      });
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
  return overrides;
}

/**
 * Parse and check the flags of `deno task claims` against the claims that
 * can be selected; throws a {@linkcode UsageError} naming the flag and its
 * allowed range for anything wrong. Touches neither the disk nor the
 * backend.
 *
 * @example
 * ```ts
 * import { parseClaimsArgs } from "./claims_args.ts";
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
  const v = flagValues(args);
  const claims = selectClaims(v.claim, available);
  const trials = v.trials === undefined
    ? undefined
    : intFlag("trials", v.trials, { min: 1 });
  const profile = (v.profile ?? "ci") as Profile;
  if (!PROFILES.includes(profile)) throw flagError("profile", v.profile ?? "");
  const seed = v.seed === undefined ? 1 : intFlag("seed", v.seed, { min: 0 });
  const backend = (v.backend ?? "auto") as BackendChoice;
  if (!BACKEND_FLAG_VALUES.includes(backend)) {
    throw flagError("backend", v.backend ?? "");
  }
  const workers = v.workers === undefined
    ? defaultWorkers()
    : intFlag("workers", v.workers, { min: 1, max: MAX_WORKERS });
  const out = v.out ?? DEFAULT_OUT;
  if (out.trim() === "") throw flagError("out", out);
  const shard = v.shard === undefined ? undefined : parseShard(v.shard);
  const formats = parseFormats(v.format ?? FORMATS.join(","));
  const overrides = parseOverrides(v);
  if (profile === "map" && Object.keys(overrides).length > 0) {
    throw new UsageError(
      `${
        overrideFlags(overrides, { among: OVERRIDE_NAMES, joiner: ", " })
      }: not with --profile map (the cells of a map set d, k, n and m themselves)`,
    );
  }
  const selected =
    (profile === "map"
      ? mapClaims(claims, { explicit: v.claim !== undefined, available })
      : claims).map((c) => withParamOverrides(c, overrides));
  checkOverriddenConfigs(selected, { profile, overrides });
  checkClaimConstraints(selected, { profile, overrides });
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
    ...(v["claims-module"] === undefined
      ? {}
      : { claimsModule: v["claims-module"] }),
  };
}
