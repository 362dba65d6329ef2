/**
 * `deno task replay --claim ID --config KEY --trial I [--seed S] [--profile P]
 * [--backend B] [--claims-module M]`: run one trial of a claim alone, from
 * the same seed as in a report (`trialSeed(S, ID, KEY, I)`, or
 * `--trial-seed N` to give the seed of a trial row directly), and print its
 * result as JSON: checks, status and every measured value. The row of
 * `trials/<ID>.csv` with that config, trial and seed is reproduced — also
 * for a run with parameter overrides (a key ending in `|override:d=…`) and
 * for the claims of a module of one's own (`--claims-module`, as given to
 * `deno task claims`). `failures.md` and `index.html` list these commands
 * for the failing trials of a run.
 *
 * @module
 */

import {
  BACKEND_FLAG_VALUES,
  integerFlag,
  parseCommandLine,
  PROFILES,
  SEED_RANGE,
} from "./flags.ts";
import { loadClaimsModule } from "./claims_module.ts";
import { consoleIo, type Io, reportError } from "./io.ts";
import { backendAvailable, type BackendChoice } from "../backend/backends.ts";
import {
  parseOverrideSuffix,
  withParamOverrides,
} from "../claims/overrides.ts";
import { claims as registry, initWorker } from "../claims/registry.ts";
import { configsFor } from "../claims/regime_map.ts";
import { trialSeed } from "../model/rng.ts";
import type { Profile, TrialResult } from "../claims/types.ts";
import { UsageError } from "../base/usage_error.ts";

const USAGE =
  `usage: deno task replay --claim ID --config KEY (--trial I | --trial-seed N)
                         [--seed S] [--profile ${
    PROFILES.join("|")
  }] [--backend ${BACKEND_FLAG_VALUES.join("|")}]
                         [--claims-module M]

Runs one trial alone and prints its result as JSON. KEY is the "config" column
of trials/<ID>.csv; I its "trial" column; S the run seed (default 1). With
--trial-seed, N is the "seed" column itself. M is the module of the run's own
claims, as given to deno task claims (default: the paper's claims).`;

/** A list of values as `a, b, c or d`. */
function oneOf(values: readonly string[]): string {
  return `${values.slice(0, -1).join(", ")} or ${values.at(-1)}`;
}

/**
 * The replay command: parse `args`, run the trial, print its result as
 * JSON; returns the exit code (0 replayed, 2 bad input).
 *
 * @example
 * ```ts
 * import { replayMain } from "./replay.ts";
 * import assert from "node:assert/strict";
 * const errors: string[] = [];
 * const code = await replayMain(["--claim", "C9"], { out() {}, err: (t) => errors.push(t) });
 * assert.equal(code, 2);
 * assert.match(errors[0], /--claim must be one of/);
 * ```
 */
export async function replayMain(
  args: string[],
  io: Io = consoleIo,
): Promise<number> {
  try {
    const { values } = parseCommandLine(args, {
      strings: [
        "claim",
        "config",
        "trial",
        "trial-seed",
        "seed",
        "profile",
        "backend",
        "claims-module",
      ],
      positionals: false,
    });
    if (values.help) {
      io.out(USAGE);
      return 0;
    }
    const loaded = values["claims-module"] === undefined
      ? undefined
      : await loadClaimsModule(values["claims-module"]);
    const claims = loaded?.claims ?? registry;
    const found = claims.find((c) =>
      c.id.toLowerCase() === (values.claim ?? "").toLowerCase()
    );
    if (found === undefined) {
      throw new UsageError(
        `--claim must be one of ${claims.map((c) => c.id).join(", ")}, got "${
          values.claim ?? ""
        }"`,
      );
    }
    // A run with --d/--k/--n/--m records them in its configuration keys.
    const overrides = parseOverrideSuffix(values.config ?? "");
    const claim = overrides === undefined
      ? found
      : withParamOverrides(found, overrides);
    const profile = (values.profile ?? "ci") as Profile;
    if (!PROFILES.includes(profile)) {
      throw new UsageError(
        `--profile must be ${oneOf(PROFILES)}, got "${values.profile}"`,
      );
    }
    const configs = configsFor(claim, profile);
    const config = configs.find((c) => c.key === values.config);
    if (config === undefined) {
      const other = PROFILES.find((p) =>
        p !== profile &&
        configsFor(claim, p).some((c) => c.key === values.config)
      );
      if (other !== undefined) {
        throw new UsageError(
          `--config "${values.config}" is a ${other}-profile configuration of ${claim.id}: add --profile ${other}`,
        );
      }
      throw new UsageError(
        `--config must be one of the ${claim.id} ${profile} configurations: ${
          configs.map((c) => `"${c.key}"`).join(", ")
        }, got "${values.config ?? ""}"`,
      );
    }
    const optional = (flag: string, text: string | undefined) =>
      text === undefined ? undefined : integerFlag(flag, text, {
        min: 0,
        range: flag === "seed" ? SEED_RANGE : undefined,
      });
    const trial = optional("trial", values.trial);
    const direct = optional("trial-seed", values["trial-seed"]);
    const runSeed = optional("seed", values.seed) ?? 1;
    if ((trial === undefined) === (direct === undefined)) {
      throw new UsageError("give exactly one of --trial I and --trial-seed N");
    }
    const backend = (values.backend ?? "auto") as BackendChoice;
    if (!BACKEND_FLAG_VALUES.includes(backend)) {
      throw new UsageError(
        `--backend must be ${
          oneOf(BACKEND_FLAG_VALUES)
        }, got "${values.backend}"`,
      );
    }
    if (backend === "blas" && !backendAvailable("blas")) {
      throw new UsageError(
        "--backend blas: OpenBLAS (libopenblas.so.0) is not available",
      );
    }
    const seed = direct ?? trialSeed(runSeed, {
      claim: claim.id,
      config: config.key,
      trial: trial!,
    });
    await (loaded?.initWorker ?? initWorker)(backend);
    const result: TrialResult = await claim.runTrial(
      { claim: claim.id, config: config.key, trial: trial ?? -1, seed },
      config,
    );
    io.out(
      JSON.stringify(
        {
          claim: claim.id,
          config: config.key,
          trial: trial ?? null,
          seed,
          ...result,
        },
        null,
        2,
      ),
    );
    return 0;
  } catch (error) {
    return reportError(error, io);
  }
}

if (import.meta.main) {
  Deno.exit(await replayMain(Deno.args));
}
