/**
 * Simulated false-alarm rate and power of the regression check (one-sided
 * Fisher exact test at α = 0.05, baseline and current both with `trials`
 * trials), and the trial counts a check needs to be significant after the
 * Holm–Bonferroni adjustment of a run, printed as the Markdown tables
 * quoted in the README.
 *
 * Run: `deno run bench/regress_power.ts [reps]`.
 *
 * @module
 */

import { simulateFalseAlarm, simulatePower } from "../src/report/regress.ts";
import { reachOf } from "../src/report/verdict.ts";
import {
  binomialSample,
  CONTROL_CEILING,
  FAMILY_ALPHA,
} from "../src/stats/mod.ts";
import { Rng } from "../src/model/rng.ts";

/**
 * The Markdown table of the trials a check needs before its best outcome
 * (all pass at target 0.8, or none at the control ceiling) is significant
 * at the strictest Holm threshold α/m (or 0.025, the raw verdict's
 * one-sided level, if smaller), for families of m p-values, and the
 * chance that a prediction whose true rate is 0.95 reaches it with that
 * many trials and with 40.
 */
export function holmTable(options: { reps: number; rng: Rng }): string[] {
  const prediction = { target: 0.8, expect: "holds" as const };
  const control = { target: 0.8, expect: "fails" as const };
  /** Share of simulated runs (true rate 0.95) reaching significance. */
  const chance = (trials: number, threshold: number): number => {
    const needed = reachOf(trials, prediction, threshold).passesNeeded;
    if (needed === null) return 0;
    let hits = 0;
    for (let i = 0; i < options.reps; i++) {
      if (binomialSample(options.rng, { trials, p: 0.95 }) >= needed) hits++;
    }
    return hits / options.reps;
  };
  const lines = [
    `| family size m | min(α/m, 0.025) | trials needed, prediction (target 0.8, all pass) | trials needed, control (ceiling ${CONTROL_CEILING}, none pass) | P(significant), true rate 0.95, at that count | at 40 trials |`,
    "|---|---|---|---|---|---|",
  ];
  for (const m of [1, 5, 10, 30, 60]) {
    // The raw verdict's one-sided level 0.025 binds for m = 1.
    const threshold = Math.min(FAMILY_ALPHA / m, 0.025);
    const n = reachOf(1, prediction, threshold).trialsNeeded ?? 0;
    const c = reachOf(1, control, threshold).trialsNeeded ?? 0;
    lines.push(
      `| ${m} | ${threshold.toPrecision(3)} | ${n} | ${c} | ${
        chance(n, threshold).toFixed(3)
      } | ${chance(40, threshold).toFixed(3)} |`,
    );
  }
  return lines;
}

if (import.meta.main) {
  const reps = Number(Deno.args[0] ?? 4000);
  console.log(
    "| trials per check | false alarm, p = 1 | false alarm, p = 0.95 | false alarm, p = 0.8 | power, 0.95 → 0.7 |",
  );
  console.log("|---|---|---|---|---|");
  for (const n of [20, 30, 40, 100]) {
    const options = { trials: n, reps, alpha: 0.05, rng: new Rng(2023) };
    const cells = [
      simulateFalseAlarm(1, options),
      simulateFalseAlarm(0.95, options),
      simulateFalseAlarm(0.8, options),
      simulatePower(0.95, 0.7, options),
    ].map((x) => x.toFixed(3));
    console.log(`| ${n} | ${cells.join(" | ")} |`);
  }
  console.log(`(${reps} simulated baseline/current pairs per cell)`);
  console.log("");
  for (const line of holmTable({ reps, rng: new Rng(2024) })) {
    console.log(line);
  }
  console.log(`(${reps} simulated runs per probability)`);
}
