import assert from "node:assert/strict";
import {
  info,
  main,
  records,
  reportSummary,
} from "../../fixtures/report_data.ts";
import {
  MARKDOWN_LEGEND,
  summaryMarkdown,
  summaryTableMarkdown,
} from "./summary_md.ts";
import { summarize } from "./verdict.ts";
import type { CheckSpec, TrialRecord } from "../claims/types.ts";

const { rows, assessments } = reportSummary();

Deno.test(
  "summary.md has the table, assessments, run and constants",
  () => {
    const md = summaryMarkdown({ rows, assessments }, info);
    assert.ok(md.includes(summaryTableMarkdown(rows)));
    assert.ok(
      md.includes(
        "| claim | check | expect | trials | passed | rate | 95% CI |",
      ),
    );
    assert.ok(md.includes("| C1 | main | holds | 12 | 11 | 0.9167 | ["));
    assert.ok(/✓|✗/.test(md));
    assert.ok(
      md.includes(
        "| C1 | slope | holds | holds | slope 0.49 [0.41, 0.57] | — | — | holds | ✓ |",
      ),
    );
    for (
      const line of [
        "- seed: 42",
        "- profile: ci",
        "- backend: cpu",
        "- trials: 5 per configuration (override)",
        "- shard: 2/3",
        "- workers: 2",
        "- started: 2024-01-01T00:00:00.000Z",
        "- elapsed: 12.3 s",
        "- note: hello",
        "### C1: Title | with pipe",
        "The statement.",
        "| kappa | 3 |",
        "| c0 | 0.25 |",
      ]
    ) {
      assert.ok(md.includes(line), line);
    }
    const bare = summaryMarkdown({ rows: [], assessments: [] }, {
      ...info,
      workers: undefined,
      started: undefined,
      elapsedSeconds: undefined,
      shard: null,
      trials: null,
      claims: [{ id: "C2", title: "t", statement: "s", constants: {} }],
    });
    assert.ok(bare.includes("- shard: whole plan"));
    assert.ok(bare.includes("- trials: per configuration"));
    assert.ok(!bare.includes("workers"));
    assert.ok(bare.includes("No named constants."));
    assert.ok(bare.includes("None."));
  },
);

Deno.test("summary.md shows key measurements and figures per claim", () => {
  const one = summarize(records("x", [["ok", { main: true }]]), {
    claim: "C1",
    checks: [main],
  });
  const md = summaryMarkdown({ rows: one, assessments: [] }, info, {
    overview: { file: "pass_rates.svg", caption: "Pass rates" },
    claims: {
      C1: {
        highlights: {
          columns: ["ratio"],
          rows: [{ config: "d=10", n: 5, cells: ["1.2 [1, 1.4]"] }],
        },
        figures: [{ file: "C1_a.svg", caption: "A [x]\nsecond line" }],
        figureErrors: ["figures threw: oops | bad"],
      },
    },
  });
  for (
    const line of [
      "![Pass rates](figures/pass_rates.svg)",
      "#### Key measurements",
      "| configuration | finished | ratio |",
      "| d=10 | 5 | 1.2 [1, 1.4] |",
      "#### Figures",
      "- ![A \\[x\\] second line](figures/C1_a.svg)",
      "- Figure failed: figures threw: oops \\| bad",
    ]
  ) {
    assert.ok(md.includes(line), line);
  }
  // Claim sections come after the run section, in claim order.
  assert.ok(md.indexOf("## Run") < md.indexOf("#### Key measurements"));
  const failed = summaryMarkdown({ rows: one, assessments: [] }, info, {
    overviewError: "vega broke",
    claims: {
      C1: {
        highlights: { columns: [], rows: [] },
        figures: [],
        figureErrors: [],
      },
    },
  });
  assert.ok(failed.includes("The pass-rate figure failed: vega broke"));
  assert.ok(!failed.includes("#### Key measurements"));
  assert.ok(!failed.includes("#### Figures"));
  assert.equal(
    summaryMarkdown({ rows: one, assessments: [] }, info, {}),
    summaryMarkdown({ rows: one, assessments: [] }, info),
  );
});

Deno.test("summary.md starts with the verdict line, table and legend", () => {
  const md = summaryMarkdown({ rows, assessments }, info);
  const lines = md.split("\n");
  assert.equal(lines[0], "# Claim checks");
  assert.match(lines[2], /expected verdict/);
  assert.ok(md.includes(MARKDOWN_LEGEND[0]));
  assert.equal(
    summaryTableMarkdown(rows).split("\n").length,
    rows.length + 2,
  );
});

Deno.test("summary.md: a table per claim with twin, power, margin, saturation and reach", () => {
  const prediction: CheckSpec = {
    name: "flips",
    description: "",
    target: 0.8,
    expect: "holds",
    margin: { measured: "frac", threshold: 0.9, direction: "above" },
  };
  const twin: CheckSpec = {
    name: "flips_robust_twin",
    description: "",
    target: 0.8,
    expect: "fails",
    role: "twin",
    twinOf: "flips",
  };
  const recs: TrialRecord[] = Array.from({ length: 30 }, (_, trial) => ({
    task: { claim: "C4", config: "x", trial, seed: trial },
    result: {
      status: "ok",
      reason: "",
      checks: { flips: true, flips_robust_twin: trial < 3 },
      values: { frac: 1 },
    },
  }));
  const rows = summarize(recs, { claim: "C4", checks: [prediction, twin] });
  const md = summaryMarkdown({ rows, assessments: [] }, {
    ...info,
    claims: [{
      id: "C4",
      title: "Non-robustness",
      statement: "s",
      constants: { radiusConstant: 2, pointFraction: 0.9 },
      constantReasons: { radiusConstant: "the scale the paper states" },
    }],
  });
  for (
    const line of [
      "## Evidence, claim by claim",
      "### C4",
      // All 30 pass with frac/0.9 = 1.111 > 1.1: none within 10%: saturated.
      "| flips | prediction | flips_robust_twin | 0.1000 | 0.9000 [0.7347, 0.9789] | 1.111 (pass ≥ 1; frac) | 0% of 30 | **saturated** | yes: needs ≥ 29/30 passes |",
      "| flips_robust_twin | twin | shadows flips | — | — | not declared | — |  | yes: needs ≤ 1/30 passes |",
      "## Verdict rules",
      "| controlCeiling | 0.2 | a line expected to fail",
      "Holm–Bonferroni family of this run: 2 p-value(s) (2 check(s), 0 fitted assessment(s))",
      "| radiusConstant | 2 | the scale the paper states |",
      "| pointFraction | 0.9 | (no reason given) |",
    ]
  ) {
    assert.ok(md.includes(line), line);
  }
  // The twin passes 3/30: its upper bound 0.27 is above the ceiling 0.2.
  assert.ok(
    md.includes(
      "| C4 | flips_robust_twin | fails | 30 | 3 | 0.1000 | [0.0211, 0.2653] | 0.8 | inconclusive |",
    ),
  );
});

Deno.test("summary.md has the deviations from the paper, after the assessments", () => {
  const deviation = {
    claim: "C1",
    name: "slope",
    law: "√d",
    source: "[A]",
    note: "the note",
    form: "value" as const,
    predicted: 0.5,
    from: "a of the assessment law",
    measured: 0.52,
    low: 0.5,
    high: 0.54,
    range: "95% CI" as const,
    trials: null,
    deviation: 0.02,
    relative: 0.04,
    inside: true,
  };
  const md = summaryMarkdown({ rows, assessments }, info, {
    deviations: [deviation],
  });
  const at = md.indexOf("## Deviations from the paper");
  assert.ok(at > md.indexOf("## Assessments"));
  assert.ok(at < md.indexOf("## Verdict rules"));
  assert.ok(
    md.includes(
      "| C1 | slope | 0.5 | √d | [A] | 0.52 [0.5, 0.54] (95% CI) | +4.0% | yes | a of the assessment law | the note |",
    ),
  );
  // Without deviations (e.g. a caller with no plan): no section.
  assert.ok(
    !summaryMarkdown({ rows, assessments }, info).includes("## Deviations"),
  );
});
