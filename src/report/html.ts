/**
 * `index.html`: the report of a run as one self-contained page — inline
 * CSS, inline SVG figures and a few lines of inline JavaScript, no network.
 * It shows the verdict table (sortable by clicking a header), the
 * assessments, the deviations from the paper (measured against predicted),
 * then one section per claim: its statement, source tag,
 * hypotheses, named constants (with their reasons), checks (with role,
 * twin and margin), assessments, key measurements, figures and failing
 * trials with their replay commands, and links to the run's files.
 *
 * The page is built from the run's `summary.json` content, its `run.json`,
 * its figures and the failure drill-down (`failures.ts`); every field of a
 * summary row, a check or a claim that this module does not know is still
 * shown (as a column, or as a line), so new fields appear without a change
 * here. It has no wall-clock content: the same run gives the same page.
 *
 * @module
 */

import type { CheckFailures, FailingTrial } from "./failures.ts";
import { DEVIATIONS_LEGEND } from "./deviations.ts";

/** A JSON value as parsed. */
export type Json =
  | string
  | number
  | boolean
  | null
  | Json[]
  | { [key: string]: Json };

/** A JSON object as parsed. */
export type JsonObject = { [key: string]: Json };

/** A figure of the run: its file name under `figures/` and its SVG text. */
export interface HtmlFigure {
  /** File name under `figures/`. */
  file: string;
  /** The SVG document. */
  svg: string;
}

/** A claim's key measurements: per configuration, "median [q10, q90]" of each column. */
export interface HtmlHighlights {
  /** Value columns. */
  columns: string[];
  /** One row per configuration: finished trials and one cell per column. */
  rows: { config: string; n: number; cells: string[] }[];
}

/** What {@linkcode htmlReport} draws a page from. */
export interface HtmlReportInput {
  /** The parsed `summary.json` of the run. */
  summary: JsonObject;
  /** The parsed `run.json`, if any. */
  manifest?: JsonObject | null;
  /** The figures, in the order to show them. */
  figures: HtmlFigure[];
  /** The failure drill-down of every check. */
  failures: CheckFailures[];
  /** Key measurements by claim id, when known. */
  highlights?: Record<string, HtmlHighlights>;
  /** The run's files to link to (paths relative to the page), in order. */
  files: string[];
}

/** File name of the page in a run folder. */
export const HTML_REPORT_FILE = "index.html";

/** Fields of a summary row shown first, in this order (the others follow). */
const ROW_LEAD = [
  "claim",
  "check",
  "role",
  "expect",
  "trials",
  "passed",
  "rate",
  "ciLow",
  "ciHigh",
  "target",
  "verdict",
  "ok",
];

/** Fields of a claim in `summary.json` drawn in their own places. */
const CLAIM_KNOWN = new Set([
  "id",
  "title",
  "statement",
  "source",
  "hypotheses",
  "constants",
  "constantReasons",
  "checks",
  "highlights",
]);

/** Top-level fields of `summary.json` drawn in their own places. */
const SUMMARY_KNOWN = new Set([
  "run",
  "claims",
  "rows",
  "assessments",
  "deviations",
  "allOk",
]);

/** Fields of a deviation shown first, in this order (the others follow). */
const DEVIATION_LEAD = [
  "claim",
  "name",
  "form",
  "predicted",
  "law",
  "source",
  "measured",
  "low",
  "high",
  "range",
  "relative",
  "deviation",
  "inside",
  "from",
  "note",
];

/** The "Deviations from the paper" section (`summary.json`'s `deviations`). */
function deviationsHtml(value: Json | undefined): string {
  if (!Array.isArray(value)) return "";
  const deviations = value.filter(isObject);
  return [
    '<section id="deviations">',
    "<h2>Deviations from the paper</h2>",
    `<p>${escapeHtml(DEVIATIONS_LEGEND)}</p>`,
    deviations.length === 0 ? "<p>None.</p>" : objectTable(deviations, {
      id: "deviation-table",
      lead: DEVIATION_LEAD,
    }),
    "</section>",
  ].join("\n");
}

/**
 * Escape text for HTML (element content and quoted attribute values).
 *
 * @example
 * ```ts
 * import { escapeHtml } from "./html.ts";
 * import assert from "node:assert/strict";
 * assert.equal(escapeHtml(`<a href="x">&'`), "&lt;a href=&quot;x&quot;&gt;&amp;&#39;");
 * ```
 */
export function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) =>
      ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[
        c
      ]!,
  );
}

/** Whether a JSON value is an object (not an array, not null). */
function isObject(value: Json | undefined): value is JsonObject {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** A number as the page shows it: integers whole, others to 4 significant digits. */
function numberText(x: number): string {
  if (Number.isInteger(x)) return String(x);
  if (!Number.isFinite(x)) return String(x);
  return String(Number(x.toPrecision(4)));
}

/**
 * A JSON value as one line of text: numbers to 4 significant digits,
 * arrays joined by commas, objects as `key: value; …`, `null` as `—`.
 *
 * @example
 * ```ts
 * import { valueText } from "./html.ts";
 * import assert from "node:assert/strict";
 * assert.equal(valueText({ low: 0.123456, high: 1 }), "low: 0.1235; high: 1");
 * assert.equal(valueText(["a", 2]), "a, 2");
 * assert.equal(valueText(null), "—");
 * ```
 */
export function valueText(value: Json | undefined): string {
  if (value === undefined || value === null) return "—";
  if (typeof value === "number") return numberText(value);
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "string") return value;
  if (Array.isArray(value)) return value.map(valueText).join(", ");
  return Object.entries(value).map(([k, v]) => `${k}: ${valueText(v)}`)
    .join("; ");
}

/** A table cell for a value: its text, and the raw number to sort by. */
function cell(value: Json | undefined, field = ""): string {
  if (typeof value === "boolean" && /^ok/i.test(field)) {
    return `<td class="${value ? "yes" : "no"}" data-sort="${value ? 1 : 0}">${
      value ? "✓" : "✗"
    }</td>`;
  }
  const sort = typeof value === "number" && Number.isFinite(value)
    ? ` data-sort="${value}"`
    : "";
  const cls = typeof value === "number"
    ? ` class="num"`
    : value !== null && typeof value === "object" && !Array.isArray(value)
    ? ` class="obj"`
    : "";
  return `<td${cls}${sort}>${escapeHtml(valueText(value))}</td>`;
}

/** The union of the keys of some objects: `lead` first (those present), then first appearance. */
function columnsOf(objects: JsonObject[], lead: string[] = []): string[] {
  const seen = new Set<string>();
  for (const o of objects) for (const k of Object.keys(o)) seen.add(k);
  const first = lead.filter((k) => seen.has(k));
  return [...first, ...[...seen].filter((k) => !first.includes(k))];
}

/** A sortable table of objects, one column per key. */
function objectTable(
  objects: JsonObject[],
  options: {
    id?: string;
    lead?: string[];
    rowClass?: (o: JsonObject) => string;
  },
): string {
  const columns = columnsOf(objects, options.lead);
  const id = options.id === undefined ? "" : ` id="${escapeHtml(options.id)}"`;
  const head = columns.map((c) =>
    `<th scope="col" title="sort by ${escapeHtml(c)}">${escapeHtml(c)}</th>`
  ).join("");
  const body = objects.map((o) => {
    const cls = options.rowClass?.(o) ?? "";
    return `<tr${cls === "" ? "" : ` class="${cls}"`}>${
      columns.map((c) => cell(o[c], c)).join("")
    }</tr>`;
  }).join("\n");
  return `<table class="sortable"${id}><thead><tr>${head}</tr></thead>\n` +
    `<tbody>\n${body}\n</tbody></table>`;
}

/** A row's class from its `ok` field: `ok`, `bad` or none. */
function okClass(o: JsonObject): string {
  return o.ok === true ? "ok" : o.ok === false ? "bad" : "";
}

/**
 * A `<dl>` of name–text pairs, both escaped.
 *
 * @example
 * ```ts
 * import { definitionList } from "./html.ts";
 * import assert from "node:assert/strict";
 * assert.equal(definitionList([["a", "<1>"]]), "<dl><dt>a</dt><dd>&lt;1&gt;</dd></dl>");
 * ```
 */
export function definitionList(pairs: [string, string][]): string {
  return `<dl>${
    pairs.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`)
      .join("")
  }</dl>`;
}

/** A definition list of an object's fields. */
function fieldList(o: JsonObject): string {
  return definitionList(
    Object.entries(o).map(([k, v]) => [k, valueText(v)]),
  );
}

/**
 * The opening lines of a self-contained report page, through its `<h1>`:
 * doctype, head (charset, viewport, title, the shared style) and the start
 * of the body's header.
 *
 * @example
 * ```ts
 * import { pageStart } from "./html.ts";
 * import assert from "node:assert/strict";
 * const lines = pageStart("A & B");
 * assert.equal(lines[0], "<!DOCTYPE html>");
 * assert.equal(lines.at(-1), "<h1>A &amp; B</h1>");
 * ```
 */
export function pageStart(title: string): string[] {
  return [
    "<!DOCTYPE html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${HTML_STYLE}</style>`,
    "</head>",
    "<body>",
    "<header>",
    `<h1>${escapeHtml(title)}</h1>`,
  ];
}

/** A field of `summary.json` this page has no place for: a table when it holds objects. */
function extraField(name: string, value: Json): string {
  const title = `<h3>${escapeHtml(name)}</h3>`;
  if (Array.isArray(value) && value.every(isObject)) {
    return title + objectTable(value as JsonObject[], {});
  }
  if (isObject(value)) {
    const entries = Object.entries(value);
    if (entries.length > 0 && entries.every(([, v]) => isObject(v))) {
      return title + objectTable(
        entries.map(([k, v]) => ({ name: k, ...(v as JsonObject) })),
        { lead: ["name"] },
      );
    }
    return title + fieldList(value);
  }
  return title + `<p>${escapeHtml(valueText(value))}</p>`;
}

/**
 * An SVG document ready to inline: no XML prolog or doctype, and its ids
 * (and the references to them) prefixed so that figures cannot clash.
 *
 * @example
 * ```ts
 * import { inlineSvg } from "./html.ts";
 * import assert from "node:assert/strict";
 * const svg = '<?xml version="1.0"?><svg><clipPath id="c"/><g clip-path="url(#c)"/></svg>';
 * assert.equal(inlineSvg(svg, "f1"), '<svg><clipPath id="f1-c"/><g clip-path="url(#f1-c)"/></svg>');
 * ```
 */
export function inlineSvg(svg: string, prefix: string): string {
  return svg
    .replace(/<\?xml[^>]*\?>/g, "")
    .replace(/<!DOCTYPE[^>]*>/gi, "")
    .replace(/<script[\s\S]*?<\/script>/gi, "")
    .replace(/\sid="([^"]+)"/g, ` id="${prefix}-$1"`)
    .replace(/url\(#([^)]+)\)/g, `url(#${prefix}-$1)`)
    .replace(/(\s(?:xlink:)?href)="#([^"]+)"/g, `$1="#${prefix}-$2"`)
    .trim();
}

/** A figure, inlined. */
function figureHtml(figure: HtmlFigure, index: number): string {
  return `<figure class="figure" data-file="${escapeHtml(figure.file)}">` +
    `<div class="svg">${inlineSvg(figure.svg, `fig${index}`)}</div>` +
    `<figcaption><a href="figures/${escapeHtml(figure.file)}">${
      escapeHtml(figure.file)
    }</a></figcaption></figure>`;
}

/** A failing trial as a list item with its replay command. */
function trialItem(trial: FailingTrial, check: string): string {
  const { task } = trial;
  const status = trial.status === "ok"
    ? `ok, ${check} ${trial.passed ? "passed" : "failed"}`
    : `${trial.status}${trial.reason === "" ? "" : ` (${trial.reason})`}`;
  const values = Object.entries(trial.values).map(([k, v]) => `${k}=${v}`)
    .join(", ");
  return `<li><span class="trial">${
    escapeHtml(task.config)
  } trial ${task.trial}` +
    ` (seed ${task.seed})</span>: ${escapeHtml(status)}` +
    (values === "" ? "" : `; <code>${escapeHtml(values)}</code>`) +
    `<pre class="replay"><code>${escapeHtml(trial.replay)}</code></pre></li>`;
}

/** The failing trials of a claim's checks. */
function failuresHtml(failures: CheckFailures[]): string {
  if (failures.length === 0) return "";
  const parts = failures.map((f) => {
    const name = escapeHtml(f.check.name);
    if (f.against === 0) {
      return `<p><b>${name}</b>: ${
        f.check.expect === "holds"
          ? `all ${f.trials} trials passed`
          : `all ${f.trials} trials failed, as expected`
      }.</p>`;
    }
    const what = f.check.expect === "holds"
      ? `${f.against} of ${f.trials} trials failed`
      : `${f.passed} of ${f.trials} trials passed (expected to fail)` +
        (f.unfinished === 0 ? "" : `, ${f.unfinished} did not finish`);
    const shown = f.against > f.shown.length
      ? `; the first ${f.shown.length}:`
      : ":";
    return `<p><b>${name}</b>: ${escapeHtml(what)}${shown}</p>` +
      `<ul class="failing">${
        f.shown.map((t) => trialItem(t, f.check.name)).join("")
      }</ul>`;
  });
  return `<h3>Failing trials</h3>\n${parts.join("\n")}`;
}

/** The named constants of a claim with their reasons. */
function constantsHtml(claim: JsonObject): string {
  const constants = isObject(claim.constants) ? claim.constants : {};
  const reasons = isObject(claim.constantReasons) ? claim.constantReasons : {};
  const rows = Object.entries(constants).map(([name, value]) => ({
    name,
    value,
    ...(Object.keys(reasons).length === 0
      ? {}
      : { reason: reasons[name] ?? null }),
  } as JsonObject));
  return rows.length === 0
    ? ""
    : `<h3>Named constants</h3>\n${objectTable(rows, {})}`;
}

/** The key measurements of a claim. */
function highlightsHtml(h: HtmlHighlights | undefined, fallback: Json): string {
  if (h !== undefined && h.columns.length > 0) {
    const rows = h.rows.map((r) =>
      ({
        config: r.config,
        "finished trials": r.n,
        ...Object.fromEntries(h.columns.map((c, i) => [c, r.cells[i]])),
      }) as JsonObject
    );
    return `<h3>Key measurements</h3>\n<p>median [10%, 90%] over the ` +
      `finished trials of each configuration</p>\n${objectTable(rows, {})}`;
  }
  if (fallback === undefined || fallback === null) return "";
  return extraField("Key measurements", fallback);
}

/** One claim's section. */
function claimSection(
  claim: JsonObject,
  input: HtmlReportInput,
  figures: { figure: HtmlFigure; index: number }[],
): string {
  const id = String(claim.id ?? "");
  const title = typeof claim.title === "string" ? claim.title : "";
  const rows = (Array.isArray(input.summary.rows) ? input.summary.rows : [])
    .filter((r) => isObject(r) && r.claim === id) as JsonObject[];
  const assessments =
    (Array.isArray(input.summary.assessments) ? input.summary.assessments : [])
      .filter((a) => isObject(a) && a.claim === id) as JsonObject[];
  const checks = (Array.isArray(claim.checks) ? claim.checks : [])
    .filter(isObject);
  const hypotheses = Array.isArray(claim.hypotheses) ? claim.hypotheses : [];
  const extra = Object.fromEntries(
    Object.entries(claim).filter(([k]) => !CLAIM_KNOWN.has(k)),
  );
  const parts = [
    `<section class="claim" id="claim-${escapeHtml(id)}">`,
    `<h2>${escapeHtml(id)}${
      title === "" ? "" : ` — ${escapeHtml(title)}`
    }</h2>`,
    typeof claim.statement === "string"
      ? `<p class="statement">${escapeHtml(claim.statement)}</p>`
      : "",
    typeof claim.source === "string"
      ? `<p>Source: <span class="source">${escapeHtml(claim.source)}</span></p>`
      : "",
    hypotheses.length === 0
      ? ""
      : `<h3>Hypotheses</h3>\n<ul>${
        hypotheses.map((h) => `<li>${escapeHtml(valueText(h))}</li>`).join("")
      }</ul>`,
    constantsHtml(claim),
    checks.length === 0 ? "" : `<h3>Checks</h3>\n${
      objectTable(checks, {
        lead: ["name", "role", "twinOf", "expect", "target", "description"],
      })
    }`,
    rows.length === 0
      ? ""
      : `<h3>Verdicts</h3>\n${
        objectTable(rows, { lead: ROW_LEAD, rowClass: okClass })
      }`,
    assessments.length === 0
      ? ""
      : `<h3>Assessments</h3>\n${
        objectTable(assessments, { rowClass: okClass })
      }`,
    highlightsHtml(input.highlights?.[id], claim.highlights),
    figures.length === 0
      ? ""
      : `<h3>Figures</h3>\n${
        figures.map(({ figure, index }) => figureHtml(figure, index)).join("\n")
      }`,
    failuresHtml(input.failures.filter((f) => f.claim === id)),
    Object.keys(extra).length === 0
      ? ""
      : `<h3>Other fields</h3>\n${fieldList(extra)}`,
    input.files.includes(`trials/${id}.csv`)
      ? `<p>Trials: <a href="trials/${escapeHtml(id)}.csv">trials/${
        escapeHtml(id)
      }.csv</a></p>`
      : "",
    "</section>",
  ];
  return parts.filter((p) => p !== "").join("\n");
}

/**
 * The page's style sheet (shared with the page of a `map` run, `maps_html.ts`).
 *
 * @example
 * ```ts
 * import { HTML_STYLE } from "./html.ts";
 * import assert from "node:assert/strict";
 * assert.match(HTML_STYLE, /figure\.figure/);
 * ```
 */
export const HTML_STYLE = `
body { font: 15px/1.45 system-ui, sans-serif; margin: 0 auto; max-width: 1200px; padding: 0 1.5em 3em; color: #1d1d1f; }
h1 { margin-top: 1em; } h2 { border-bottom: 1px solid #ccc; padding-bottom: .2em; margin-top: 2em; }
nav a { margin-right: .8em; }
table { border-collapse: collapse; margin: .5em 0 1em; font-size: 13px; display: block; overflow-x: auto; max-width: 100%; }
th, td { border: 1px solid #ddd; padding: .25em .5em; text-align: left; vertical-align: top; }
th { background: #f3f3f5; cursor: pointer; user-select: none; white-space: nowrap; position: relative; padding-right: 1.3em; }
th[aria-sort="ascending"]::after { content: "▲"; position: absolute; right: .3em; font-size: 10px; }
th[aria-sort="descending"]::after { content: "▼"; position: absolute; right: .3em; font-size: 10px; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
td.obj { min-width: 22em; font-size: 12px; color: #333; }
tr.bad td { background: #fde8e8; } td.yes { color: #11772d; font-weight: bold; } td.no { color: #b3261e; font-weight: bold; }
.status-ok { color: #11772d; } .status-bad { color: #b3261e; }
figure.figure { margin: 1em 0; } figure.figure .svg svg { max-width: 100%; height: auto; }
figcaption { font-size: 12px; color: #555; }
pre.replay { background: #f6f6f8; padding: .3em .6em; overflow-x: auto; margin: .2em 0 .6em; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .1em 1em; } dt { font-weight: bold; } dd { margin: 0; }
.source { font-family: monospace; }
`;

/** The page's script: click (or Enter on) a header to sort its table. */
const SCRIPT = `
for (const table of document.querySelectorAll("table.sortable")) {
  const heads = Array.from(table.tHead.rows[0].cells);
  heads.forEach((th, i) => {
    th.tabIndex = 0;
    const key = (row) => {
      const c = row.cells[i];
      if (c === undefined) return "";
      const raw = c.dataset.sort ?? c.textContent.trim();
      const n = Number(raw);
      return raw !== "" && !Number.isNaN(n) ? n : raw;
    };
    const sort = () => {
      const dir = th.getAttribute("aria-sort") === "ascending" ? "descending" : "ascending";
      for (const h of heads) h.removeAttribute("aria-sort");
      th.setAttribute("aria-sort", dir);
      const body = table.tBodies[0];
      const rows = Array.from(body.rows);
      rows.sort((a, b) => {
        const x = key(a), y = key(b);
        const c = typeof x === "number" && typeof y === "number" ? x - y
          : typeof x === "number" ? -1 : typeof y === "number" ? 1
          : String(x).localeCompare(String(y));
        return dir === "ascending" ? c : -c;
      });
      for (const r of rows) body.appendChild(r);
    };
    th.addEventListener("click", sort);
    th.addEventListener("keydown", (e) => {
      if (e.key === "Enter" || e.key === " ") { e.preventDefault(); sort(); }
    });
  });
}
`;

/** The figures of a claim: those whose file name starts with its id and `_`. */
function claimFigures(
  figures: { figure: HtmlFigure; index: number }[],
  id: string,
): { figure: HtmlFigure; index: number }[] {
  return figures.filter(({ figure }) => figure.file.startsWith(`${id}_`));
}

/**
 * The page of a run; see the module documentation. Deterministic in its
 * input.
 *
 * @example
 * ```ts
 * import { htmlReport } from "./html.ts";
 * import assert from "node:assert/strict";
 * const page = htmlReport({
 *   summary: {
 *     run: { seed: 1, profile: "ci" },
 *     claims: [{ id: "C1", title: "t", statement: "s" }],
 *     rows: [{ claim: "C1", check: "a", rate: 1, ok: true, power: 0.9 }],
 *     assessments: [],
 *     allOk: true,
 *   },
 *   figures: [],
 *   failures: [],
 *   files: ["summary.csv"],
 * });
 * assert.match(page, /<th scope="col" title="sort by power">power<\/th>/);
 * assert.match(page, /<section class="claim" id="claim-C1">/);
 * ```
 */
export function htmlReport(input: HtmlReportInput): string {
  const { summary } = input;
  const run = isObject(summary.run) ? summary.run : {};
  const claims = (Array.isArray(summary.claims) ? summary.claims : [])
    .filter(isObject);
  const rows = (Array.isArray(summary.rows) ? summary.rows : [])
    .filter(isObject);
  const assessments =
    (Array.isArray(summary.assessments) ? summary.assessments : []).filter(
      isObject,
    );
  const figures = input.figures.map((figure, index) => ({ figure, index }));
  const ids = claims.map((c) => String(c.id ?? ""));
  const unclaimed = figures.filter(({ figure }) =>
    !ids.some((id) => figure.file.startsWith(`${id}_`))
  );
  const allOk = summary.allOk;
  const title = `Claims report — profile ${valueText(run.profile)}, seed ${
    valueText(run.seed)
  }`;
  const extras = Object.entries(summary).filter(([k]) => !SUMMARY_KNOWN.has(k));
  const manifest = input.manifest ?? null;
  const plan = manifest !== null && isObject(manifest.plan)
    ? manifest.plan
    : null;
  return [
    ...pageStart(title),
    allOk === undefined
      ? ""
      : `<p class="${
        allOk === true ? "status-ok" : "status-bad"
      }" id="all-ok">${
        allOk === true
          ? "✓ Every check reached its expected verdict."
          : "✗ Some checks did not reach their expected verdict."
      }</p>`,
    fieldList({
      ...run,
      ...(manifest === null || manifest.schema_version === undefined
        ? {}
        : { schema_version: manifest.schema_version }),
      ...(plan === null ? {} : { "planned trials": plan.total ?? null }),
    }),
    `<nav><a href="#verdicts">Verdicts</a>${
      Array.isArray(summary.deviations)
        ? '<a href="#deviations">Deviations</a>'
        : ""
    }${
      ids.map((id) =>
        `<a href="#claim-${escapeHtml(id)}">${escapeHtml(id)}</a>`
      ).join("")
    }<a href="#files">Files</a></nav>`,
    "</header>",
    '<section id="verdicts">',
    "<h2>Verdicts</h2>",
    "<p>One row per check of a claim; click a header to sort.</p>",
    objectTable(rows, {
      id: "verdict-table",
      lead: ROW_LEAD,
      rowClass: okClass,
    }),
    assessments.length === 0
      ? ""
      : `<h3>Assessments</h3>\n${
        objectTable(assessments, { id: "assessment-table", rowClass: okClass })
      }`,
    ...unclaimed.map(({ figure, index }) => figureHtml(figure, index)),
    ...extras.map(([k, v]) => extraField(k, v)),
    "</section>",
    deviationsHtml(summary.deviations),
    ...claims.map((c) =>
      claimSection(c, input, claimFigures(figures, String(c.id ?? "")))
    ),
    '<section id="files">',
    "<h2>Files</h2>",
    `<ul>${
      input.files.map((f) =>
        `<li><a href="${escapeHtml(f)}">${escapeHtml(f)}</a></li>`
      ).join("")
    }</ul>`,
    "</section>",
    `<script>${SCRIPT}</script>`,
    "</body>",
    "</html>",
    "",
  ].filter((line) => line !== "").join("\n");
}
