/**
 * Running one claim as a `deno test`: the claim runs at CI size through the
 * same engine as the command line (workers, trial logs, summary), its report
 * is written to `reports/test/<claim>/`, and each check and assessment becomes
 * a test step asserting that its verdict after the Holm–Bonferroni
 * adjustment (over the claim's checks and fitted assessments) is the
 * expected one — `holds` for a prediction (lower 95% bound ≥ target and
 * Holm-adjusted p < 0.05), `fails` for a twin, control or sanity line
 * (upper 95% bound < the control ceiling 0.2 and Holm-adjusted p < 0.05).
 * A failing step says whether the check could reach significance at its
 * trial count at all, and how many trials it would need.
 *
 * Environment: `CLAIMS_BACKEND` (default `auto`), `CLAIMS_WORKERS` (default
 * 2), `CLAIMS_SEED` (default {@linkcode DEFAULT_SEED}).
 *
 * @module
 */

import assert from "node:assert/strict";
import { failureNote, readRunFailures } from "./failures.ts";
import { runClaims } from "./pipeline.ts";
import { reachText } from "./summary_md.ts";
import { pValueText, rateText } from "./verdict.ts";
import type { ClaimSpec, Profile } from "../claims/types.ts";

/** The suite's fixed run seed (chosen once, never tuned). */
export const DEFAULT_SEED = 1;

/** Options of {@linkcode claimTest}. */
export interface ClaimTestOptions {
  /** Profile (default `ci`). */
  profile?: Profile;
  /** Output directory (default `reports/test/<claim id>`). */
  out?: string;
  /** Module the workers load (default: the claim registry). */
  workerModule?: URL;
}

/** Read an integer environment variable, or a default. */
function envInt(name: string, fallback: number): number {
  const text = Deno.env.get(name);
  if (text === undefined || text === "") return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0) {
    throw new RangeError(
      `${name} must be a non-negative integer, got "${text}"`,
    );
  }
  return value;
}

/**
 * A `Deno.test` body that runs `claim` and asserts every check's expected
 * verdict, one step per check.
 */
export function claimTest(
  claim: ClaimSpec,
  options: ClaimTestOptions = {},
): (t: Deno.TestContext) => Promise<void> {
  return async (t) => {
    const out = options.out ??
      new URL(`../../reports/test/${claim.id}`, import.meta.url).pathname;
    await Deno.remove(out, { recursive: true }).catch(() => {});
    const outcome = await runClaims({
      claims: [claim],
      profile: options.profile ?? "ci",
      seed: envInt("CLAIMS_SEED", DEFAULT_SEED),
      out,
      resume: false,
      workers: envInt("CLAIMS_WORKERS", 2),
      workerModule: options.workerModule ??
        new URL("../claims/registry.ts", import.meta.url),
      backend: Deno.env.get("CLAIMS_BACKEND") ?? "auto",
      formats: ["csv", "md"],
    });
    // Failing trials with their replay commands, named in a failing step
    // (read from the run folder only when some step fails).
    const failures = outcome.rows.every((row) => row.okAdjusted)
      ? []
      : await readRunFailures(out, { claims: [claim] });
    for (const row of outcome.rows) {
      await t.step(`${row.check} (expect ${row.expect})`, () => {
        assert.ok(
          row.okAdjusted,
          `${claim.id} ${row.check}: ${row.passed}/${row.trials} passed, ` +
            `rate ${rateText(row.rate)}, 95% CI [${rateText(row.ciLow)}, ` +
            `${rateText(row.ciHigh)}], target ${row.target}: verdict ` +
            `${row.verdict}, p ${pValueText(row.pValue)}, Holm p ` +
            `${pValueText(row.pAdjusted)}, adjusted ${row.adjustedVerdict}, ` +
            `expected ${row.expect}; significance reachable: ` +
            `${reachText(row)} (report: ${out})` +
            (row.okAdjusted ? "" : `\n${failureNote(failures, row)}`),
        );
      });
    }
    for (const { a, adjustedVerdict, pAdjusted } of outcome.assessments) {
      await t.step(`${a.check} (expect ${a.expect})`, () => {
        assert.equal(
          adjustedVerdict,
          a.expect,
          `${claim.id} ${a.check}: verdict ${a.verdict}` +
            (pAdjusted === null
              ? ""
              : `, Holm p ${
                pValueText(pAdjusted)
              }, adjusted ${adjustedVerdict}`) +
            `: ${a.detail}`,
        );
      });
    }
  };
}
