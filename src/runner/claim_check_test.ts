import assert from "node:assert/strict";
import { claims } from "../../fixtures/fake_claims.ts";
import { claimTest, DEFAULT_SEED } from "./claim_check.ts";

Deno.test("claimTest runs a claim and asserts each check's expected verdict", async (t) => {
  assert.equal(DEFAULT_SEED, 1);
  const out = await Deno.makeTempDir();
  const steps: string[] = [];
  const fake = {
    step: async (name: string, fn: () => void | Promise<void>) => {
      steps.push(name);
      try {
        await fn();
        return true;
      } catch {
        return false;
      }
    },
  } as unknown as Deno.TestContext;
  await claimTest(claims[0], { out: `${out}/r` })(fake);
  assert.ok(steps.length > 0);
  assert.ok(await Deno.stat(`${out}/r/summary.csv`));
  await Deno.remove(out, { recursive: true });
  await t.step("steps are named by check and expectation", () => {
    assert.ok(steps.every((s) => /\(expect (holds|fails)\)$/.test(s)));
  });
});
