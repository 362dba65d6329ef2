/**
 * The `wasm` backend (simd engine) and the `blas` backend (native OpenBLAS
 * engine) give the same verdicts on the same seeds, and measured values that
 * agree to float32-level integration noise. Skipped when OpenBLAS is absent.
 *
 * @module
 */

import assert from "node:assert/strict";
import { backendAvailable, initBackend } from "../src/backend/backends.ts";
import { c2Configs, c2Trial } from "../src/claims/c2_generalization.ts";
import { c4Configs, c4Trial } from "../src/claims/c4_non_robustness.ts";
import { trialSeed } from "../src/model/rng.ts";
import type { ClaimConfig, TrialResult } from "../src/claims/types.ts";

const cases: [
  string,
  (seed: number, config: ClaimConfig) => TrialResult,
  ClaimConfig,
][] = [
  ["C2", c2Trial, c2Configs("ci")[0]],
  ["C4", c4Trial, c4Configs("ci")[0]],
];

Deno.test({
  name: "wasm and blas backends give the same verdicts on the same seeds",
  ignore: !backendAvailable("blas"),
  fn: async (t) => {
    for (const [id, trial, config] of cases) {
      // C4's trial (with its one-label twin) costs five C2 trials.
      const count = id === "C4" ? 2 : 3;
      for (let i = 0; i < count; i++) {
        const seed = trialSeed(1, { claim: id, config: config.key, trial: i });
        await t.step(`${id} trial ${i}`, async () => {
          await initBackend("wasm");
          const a = trial(seed, config);
          await initBackend("blas");
          const b = trial(seed, config);
          // The wasm backend's flow runs on the WebAssembly SIMD products.
          assert.equal(a.values.engine, "simd");
          assert.equal(b.values.engine, "native");
          assert.equal(a.status, b.status);
          assert.deepEqual(a.checks, b.checks);
          const close = (key: string, tol: number) => {
            const x = Number(a.values[key]), y = Number(b.values[key]);
            assert.ok(
              Math.abs(x - y) <= tol * Math.max(1, Math.abs(x)),
              `${key}: ${x} vs ${y}`,
            );
          };
          close("normalized_margin", 0.02);
          if (id === "C4") close("attack_median", 0.03);
          if (id === "C2") close("test_error", 0.005);
        });
      }
    }
  },
});
