import assert from "node:assert/strict";
import {
  barChart,
  flipRadiusHistogram,
  lineChart,
  logLogFit,
  radiusScatter,
} from "./plots.ts";
import { Rng } from "../model/rng.ts";

/** An element of a parsed XML document. */
interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
}

const NAME = /^[A-Za-z_:][-A-Za-z0-9_.:]*$/;
const ATTR = /\s*([A-Za-z_:][-A-Za-z0-9_.:]*)\s*=\s*("([^"<]*)"|'([^'<]*)')/y;
const ENTITY = /&(?!(?:amp|lt|gt|quot|apos|#\d+|#x[0-9A-Fa-f]+);)/;

/**
 * A small strict XML parser: one root element, balanced tags, quoted and
 * unique attributes, valid entity references. Throws on malformed input.
 */
function parseXml(xml: string): XmlElement {
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  let i = 0;
  const checkText = (text: string): void => {
    if (ENTITY.test(text)) throw new Error(`bad entity in ${text}`);
    if (stack.length === 0 && text.trim() !== "") {
      throw new Error(`text outside root: ${text}`);
    }
  };
  while (i < xml.length) {
    const lt = xml.indexOf("<", i);
    if (lt < 0) {
      checkText(xml.slice(i));
      break;
    }
    checkText(xml.slice(i, lt));
    if (xml.startsWith("<!--", lt)) {
      const end = xml.indexOf("-->", lt);
      if (end < 0) throw new Error("unclosed comment");
      i = end + 3;
      continue;
    }
    if (xml.startsWith("<?", lt)) {
      const end = xml.indexOf("?>", lt);
      if (end < 0) throw new Error("unclosed declaration");
      i = end + 2;
      continue;
    }
    const gt = xml.indexOf(">", lt);
    if (gt < 0) throw new Error("unclosed tag");
    const tag = xml.slice(lt + 1, gt);
    i = gt + 1;
    if (tag.startsWith("/")) {
      const name = tag.slice(1).trim();
      const open = stack.pop();
      if (open === undefined || open.name !== name) {
        throw new Error(`</${name}> closes <${open?.name}>`);
      }
      continue;
    }
    const selfClosing = tag.endsWith("/");
    const body = selfClosing ? tag.slice(0, -1) : tag;
    const nameEnd = body.search(/\s|$/);
    const name = body.slice(0, nameEnd);
    if (!NAME.test(name)) throw new Error(`bad tag name ${name}`);
    const attrs: Record<string, string> = {};
    ATTR.lastIndex = nameEnd;
    let m: RegExpExecArray | null;
    let pos = nameEnd;
    while ((m = ATTR.exec(body)) !== null) {
      if (m[1] in attrs) throw new Error(`duplicate attribute ${m[1]}`);
      const value = m[3] ?? m[4];
      if (ENTITY.test(value)) throw new Error(`bad entity in ${value}`);
      attrs[m[1]] = value;
      pos = ATTR.lastIndex;
    }
    if (body.slice(pos).trim() !== "") {
      throw new Error(`bad attributes in <${tag}>`);
    }
    const el: XmlElement = { name, attrs, children: [] };
    if (stack.length > 0) stack[stack.length - 1].children.push(el);
    else if (root === undefined) root = el;
    else throw new Error("two root elements");
    if (!selfClosing) stack.push(el);
  }
  if (stack.length > 0) throw new Error(`unclosed <${stack.at(-1)?.name}>`);
  if (root === undefined) throw new Error("no root element");
  return root;
}

/** All elements of the tree, depth first. */
function* walk(el: XmlElement): Generator<XmlElement> {
  yield el;
  for (const c of el.children) yield* walk(c);
}

/** Number of mark items Vega drew for the Vega-Lite mark named `name`. */
function countMarks(root: XmlElement, name: string): number {
  let n = 0;
  for (const el of walk(root)) {
    const cls = (el.attrs.class ?? "").split(" ");
    if (cls.includes("role-mark") && cls.includes(`${name}_marks`)) {
      n += el.children.length;
    }
  }
  return n;
}

/** Text content of all `<text>` elements, joined by newlines. */
function texts(svg: string): string {
  return [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1])
    .join("\n");
}

/** Shared checks: SVG root, parses, title present, no embedded fonts. */
function checkSvg(svg: string, title: string): XmlElement {
  assert.ok(svg.startsWith("<svg"), svg.slice(0, 80));
  const root = parseXml(svg);
  assert.equal(root.name, "svg");
  assert.ok(Number(root.attrs.width) > 0 && Number(root.attrs.height) > 0);
  assert.ok(texts(svg).includes(title), `title "${title}" missing`);
  assert.ok(!/<image|<foreignObject|@font-face/.test(svg));
  return root;
}

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
    const svg = await radiusScatter(opts);
    const root = checkSvg(svg, "Robust &amp; GF &lt;radius&gt;");
    assert.equal(countMarks(root, "points"), 3);
    assert.equal(countMarks(root, "diagonal"), 1);
    assert.ok(texts(svg).includes("robust radius"));
    assert.equal(await radiusScatter(opts), svg);
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
    const svg = await logLogFit(opts);
    const root = checkSvg(svg, "Radius vs d (slope 0.499; reference 0.5)");
    assert.equal(countMarks(root, "points"), 5);
    assert.equal(countMarks(root, "fit_lines"), 2);
    assert.ok(texts(svg).includes("small"));
    assert.equal(await logLogFit(opts), svg);
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
    const svg = await lineChart(opts);
    const root = checkSvg(svg, "KKT residual");
    assert.equal(countMarks(root, "lines"), 3);
    assert.ok(texts(svg).includes("trial 2"));
    assert.equal(await lineChart(opts), svg);
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
    const svg = await barChart(opts);
    const root = checkSvg(svg, "Pass rates");
    assert.equal(countMarks(root, "bars"), 3);
    assert.equal(countMarks(root, "error_bars"), 2);
    assert.ok(texts(svg).includes("C2"));
    assert.equal(await barChart(opts), svg);
  });
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
