import assert from "node:assert/strict";
import {
  c1,
  c1Configs,
  c1ConstantReasons,
  c1Constants,
  c1Diagnostics,
  c1LogTimes,
  c1Trial,
  checkpointLabel,
} from "./c1_implicit_bias.ts";
import { initBackend } from "../backend/backends.ts";

Deno.test("C1 declaration: roles, twins, margins and reasons", () => {
  for (const profile of ["ci", "paper"] as const) {
    const [main, halving] = c1Configs(profile);
    assert.deepEqual(
      main.checks.map((c) => [c.name, c.expect, c.role, c.twinOf]),
      [
        ["kkt_residual_shrinks", "holds", "prediction", undefined],
        ["twin_perturbed_flow", "fails", "twin", "kkt_residual_shrinks"],
        ["twin_robust_network", "fails", "twin", "kkt_residual_shrinks"],
        ["margin_above_per_cluster", "holds", "prediction", undefined],
        [
          "twin_margin_robust_network",
          "fails",
          "twin",
          "margin_above_per_cluster",
        ],
      ],
    );
    assert.deepEqual(
      halving.checks.map((c) => [c.name, c.role, c.twinOf]),
      [
        ["integrator_step_halving", "prediction", undefined],
        ["twin_fixed_step", "twin", "integrator_step_halving"],
      ],
    );
    assert.ok(halving.key.startsWith("step-halving:"));
    for (const c of [...main.checks, ...halving.checks]) {
      assert.ok(c.margin !== undefined, `${c.name} declares its margin`);
    }
    // A twin is judged against the same threshold as its prediction.
    for (const config of [main, halving]) {
      for (const twin of config.checks.filter((c) => c.role === "twin")) {
        const own = config.checks.find((c) => c.name === twin.twinOf)!;
        assert.equal(twin.margin!.threshold, own.margin!.threshold);
        assert.equal(twin.margin!.direction, own.margin!.direction);
      }
    }
  }
  assert.deepEqual(
    Object.keys(c1ConstantReasons).sort(),
    Object.keys(c1Constants).sort(),
  );
  assert.deepEqual(c1.constants, c1Constants);
  assert.ok(c1Constants.kinkRadius < c1Constants.kktTolerance);
  assert.ok(c1Constants.decreaseFactor < 1 && c1Constants.nearTwinSize > 1);
});

Deno.test("C1 checkpoints: geometric in log t up to the horizon", () => {
  assert.equal(c1LogTimes[0], 1);
  assert.equal(c1LogTimes.at(-1), c1Constants.horizonLog10Time);
  for (let j = 1; j < c1LogTimes.length; j++) {
    const ratio = c1LogTimes[j] / c1LogTimes[j - 1];
    assert.ok(Math.abs(ratio - Math.sqrt(10)) < 1e-4);
  }
  assert.deepEqual(c1LogTimes.map(checkpointLabel), [
    "log10t_1",
    "log10t_3",
    "log10t_10",
    "log10t_32",
    "log10t_100",
    "log10t_316",
    "log10t_1000",
  ]);
});

Deno.test("C1 diagnostics: value columns of a trial, not checks, with the residual's radial part below it", async () => {
  // Without OpenBLAS the flow runs on a tfjs backend, which must be set.
  await initBackend("cpu");
  const names = Object.keys(c1Diagnostics);
  assert.deepEqual(names, [
    "diag_kkt_radial",
    "diag_losing_share",
    "diag_losing_gap",
    "diag_losing_floor",
  ]);
  const [main] = c1Configs("ci");
  for (const name of names) {
    assert.ok(
      !main.checks.some((c) => c.name === name || c.margin?.measured === name),
    );
  }
  assert.ok(c1.highlights!.includes("diag_losing_floor"));
  // A small instance, trained to the horizon like a CI trial.
  const config = {
    ...main,
    key: "d=60,k=4,n=16,m=12",
    params: { ...main.params, d: 60, k: 4, n: 16, m: 12, nTest: 20 },
  };
  const result = c1Trial(3, config);
  assert.equal(result.status, "ok", result.reason);
  const value = (name: string) => Number(result.values[name]);
  for (const name of names.filter((n) => n !== "diag_losing_gap")) {
    assert.ok(Number.isFinite(value(name)), `${name} = ${result.values[name]}`);
  }
  assert.ok(value("diag_losing_floor") <= value("diag_kkt_radial"));
  assert.ok(value("diag_kkt_radial") <= value("kkt_final") * (1 + 1e-4));
  assert.ok(value("diag_losing_share") >= 0 && value("diag_losing_share") <= 1);
});
