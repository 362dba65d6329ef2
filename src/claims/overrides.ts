/**
 * Parameter overrides: replacing `d`, `k`, `n` or `m` in every
 * configuration of a claim. An overridden configuration's key gets a suffix
 * such as `|override:d=800,k=8`, so its trial seeds (and `run.json`) differ
 * from those of the unmodified run, and the overrides of a finished run can
 * be read back from its configuration keys.
 *
 * Overrides are plain data ({@linkcode ParamOverrides}): the main thread
 * sends them to the workers, which apply {@linkcode withParamOverrides} to
 * the claims they load.
 *
 * @module
 */

import type { ClaimConfig, ClaimSpec, SizeProfile } from "./types.ts";
import { UsageError } from "../base/usage_error.ts";

/** The parameters that can be overridden. */
export type OverrideName = "d" | "k" | "n" | "m";

/** Parameter overrides (absent = keep each configuration's own value). */
export type ParamOverrides = Partial<Record<OverrideName, number>>;

/** The parameters that can be overridden, in key-suffix order. */
export const OVERRIDE_NAMES: readonly OverrideName[] = ["d", "k", "n", "m"];

const SUFFIX = "|override:";

/**
 * The `|override:...` key suffix of a set of overrides ("" when none).
 *
 * @example
 * ```ts
 * import { overrideSuffix } from "./overrides.ts";
 * import assert from "node:assert/strict";
 * assert.equal(overrideSuffix({ k: 8, d: 800 }), "|override:d=800,k=8");
 * assert.equal(overrideSuffix({}), "");
 * ```
 */
export function overrideSuffix(overrides: ParamOverrides): string {
  const parts = OVERRIDE_NAMES.filter((name) => overrides[name] !== undefined)
    .map((name) => `${name}=${overrides[name]}`);
  return parts.length === 0 ? "" : `${SUFFIX}${parts.join(",")}`;
}

/**
 * The overrides encoded in a configuration key's {@linkcode overrideSuffix}
 * (`|override:d=800,k=8`), or `undefined` when the key has none. A
 * malformed suffix throws a {@linkcode UsageError}.
 *
 * @example
 * ```ts
 * import { parseOverrideSuffix } from "./overrides.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(parseOverrideSuffix("d=50|override:d=80,k=4"), { d: 80, k: 4 });
 * assert.equal(parseOverrideSuffix("d=50"), undefined);
 * ```
 */
export function parseOverrideSuffix(key: string): ParamOverrides | undefined {
  const at = key.lastIndexOf(SUFFIX);
  if (at < 0) return undefined;
  const overrides: ParamOverrides = {};
  for (const part of key.slice(at + SUFFIX.length).split(",")) {
    const [name, value] = part.split("=");
    if (
      !OVERRIDE_NAMES.includes(name as OverrideName) ||
      !/^\d+$/.test(value ?? "")
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
 * import { withParamOverrides } from "./overrides.ts";
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
  for (const name of OVERRIDE_NAMES) {
    const value = overrides[name];
    if (value !== undefined) set[name] = value;
  }
  return {
    ...claim,
    configs: (profile: SizeProfile): ClaimConfig[] =>
      claim.configs(profile).map((c) => ({
        ...c,
        key: `${c.key}${suffix}`,
        params: { ...c.params, ...set },
      })),
  };
}
