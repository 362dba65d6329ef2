import assert from "node:assert/strict";
import { claims as fakeClaims } from "../../fixtures/fake_claims.ts";
import { writeReports } from "./write.ts";
import { planRun } from "../runner/plan.ts";
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
