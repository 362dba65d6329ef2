import assert from "node:assert/strict";
import { claims as fakeClaims } from "../../fixtures/fake_claims.ts";
import { writeReports } from "./write.ts";
import { planRun } from "../runner/plan.ts";
import { claimInfo } from "./run_info.ts";
import type { ClaimSpec } from "../claims/types.ts";

Deno.test("writeReports writes figures; a bad figure never stops it", async () => {
  const dir = await Deno.makeTempDir();
  const logged: string[] = [];
  const consoleError = console.error;
  console.error = (...data: unknown[]) => logged.push(data.join(" "));
  try {
    const svg = '<svg xmlns="http://www.w3.org/2000/svg"></svg>';
    const [coin, solver] = fakeClaims;
    const withFigures: ClaimSpec[] = [
      {
        ...coin,
        highlights: ["u"],
        figures: (records) =>
          Promise.resolve([
            { file: "F1_a.svg", caption: `${records.length} trials`, svg },
            { file: "../escape.svg", caption: "bad name", svg },
            { file: "pass_rates.svg", caption: "taken", svg },
            { file: "F1_a.svg", caption: "twice", svg },
            { file: "F1_b.svg", caption: "no svg", svg: "" },
          ]),
      },
      {
        ...solver,
        figures: () => {
          throw new Error("figure\nbroke");
        },
      },
    ];
    const plan = planRun(withFigures, { profile: "ci", seed: 7, trials: 2 });
    const records = plan.trials.map((p) => ({
      task: p.task,
      result: {
        status: "ok" as const,
        reason: "",
        checks: Object.fromEntries(
          plan.claims.find((c) => c.claim.id === p.task.claim)!.checks
            .map((c) => [c.name, true]),
        ),
        values: { u: p.task.trial },
      },
    }));
    const input = {
      claims: plan.claims,
      records,
      formats: ["md" as const],
      info: {
        seed: 7,
        profile: "ci" as const,
        backend: "cpu",
        trials: 2,
        shard: null,
        claims: withFigures.map((c) => ({
          id: c.id,
          title: c.title,
          statement: c.statement,
          constants: c.constants,
        })),
      },
    };
    await writeReports(`${dir}/a`, input);
    // Same records in another order: same figures, byte for byte.
    await writeReports(`${dir}/b`, {
      ...input,
      records: [...records].reverse(),
    });
    const files = [...Deno.readDirSync(`${dir}/a/figures`)].map((e) => e.name)
      .sort();
    assert.deepEqual(files, ["F1_a.svg", "pass_rates.svg"]);
    for (const f of files) {
      assert.equal(
        await Deno.readTextFile(`${dir}/b/figures/${f}`),
        await Deno.readTextFile(`${dir}/a/figures/${f}`),
      );
    }
    assert.equal(await Deno.readTextFile(`${dir}/a/figures/F1_a.svg`), svg);
    const md = await Deno.readTextFile(`${dir}/a/summary.md`);
    for (
      const line of [
        "- ![4 trials](figures/F1_a.svg)",
        '- Figure failed: figure file name "../escape.svg" is not a plain .svg name',
        '- Figure failed: figure file name "pass_rates.svg" is used twice',
        '- Figure failed: figure file name "F1_a.svg" is used twice',
        '- Figure failed: figure "F1_b.svg" has no SVG document',
        "- Figure failed: figures threw: figure broke",
        "![Pass rate of every check with its 95% confidence interval](figures/pass_rates.svg)",
      ]
    ) {
      assert.ok(md.includes(line), line);
    }
    assert.equal(logged.length, 10, logged.join("\n"));
    assert.ok(logged.every((l) => /^claim F[12]: /.test(l)));
    await assert.rejects(() => Deno.stat(`${dir}/escape.svg`));
  } finally {
    console.error = consoleError;
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("writeReports: key measurements, estimates and deviations in summary.json and summary.md", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const [coin, solver] = fakeClaims;
    const law = { law: "l", source: "[R]", note: "n" };
    const withPredictions: ClaimSpec[] = [
      {
        ...coin,
        highlights: ["u"],
        predictions: [{
          ...law,
          name: "draw",
          predicted: 0.5,
          measured: { kind: "median", column: "u", check: "control" },
        }],
      },
      {
        ...solver,
        assess: (records, configs) =>
          solver.assess!(records, configs).map((a) => ({
            ...a,
            estimates: { half: { value: 0.5, low: 0.4, high: 0.6 } },
          })),
        predictions: [{
          ...law,
          name: "half",
          predicted: 0.25,
          measured: { kind: "fit", assessment: "mean_ratio", estimate: "half" },
        }],
      },
    ];
    const plan = planRun(withPredictions, {
      profile: "ci",
      seed: 3,
      trials: 4,
    });
    const records = plan.trials.map((p, i) => ({
      task: p.task,
      result: {
        status: "ok" as const,
        reason: "",
        checks: {},
        values: { u: i },
      },
    }));
    await writeReports(dir, {
      claims: plan.claims,
      records,
      formats: ["md", "json"],
      info: {
        seed: 3,
        profile: "ci",
        backend: "cpu",
        trials: 4,
        shard: null,
        claims: withPredictions.map((c) => claimInfo(c, "ci")),
      },
    });
    const summary = JSON.parse(await Deno.readTextFile(`${dir}/summary.json`));
    assert.equal(summary.format, 3);
    // F1's configuration p=0.9 (the one running `control`) has trials 0-3.
    const [draw, half] = summary.deviations;
    assert.equal(draw.claim, "F1");
    assert.equal(draw.measured, 1.5);
    assert.equal(draw.trials, 4);
    assert.equal(half.measured, 0.5);
    assert.equal(half.relative, 1);
    assert.equal(half.inside, false);
    const h = summary.claims[0].highlights;
    assert.deepEqual(h.columns, ["u"]);
    assert.deepEqual(h.rows[0].stats[0].n, 4);
    assert.equal(h.rows[0].cells[0], "1.5 [0.3, 2.7]");
    assert.deepEqual(summary.assessments[0].estimates, {
      half: { value: 0.5, low: 0.4, high: 0.6 },
    });
    const md = await Deno.readTextFile(`${dir}/summary.md`);
    assert.ok(md.includes("## Deviations from the paper"));
    assert.ok(
      md.includes(
        "| F2 | half | 0.25 | l | [R] | 0.5 [0.4, 0.6] (95% CI) | +100.0% | no |",
      ),
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
