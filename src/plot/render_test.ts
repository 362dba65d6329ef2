import assert from "node:assert/strict";
import { barChart, lineChart } from "./charts.ts";
import {
  flipRadiusHistogram,
  logLogFit,
  radiusScatter,
} from "./radius_figures.ts";
import { parseXml } from "../../fixtures/svg_check.ts";

Deno.test("parseXml rejects malformed documents", () => {
  assert.equal(
    parseXml('<svg a="1"><g/><text>x &amp; y</text></svg>').name,
    "svg",
  );
  for (
    const bad of [
      "<svg><g></svg>",
      "<svg></g>",
      '<svg a="1" a="2"/>',
      "<svg a=1/>",
      "<svg>a & b</svg>",
      "<svg/><svg/>",
    ]
  ) {
    assert.throws(() => parseXml(bad), Error, bad);
  }
});

Deno.test("no Vega or Vega-Lite warnings on ordinary or empty input", async () => {
  const warnings: string[] = [];
  const { warn, log, error } = console;
  const capture = (...args: unknown[]): void => {
    warnings.push(args.map(String).join(" "));
  };
  console.warn = capture;
  console.log = capture;
  console.error = capture;
  try {
    await flipRadiusHistogram({ ratios: [0.3, 0.9], title: "h", markers: [] });
    await flipRadiusHistogram({ ratios: [], title: "h", markers: [] });
    await radiusScatter({ points: [], title: "s", xLabel: "x", yLabel: "y" });
    await logLogFit({
      points: [{ x: 1, y: 1 }, { x: 2, y: 2 }],
      slope: 1,
      intercept: 0,
      title: "f",
      xLabel: "x",
      yLabel: "y",
    });
    await lineChart({ series: [], title: "l", xLabel: "x", yLabel: "y" });
    await barChart({
      bars: [{ label: "a", value: 1 }],
      title: "b",
      yLabel: "y",
    });
  } finally {
    console.warn = warn;
    console.log = log;
    console.error = error;
  }
  assert.deepEqual(warnings, []);
});
