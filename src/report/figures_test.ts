import assert from "node:assert/strict";
import { claims as fakeClaims } from "../../fixtures/fake_claims.ts";
import {
  PASS_RATES_FIGURE,
  writeClaimFigures,
  writePassRates,
} from "./figures.ts";
import { planRun } from "../runner/plan.ts";
import type { Figure } from "../claims/types.ts";

const svg = '<svg xmlns="http://www.w3.org/2000/svg"></svg>';

Deno.test("writeClaimFigures writes good figures and logs bad ones", async () => {
  const dir = await Deno.makeTempDir();
  const warnings: string[] = [];
  try {
    const claim = {
      ...fakeClaims[0],
      figures: () =>
        Promise.resolve([
          { file: "F1_a.svg", caption: "a", svg },
          { file: "sub/F1_b.svg", caption: "b", svg },
          { file: "F1_c.svg", svg } as unknown as Figure,
        ]),
    };
    const [plan] = planRun([claim], { profile: "ci", seed: 1 }).claims;
    const taken = new Set([PASS_RATES_FIGURE]);
    const written = await writeClaimFigures(dir, plan, {
      records: [],
      taken,
      warn: (line) => warnings.push(line),
    });
    assert.deepEqual(written.figures, [
      { file: "F1_a.svg", caption: "a" },
      { file: "F1_c.svg", caption: "F1_c.svg" },
    ]);
    assert.deepEqual(written.figureErrors, [
      'figure file name "sub/F1_b.svg" is not a plain .svg name',
    ]);
    assert.deepEqual(warnings, [
      'claim F1: figure file name "sub/F1_b.svg" is not a plain .svg name',
    ]);
    assert.ok(taken.has("F1_a.svg") && taken.has("F1_c.svg"));
    assert.equal(await Deno.readTextFile(`${dir}/figures/F1_a.svg`), svg);
    const none = await writeClaimFigures(
      dir,
      { ...plan, claim: fakeClaims[0] },
      {
        records: [],
        taken,
        warn: (line) => warnings.push(line),
      },
    );
    assert.deepEqual(none, { figures: [], figureErrors: [] });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("writePassRates draws every row, or says why it could not", async () => {
  const dir = await Deno.makeTempDir();
  const warnings: string[] = [];
  try {
    const row = {
      claim: "C1",
      check: "main",
      expect: "holds" as const,
      trials: 10,
      passed: 9,
      rate: 0.9,
      ciLow: 0.55,
      ciHigh: 0.99,
      target: 0.8,
      verdict: "inconclusive" as const,
      ok: false,
    };
    const drawn = await writePassRates(dir, {
      rows: [row],
      warn: (line) => warnings.push(line),
    });
    assert.equal(drawn.link?.file, PASS_RATES_FIGURE);
    assert.equal(drawn.error, undefined);
    const text = await Deno.readTextFile(`${dir}/figures/${PASS_RATES_FIGURE}`);
    assert.ok(text.startsWith("<svg") && text.includes("C1 main"));
    const failed = await writePassRates(dir, {
      rows: [{ ...row, rate: Number.NaN }],
      warn: (line) => warnings.push(line),
    });
    if (failed.error !== undefined) {
      assert.match(warnings.at(-1)!, /^pass-rate figure failed: /);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
