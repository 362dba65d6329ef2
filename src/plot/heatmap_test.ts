import assert from "node:assert/strict";
import { cellText, heatmap, type HeatmapOptions } from "./heatmap.ts";
import {
  countMarks,
  drawTwice,
  texts,
  walk,
  type XmlElement,
} from "../../fixtures/svg_check.ts";

/** A 3×2 grid with one missing value and two framed cells. */
function grid(overrides: Partial<HeatmapOptions> = {}): HeatmapOptions {
  const xs = [0, 0.45, 0.9], ys = [8, 64];
  return {
    title: "C2: exact test error",
    subtitle: "red frame: hypothesis holds",
    xLabel: "mean correlation c",
    yLabel: "d/k",
    xValues: xs,
    yValues: ys,
    cells: ys.flatMap((y) =>
      xs.map((x) => {
        const value = x === 0.9 && y === 64 ? NaN : Math.exp(-(1 - x) * y / 2);
        return {
          x,
          y,
          value,
          lines: [cellText(value), `${Math.round(10 * (1 - x))}/10`],
          framed: x === 0,
        };
      })
    ),
    colorLabel: "test error",
    logColor: true,
    ...overrides,
  };
}

/** The fill colours of the rects of a named mark. */
function fills(root: XmlElement, name: string): string[] {
  const out: string[] = [];
  for (const el of walk(root)) {
    const cls = (el.attrs.class ?? "").split(" ");
    if (cls.includes(`${name}_marks`)) {
      for (const c of el.children) out.push(c.attrs.fill ?? "");
    }
  }
  return out;
}

Deno.test("heatmap", async (t) => {
  await t.step(
    "a rect per cell, grey behind, frames, two lines of text",
    async () => {
      const { svg, root } = await drawTwice(
        () => heatmap(grid()),
        "C2: exact test error",
      );
      assert.equal(countMarks(root, "cell_background"), 6);
      assert.equal(
        countMarks(root, "cells"),
        5,
        "the NaN cell is not coloured",
      );
      assert.equal(countMarks(root, "frames"), 2);
      const text = texts(svg);
      for (
        const line of ["n/a", "10/10", "1/10", "red frame: hypothesis holds"]
      ) {
        assert.ok(text.includes(line), line);
      }
      assert.ok(text.includes("mean correlation c") && text.includes("d/k"));
      const lines = countMarks(root, "cell_text_white") +
        countMarks(root, "cell_text_black");
      assert.equal(lines, 6);
      assert.equal(
        countMarks(root, "cell_text_2_white") +
          countMarks(root, "cell_text_2_black"),
        6,
      );
    },
  );
  await t.step(
    "axis values in the given order, labels without exponents",
    async () => {
      const svg = await heatmap(grid());
      const text = texts(svg);
      const xs = ["0", "0.45", "0.9"].map((v) => text.split("\n").indexOf(v));
      assert.ok(xs.every((i) => i >= 0), "x labels present");
      assert.ok(xs[0] < xs[1] && xs[1] < xs[2], "x labels left to right");
    },
  );
  await t.step("a fixed domain and a linear scale (pass rates)", async () => {
    const cells = grid().cells.map((c) => ({ ...c, value: c.x }));
    const { root } = await drawTwice(
      () => heatmap(grid({ cells, logColor: false, domain: [0, 1] })),
      "C2: exact test error",
    );
    const colours = fills(root, "cells");
    assert.equal(colours.length, 6);
    // Equal values, equal colours; different values, different colours.
    assert.equal(new Set(colours).size, 3);
  });
  await t.step("no colourable value: grey cells only", async () => {
    const cells = grid().cells.map((c) => ({
      ...c,
      value: NaN,
      lines: ["n/a"],
    }));
    const { root } = await drawTwice(
      () => heatmap(grid({ cells, subtitle: undefined })),
      "C2: exact test error",
    );
    assert.equal(countMarks(root, "cells"), 0);
    assert.equal(countMarks(root, "cell_background"), 6);
  });
});

Deno.test("cellText", () => {
  assert.deepEqual(
    [0, 0.5, 0.0123, 0.00123, 12345, -Infinity].map(cellText),
    ["0", "0.5", "0.012", "1.2e-3", "1.2e+4", "n/a"],
  );
});
