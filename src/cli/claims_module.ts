/**
 * `--claims-module PATH`: claims of one's own, run without forking the
 * suite. The module exports `claims: ClaimSpec[]` (and optionally
 * `initWorker(backend)`); {@linkcode loadClaimsModule} imports it and
 * checks it ({@linkcode checkClaimsModule}): a missing or malformed export,
 * a bad claim, configuration or check, or two claims with one id is a
 * {@linkcode UsageError} (exit code 2) naming the module and what is wrong.
 * The workers of the run import the same module by its URL.
 *
 * @module
 */

import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { configsFor, mapProblems } from "../claims/regime_map.ts";
import type { ClaimSpec, Profile } from "../claims/types.ts";
import { predictionProblems } from "../claims/predictions.ts";
import { errorMessage } from "../base/errors.ts";
import { oneLine } from "../base/text.ts";
import { UsageError } from "../base/usage_error.ts";

/** A loaded claims module. */
export interface ClaimsModule {
  /** The module as given on the command line. */
  spec: string;
  /** Its URL (what the workers import). */
  url: URL;
  /** Its claims, checked. */
  claims: ClaimSpec[];
  /** Its backend set-up, if it exports one. */
  initWorker?: (backend: string) => void | Promise<void>;
}

/** A claim id: it names the claim's trial file, so a plain word. */
const CLAIM_ID = /^[A-Za-z][A-Za-z0-9_-]*$/;

/** The URL of a module given as a path (relative to the working directory) or a URL. */
function moduleUrl(spec: string): URL {
  if (/^[a-z][a-z0-9+.-]*:/i.test(spec) && !/^[a-z]:[\\/]/i.test(spec)) {
    return new URL(spec);
  }
  return pathToFileURL(resolve(spec));
}

/** The value of `--claims-module` in a command line, if given (its shape only). */
export function claimsModuleArg(args: string[]): string | undefined {
  let found: string | undefined;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "--") break;
    if (args[i] === "--claims-module") {
      const value = args[i + 1];
      if (value === undefined || value.startsWith("--")) {
        throw new UsageError("--claims-module needs a module path");
      }
      found = value;
      i++;
    } else if (args[i].startsWith("--claims-module=")) {
      found = args[i].slice("--claims-module=".length);
    }
  }
  if (found !== undefined && found.trim() === "") {
    throw new UsageError("--claims-module needs a module path");
  }
  return found;
}

/** Problems of a record field that must be `kind`. */
function fieldProblem(
  value: unknown,
  options: { where: string; kind: "string" | "function" | "strings" },
): string | null {
  const { where, kind } = options;
  if (kind === "strings") {
    return Array.isArray(value) && value.every((v) => typeof v === "string")
      ? null
      : `${where} must be an array of strings`;
  }
  const ok = kind === "string"
    ? typeof value === "string"
    : typeof value === "function";
  return ok ? null : `${where} must be a ${kind}`;
}

/** The problems of a claim's configurations at a profile. */
function configProblems(claim: ClaimSpec, profile: Profile): string[] {
  const where = `claim ${claim.id}: configs("${profile}")`;
  let configs: unknown;
  try {
    configs = configsFor(claim, profile);
  } catch (error) {
    return [`${where} threw: ${oneLine(errorMessage(error))}`];
  }
  if (!Array.isArray(configs)) return [`${where} did not return an array`];
  const problems: string[] = [];
  const keys = new Set<string>();
  configs.forEach((config, i) => {
    const at = `${where}[${i}]`;
    if (config === null || typeof config !== "object") {
      problems.push(`${at} is not an object`);
      return;
    }
    const { key, params, checks, trials } = config;
    if (typeof key !== "string" || key === "") {
      problems.push(`${at}.key must be a non-empty string`);
    } else if (keys.has(key)) {
      problems.push(`${where}: configuration key "${key}" is used twice`);
    } else keys.add(key);
    if (params === null || typeof params !== "object") {
      problems.push(`${at}.params must be an object`);
    }
    if (!Number.isInteger(trials) || trials < 1) {
      problems.push(`${at}.trials must be a positive integer`);
    }
    if (!Array.isArray(checks)) {
      problems.push(`${at}.checks must be an array`);
      return;
    }
    const names = new Set<string>();
    checks.forEach((check, j) => {
      const c = `${at}.checks[${j}]`;
      if (check === null || typeof check !== "object") {
        problems.push(`${c} is not an object`);
        return;
      }
      if (typeof check.name !== "string" || check.name === "") {
        problems.push(`${c}.name must be a non-empty string`);
      } else if (names.has(check.name)) {
        problems.push(`${c}: check "${check.name}" is used twice`);
      } else names.add(check.name);
      if (check.expect !== "holds" && check.expect !== "fails") {
        problems.push(`${c}.expect must be "holds" or "fails"`);
      }
      if (
        typeof check.target !== "number" || !(check.target >= 0) ||
        !(check.target <= 1)
      ) {
        problems.push(`${c}.target must be a number in [0, 1]`);
      }
      if (typeof check.description !== "string") {
        problems.push(`${c}.description must be a string`);
      }
    });
  });
  return problems;
}

/** The problems of a claim's regime maps (none when it declares none). */
function mapDeclarationProblems(claim: ClaimSpec): string[] {
  if (claim.maps === undefined) return [];
  if (!Array.isArray(claim.maps)) {
    return [`claim ${claim.id}: maps must be an array of RegimeMap`];
  }
  const problems = claim.maps.flatMap((map) =>
    mapProblems(map).map((p) => `claim ${claim.id}: ${p}`)
  );
  return problems.length > 0 ? problems : configProblems(claim, "map");
}

/** The problems of one exported claim. */
function claimProblems(value: unknown, index: number): string[] {
  const where = `claims[${index}]`;
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    return [`${where} is not a ClaimSpec object`];
  }
  const claim = value as ClaimSpec;
  if (typeof claim.id !== "string" || !CLAIM_ID.test(claim.id)) {
    return [
      `${where}.id must be a word of letters, digits, _ or - starting with a ` +
      `letter (it names the trial file), got ${JSON.stringify(claim.id)}`,
    ];
  }
  const at = `claim ${claim.id}`;
  const problems = [
    fieldProblem(claim.title, { where: `${at}: title`, kind: "string" }),
    fieldProblem(claim.statement, {
      where: `${at}: statement`,
      kind: "string",
    }),
    fieldProblem(claim.source, { where: `${at}: source`, kind: "string" }),
    fieldProblem(claim.hypotheses, {
      where: `${at}: hypotheses`,
      kind: "strings",
    }),
    fieldProblem(claim.configs, { where: `${at}: configs`, kind: "function" }),
    fieldProblem(claim.runTrial, {
      where: `${at}: runTrial`,
      kind: "function",
    }),
    ...(["validate", "assess", "figures"] as const).map((name) =>
      claim[name] === undefined ? null : fieldProblem(claim[name], {
        where: `${at}: ${name}`,
        kind: "function",
      })
    ),
    claim.highlights === undefined ? null : fieldProblem(claim.highlights, {
      where: `${at}: highlights`,
      kind: "strings",
    }),
  ].filter((p): p is string => p !== null);
  const constants = claim.constants as unknown;
  if (
    constants === null || typeof constants !== "object" ||
    !Object.values(constants).every((v) => typeof v === "number")
  ) {
    problems.push(`${at}: constants must be an object of numbers`);
  }
  if (problems.length > 0) return problems;
  const configs = [
    ...configProblems(claim, "ci"),
    ...configProblems(claim, "paper"),
    ...mapDeclarationProblems(claim),
  ];
  return configs.length > 0 ? configs : predictionProblems(claim);
}

/**
 * Check the exports of a claims module: `claims` a non-empty array of
 * well-formed claims (id, texts, constants, `configs` giving well-formed
 * configurations and checks at both profiles, `runTrial`, well-formed
 * `predictions` if any: see `predictionProblems`), no id used twice
 * (ids are compared case-insensitively, as `--claim` selects them), and
 * `initWorker`, if exported, a function. Returns the claims; throws a
 * {@linkcode UsageError} listing the problems (the first 10).
 *
 * @example
 * ```ts
 * import { checkClaimsModule } from "./claims_module.ts";
 * import assert from "node:assert/strict";
 * assert.throws(() => checkClaimsModule({}, "m.ts"), /m\.ts does not export "claims"/);
 * assert.throws(() => checkClaimsModule({ claims: [{ id: "a/b" }] }, "m.ts"), /id must be a word/);
 * ```
 */
export function checkClaimsModule(
  exports: Record<string, unknown>,
  spec: string,
): ClaimSpec[] {
  const fail = (problems: string[]) =>
    new UsageError(
      `--claims-module ${spec}: ` +
        (problems.length === 1
          ? problems[0]
          : `${problems.length} problems:\n  - ${
            problems.slice(0, 10).join("\n  - ")
          }`),
    );
  if (!("claims" in exports)) {
    throw new UsageError(
      `--claims-module ${spec}: ${spec} does not export "claims" ` +
        `(an array of ClaimSpec; see examples/my_claim.ts)`,
    );
  }
  const { claims, initWorker } = exports;
  if (!Array.isArray(claims) || claims.length === 0) {
    throw fail(['"claims" must be a non-empty array of ClaimSpec']);
  }
  const problems = claims.flatMap((c, i) => claimProblems(c, i));
  if (initWorker !== undefined && typeof initWorker !== "function") {
    problems.push('"initWorker" must be a function of the backend name');
  }
  const seen = new Map<string, number>();
  claims.forEach((c, i) => {
    const id = (c as ClaimSpec)?.id;
    if (typeof id !== "string") return;
    const first = seen.get(id.toLowerCase());
    if (first !== undefined) {
      problems.push(
        `claim id "${id}" is used twice (claims[${first}] and claims[${i}])`,
      );
    } else seen.set(id.toLowerCase(), i);
  });
  if (problems.length > 0) throw fail(problems);
  return claims as ClaimSpec[];
}

/**
 * Import a claims module given as a path (relative to the working
 * directory) or URL and check it (see {@linkcode checkClaimsModule}); a
 * module that cannot be imported is a {@linkcode UsageError} too.
 */
export async function loadClaimsModule(spec: string): Promise<ClaimsModule> {
  const url = moduleUrl(spec);
  let exports: Record<string, unknown>;
  try {
    exports = await import(url.href);
  } catch (error) {
    throw new UsageError(
      `--claims-module ${spec}: cannot import ${url.href}: ${
        oneLine(errorMessage(error))
      }`,
    );
  }
  const claims = checkClaimsModule(exports, spec);
  const { initWorker } = exports;
  return typeof initWorker === "function"
    ? {
      spec,
      url,
      claims,
      initWorker: initWorker as ClaimsModule["initWorker"],
    }
    : { spec, url, claims };
}
