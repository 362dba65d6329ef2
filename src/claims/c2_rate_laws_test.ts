import assert from "node:assert/strict";
import { sweepRecords } from "../../fixtures/c2_sweep_records.ts";
import { sweepPoints } from "./c2_assessments.ts";
import { fitRateLaws, kExponent } from "./c2_rate_laws.ts";

Deno.test("C2 rate laws: the comparison picks the law the errors follow", () => {
  const fits = (law: (d: number, k: number) => number) =>
    fitRateLaws(
      sweepPoints(sweepRecords(law)).map((p) => ({
        d: p.d,
        k: p.k,
        lnError: Math.log(p.error),
      })),
    )[0].law;
  assert.equal(fits((d, k) => -0.4 * d / k), "d/k");
  assert.equal(fits((d) => -d / 8), "d");
  assert.equal(fits((d, k) => -8 * d / (k * k)), "d/k²");
  // The profile of the k exponent finds γ ≈ 0 for a d-only law.
  const points = sweepPoints(sweepRecords((d) => -d / 8)).map((p) => ({
    d: p.d,
    k: p.k,
    lnError: Math.log(p.error),
  }));
  const { gamma, low, high } = kExponent(points);
  assert.ok(low <= gamma && gamma <= high && high < 0.1, `${gamma}`);
});
