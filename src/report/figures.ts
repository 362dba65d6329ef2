/**
 * The figures of a report, written under `<out>/figures/` with the `md`
 * format: `pass_rates.svg` (every check's pass rate with its 95% interval)
 * and each claim's own figures. They depend only on the trial records, so
 * they are byte-identical for any number of workers, after a resume and
 * after a merge. A figure that fails is reported, never fatal.
 *
 * @module
 */

import type { FigureLink } from "./summary_md.ts";
import { writeTextFileAtomic } from "../runner/atomic_write.ts";
import type { ClaimPlan } from "../runner/plan.ts";
import type { Figure, SummaryRow, TrialRecord } from "../claims/types.ts";
import { errorMessage } from "../base/errors.ts";
import { oneLine } from "../base/text.ts";

/** File name of the pass-rate figure under `figures/`. */
export const PASS_RATES_FIGURE = "pass_rates.svg";

/** A figure file name: a plain `.svg` name, no directory. */
const FIGURE_FILE = /^[A-Za-z0-9][A-Za-z0-9._-]*\.svg$/;

/** The figures of a claim that were written, and why others were not. */
export interface ClaimFigures {
  /** The figures written under `figures/`. */
  figures: FigureLink[];
  /** Why figures could not be drawn (one message each). */
  figureErrors: string[];
}

/** Where and how {@linkcode writeClaimFigures} writes. */
export interface ClaimFigureOptions {
  /** The claim's sorted records. */
  records: TrialRecord[];
  /** File names already used (the written ones are added). */
  taken: Set<string>;
  /** Where a failing figure is logged (one line each). */
  warn: (line: string) => void;
}

/**
 * Draw a claim's figures from its sorted records and write them to
 * `<out>/figures/` atomically. A `figures` that throws, or a figure with a
 * bad or duplicate file name or no SVG, is logged (`claim <id>: …`) and
 * listed in `figureErrors`; the other figures are still written.
 */
export async function writeClaimFigures(
  out: string,
  plan: ClaimPlan,
  options: ClaimFigureOptions,
): Promise<ClaimFigures> {
  const { taken } = options;
  const id = plan.claim.id;
  const figures: FigureLink[] = [];
  const figureErrors: string[] = [];
  const fail = (message: string) => {
    options.warn(`claim ${id}: ${message}`);
    figureErrors.push(message);
  };
  if (plan.claim.figures === undefined) return { figures, figureErrors };
  let drawn: unknown;
  try {
    drawn = await plan.claim.figures(options.records);
  } catch (error) {
    fail(`figures threw: ${oneLine(errorMessage(error))}`);
    return { figures, figureErrors };
  }
  if (!Array.isArray(drawn)) {
    fail("figures did not return an array");
    return { figures, figureErrors };
  }
  for (const figure of drawn as Partial<Figure>[]) {
    const file = figure?.file;
    if (typeof file !== "string" || !FIGURE_FILE.test(file)) {
      fail(`figure file name ${JSON.stringify(file)} is not a plain .svg name`);
    } else if (taken.has(file)) {
      fail(`figure file name "${file}" is used twice`);
    } else if (typeof figure.svg !== "string" || !figure.svg.includes("<svg")) {
      fail(`figure "${file}" has no SVG document`);
    } else {
      taken.add(file);
      await writeTextFileAtomic(`${out}/figures/${file}`, figure.svg);
      figures.push({
        file,
        caption: typeof figure.caption === "string" ? figure.caption : file,
      });
    }
  }
  return { figures, figureErrors };
}

/**
 * Write `<out>/figures/pass_rates.svg`: a bar per summary row (its pass
 * rate with the 95% interval), labelled `claim check`, claim by claim.
 * Returns its link, or the error message (also logged) when drawing failed.
 */
export async function writePassRates(
  out: string,
  options: { rows: SummaryRow[]; warn: (line: string) => void },
): Promise<{ link?: FigureLink; error?: string }> {
  try {
    const { barChart } = await import("../plot/mod.ts");
    const svg = await barChart({
      bars: options.rows.map((r) => ({
        label: `${r.claim} ${r.check}`,
        value: r.rate,
        low: r.ciLow,
        high: r.ciHigh,
      })),
      title: "Pass rate of every check, with its 95% Clopper–Pearson interval",
      yLabel: "pass rate",
    });
    await writeTextFileAtomic(`${out}/figures/${PASS_RATES_FIGURE}`, svg);
    return {
      link: {
        file: PASS_RATES_FIGURE,
        caption: "Pass rate of every check with its 95% confidence interval",
      },
    };
  } catch (error) {
    const message = oneLine(errorMessage(error));
    options.warn(`pass-rate figure failed: ${message}`);
    return { error: message };
  }
}
