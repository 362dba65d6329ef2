import assert from "node:assert/strict";
import { fakeRunPages } from "../../fixtures/run_pages.ts";
import { checkFailures } from "./failures.ts";
import {
  escapeHtml,
  htmlReport,
  type HtmlReportInput,
  inlineSvg,
  valueText,
} from "./html.ts";
import { readRunFolder, writeHtmlReport, writeRunPages } from "./html_write.ts";
import { UsageError } from "../base/usage_error.ts";

const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">' +
  '<rect width="10" height="10"/></svg>';

/** A page input with two claims, unknown fields and one failing trial. */
function pageInput(): HtmlReportInput {
  const failures = [
    checkFailures([{
      task: { claim: "C1", config: "d=5|x", trial: 2, seed: 77 },
      result: {
        status: "ok",
        reason: "",
        checks: { a: false },
        values: { r: 3 },
      },
    }], {
      claim: "C1",
      check: {
        name: "a",
        expect: "holds",
        margin: { measured: "r", threshold: 2, direction: "below" },
      },
      replay: { seed: 4, profile: "paper" },
    }),
  ];
  return {
    summary: {
      format: 2,
      run: { seed: 4, profile: "paper", backend: "cpu" },
      rules: { familyAlpha: { value: 0.05, reason: "the usual <level>" } },
      claims: [
        {
          id: "C1",
          title: "First",
          statement: "A statement & more.",
          source: "[A]",
          hypotheses: ["h1", "h2"],
          constants: { tol: 0.15 },
          constantReasons: { tol: "fixed before the data" },
          checks: [{
            name: "a",
            expect: "holds",
            role: "prediction",
            target: 0.8,
            configs: ["d=5|x"],
            margin: { measured: "r", threshold: 2, direction: "below" },
          }, {
            name: "b",
            expect: "fails",
            role: "twin",
            twinOf: "a",
            target: 0.8,
            configs: ["d=5|x"],
          }],
          novelty: "shown as another field",
        },
        { id: "C2", title: "Second", statement: "s2", constants: {} },
      ],
      rows: [
        { claim: "C1", check: "a", rate: 0.75, ok: false, power: 0.912345 },
        {
          claim: "C1",
          check: "b",
          rate: 0.1,
          ok: true,
          twin: { power: 0.9, powerCi: { low: 0.8, high: 0.95 } },
        },
        { claim: "C2", check: "c", rate: 1, ok: true },
      ],
      assessments: [{ claim: "C2", check: "slope", ok: true, detail: "d" }],
      allOk: false,
    },
    manifest: { schema_version: 2, plan: { total: 12, inShard: 12 } },
    figures: [
      { file: "pass_rates.svg", svg },
      { file: "C1_thing.svg", svg: svg.replace("<rect", '<rect id="r"') },
      { file: "C2_other.svg", svg },
    ],
    failures,
    highlights: {
      C1: {
        columns: ["r"],
        rows: [{ config: "d=5|x", n: 1, cells: ["3 [3, 3]"] }],
      },
    },
    files: ["summary.csv", "trials/C1.csv"],
  };
}

Deno.test("htmlReport shows every row field as a column, and each claim's parts", () => {
  const page = htmlReport(pageInput());
  assert.ok(page.startsWith('<!DOCTYPE html>\n<html lang="en">'));
  const table = page.slice(
    page.indexOf('id="verdict-table"'),
    page.indexOf("</table>", page.indexOf('id="verdict-table"')),
  );
  assert.equal(
    (table.match(/<tr class=/g) ?? []).length,
    3,
    "one row per check",
  );
  for (const column of ["claim", "check", "rate", "ok", "power", "twin"]) {
    assert.match(table, new RegExp(`<th scope="col"[^>]*>${column}</th>`));
  }
  assert.match(table, /<td class="num" data-sort="0.912345">0.9123<\/td>/);
  assert.match(table, /power: 0.9; powerCi: low: 0.8; high: 0.95/);
  assert.match(table, /<tr class="bad">/);
  assert.match(page, /<h2>C1 — First<\/h2>/);
  assert.match(page, /A statement &amp; more\./);
  assert.match(page, /Source: <span class="source">\[A\]<\/span>/);
  assert.match(page, /<li>h1<\/li><li>h2<\/li>/);
  assert.match(page, /<td>fixed before the data<\/td>/);
  assert.match(page, /<td>twin<\/td><td>a<\/td>/, "role and twinOf of a check");
  assert.match(page, /the usual &lt;level&gt;/, "unknown top-level fields");
  assert.match(page, /<dt>novelty<\/dt><dd>shown as another field<\/dd>/);
  assert.match(page, /<td>3 \[3, 3\]<\/td>/, "key measurements");
  assert.match(page, /1 of 1 trials failed:/);
  assert.match(
    page,
    /deno task replay --claim C1 --config &quot;d=5\|x&quot; --trial 2 --seed 4 --profile paper/,
  );
  assert.match(page, /<code>r=3<\/code>/);
  assert.match(page, /<a href="trials\/C1.csv">trials\/C1.csv<\/a>/);
  assert.match(page, /<dt>schema_version<\/dt><dd>2<\/dd>/);
  // Figures go to their claim's section; pass_rates.svg to the top.
  const c1 = page.indexOf('id="claim-C1"');
  const c2 = page.indexOf('id="claim-C2"');
  assert.ok(page.indexOf('data-file="pass_rates.svg"') < c1);
  assert.ok(page.indexOf('data-file="C1_thing.svg"') > c1);
  assert.ok(page.indexOf('data-file="C2_other.svg"') > c2);
  assert.match(page, /<rect id="fig1-r"/);
  // Self-contained: nothing is fetched (the SVG namespace is a name, not a fetch).
  assert.doesNotMatch(
    page.replaceAll('xmlns="http://www.w3.org/2000/svg"', ""),
    /(src|href)="?(https?:)?\/\//,
  );
  assert.doesNotMatch(page, /<link |<script src/);
  assert.equal(htmlReport(pageInput()), page, "deterministic");
});

Deno.test("htmlReport draws the deviations from the paper as a section of their own", () => {
  const input = pageInput();
  input.summary.deviations = [{
    claim: "C1",
    name: "slope",
    form: "value",
    predicted: -0.5,
    law: "ln error ≈ −d/(2k)",
    source: "[R]",
    measured: -0.424,
    low: -0.434,
    high: -0.413,
    range: "95% CI",
    trials: null,
    deviation: 0.076,
    relative: -0.152,
    inside: false,
    from: "slope of law",
    note: "a <note>",
  }];
  const page = htmlReport(input);
  assert.match(page, /<a href="#deviations">Deviations<\/a>/);
  const start = page.indexOf('<section id="deviations">');
  assert.ok(start > page.indexOf('id="verdict-table"'));
  assert.ok(start < page.indexOf('id="claim-C1"'));
  const section = page.slice(start, page.indexOf("</section>", start));
  assert.match(section, /<h2>Deviations from the paper<\/h2>/);
  assert.match(section, /<table class="sortable" id="deviation-table">/);
  assert.equal((section.match(/<tr>/g) ?? []).length, 2, "header and one row");
  assert.match(section, /<td class="num" data-sort="-0.152">-0.152<\/td>/);
  assert.match(section, /a &lt;note&gt;/);
  // Not repeated among the unknown top-level fields.
  assert.equal(page.indexOf("<h3>deviations</h3>"), -1);
  // An empty list says so; a summary without the field has no section.
  input.summary.deviations = [];
  assert.match(
    htmlReport(input),
    /<h2>Deviations from the paper<\/h2>\n<p>[^<]*<\/p>\n<p>None\.<\/p>/,
  );
  delete input.summary.deviations;
  assert.doesNotMatch(htmlReport(input), /id="deviations"/);
});

Deno.test("the page's helpers escape, format and isolate figures", () => {
  assert.equal(escapeHtml("<&>"), "&lt;&amp;&gt;");
  assert.equal(valueText(0.000123456), "0.0001235");
  assert.equal(valueText(true), "true");
  assert.equal(valueText(undefined), "—");
  assert.equal(
    inlineSvg('<svg><use xlink:href="#a"/><script>x()</script></svg>', "p"),
    '<svg><use xlink:href="#p-a"/></svg>',
  );
  const bare = htmlReport({
    summary: {},
    figures: [],
    failures: [],
    files: [],
  });
  assert.match(bare, /<table class="sortable" id="verdict-table">/);
});

Deno.test("writeRunPages writes failures.md always and index.html with html, the same for the same seed", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const pages: string[] = [];
    const cases: [string, string[]][] = [
      ["a", ["csv"]],
      ["b", ["html"]],
      ["c", ["html"]],
    ];
    for (const [name, formats] of cases) {
      const out = `${dir}/${name}`;
      const input = await fakeRunPages(out, {
        seed: 5,
        workers: name === "c" ? 2 : 1,
      });
      const failures = await writeRunPages(out, { ...input, formats });
      assert.equal(failures.length, 3);
      assert.match(await Deno.readTextFile(`${out}/failures.md`), /## F2/);
      const html = `${out}/index.html`;
      if (formats.includes("html")) pages.push(await Deno.readTextFile(html));
      else await assert.rejects(() => Deno.stat(html), Deno.errors.NotFound);
    }
    assert.equal(pages[0], pages[1], "1 and 2 workers give the same page");
    assert.match(pages[0], /<a href="provenance.json">/);
    assert.match(pages[0], /<a href="trials\/F2.csv">/);
    assert.match(
      pages[0],
      /--claim F1 --config &quot;p=0.7,tag=b&quot; --trial 0 --seed 5/,
    );

    await assert.rejects(
      () => readRunFolder(`${dir}/a`),
      (e) =>
        e instanceof UsageError && /summary.json not found/.test(e.message),
    );
    await Deno.writeTextFile(`${dir}/a/summary.json`, "{ broken");
    await assert.rejects(
      () => writeHtmlReport(`${dir}/a`),
      (e) => e instanceof UsageError && /not valid JSON/.test(e.message),
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("readRunFolder draws the committed paper report from its files", async () => {
  const paper = new URL("../../reports/paper", import.meta.url).pathname;
  const input = await readRunFolder(paper);
  const summary = JSON.parse(await Deno.readTextFile(`${paper}/summary.json`));
  const svgs: string[] = [];
  for await (const e of Deno.readDir(`${paper}/figures`)) {
    if (e.name.endsWith(".svg")) svgs.push(e.name);
  }
  assert.equal(input.figures[0].file, "pass_rates.svg");
  assert.equal(input.figures.length, svgs.length, "one figure per SVG file");
  assert.deepEqual(
    input.failures.map((f) => `${f.claim} ${f.check.name}`),
    summary.rows.map((r: { claim: string; check: string }) =>
      `${r.claim} ${r.check}`
    ),
    "one drill-down per check of summary.json",
  );
  // Every check with trials against its expectation shows paper replays.
  const against = input.failures.filter((f) => f.against > 0);
  for (const f of against) {
    assert.match(f.shown[0].replay, /--profile paper$/);
  }
  assert.ok(input.files.includes("trials/C4.csv"));
  const page = htmlReport(input);
  assert.equal(
    (page.match(/<figure class="figure"/g) ?? []).length,
    svgs.length,
  );
});
