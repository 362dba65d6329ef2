/**
 * Reproducibility on real claims: the same seed gives byte-identical
 * summary.csv and trial files for 1 and 2 workers, and a different seed gives
 * different trials.
 *
 * @module
 */

import assert from "node:assert/strict";
import { c4 } from "../src/claims/c4_non_robustness.ts";
import { runClaims } from "../src/report/pipeline.ts";

async function run(
  seed: number,
  workers: number,
): Promise<{ summary: string; trials: string }> {
  const out = await Deno.makeTempDir({ prefix: "determinism-" });
  try {
    await runClaims({
      claims: [c4],
      profile: "ci",
      seed,
      // One trial per configuration: C4's two configurations give the two
      // workers a trial each, every kind of work a C4 trial does (flow,
      // attacks, certificates, the one-label twin's multiclass flow) runs.
      trials: 1,
      out,
      resume: false,
      workers,
      workerModule: new URL("../src/claims/registry.ts", import.meta.url),
      backend: Deno.env.get("CLAIMS_BACKEND") ?? "auto",
      formats: ["csv"],
    });
    return {
      summary: await Deno.readTextFile(`${out}/summary.csv`),
      trials: await Deno.readTextFile(`${out}/trials/C4.csv`),
    };
  } finally {
    await Deno.remove(out, { recursive: true });
  }
}

Deno.test("same seed, same report, for any number of workers", async () => {
  const one = await run(5, 1);
  const two = await run(5, 2);
  assert.equal(two.summary, one.summary);
  assert.equal(two.trials, one.trials);
  const other = await run(6, 2);
  assert.notEqual(other.trials, one.trials);
});
