/**
 * One C8 trial: draw an instance, train the pReLU network (and, when the
 * configuration's checks read them, its p = 1 twin and the three controls)
 * with `preluFlow`, measure each (`c8_prelu_measures.ts`), bracket the
 * robust radius of the pReLU network and its twin, and on the paper
 * profile's first trials run the p sweep. The claim and its design are in
 * `c8_prelu_robustness.ts` and `c8_prelu_configs.ts`.
 *
 * @module
 */

import { drawInstance, type Instance } from "../model/instance.ts";
import {
  asPowerNetwork,
  preluFlow,
  type PreluFlowResult,
  type PreluWeights,
} from "../flow/prelu_flow.ts";
import { checkPairCeilings, coupledPairs } from "../measure/attacks/mod.ts";
import {
  attackedPoints,
  robustnessColumns,
  robustnessOf,
  unsoundOr,
} from "../measure/robustness.ts";
import { median } from "../stats/mod.ts";
import {
  c8Constants,
  certifiedThreshold,
  perClusterBound,
} from "./c8_prelu_configs.ts";
import {
  certifiedPasses,
  measureColumns,
  measureNetwork,
  type NetworkMeasures,
  perClusterPasses,
  runColumns,
  unusable,
} from "./c8_prelu_measures.ts";
import { instanceParams, round, selectChecks } from "./kit.ts";
import type { Cell, ClaimConfig, TrialResult, TrialStatus } from "./types.ts";

/** The flow's data from an instance's training set. */
function trainingData(instance: Instance) {
  const { train } = instance;
  return { n: train.n, d: train.d, x: train.x, y: train.y };
}

/** The pReLU initialisation of an instance: its w and v (biases dropped), scaled. */
function preluInit(
  instance: Instance,
  family: { power: number; normalized: boolean; scale?: number },
): PreluWeights {
  const { d, m, w, v } = instance.init;
  const factor = family.scale ?? 1;
  return {
    d,
    m,
    w: Float64Array.from(w, (a) => a * factor),
    v: Float64Array.from(v, (a) => a * factor),
    power: family.power,
    normalized: family.normalized,
  };
}

/** The networks a C8 trial trains besides the pReLU one, by the checks that need them. */
const NEEDS: Readonly<Record<string, readonly string[]>> = {
  twin: [
    "twin_relu_certified",
    "twin_relu_attack_near_ceiling",
    "twin_relu_neurons_per_cluster",
  ],
  unnormalized: ["control_unnormalized_certified"],
  large: ["control_large_init_certified"],
  noisy: ["control_high_noise_certified"],
};

/** A network of the trial, trained and measured. */
interface Trained {
  run: PreluFlowResult;
  measures: NetworkMeasures;
}

/**
 * One C8 trial (see the module doc). It trains and measures only what the
 * configuration's checks need (a regime-map cell runs one check), so the
 * pReLU network always, its twin and each control when a check reads them.
 * The exponent is the configuration's `power` (default `c8Constants.power`).
 */
export function c8Trial(
  seed: number,
  config: ClaimConfig,
  options: { trial?: number } = {},
): TrialResult {
  const params = instanceParams(config.params);
  const instance = drawInstance(seed, params);
  const { d, k } = params;
  const { largeInitScale, initScale, noisySigma, pointFraction } = c8Constants;
  const power = Number(config.params.power ?? c8Constants.power);
  const wanted = new Set(config.checks.map((c) => c.name));
  const needs = (what: string) => NEEDS[what].some((n) => wanted.has(n));
  const points = attackedPoints(instance, Number(config.params.attackPoints));
  const pairs = coupledPairs(instance.rng, {
    model: instance.model,
    count: c8Constants.pairs,
  });
  const data = trainingData(instance);
  const context = { instance, points };
  const train = (
    family: { power: number; normalized: boolean; scale?: number },
    options = {},
  ): Trained => {
    const run = preluFlow(data, preluInit(instance, family), options);
    return { run, measures: measureNetwork(run.final.weights, context) };
  };
  const main = train({ power, normalized: true });
  const twin = needs("twin") ? train({ power: 1, normalized: true }) : null;
  const unnormalized = needs("unnormalized")
    ? train({ power, normalized: false })
    : null;
  const large = needs("large")
    ? train(
      { power, normalized: true, scale: largeInitScale / initScale },
      { maxLog10Time: main.run.final.log10Time },
    )
    : null;
  let noisy: Trained | null = null;
  if (needs("noisy")) {
    // The same draws with the noise scaled up: drawInstance repeats every
    // normal of the trial seed, multiplied by the new σ.
    const noisyInstance = drawInstance(seed, { ...params, sigma: noisySigma });
    const run = preluFlow(
      trainingData(noisyInstance),
      preluInit(noisyInstance, { power, normalized: true }),
    );
    noisy = {
      run,
      measures: measureNetwork(run.final.weights, {
        instance: noisyInstance,
        points: attackedPoints(
          noisyInstance,
          Number(config.params.attackPoints),
        ),
      }),
    };
  }
  const named: [string, string, Trained | null][] = [
    ["pReLU", "prelu_", main],
    ["p = 1 twin", "relu_", twin],
    ["unnormalised control", "unnormalized_", unnormalized],
    ["large-initialisation control", "large_init_", large],
    ["high-noise control", "noisy_", noisy],
  ];
  const problems = named
    .map(([name, , t]) => (t === null ? "" : unusable(name, t.run)))
    .filter((text) => text !== "");
  const mainFit = main.run.separated === undefined
    ? undefined
    : measureNetwork(main.run.separated.weights, context);

  // Brackets (certificate ≤ r ≤ best attack) of the pReLU network and its twin.
  const root = Math.sqrt(d), ceiling = Math.sqrt(d / 2);
  const preluNet = asPowerNetwork(main.run.final.weights);
  const targets = instance.train;
  const preluRobust = robustnessOf(preluNet, points, { targets });
  const reluRobust = twin === null
    ? null
    : robustnessOf(asPowerNetwork(twin.run.final.weights), points, {
      targets,
    });
  const pairChecks = checkPairCeilings(preluNet, { pairs });
  const pairBreaks = pairChecks.filter((c) => c.broken).length;
  const unsound = unsoundOr(
    {
      "the pReLU network": preluRobust,
      ...(reluRobust === null ? {} : { "the p = 1 network": reluRobust }),
    },
    {
      degenerate: pairBreaks > 0,
      reason:
        `pair ceiling: ${pairBreaks} pair(s) with both certificates of the pReLU network above ‖μ_i − μ_j‖/2`,
    },
  );
  // A run that never fitted is not converged; an unsound bracket is an error.
  const status: TrialStatus = problems.length > 0
    ? "not-converged"
    : unsound.degenerate
    ? "error"
    : "ok";
  const reason = problems.length > 0
    ? problems.join("; ")
    : unsound.degenerate
    ? unsound.reason
    : "";
  const ok = status === "ok";
  // The claim's threshold, fixed at its design exponent whatever the
  // configuration's p (a map cell varies p).
  const c = certifiedThreshold(k, c8Constants.power);
  const overCeiling = (attack: number[]) => median(attack) / ceiling;
  const preluAttack = overCeiling(preluRobust.attack);
  const reluAttack = reluRobust === null ? NaN : overCeiling(reluRobust.attack);
  const passes = (t: Trained | null) =>
    ok && t !== null && certifiedPasses(t.measures, c);
  const perCluster = (t: Trained | null) =>
    ok && t !== null && perClusterPasses(t.measures, instance.model);

  const sweep: Record<string, number> = {};
  // The sweep runs on the configuration's first `sweepTrials` trials only.
  const sweeps = (options.trial ?? 0) < Number(config.params.sweepTrials ?? 0);
  const powers = String(config.params.sweepPowers ?? "")
    .split(",")
    .filter((text) => sweeps && text !== "");
  for (const text of powers) {
    const q = Number(text);
    const run = preluFlow(
      data,
      preluInit(instance, { power: q, normalized: true }),
    );
    const report = robustnessOf(asPowerNetwork(run.final.weights), points, {
      targets,
    });
    sweep[`sweep_p${q}_certified_median`] = round(
      median(report.certified) / root,
      5,
    );
    sweep[`sweep_p${q}_attack_median`] = round(median(report.attack) / root, 5);
    sweep[`sweep_p${q}_soundness_violations`] = report.violations.length;
  }

  const outcomes: Record<string, boolean> = {
    generalizes: ok && main.measures.testError <= c8Constants.errorTolerance,
    certified_robust: passes(main),
    certified_robust_at_fit: ok && mainFit !== undefined &&
      certifiedPasses(mainFit, c),
    twin_relu_certified: passes(twin),
    attack_near_pair_ceiling: ok && preluAttack >= c8Constants.ceilingFraction,
    twin_relu_attack_near_ceiling: ok &&
      reluAttack >= c8Constants.ceilingFraction,
    neurons_per_cluster: perCluster(main),
    twin_relu_neurons_per_cluster: perCluster(twin),
    control_unnormalized_certified: passes(unnormalized),
    control_large_init_certified: passes(large),
    control_high_noise_certified: passes(noisy),
  };
  const columns: Record<string, Cell> = {};
  for (const [, prefix, t] of named) {
    if (t === null) continue;
    Object.assign(
      columns,
      runColumns(prefix, t.run),
      measureColumns(prefix, t.measures),
    );
  }
  return {
    status,
    reason,
    checks: selectChecks(config, outcomes),
    values: {
      rho: round(instance.model.rho, 4),
      power,
      certified_threshold: round(c, 5),
      ...columns,
      ...(mainFit === undefined ? {} : measureColumns("fit_", mainFit)),
      prelu_certified_over_f_bound: round(
        median(main.measures.certified) / perClusterBound(k, power),
        5,
      ),
      prelu_attack_over_ceiling: round(preluAttack, 5),
      ...robustnessColumns(preluRobust, {
        scale: root,
        share: pointFraction,
        prefix: "prelu_",
      }),
      ...(reluRobust === null ? {} : {
        relu_attack_over_ceiling: round(reluAttack, 5),
        relu_attack_over_sqrt_d_over_k: round(
          median(reluRobust.attack) / Math.sqrt(d / k),
          5,
        ),
        ...robustnessColumns(reluRobust, {
          scale: root,
          share: pointFraction,
          prefix: "relu_",
        }),
      }),
      pairs: pairs.length,
      pair_breaks: pairBreaks,
      ...sweep,
    },
  };
}
