/**
 * Checking a claim's `predictions` (the numbers the paper predicts for
 * quantities the claim measures; see `Prediction` in `types.ts`): names
 * unique, a finite predicted value, texts present, and a `median`
 * prediction's check run by some configuration at both profiles. The
 * registry test and `--claims-module` use it; the report
 * (`report/deviations.ts`) then finds the measured values.
 *
 * @module
 */

import type { ClaimSpec, Prediction, SizeProfile } from "./types.ts";

/** Words that may name a prediction, an estimate or a column. */
const NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

/** The problems of one prediction's own fields (not its link to the claim). */
function fieldProblems(p: Prediction, at: string): string[] {
  const problems: string[] = [];
  const text = (value: unknown, field: string) => {
    if (typeof value !== "string" || value.trim() === "") {
      problems.push(`${at}.${field} must be a non-empty string`);
    }
  };
  if (typeof p.name !== "string" || !NAME.test(p.name)) {
    problems.push(`${at}.name must be a word of letters, digits and _`);
  }
  if (typeof p.predicted !== "number" || !Number.isFinite(p.predicted)) {
    problems.push(`${at}.predicted must be a finite number`);
  }
  if (p.form !== undefined && p.form !== "value" && p.form !== "order") {
    problems.push(`${at}.form must be "value" or "order"`);
  }
  if (p.form === "order" && p.predicted !== 1) {
    problems.push(`${at}: an "order" prediction has predicted 1 (its unit)`);
  }
  text(p.law, "law");
  text(p.note, "note");
  if (typeof p.source !== "string" || !p.source.startsWith("[")) {
    problems.push(`${at}.source must be a source tag such as [A] or [R]`);
  }
  const m = p.measured as unknown;
  if (m === null || typeof m !== "object") {
    problems.push(`${at}.measured must be an object`);
    return problems;
  }
  const measured = p.measured;
  if (measured.kind === "median") {
    if (typeof measured.column !== "string" || measured.column === "") {
      problems.push(`${at}.measured.column must be a value column name`);
    }
  } else if (measured.kind === "fit") {
    text(measured.assessment, "measured.assessment");
    text(measured.estimate, "measured.estimate");
  } else {
    problems.push(`${at}.measured.kind must be "median" or "fit"`);
  }
  return problems;
}

/** A `median` prediction's check missing from every configuration at a profile. */
function checkProblem(
  claim: ClaimSpec,
  options: { check: string; profile: SizeProfile; at: string },
): string | null {
  const { check, profile, at } = options;
  let found = false;
  try {
    found = claim.configs(profile).some((c) =>
      c.checks.some((k) => k.name === check)
    );
  } catch {
    // A claim whose configs throw is reported by the configuration checks.
    return null;
  }
  return found
    ? null
    : `${at}.measured.check "${check}" is run by no configuration at profile ${profile}`;
}

/**
 * The problems of a claim's `predictions` (none when it declares none):
 * each prediction's fields, names used twice, and a `median` prediction
 * whose `check` no configuration runs at one of the profiles.
 *
 * @example
 * ```ts
 * import { predictionProblems } from "./predictions.ts";
 * import assert from "node:assert/strict";
 * const check = { name: "a", description: "d", target: 0.8, expect: "holds" as const };
 * const claim = {
 *   id: "C0", title: "t", statement: "s", source: "[R]", hypotheses: [], constants: {},
 *   configs: () => [{ key: "x", params: {}, checks: [check], trials: 1 }],
 *   runTrial: () => Promise.reject(new Error("not run")),
 *   predictions: [{
 *     name: "slope", predicted: 0.5, law: "√d", source: "[A]", note: "n",
 *     measured: { kind: "median" as const, column: "v", check: "b" },
 *   }],
 * };
 * assert.match(predictionProblems(claim)[0], /check "b" is run by no configuration/);
 * ```
 */
export function predictionProblems(claim: ClaimSpec): string[] {
  const list = claim.predictions as unknown;
  if (list === undefined) return [];
  const where = `claim ${claim.id}: predictions`;
  if (!Array.isArray(list)) return [`${where} must be an array`];
  const problems: string[] = [];
  const names = new Set<string>();
  (list as unknown[]).forEach((value, i) => {
    const at = `${where}[${i}]`;
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
      problems.push(`${at} is not an object`);
      return;
    }
    const p = value as Prediction;
    problems.push(...fieldProblems(p, at));
    if (names.has(p.name)) problems.push(`${at}: "${p.name}" is used twice`);
    names.add(p.name);
    if (p.measured?.kind === "median" && p.measured.check !== undefined) {
      for (const profile of ["ci", "paper"] as const) {
        const problem = checkProblem(claim, {
          check: p.measured.check,
          profile,
          at,
        });
        if (problem !== null) problems.push(problem);
      }
    }
  });
  return problems;
}
