import assert from "node:assert/strict";
import { logBinEdges, swordFigure } from "./sword.ts";
import {
  checkSvg,
  countMarks,
  drawTwice,
  texts,
} from "../../fixtures/svg_check.ts";

Deno.test("swordFigure", async (t) => {
  const series = [
    {
      name: "gradient flow: best attack",
      bins: [
        { low: 0.1, high: 0.12, count: 3 },
        { low: 0.12, high: 0.14, count: 5 },
        { low: 0.14, high: 0.16, count: 0 }, // empty: dropped
      ],
    },
    {
      name: "N*: certified",
      bins: [
        { low: 0.42, high: 0.5, count: 7 },
        { low: 0, high: 0.1, count: 2 }, // not on a log axis: dropped
      ],
    },
  ];
  const markers = [
    { value: Math.SQRT1_2, label: "pair ceiling √(d/2)" },
    { value: Math.SQRT2, label: "‖x‖" },
    { value: 0, label: "dropped" },
  ];
  await t.step(
    "one bar per occupied bin, one rule and label per marker",
    async () => {
      const { svg, root } = await drawTwice(
        () => swordFigure({ title: "The sword", series, markers }),
        "The sword",
      );
      assert.equal(countMarks(root, "bars"), 3);
      assert.equal(countMarks(root, "markers"), 2);
      // ‖x‖ sits in the right fifth of the axis: its label ends at its rule.
      assert.equal(countMarks(root, "marker_labels"), 1);
      assert.equal(countMarks(root, "marker_labels_right"), 1);
      const text = texts(svg);
      assert.ok(text.includes("pair ceiling √(d/2)"));
      assert.ok(text.includes("N*: certified"));
      assert.ok(text.includes("radius / √d"));
    },
  );
  await t.step("empty input still renders", async () => {
    const svg = await swordFigure({ title: "Empty", series: [], markers: [] });
    assert.equal(countMarks(checkSvg(svg, "Empty"), "bars"), 0);
  });
});

Deno.test("logBinEdges", () => {
  const edges = logBinEdges({ low: 1 / 32, high: 2, perOctave: 4 });
  assert.equal(edges.length, 6 * 4 + 1);
  assert.equal(edges[0], 1 / 32);
  assert.ok(Math.abs(edges[edges.length - 1] - 2) < 1e-12);
  assert.throws(() => logBinEdges({ low: 0, high: 1, perOctave: 2 }), /low/);
});
