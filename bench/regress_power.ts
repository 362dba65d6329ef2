/**
 * Simulated false-alarm rate and power of the regression check (one-sided
 * Fisher exact test at α = 0.05, baseline and current both with `trials`
 * trials), printed as the Markdown table quoted in the README.
 *
 * Run: `deno run bench/regress_power.ts [reps]`.
 *
 * @module
 */

import { simulateFalseAlarm, simulatePower } from "../src/report/regress.ts";
import { Rng } from "../src/model/rng.ts";

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
}
