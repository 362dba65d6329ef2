/**
 * C2's claim-level assessments, read from the finished trials of the rate
 * sweep: the d/k rate law of the flow's errors and its twin on N*'s
 * (`c2_rate_laws.ts`), the averaging bound 2·exp(-d/(2k)) per d/k, and the
 * instrument check of the exact errors against the plain test sets.
 *
 * @module
 */

import { median } from "../stats/descriptive.ts";
import { c2Constants, isRateConfig } from "./c2_configs.ts";
import { rateLawAssessment } from "./c2_rate_laws.ts";
import {
  MAX_UNFINISHED_ASSESSMENT_SHARE,
  okRecords,
  unfinishedShare,
} from "./kit.ts";
import type { Assessment, Expectation, TrialRecord } from "./types.ts";

/** One finished sweep trial, as the assessments read it. */
export interface SweepPoint {
  /** d. */
  d: number;
  /** k. */
  k: number;
  /** The exact test error of the flow's network, or its upper end when 0. */
  error: number;
  /** Its interval. */
  low: number;
  /** Its upper end. */
  high: number;
  /** Whether the error entered as its upper bound (no sample erred). */
  censored: boolean;
  /** N*'s exact test error (upper end when 0), NaN when absent. */
  robust: number;
  /** Whether N*'s error entered as its upper bound. */
  robustCensored: boolean;
  /** Plain test-set error. */
  testError: number;
  /** Plain test-set size. */
  testPoints: number;
  /** Standard error of the exact estimate. */
  se: number;
}

/** The finished trials of the sweep. */
export function sweepPoints(records: TrialRecord[]): SweepPoint[] {
  return okRecords(records.filter((r) => isRateConfig(r.task.config))).map(
    (r) => {
      const v = r.result.values;
      const error = Number(v.test_error_exact);
      const robust = Number(v.robust_error_exact);
      return {
        d: Number(v.d),
        k: Number(v.k),
        error: error > 0 ? error : Number(v.test_error_high),
        low: Number(v.test_error_low),
        high: Number(v.test_error_high),
        censored: !(error > 0),
        robust: robust > 0 ? robust : Number(v.robust_error_high),
        robustCensored: !(robust > 0),
        testError: Number(v.test_error),
        testPoints: Number(v.test_points),
        se: Number(v.test_error_se),
      };
    },
  );
}

/** The per-d/k medians of a column of sweep points, by k, as `k=…: …`. */
function lineUp(points: SweepPoint[], ratio: number): string {
  const ks = [...new Set(points.map((p) => p.k))].sort((a, b) => a - b);
  return ks.map((k) => {
    const at = points.filter((p) => p.k === k && p.d / p.k === ratio);
    return at.length === 0
      ? `k=${k}: n/a`
      : `k=${k}: ${median(at.map((p) => p.error)).toPrecision(2)}`;
  }).join(", ");
}

/**
 * Measured/bound per d/k of the sweep: the bound 2·exp(-d/(2k)) is kept at a
 * d/k when every trial's upper end is below it, broken when more than half
 * of the trials' lower ends are above it.
 */
export function boundAssessment(points: SweepPoint[]): Assessment {
  const check = "averaging_bound_2exp_kept_at_every_d_over_k";
  const expect: Expectation = "fails";
  const ratios = [...new Set(points.map((p) => p.d / p.k))].sort((a, b) =>
    a - b
  );
  let broken = false, allKept = ratios.length > 0;
  const parts = ratios.map((ratio) => {
    const at = points.filter((p) => p.d / p.k === ratio);
    const bound = 2 * Math.exp(-ratio / 2);
    const r = at.map((p) => p.error / bound).sort((a, b) => a - b);
    const kept = at.every((p) => p.high <= bound);
    const brokenHere = at.filter((p) => p.low > bound).length > at.length / 2;
    broken ||= brokenHere;
    allKept &&= kept;
    return `d/k=${ratio}: measured/bound ${median(r).toPrecision(2)} [${
      r[0].toPrecision(2)
    }, ${r[r.length - 1].toPrecision(2)}] ${
      kept ? "kept" : brokenHere ? "broken" : "mixed"
    } (${lineUp(points, ratio)})`;
  });
  return {
    check,
    expect,
    verdict: allKept ? "holds" : broken ? "fails" : "inconclusive",
    detail: parts.join("; ") +
      "; kept: every trial's upper end below the bound, broken: most trials' lower end above it. " +
      "Expected to break: the flow's averaging neurons carry the training noise, exponent 1/(2(1+k/n)) < 1/2",
  };
}

/**
 * The exact errors against the plain test sets where errors are common:
 * z = (observed − expected errors)/sd over the sweep's trials with the
 * large test set; holds when |z| ≤ `validationZ`.
 */
export function validationAssessment(points: SweepPoint[]): Assessment {
  const check = "exact_error_matches_plain_test_set";
  const big = points.filter((p) =>
    p.testPoints >= c2Constants.validationTestPoints
  );
  if (big.length === 0) {
    return {
      check,
      expect: "holds",
      verdict: "inconclusive",
      detail: "no finished trial with the large plain test set",
    };
  }
  let observed = 0, expected = 0, variance = 0;
  for (const p of big) {
    const e = p.censored ? 0 : p.error;
    observed += Math.round(p.testError * p.testPoints);
    expected += p.testPoints * e;
    variance += p.testPoints * e * (1 - e) + (p.testPoints * p.se) ** 2;
  }
  const z = (observed - expected) / Math.sqrt(variance);
  const { validationZ } = c2Constants;
  return {
    check,
    expect: "holds",
    verdict: Math.abs(z) <= validationZ ? "holds" : "fails",
    detail:
      `${big.length} trials with ${c2Constants.validationTestPoints} plain test points: ` +
      `${observed} errors observed, ${
        expected.toFixed(1)
      } expected from the exact errors, ` +
      `z = ${z.toFixed(2)} (holds when |z| ≤ ${validationZ})`,
  };
}

/** The claim-level assessments of C2 (rate law, its twin, the bound, the instrument). */
export function c2Assess(records: TrialRecord[]): Assessment[] {
  const sweep = records.filter((r) => isRateConfig(r.task.config));
  const unfinished = unfinishedShare(sweep);
  const names: [string, Expectation][] = [
    ["test_error_rate_law_d_over_k", "holds"],
    ["twin_robust_network_rate_law_d_over_k", "fails"],
    ["averaging_bound_2exp_kept_at_every_d_over_k", "fails"],
    ["exact_error_matches_plain_test_set", "holds"],
  ];
  if (unfinished > MAX_UNFINISHED_ASSESSMENT_SHARE) {
    return names.map(([check, expect]) => ({
      check,
      expect,
      verdict: "inconclusive",
      detail: `${
        (100 * unfinished).toFixed(0)
      }% of the rate sweep's trials did not finish`,
    }));
  }
  const points = sweepPoints(records);
  const gf = points.map((p) => ({
    d: p.d,
    k: p.k,
    lnError: Math.log(p.error),
    censored: p.censored,
  }));
  const robust = points.filter((p) => Number.isFinite(p.robust)).map((p) => ({
    d: p.d,
    k: p.k,
    lnError: Math.log(p.robust),
    censored: p.robustCensored,
  }));
  return [
    rateLawAssessment(gf, {
      check: names[0][0],
      expect: "holds",
      network: "gradient flow",
    }),
    rateLawAssessment(robust, {
      check: names[1][0],
      expect: "fails",
      network:
        "twin: N* (C5's robust network, same class, error ≈ Φ(-√d/2), a d-only law) on the same instances",
    }),
    boundAssessment(points),
    validationAssessment(points),
  ];
}
