import assert from "node:assert/strict";
import {
  c6,
  c6Configs,
  c6ConstantReasons,
  c6Constants,
  c6Trial,
} from "./c6_mechanism.ts";
import { sharedCriteria } from "./criteria.ts";
import type { ClaimConfig } from "./types.ts";
import { initBackend } from "../backend/backends.ts";

await initBackend("cpu");

Deno.test("C6 configurations", async (t) => {
  for (const profile of ["ci", "paper"] as const) {
    const configs = c6Configs(profile);
    await t.step(
      `${profile}: every check declares role, margin, and twins name a prediction`,
      () => {
        const predictions = new Set(
          configs.flatMap((c) => c.checks)
            .filter((c) => c.role === "prediction").map((c) => c.name),
        );
        assert.deepEqual(
          [...predictions].sort(),
          ["features_averaged", "gradient_along_signed_sum"],
        );
        for (const config of configs) {
          for (const check of config.checks) {
            assert.ok(check.role !== undefined && check.margin !== undefined);
            assert.equal(
              check.expect,
              check.role === "prediction" ? "holds" : "fails",
            );
            if (check.role !== "prediction") {
              assert.ok(predictions.has(check.twinOf!), check.name);
            }
          }
        }
      },
    );
    await t.step(
      `${profile}: both predictions have a twin and a control that breaks them`,
      () => {
        for (const name of predictions(configs)) {
          const shadows = configs.flatMap((c) => c.checks).filter((c) =>
            c.twinOf === name
          );
          assert.ok(shadows.some((c) => c.role === "twin"), name);
          assert.ok(shadows.some((c) => c.role === "control"), name);
        }
      },
    );
    await t.step(
      `${profile}: main configurations on orthogonal and Gaussian means`,
      () => {
        const main = configs.filter((c) => c.params.variant === "main");
        assert.deepEqual(main.map((c) => c.params.means), [
          "orthogonal",
          "gaussian",
        ]);
        // Keys that already existed keep seeding the same trials.
        assert.ok(
          configs.some((c) => c.key === "d=500,k=10,n=100,m=100") ||
            profile === "paper",
        );
        for (const config of configs) c6.validate!(config);
      },
    );
    await t.step(
      `${profile}: controls and twins have enough trials to reach significance`,
      () => {
        // 0 passes of n at the 0.2 control ceiling has p = 0.8^n; n ≥ 30 gives
        // p ≤ 1.3·10⁻³, below 0.05 divided by C6's number of checks.
        const checks = configs.flatMap((c) => c.checks).length;
        for (const config of configs) {
          assert.ok(0.8 ** config.trials < 0.05 / checks, config.key);
        }
      },
    );
  }
});

/** The names of the predictions of a configuration list. */
function predictions(configs: ClaimConfig[]): string[] {
  return [
    ...new Set(
      configs.flatMap((c) => c.checks).filter((c) => c.role === "prediction")
        .map((c) => c.name),
    ),
  ];
}

Deno.test("C6 constants: shared with N1, each with a reason", () => {
  assert.equal(c6Constants.neuronAlignment, sharedCriteria.neuronAlignment);
  assert.equal(c6Constants.significance, sharedCriteria.significance);
  assert.deepEqual(
    Object.keys(c6ConstantReasons).sort(),
    Object.keys(c6Constants).sort(),
  );
  assert.match(c6.source, /small-initialization/);
  assert.match(c6.statement, /not shown to follow from the KKT theorem alone/);
});

/** A small configuration of a variant (the CI one with small sizes). */
function small(variant: string): ClaimConfig {
  const config = c6Configs("ci").find((c) => c.params.variant === variant)!;
  return {
    ...config,
    params: {
      ...config.params,
      d: 80,
      k: 4,
      n: 24,
      m: 16,
      nTest: 20,
      bracketPoints: 3,
    },
  };
}

Deno.test("C6 trials on small instances: every variant runs and measures its mechanism", async (t) => {
  await t.step(
    "main: the gradient-flow network averages, its twin N̂ does not",
    () => {
      const result = c6Trial(2, small("main"));
      assert.equal(result.status, "ok", result.reason);
      const v = result.values;
      assert.ok(
        Number(v.neuron_cosine_median) > Number(v.twin_neuron_cosine_median),
      );
      assert.ok(
        Number(v.gradient_cosine_signed_sum_median) >
          Number(v.twin_gradient_cosine_signed_sum_median),
      );
      assert.equal(result.checks.twin_per_cluster_network, false);
      // Replayable from the seed.
      assert.deepEqual(c6Trial(2, small("main")), result);
    },
  );
  await t.step(
    "one label per cluster: neurons on single means, robust brackets",
    () => {
      const result = c6Trial(2, small("one-label"));
      assert.equal(result.status, "ok", result.reason);
      const v = result.values;
      assert.ok(
        Number(v.one_label_mean_alignment_median) >
          Number(v.mean_alignment_median),
      );
      assert.equal(v.soundness_violations, 0);
      assert.ok(
        Number(v.one_label_certified_sqrt_d) <=
          Number(v.one_label_attack_sqrt_d),
      );
      assert.ok(Number(v.gf_certified_sqrt_d) <= Number(v.gf_attack_sqrt_d));
      assert.equal(v.bracket_points, 3);
    },
  );
  await t.step(
    "large initialization: measured at the small-initialization stop time",
    () => {
      const result = c6Trial(2, small("large-init"));
      assert.equal(result.status, "ok", result.reason);
      const v = result.values;
      assert.ok(
        Number(v.checkpoint_log10_time) >= Number(v.reference_log10_time),
      );
      assert.ok(Number(v.initial_alignment_median) > 0.9);
    },
  );
  await t.step("correlated means: the class sums nearly coincide", () => {
    const result = c6Trial(2, small("correlated"));
    assert.equal(result.status, "ok", result.reason);
    assert.ok(Number(result.values.class_sums_cosine) > 0.8);
  });
  await t.step("an unknown variant is refused", () => {
    const bad = {
      ...small("main"),
      params: { ...small("main").params, variant: "x" },
    };
    assert.throws(() => c6Trial(1, bad), /unknown variant/);
    assert.throws(() => c6.validate!(bad), /unknown variant/);
    const noPoints = {
      ...small("one-label"),
      params: { ...small("one-label").params, bracketPoints: 0 },
    };
    assert.throws(() => c6.validate!(noPoints), /bracketPoints/);
  });
});
