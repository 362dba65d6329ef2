/**
 * Shared types of the claim-checking engine: what a claim declares, what a
 * trial returns, and what a summary row holds.
 *
 * @module
 */

/** Size of a claim's own configurations: `ci` fits in `deno test`, `paper` is full size. */
export type SizeProfile = "ci" | "paper";

/**
 * Profile of a run: a {@linkcode SizeProfile}, or `map`, the regime maps of
 * the claims that declare {@linkcode ClaimSpec.maps} (one configuration per
 * cell, see `claims/regime_map.ts`; no verdicts).
 */
export type Profile = SizeProfile | "map";

/** Outcome of one trial. Only `pass` counts as a pass for any check. */
export type TrialStatus = "ok" | "not-converged" | "error";

/** A value in a trial row or a parameter set. */
export type Cell = string | number | boolean;

/** What a check of a claim is expected to do on its trials. */
export type Expectation = "holds" | "fails";

/** Verdict of a check from its pass-rate confidence interval. */
export type Verdict = "holds" | "fails" | "inconclusive";

/**
 * What a check is for:
 * - `prediction`: the claim's prediction, expected to hold;
 * - `twin`: the nearest false alternative (a robust network for a
 *   non-robustness check, a non-KKT network for a KKT check, ...) run
 *   through the identical check of the prediction named by `twinOf`, on the
 *   same instances; expected to fail, and its pass rate measures the power
 *   of that check;
 * - `control`: a broken hypothesis (correlated means, unseen clusters, a
 *   large initialization, ...) that must make the prediction fail, for the
 *   reason the check's mechanism column measures; expected to fail;
 * - `sanity`: a line that fails for almost any network (e.g. random
 *   directions in high dimension), kept as a sanity line, not as evidence.
 */
export type CheckRole = "prediction" | "twin" | "control" | "sanity";

/**
 * Where a check's per-trial decision sits relative to its threshold: the
 * trial passes when the value in column `measured` is `below` (≤) or `above`
 * (≥) the threshold (a number, or the name of another value column). The
 * report shows the median of measured/threshold and the share of trials
 * within 10% of the threshold, so a check saturated far from its line is
 * visible.
 */
export interface CheckMargin {
  /** Value column holding the measured quantity of each trial. */
  measured: string;
  /** The threshold: a number, or a value column holding it per trial. */
  threshold: number | string;
  /** The trial passes when measured ≤ threshold (`below`) or ≥ (`above`). */
  direction: "below" | "above";
}

/**
 * One per-trial check of a claim. A prediction is expected to hold (the
 * lower 95% bound of its pass rate at least `target`); a twin, a control or
 * a sanity line is expected to fail (see the report's verdict rules).
 */
export interface CheckSpec {
  /** Short snake_case name, unique within the claim (e.g. `flips_at_C`). */
  name: string;
  /** One sentence: what passing this check means for one trial. */
  description: string;
  /** Target pass rate the interval is compared with. */
  target: number;
  /** `holds` for a claim's prediction, `fails` for a control. */
  expect: Expectation;
  /**
   * What the check is for (default: `prediction` when `expect` is `holds`,
   * `control` otherwise).
   */
  role?: CheckRole;
  /** For a twin, control or sanity line: the prediction it shadows. */
  twinOf?: string;
  /** The measured quantity behind the per-trial decision, and its threshold. */
  margin?: CheckMargin;
}

/** One configuration of a claim: a parameter set and the checks run on it. */
export interface ClaimConfig {
  /** Stable key naming the configuration, e.g. `d=500,k=10,orthogonal`. */
  key: string;
  /** Parameters of the configuration (written to every trial row). */
  params: Record<string, Cell>;
  /** Checks evaluated on every trial of this configuration. */
  checks: CheckSpec[];
  /** Number of trials of this configuration. */
  trials: number;
}

/** Identity of one trial: everything needed to replay it alone. */
export interface TrialTask {
  /** Claim id, e.g. `C4`. */
  claim: string;
  /** Configuration key. */
  config: string;
  /** Trial index within the configuration, from 0. */
  trial: number;
  /** The trial's seed, from `trialSeed(runSeed, claim, config, trial)`. */
  seed: number;
}

/** What one trial returns. */
export interface TrialResult {
  /** `ok` when the trial ran to the end; otherwise every check counts as failed. */
  status: TrialStatus;
  /** Why the status is not `ok` (empty when it is). */
  reason: string;
  /** Outcome of each check of the configuration, by check name. */
  checks: Record<string, boolean>;
  /** Measured values, written as columns of the trial row (stable key order). */
  values: Record<string, Cell>;
}

/** One row of `summary.csv`: the pass rate of one check of one claim. */
export interface SummaryRow {
  /** Claim id. */
  claim: string;
  /** Check name. */
  check: string;
  /** Expected outcome of the check. */
  expect: Expectation;
  /** Number of trials. */
  trials: number;
  /** Number of trials passing the check. */
  passed: number;
  /** passed / trials. */
  rate: number;
  /** Lower end of the 95% Clopper–Pearson interval. */
  ciLow: number;
  /** Upper end of the 95% Clopper–Pearson interval. */
  ciHigh: number;
  /** Target rate. */
  target: number;
  /** Verdict from the interval. */
  verdict: Verdict;
  /** Whether the verdict is the expected one. */
  ok: boolean;
}

/** A finished trial: its identity and its result. */
export interface TrialRecord {
  /** Which trial. */
  task: TrialTask;
  /** What it gave. */
  result: TrialResult;
}

/**
 * A claim-level assessment that is not a per-trial pass rate (for example
 * C7's fitted slope with its confidence interval), shown as an extra summary
 * line.
 */
export interface Assessment {
  /** Check name, unique within the claim. */
  check: string;
  /** Expected verdict. */
  expect: Expectation;
  /** Verdict reached. */
  verdict: Verdict;
  /** Human-readable measured values, e.g. `slope 0.49 [0.41, 0.57]`. */
  detail: string;
  /**
   * One-sided p-value of the expected verdict, when the assessment comes
   * from a fit (e.g. a slope's t-test); it then enters the run's
   * Holm–Bonferroni family.
   */
  pValue?: number;
  /**
   * The fitted numbers behind the verdict, by name (e.g. `slope_d_over_k`
   * of C2's rate law), each with its 95% interval when it has one. The
   * report lists them, a claim's `predictions` may read them, and
   * `deno task regress` compares them with the baseline's.
   */
  estimates?: Record<string, Estimate>;
}

/** A fitted number of an assessment, with its 95% interval when it has one. */
export interface Estimate {
  /** The fitted value. */
  value: number;
  /** Lower end of its 95% interval (absent: no interval). */
  low?: number;
  /** Upper end of its 95% interval (absent: no interval). */
  high?: number;
}

/**
 * Where the measured value of a {@linkcode Prediction} comes from:
 * - `median`: the median (with its 10%–90% range) over the finished trials
 *   of value column `column`, pooled over the configurations that run the
 *   check `check` (every configuration of the claim when `check` is not
 *   given);
 * - `fit`: the estimate `estimate` of the claim-level assessment
 *   `assessment` (its `estimates`), with its 95% interval.
 */
export type MeasuredFrom =
  | { kind: "median"; column: string; check?: string }
  | { kind: "fit"; assessment: string; estimate: string };

/**
 * A number the paper (or our reconstruction of it) predicts for a quantity
 * the claim measures, for the report's "Deviations from the paper": the
 * reporter puts the measured value beside it with its relative deviation.
 * Declare only quantities the claim really measures, with the source of
 * the predicted value; never a number read off a run.
 */
export interface Prediction {
  /** Short snake_case name, unique within the claim (e.g. `rate_exponent`). */
  name: string;
  /** Where the measured value comes from. */
  measured: MeasuredFrom;
  /** The predicted value, in the unit of the measured one. */
  predicted: number;
  /**
   * `value` (default): the predicted number itself; `order`: only the
   * order is predicted (e.g. a flip radius C·√(d/k) with C not given),
   * `predicted` is its unit (1) and the measured number is the constant.
   */
  form?: "value" | "order";
  /** The predicted law or value in words, e.g. `ln error ≈ −d/(2k)`. */
  law: string;
  /** Source tag of the prediction: `[A]`, `[L]`, `[R]` or a combination. */
  source: string;
  /** One line: what the comparison means or why the two may differ. */
  note: string;
}
export interface ClaimSpec {
  /** Claim id as in PAPER.md, e.g. `C4`. */
  id: string;
  /** Short title, e.g. `Non-robustness`. */
  title: string;
  /** One paragraph in our words. */
  statement: string;
  /** Source tag as in PAPER.md: `[A]`, `[L]`, `[R]` or a combination. */
  source: string;
  /** Hypotheses the claim needs. */
  hypotheses: string[];
  /** Named constants and their values, reported with every run. */
  constants: Record<string, number>;
  /**
   * One line per named constant saying why it has its value (fixed before
   * looking at data), shown next to it in the report.
   */
  constantReasons?: Record<string, string>;
  /**
   * The configurations to run at a size profile (at the `map` profile the
   * configurations are the cells of {@linkcode ClaimSpec.maps}, see
   * `configsFor` in `claims/regime_map.ts`).
   */
  configs(profile: SizeProfile): ClaimConfig[];
  /**
   * Optional regime maps: 2-D grids over which a hypothesis of the claim is
   * relaxed, run by the `map` profile only (never at `ci` or `paper`).
   */
  maps?: RegimeMap[];
  /**
   * Optional: throw a RangeError when a configuration's parameters are not
   * valid for this claim (used to reject command-line overrides up front).
   */
  validate?(config: ClaimConfig): void;
  /** Run one trial (deterministic in `task.seed`). */
  runTrial(task: TrialTask, config: ClaimConfig): Promise<TrialResult>;
  /** Optional claim-level assessments over all finished trials. */
  assess?(records: TrialRecord[], configs: ClaimConfig[]): Assessment[];
  /** Value columns summarised in the report (median and 10–90% range over ok trials). */
  highlights?: string[];
  /**
   * Optional: the numbers the paper predicts for quantities this claim
   * measures (a value column's median, or an assessment's estimate), listed
   * against the measured ones in the report's "Deviations from the paper".
   */
  predictions?: Prediction[];
  /** Optional figures drawn from the finished trials. */
  figures?(records: TrialRecord[]): Promise<Figure[]>;
  /**
   * Wall-time budget of the claim's CI-size run (its `deno task test` step,
   * 2 workers on 2 cores), so later work can see what it may spend. Every
   * registered claim declares one; `deno task bench` prints it against the
   * measured time.
   */
  budget?: ClaimBudget;
}

/**
 * Wall-time budget of a claim at CI size, in seconds, on each backend (the
 * whole `deno task test` must stay within 5 min with OpenBLAS and 10 min on
 * the embedded wasm backend).
 */
export interface ClaimBudget {
  /** Seconds with OpenBLAS (the `blas` backend). */
  blasSeconds: number;
  /** Seconds on the embedded `wasm` backend. */
  wasmSeconds: number;
}

/** An SVG figure of a report. */
export interface Figure {
  /** File name (no directory), e.g. `C4_flip_radius.svg`. */
  file: string;
  /** Caption shown in the Markdown report. */
  caption: string;
  /** The SVG document. */
  svg: string;
}

/** One axis of a {@linkcode RegimeMap}. */
export interface MapAxis {
  /** Short snake_case name: the axis column of the map's CSV and of cell keys. */
  name: string;
  /** Axis title, e.g. `mean correlation c = ⟨μ_i, μ_j⟩/d`. */
  label: string;
  /** The grid values, in increasing order. */
  values: readonly number[];
  /** The configuration parameters at a value of the axis (e.g. d = value·k). */
  params(value: number): Record<string, Cell>;
  /** Whether the values are spaced logarithmically (labels only). */
  log?: boolean;
}

/** A quantity a map draws: one heatmap of a value column's median per cell. */
export interface MapQuantity {
  /** Value column of the claim's trial rows. */
  column: string;
  /** Title of the quantity, e.g. `flip radius / √(d/k)`. */
  label: string;
  /** Colour on a log scale (e.g. a test error). */
  log?: boolean;
}

/**
 * Where the hypothesis a map relaxes stops holding: along axis `axis`, at
 * `at(other)` (a function of the other axis's value); the hypothesis holds
 * on the side of the boundary opposite to `relaxed` (`up`: it holds for
 * values ≤ the boundary, and is relaxed as the value grows; `down`: it
 * holds for values ≥ the boundary).
 */
export interface HypothesisBoundary {
  /** The axis the boundary cuts. */
  axis: "x" | "y";
  /** The direction along `axis` in which the hypothesis is relaxed. */
  relaxed: "up" | "down";
  /** The boundary's value on `axis` at a value of the other axis. */
  at(other: number): number;
  /** The hypothesis and its boundary in words, e.g. `ρ ≤ d/(k−1)`. */
  statement: string;
  /** Where the boundary comes from: a source tag and the argument. */
  source: string;
}

/**
 * A regime map of a claim: a grid of cells, each a configuration whose
 * trials run the claim's own trial with the cell's parameters and report
 * the claim's own per-trial check. The report shows, per cell, the median
 * of each quantity and the check's pass rate (no verdicts), and where the
 * check breaks against where the hypothesis does.
 */
export interface RegimeMap {
  /** Unique name over the run (file names), e.g. `C2_correlation_d_over_k`. */
  name: string;
  /** Title of the map. */
  title: string;
  /** The hypothesis the map relaxes, one sentence. */
  relaxes: string;
  /** The horizontal axis. */
  x: MapAxis;
  /** The vertical axis. */
  y: MapAxis;
  /** Parameters shared by every cell (the axes' parameters override them). */
  params: Record<string, Cell>;
  /** The claim's per-trial check whose pass rate every cell reports. */
  check: CheckSpec;
  /** The quantities drawn, one heatmap each. */
  quantities: MapQuantity[];
  /** Trials per cell. */
  trials: number;
  /** Where the relaxed hypothesis stops holding. */
  hypothesis: HypothesisBoundary;
}
