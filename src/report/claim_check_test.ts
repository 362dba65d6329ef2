import assert from "node:assert/strict";
import { claims as fakeClaims } from "../../fixtures/fake_claims.ts";
import { fakeWorkerModule } from "../../fixtures/run_options.ts";
import { claimTest, DEFAULT_SEED } from "./claim_check.ts";

/** A test context recording its steps' names and failure messages. */
function recordingContext() {
  const steps: string[] = [];
  const failures: string[] = [];
  const context = {
    step: async (name: string, fn: () => void | Promise<void>) => {
      steps.push(name);
      try {
        await fn();
        return true;
      } catch (error) {
        failures.push(`${name}: ${(error as Error).message}`);
        return false;
      }
    },
  } as unknown as Deno.TestContext;
  return { steps, failures, context };
}

Deno.test("claimTest runs a claim and makes one step per check and assessment", async () => {
  const out = await Deno.makeTempDir();
  const { steps, failures, context } = recordingContext();
  try {
    await claimTest(fakeClaims[1], { out, workerModule: fakeWorkerModule })(
      context,
    );
    assert.deepEqual(steps, [
      "small (expect holds)",
      "mean_ratio (expect holds)",
    ]);
    for (const failure of failures) {
      assert.match(failure, /F2 (small: \d+\/\d+ passed|mean_ratio: mean)/);
    }
    await Deno.stat(`${out}/summary.md`);
  } finally {
    await Deno.remove(out, { recursive: true });
  }
});

Deno.test("a failing step names the failing trials with replay commands", async () => {
  const out = await Deno.makeTempDir();
  const { failures, context } = recordingContext();
  // F2 with an unreachable target: its `small` check must fail.
  const solver = fakeClaims[1];
  const strict = {
    ...solver,
    configs: (profile: "ci" | "paper") =>
      solver.configs(profile).map((c) => ({
        ...c,
        checks: c.checks.map((k) => ({ ...k, target: 0.99 })),
      })),
  };
  try {
    await claimTest(strict, { out, workerModule: fakeWorkerModule })(context);
    const small = failures.find((f) => f.startsWith("small"));
    assert.ok(small !== undefined, "F2 small fails at target 0.99");
    assert.match(small, /F2 small: \d+ of \d+ trials/);
    assert.match(
      small,
      /deno task replay --claim F2 --config "n=\d" --trial \d+ --seed 1/,
    );
  } finally {
    await Deno.remove(out, { recursive: true });
  }
});

Deno.test("claimTest runs a claim and asserts each check's expected verdict", async (t) => {
  assert.equal(DEFAULT_SEED, 1);
  const out = await Deno.makeTempDir();
  const { steps, context } = recordingContext();
  await claimTest(fakeClaims[0], { out: `${out}/r` })(context);
  assert.ok(steps.length > 0);
  assert.ok(await Deno.stat(`${out}/r/summary.csv`));
  await Deno.remove(out, { recursive: true });
  await t.step("steps are named by check and expectation", () => {
    assert.ok(steps.every((s) => /\(expect (holds|fails)\)$/.test(s)));
  });
});
