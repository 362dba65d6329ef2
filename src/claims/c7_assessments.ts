/**
 * C7's claim-level assessments, read from the finished trials of its grid:
 * for each fitted quantity (the flow's best-attack radius, N*'s certified
 * and attacked radii, their gap), the joint fit of log r = c + a·log d +
 * b·log k over the cell medians (`measure/power_law.ts`) and its candidate
 * laws tested against the joint region (the predicted law and its twin,
 * the nearest false law); then whether the test error falls with d/k, and
 * the attacks' soundness.
 *
 * @module
 */

import {
  fitPowerLaw,
  type PowerLaw,
  type PowerLawFit,
  testLaw,
} from "../measure/power_law.ts";
import { mean } from "../stats/mod.ts";
import { c7Constants } from "./c7_configs.ts";
import {
  MAX_UNFINISHED_ASSESSMENT_SHARE,
  okRecords,
  soundnessAssessment,
  unfinishedShare,
} from "./kit.ts";
import type {
  Assessment,
  Estimate,
  Expectation,
  TrialRecord,
  Verdict,
} from "./types.ts";

/** A value of a trial's row, as a number. */
export function trialValue(record: TrialRecord, key: string): number {
  return Number(record.result.values[key]);
}

/** The candidate laws of a radius, by name. */
const RADIUS_LAWS: PowerLaw[] = [
  { name: "√(d/k)", a: 0.5, b: -0.5 },
  { name: "√d", a: 0.5, b: 0 },
  { name: "d/k", a: 1, b: -1 },
  { name: "√(d·k)", a: 0.5, b: 0.5 },
];

/** The candidate laws of the gap (robust over gradient-flow radius). */
const GAP_LAWS: PowerLaw[] = [
  { name: "√k", a: 0, b: 0.5 },
  { name: "1 (no gap)", a: 0, b: 0 },
  { name: "k", a: 0, b: 1 },
  { name: "√d", a: 0.5, b: 0 },
];

/** A quantity C7 fits, its predicted law and its nearest false law. */
export interface LawFit {
  /** Short name used in the check names (e.g. `gf_attack`). */
  id: string;
  /** What is fitted, for the detail. */
  what: string;
  /** The value of a trial. */
  value: (record: TrialRecord) => number;
  /** The candidate laws. */
  laws: PowerLaw[];
  /** Name of the predicted law. */
  predicted: string;
  /** Name of the nearest false law (the twin). */
  twin: string;
  /** Extra words for the detail. */
  note?: string;
}

/** Check-name form of a law's name. */
function lawSlug(name: string): string {
  return ({
    "√(d/k)": "sqrt_d_over_k",
    "√d": "sqrt_d",
    "d/k": "d_over_k",
    "√(d·k)": "sqrt_dk",
    "√k": "sqrt_k",
    "1 (no gap)": "none",
    k: "k",
  } as Record<string, string>)[name] ?? name;
}

/** C7's fitted quantities, in report order. */
export const C7_FITS: LawFit[] = [
  {
    id: "gf_attack",
    what: "gradient flow's best-attack radius",
    value: (r) => trialValue(r, "gf_attack_median"),
    laws: RADIUS_LAWS,
    predicted: "√(d/k)",
    twin: "√d",
  },
  {
    id: "robust_certified",
    what: "N*'s certified radius",
    value: (r) => trialValue(r, "robust_certified_median"),
    laws: RADIUS_LAWS,
    predicted: "√d",
    twin: "√(d/k)",
    note:
      "N*'s certified-radius formula is arithmetic on our own construction (≈ √d/2 − O(√log k))",
  },
  {
    id: "robust_attack",
    what: "N*'s best-attack radius",
    value: (r) => trialValue(r, "robust_attack_median"),
    laws: RADIUS_LAWS,
    predicted: "√d",
    twin: "√(d/k)",
    note: "N*'s exact radius is (d/2 + ⟨μ_j, ξ⟩)/√d by construction",
  },
  {
    id: "gap",
    what: "gap N* certified / gradient-flow best attack",
    value: (r) =>
      trialValue(r, "robust_certified_median") /
      trialValue(r, "gf_attack_median"),
    laws: GAP_LAWS,
    predicted: "√k",
    twin: "1 (no gap)",
  },
];

/** The law assessment's name of a fitted quantity. */
export function lawCheckName(spec: LawFit): string {
  return `law_${spec.id}_${lawSlug(spec.predicted)}`;
}

/** Names and expectations of C7's claim-level assessments, in order. */
export const C7_ASSESSMENTS: [string, Expectation][] = [
  ...C7_FITS.flatMap((f): [string, Expectation][] => [
    [lawCheckName(f), "holds"],
    [`twin_${f.id}_law_${lawSlug(f.twin)}`, "fails"],
  ]),
  ["test_error_falls_with_d_over_k", "holds"],
  ["attacks_sound", "holds"],
];

/** Format a number for a detail. */
function f3(x: number): string {
  return Number.isFinite(x) ? x.toFixed(3) : String(x);
}

/** The fit part of a detail: (a, b) with intervals, lack of fit, resolution. */
function fitText(fit: PowerLawFit): string {
  const lack = fit.residualSd / fit.withinSe;
  return `a = ${f3(fit.a)} [${f3(fit.aCi.low)}, ${f3(fit.aCi.high)}], ` +
    `b = ${f3(fit.b)} [${f3(fit.bCi.low)}, ${f3(fit.bCi.high)}] ` +
    `(95%, ${fit.cells} cells, ν = ${fit.df}; residual SD ${
      f3(fit.residualSd)
    } vs within-cell SE ${f3(fit.withinSe)}${
      Number.isFinite(lack) ? `: lack of fit ×${lack.toFixed(1)}` : ""
    }; region semi-axis ${f3(fit.resolution)})`;
}

/** Format a p-value. */
function pText(p: number): string {
  return p < 1e-3 ? p.toExponential(1) : p.toFixed(3);
}

/**
 * The two assessments of one fitted quantity: its law (holds when the
 * predicted law is the only candidate in the joint region; its
 * `estimates` are the fitted exponents `a` of d and `b` of k with their
 * marginal 95% intervals) and its twin (the nearest false law out of the
 * region, with that test's p-value).
 */
export function lawAssessments(
  records: TrialRecord[],
  spec: LawFit,
): Assessment[] {
  const { lawTolerance: tolerance, maxResolution, confidence } = c7Constants;
  const lawCheck = lawCheckName(spec);
  const twinCheck = `twin_${spec.id}_law_${lawSlug(spec.twin)}`;
  const cells = new Map<string, { d: number; k: number; values: number[] }>();
  for (const r of okRecords(records)) {
    const d = trialValue(r, "d"), k = trialValue(r, "k");
    const cell = cells.get(`${d},${k}`) ?? { d, k, values: [] };
    cell.values.push(spec.value(r));
    cells.set(`${d},${k}`, cell);
  }
  let fit: PowerLawFit;
  try {
    fit = fitPowerLaw([...cells.values()], { confidence });
  } catch (error) {
    const detail = `${spec.what}: no fit (${(error as Error).message})`;
    return [
      { check: lawCheck, expect: "holds", verdict: "inconclusive", detail },
      { check: twinCheck, expect: "fails", verdict: "inconclusive", detail },
    ];
  }
  const tests = spec.laws.map((law) => testLaw(fit, law, { tolerance }));
  const inside = tests.filter((t) => t.inside).map((t) => t.law.name);
  const coarse = fit.resolution > maxResolution;
  const predicted = tests.find((t) => t.law.name === spec.predicted)!;
  const twin = tests.find((t) => t.law.name === spec.twin)!;
  const lawVerdict: Verdict = coarse
    ? "inconclusive"
    : !predicted.inside
    ? "fails"
    : inside.length === 1
    ? "holds"
    : "inconclusive";
  const twinVerdict: Verdict = coarse
    ? "inconclusive"
    : twin.inside
    ? "holds"
    : "fails";
  const lawsText = tests.map((t) =>
    `${t.law.name} (${t.law.a}, ${t.law.b}) p = ${pText(t.pValue)}${
      t.inside ? " in" : " out"
    }`
  ).join("; ");
  const base = `${spec.what}: ${fitText(fit)}; laws against the joint ${
    Math.round(confidence * 100)
  }% region with τ = ${tolerance}: ${lawsText}; selected: ${
    inside.length ? inside.join(", ") : "none"
  }${
    coarse ? `; region wider than ${maxResolution}: cannot tell laws apart` : ""
  }${spec.note ? `. ${spec.note}` : ""}`;
  const estimates: Record<string, Estimate> = {
    a: { value: fit.a, low: fit.aCi.low, high: fit.aCi.high },
    b: { value: fit.b, low: fit.bCi.low, high: fit.bCi.high },
  };
  return [
    {
      check: lawCheck,
      expect: "holds",
      verdict: lawVerdict,
      detail: base,
      estimates,
    },
    {
      check: twinCheck,
      expect: "fails",
      verdict: twinVerdict,
      detail: `the false law ${spec.twin} for ${spec.what}: p = ${
        pText(twin.pValue)
      } (the twin of ${lawCheck})`,
      pValue: twin.pValue,
    },
  ];
}

/** The test-error assessment: the mean test error falls from the smallest d/k to the largest. */
function testErrorAssessment(records: TrialRecord[]): Assessment {
  const byRatio = new Map<number, number[]>();
  okRecords(records).forEach((r) => {
    const key = trialValue(r, "d") / trialValue(r, "k");
    byRatio.set(key, [
      ...(byRatio.get(key) ?? []),
      trialValue(r, "test_error"),
    ]);
  });
  const keys = [...byRatio.keys()].sort((a, b) => a - b);
  const errAt = (key: number) => mean(byRatio.get(key) ?? []);
  const lowest = keys.length ? errAt(keys[0]) : NaN;
  const highest = keys.length ? errAt(keys[keys.length - 1]) : NaN;
  return {
    check: "test_error_falls_with_d_over_k",
    expect: "holds",
    verdict: keys.length < 2 || (lowest === 0 && highest === 0)
      ? "inconclusive"
      : lowest > highest
      ? "holds"
      : "fails",
    detail: `mean test error ${lowest.toFixed(4)} at d/k=${
      keys[0]?.toFixed(1)
    } vs ${highest.toFixed(4)} at d/k=${
      keys[keys.length - 1]?.toFixed(1)
    } (a strict decrease required; both 0 is inconclusive)`,
  };
}

/** Claim-level assessments of C7 from its finished trials. */
export function c7Assess(records: TrialRecord[]): Assessment[] {
  const unfinished = unfinishedShare(records);
  const sound = soundnessAssessment(records, {
    columns: ["soundness_violations", "robust_soundness_violations"],
  });
  if (unfinished > MAX_UNFINISHED_ASSESSMENT_SHARE) {
    const detail = `${
      (100 * unfinished).toFixed(0)
    }% of the grid's trials did not finish`;
    return C7_ASSESSMENTS.map(([check, expect]) =>
      check === "attacks_sound"
        ? sound
        : { check, expect, verdict: "inconclusive", detail }
    );
  }
  return [
    ...C7_FITS.flatMap((spec) => lawAssessments(records, spec)),
    testErrorAssessment(records),
    sound,
  ];
}
