/**
 * From what a claim's `runTrial` returned (or threw) to the trial result
 * written to the trial file: checked, parameters first in `values`, every
 * string on one line. A malformed result is a claim bug and becomes an
 * `error` trial; it never counts as a pass.
 *
 * @module
 */

import { TRIAL_STATUSES } from "./trial_csv.ts";
import type {
  Cell,
  ClaimConfig,
  TrialRecord,
  TrialResult,
  TrialStatus,
} from "../claims/types.ts";
import { oneLine } from "../base/text.ts";

/** A configuration's parameters with one-line strings. */
function paramsOf(config: ClaimConfig): Record<string, Cell> {
  const values: Record<string, Cell> = {};
  for (const [name, value] of Object.entries(config.params)) {
    values[name] = typeof value === "string" ? oneLine(value) : value;
  }
  return values;
}

/**
 * The `error` result of a trial that threw (or misbehaved): the reason on
 * one line, no checks, the configuration's parameters as values.
 *
 * @example
 * ```ts
 * import { errorResult } from "./normalize.ts";
 * import assert from "node:assert/strict";
 * const config = { key: "k", params: { d: 5 }, checks: [], trials: 1 };
 * assert.deepEqual(errorResult("boom\nagain", config), {
 *   status: "error", reason: "boom again", checks: {}, values: { d: 5 },
 * });
 * ```
 */
export function errorResult(reason: string, config: ClaimConfig): TrialResult {
  return {
    status: "error",
    reason: oneLine(reason),
    checks: {},
    values: paramsOf(config),
  };
}

/** The checks of a raw result, or why they are malformed. */
function checksOf(
  raw: Partial<TrialResult>,
  config: ClaimConfig,
): Record<string, boolean> | string {
  const declared = config.checks.map((c) => c.name);
  const checks: Record<string, boolean> = {};
  const rawChecks = raw.checks ?? {};
  if (typeof rawChecks !== "object" || rawChecks === null) {
    return "checks is not an object";
  }
  for (const [name, value] of Object.entries(rawChecks)) {
    if (!declared.includes(name)) return `undeclared check "${name}"`;
    if (typeof value !== "boolean") return `check "${name}" is not a boolean`;
    checks[name] = value;
  }
  if (raw.status === "ok") {
    const missing = declared.filter((name) => !(name in checks));
    if (missing.length > 0) {
      return `ok trial without check(s) ${missing.join(", ")}`;
    }
  }
  return checks;
}

/**
 * Check what a claim's `runTrial` returned and put it in the form written to
 * the trial file: parameters first in `values`, line breaks replaced by
 * spaces. Anything malformed (unknown status, a check the configuration
 * does not declare, a missing check on an `ok` trial, a value that is not a
 * string, number or boolean) becomes an `error` result naming the problem.
 *
 * @example
 * ```ts
 * import { normalizeResult } from "./normalize.ts";
 * import assert from "node:assert/strict";
 * const config = { key: "k", params: { d: 5 }, checks: [], trials: 1 };
 * const r = normalizeResult({ status: "ok", reason: "", checks: {}, values: { x: 1 } }, config);
 * assert.deepEqual(r.values, { d: 5, x: 1 });
 * assert.equal(normalizeResult(null, config).status, "error");
 * ```
 */
export function normalizeResult(
  raw: unknown,
  config: ClaimConfig,
): TrialResult {
  const bug = (why: string) => errorResult(`claim bug: ${why}`, config);
  if (raw === null || typeof raw !== "object") {
    return bug("runTrial did not return an object");
  }
  const r = raw as Partial<TrialResult>;
  if (!(TRIAL_STATUSES as readonly unknown[]).includes(r.status)) {
    return bug(`unknown status ${JSON.stringify(r.status)}`);
  }
  const status = r.status as TrialStatus;
  const checks = checksOf(r, config);
  if (typeof checks === "string") return bug(checks);
  const values = paramsOf(config);
  for (const [name, value] of Object.entries(r.values ?? {})) {
    if (typeof value === "string") values[name] = oneLine(value);
    else if (typeof value === "number" || typeof value === "boolean") {
      values[name] = value;
    } else return bug(`value "${name}" is not a string, number or boolean`);
  }
  const reason = typeof r.reason === "string" ? oneLine(r.reason) : "";
  return { status, reason, checks, values };
}

/**
 * Whether a trial ran to the end with every check of its configuration as
 * expected: a prediction `true`, a control `false` (for progress only).
 *
 * @example
 * ```ts
 * import { asExpected } from "./normalize.ts";
 * import assert from "node:assert/strict";
 * const config = {
 *   key: "k", params: {}, trials: 1,
 *   checks: [{ name: "c", description: "", target: 0.5, expect: "fails" as const }],
 * };
 * const task = { claim: "C1", config: "k", trial: 0, seed: 1 };
 * const result = { status: "ok" as const, reason: "", checks: { c: false }, values: {} };
 * assert.equal(asExpected({ task, result }, config), true);
 * ```
 */
export function asExpected(record: TrialRecord, config: ClaimConfig): boolean {
  return record.result.status === "ok" &&
    config.checks.every((c) =>
      record.result.checks[c.name] === (c.expect === "holds")
    );
}
