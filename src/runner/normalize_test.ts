import assert from "node:assert/strict";
import { asExpected, errorResult, normalizeResult } from "./normalize.ts";
import type { ClaimConfig } from "../claims/types.ts";

Deno.test("normalizeResult turns malformed results into errors", () => {
  const config: ClaimConfig = {
    key: "k",
    params: { d: 5, label: "a\nb" },
    checks: [{ name: "c", description: "", target: 0.5, expect: "holds" }],
    trials: 1,
  };
  const ok = normalizeResult(
    {
      status: "ok",
      reason: "",
      checks: { c: true },
      values: { x: 1, s: "p\r\nq" },
    },
    config,
  );
  assert.deepEqual(ok, {
    status: "ok",
    reason: "",
    checks: { c: true },
    values: { d: 5, label: "a b", x: 1, s: "p q" },
  });
  const bad: [unknown, RegExp][] = [
    [null, /did not return an object/],
    [{ status: "great", checks: {}, values: {} }, /unknown status/],
    [
      { status: "ok", checks: { c: true, z: true }, values: {} },
      /undeclared check "z"/,
    ],
    [{ status: "ok", checks: { c: 1 }, values: {} }, /not a boolean/],
    [{ status: "ok", checks: {}, values: {} }, /without check\(s\) c/],
    [{ status: "ok", checks: { c: true }, values: { v: [1] } }, /value "v"/],
  ];
  for (const [raw, why] of bad) {
    const r = normalizeResult(raw, config);
    assert.equal(r.status, "error");
    assert.match(r.reason, /^claim bug: /);
    assert.match(r.reason, why);
    assert.deepEqual(r.checks, {});
    assert.deepEqual(r.values, { d: 5, label: "a b" });
  }
  const nc = normalizeResult({
    status: "not-converged",
    reason: "slow",
    checks: {},
  }, config);
  assert.equal(nc.status, "not-converged");
});

Deno.test("errorResult and asExpected", () => {
  const config: ClaimConfig = {
    key: "k",
    params: { d: 5 },
    checks: [
      { name: "p", description: "", target: 0.5, expect: "holds" },
      { name: "c", description: "", target: 0.5, expect: "fails" },
    ],
    trials: 1,
  };
  const failed = errorResult("worker crashed:\n boom", config);
  assert.deepEqual(failed, {
    status: "error",
    reason: "worker crashed: boom",
    checks: {},
    values: { d: 5 },
  });
  const task = { claim: "C1", config: "k", trial: 0, seed: 1 };
  const ok = (checks: Record<string, boolean>) => ({
    task,
    result: { status: "ok" as const, reason: "", checks, values: {} },
  });
  assert.equal(asExpected(ok({ p: true, c: false }), config), true);
  assert.equal(asExpected(ok({ p: true, c: true }), config), false);
  assert.equal(asExpected(ok({ p: false, c: false }), config), false);
  assert.equal(asExpected({ task, result: failed }, config), false);
});
