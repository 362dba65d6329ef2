import assert from "node:assert/strict";
import { initBackend } from "../backend/backends.ts";
import {
  c5Configs,
  c5ConstantReasons,
  c5Constants,
  c5Trial,
  pooledSword,
  SWORD_EDGES,
  swordHistogram,
} from "./c5_robust_network.ts";

await initBackend("cpu");

Deno.test("C5 configuration makes the twins meaningful", () => {
  // The certified twin (the trained network in N*'s place) must fail because
  // √(d/k) ≪ c·√d (its flips sit near √(d/k)), and the gap twin because
  // N*'s certified/attack ratio (≤ 1) is below c_gap·√k.
  const { radiusConstant: c, gapConstant } = c5Constants;
  for (const profile of ["ci", "paper"] as const) {
    const p = c5Configs(profile)[0].params as Record<string, number>;
    assert.ok(1.25 * Math.sqrt(p.d / p.k) < c * Math.sqrt(p.d), profile);
    assert.ok(gapConstant * Math.sqrt(p.k) > 1, profile);
    assert.ok(p.k * Math.exp(-p.n / p.k) <= 0.6, "every cluster seen, mostly");
  }
});

Deno.test("C5 checks: two predictions, each with its twin and margin", () => {
  for (const profile of ["ci", "paper"] as const) {
    const [config] = c5Configs(profile);
    assert.deepEqual(
      config.checks.map((c) => [c.name, c.expect, c.role, c.twinOf]),
      [
        ["robust_certified", "holds", "prediction", undefined],
        [
          "twin_gradient_flow_certified",
          "fails",
          "twin",
          "robust_certified",
        ],
        ["gap_order_sqrt_k", "holds", "prediction", undefined],
        ["twin_gap_no_gap", "fails", "twin", "gap_order_sqrt_k"],
      ],
    );
  }
  assert.deepEqual(
    Object.keys(c5ConstantReasons).sort(),
    Object.keys(c5Constants).sort(),
  );
});

Deno.test("C5 sword histogram: log bins of radius/√d, pooled over ok records", () => {
  const h = swordHistogram("cert", [0.45, 0.46, 0.1, 3]);
  assert.equal(Object.keys(h).length, SWORD_EDGES.length);
  assert.equal(h.sword_cert_out, 1);
  const record = (status: "ok" | "error") => ({
    task: { claim: "C5", config: "c", trial: 0, seed: 0 },
    result: { status, reason: "", checks: {}, values: h },
  });
  const bins = pooledSword([record("ok"), record("error")], "cert");
  assert.equal(bins.reduce((s, b) => s + b.count, 0), 3);
  const at = (v: number) => bins.find((b) => b.low <= v && v < b.high)!;
  assert.equal(at(0.45).count, 2); // 0.45 and 0.46 share [0.445, 0.5)
  assert.equal(at(0.1).count, 1);
});

Deno.test("C5 trial on a small instance: gap bracket, pair ceilings, replayable", () => {
  const [config] = c5Configs("ci");
  const small = {
    ...config,
    params: {
      ...config.params,
      d: 300,
      k: 12,
      n: 80,
      m: 30,
      nTest: 60,
      attackPoints: 16,
    },
  };
  const result = c5Trial(3, small);
  assert.equal(result.status, "ok", result.reason);
  const v = result.values;
  for (const check of small.checks) {
    assert.ok(check.margin!.measured in v, check.margin!.measured);
  }
  assert.equal(v.pair_breaks_robust, 0);
  assert.equal(v.pair_breaks_gf, 0);
  assert.equal(v.robust_train_errors, 0);
  // The proven bracket on the gap: lower ≤ upper.
  assert.ok(Number(v.gap_lower_over_sqrt_k) <= Number(v.gap_upper_over_sqrt_k));
  // N*'s certificate is a lower bound on its attack radius.
  assert.ok(Number(v.robust_certified_over_attack) <= 1);
  assert.deepEqual(c5Trial(3, small), result);
});
