/**
 * Each claim at CI size, timed against its declared budget: the same run as
 * its `deno test` step (`claimTest`: CI profile, 2 workers, the backend of
 * `CLAIMS_BACKEND`, default `auto`), once per claim. When the benchmarks end,
 * a table prints the measured seconds next to the claim's budget on that
 * backend, so later work can see what it may still spend.
 *
 * Run with `deno task bench` (all benchmarks) or
 * `deno bench --allow-all bench/claim_budget_bench.ts`; add
 * `CLAIMS_BACKEND=wasm` for the embedded backend.
 *
 * @module
 */

import { describeBackend, initBackend } from "../src/backend/backends.ts";
import type { BackendChoice } from "../src/backend/backends.ts";
import { claims } from "../src/claims/registry.ts";
import { runClaims } from "../src/report/pipeline.ts";

const choice = (Deno.env.get("CLAIMS_BACKEND") ?? "auto") as BackendChoice;
const backend = await initBackend(choice);
const measured = new Map<string, number>();

globalThis.addEventListener("unload", () => {
  if (measured.size === 0) return;
  console.log(
    `\nclaims at CI size on ${backend} (${
      describeBackend(backend)
    }), 2 workers:`,
  );
  console.log("claim  measured s  budget s  share of budget");
  let total = 0, budgetTotal = 0;
  for (const claim of claims) {
    const seconds = measured.get(claim.id);
    if (seconds === undefined) continue;
    const budget = backend === "blas"
      ? claim.budget?.blasSeconds
      : claim.budget?.wasmSeconds;
    total += seconds;
    budgetTotal += budget ?? 0;
    const share = budget === undefined
      ? "no budget"
      : `${(100 * seconds / budget).toFixed(0)}%${
        seconds > budget ? "  OVER" : ""
      }`;
    console.log(
      `${claim.id.padEnd(5)}  ${seconds.toFixed(1).padStart(10)}  ${
        String(budget ?? "-").padStart(8)
      }  ${share}`,
    );
  }
  console.log(
    `total  ${total.toFixed(1).padStart(10)}  ${
      String(budgetTotal).padStart(8)
    }`,
  );
});

for (const claim of claims) {
  Deno.bench({
    name: `${claim.id} at CI size (${backend})`,
    group: "claims at CI size",
    n: 1,
    warmup: 0,
    async fn() {
      const out = await Deno.makeTempDir({ prefix: `budget_${claim.id}_` });
      const start = performance.now();
      await runClaims({
        claims: [claim],
        profile: "ci",
        seed: 1,
        out,
        resume: false,
        workers: 2,
        workerModule: new URL("../src/claims/registry.ts", import.meta.url),
        backend,
        formats: ["csv"],
      });
      measured.set(claim.id, (performance.now() - start) / 1000);
      await Deno.remove(out, { recursive: true });
    },
  });
}
