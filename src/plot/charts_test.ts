import assert from "node:assert/strict";
import { barChart, lineChart } from "./charts.ts";
import {
  checkSvg,
  countMarks,
  drawTwice,
  texts,
} from "../../fixtures/svg_check.ts";

Deno.test("lineChart", async (t) => {
  await t.step("one line per series, legend for few series", async () => {
    const opts = {
      series: ["trial 0", "trial 1", "trial 2"].map((name, k) => ({
        name,
        points: [0, 1, 2, 3].map((x) => ({ x, y: (k + 1) * 10 ** -x })),
      })),
      title: "KKT residual",
      xLabel: "step",
      yLabel: "residual",
      logY: true,
    };
    const { svg, root } = await drawTwice(
      () => lineChart(opts),
      "KKT residual",
    );
    assert.equal(countMarks(root, "lines"), 3);
    assert.ok(texts(svg).includes("trial 2"));
  });
  await t.step("no legend above 10 series", async () => {
    const series = Array.from({ length: 12 }, (_, k) => ({
      name: `trial ${k}`,
      points: [{ x: 0, y: k }, { x: 1, y: k + 1 }],
    }));
    const svg = await lineChart({
      series,
      title: "Many",
      xLabel: "step",
      yLabel: "y",
    });
    const root = checkSvg(svg, "Many");
    assert.equal(countMarks(root, "lines"), 12);
    assert.ok(!texts(svg).includes("trial 11"));
  });
});

Deno.test("barChart", async (t) => {
  await t.step("bars with error bars where given", async () => {
    const opts = {
      bars: [
        { label: "C1", value: 0.9, low: 0.8, high: 0.95, group: "ci" },
        { label: "C1", value: 0.7, low: 0.5, high: 0.8, group: "paper" },
        { label: "C2", value: 0.3, group: "ci" },
      ],
      title: "Pass rates",
      yLabel: "pass rate",
    };
    const { svg, root } = await drawTwice(() => barChart(opts), "Pass rates");
    assert.equal(countMarks(root, "bars"), 3);
    assert.equal(countMarks(root, "error_bars"), 2);
    assert.ok(texts(svg).includes("C2"));
  });
});
