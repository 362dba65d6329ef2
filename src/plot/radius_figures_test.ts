import assert from "node:assert/strict";
import {
  flipRadiusHistogram,
  logLogFit,
  radiusScatter,
} from "./radius_figures.ts";
import {
  checkSvg,
  countMarks,
  drawTwice,
  texts,
} from "../../fixtures/svg_check.ts";
import { Rng } from "../model/rng.ts";

Deno.test("flipRadiusHistogram", async (t) => {
  const markers = [
    { value: 0.25, label: "control scale" },
    { value: 2, label: "C" },
  ];
  await t.step(
    "one bar per occupied bin, one rule and label per marker",
    async () => {
      // Three separated values: three occupied bins, whatever the bin step.
      const svg = await flipRadiusHistogram({
        ratios: [0.5, 0.5, 1, 1, 1, 3, NaN],
        title: "Flip radius / √(d/k)",
        markers,
      });
      const root = checkSvg(svg, "Flip radius / √(d/k)");
      assert.equal(countMarks(root, "bars"), 3);
      assert.equal(countMarks(root, "markers"), 2);
      assert.equal(countMarks(root, "marker_labels"), 2);
      assert.ok(texts(svg).includes("control scale"));
    },
  );
  await t.step("deterministic on a larger sample", async () => {
    const rng = new Rng(7);
    const ratios = Array.from({ length: 500 }, () => Math.exp(rng.normal()));
    const opts = { ratios, title: "Histogram", markers };
    const a = await flipRadiusHistogram(opts);
    const b = await flipRadiusHistogram(opts);
    assert.equal(a, b);
    const root = checkSvg(a, "Histogram");
    const bars = countMarks(root, "bars");
    assert.ok(bars > 5 && bars <= 31, `${bars} bars`);
  });
  await t.step("empty input still renders", async () => {
    const svg = await flipRadiusHistogram({
      ratios: [],
      title: "Empty",
      markers: [],
    });
    const root = checkSvg(svg, "Empty");
    assert.equal(countMarks(root, "bars"), 0);
  });
});

Deno.test("radiusScatter", async (t) => {
  await t.step("one symbol per positive point and the diagonal", async () => {
    const opts = {
      points: [
        { nonRobust: 0.1, robust: 1 },
        { nonRobust: 0.3, robust: 2 },
        { nonRobust: 1, robust: 1.5 },
        { nonRobust: 0, robust: 1 }, // not on a log axis: dropped
      ],
      title: "Robust & GF <radius>",
      xLabel: "gradient-flow radius",
      yLabel: "robust radius",
    };
    const { svg, root } = await drawTwice(
      () => radiusScatter(opts),
      "Robust &amp; GF &lt;radius&gt;",
    );
    assert.equal(countMarks(root, "points"), 3);
    assert.equal(countMarks(root, "diagonal"), 1);
    assert.ok(texts(svg).includes("robust radius"));
  });
});

Deno.test("logLogFit", async (t) => {
  const rng = new Rng(3);
  const points = [10, 20, 40, 80, 160].map((x) => ({
    x,
    y: 0.3 * Math.sqrt(x) * Math.exp(0.05 * rng.normal()),
    group: x < 50 ? "small" : "large",
  }));
  await t.step("points, fitted line and reference line", async () => {
    const opts = {
      points,
      slope: 0.4987,
      intercept: Math.log(0.3),
      title: "Radius vs d",
      xLabel: "d",
      yLabel: "radius",
      referenceSlope: 0.5,
    };
    const { svg, root } = await drawTwice(
      () => logLogFit(opts),
      "Radius vs d (slope 0.499; reference 0.5)",
    );
    assert.equal(countMarks(root, "points"), 5);
    assert.equal(countMarks(root, "fit_lines"), 2);
    assert.ok(texts(svg).includes("small"));
  });
  await t.step(
    "without a reference: one line, slope in the title",
    async () => {
      const svg = await logLogFit({
        points: points.map(({ x, y }) => ({ x, y })),
        slope: 0.5,
        intercept: Math.log(0.3),
        title: "Fit",
        xLabel: "d",
        yLabel: "radius",
      });
      const root = checkSvg(svg, "Fit (slope 0.5)");
      assert.equal(countMarks(root, "points"), 5);
      assert.equal(countMarks(root, "fit_lines"), 1);
    },
  );
});
