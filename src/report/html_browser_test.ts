/**
 * `index.html` in a real browser: headless Chromium driven over the
 * DevTools protocol by `puppeteer-core` (through a pipe, so the test needs
 * no network permission). For the committed paper report and for a fresh
 * fake run, it loads the page from a `file://` URL with every request
 * other than `file:` and `data:` refused, and asserts no console error, no
 * request outside the file, one verdict-table row per check, a non-empty
 * bounding box for every figure, and that clicking a header sorts the
 * table. It leaves a screenshot of the paper report in the temporary
 * directory.
 *
 * Chromium is looked for at `CHROMIUM_PATH` (default `/usr/bin/chromium`,
 * Debian's `chromium` package). Where it is absent the test is skipped with
 * a message, except under `CI=true`, where it fails.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { tmpdir } from "node:os";
import puppeteer, { type Browser, type Page } from "puppeteer-core";
import { fakeRunPages } from "../../fixtures/run_pages.ts";
import { htmlReport } from "./html.ts";
import { readRunFolder, writeRunPages } from "./html_write.ts";

const CHROMIUM = Deno.env.get("CHROMIUM_PATH") ?? "/usr/bin/chromium";
const IN_CI = Deno.env.get("CI") === "true";
const SCREENSHOT = join(tmpdir(), "implicit_bias_claims_report.png");

/** Whether the Chromium executable exists. */
function chromiumPresent(): boolean {
  try {
    return Deno.statSync(CHROMIUM).isFile;
  } catch {
    return false;
  }
}

const present = chromiumPresent();
if (!present && !IN_CI) {
  console.warn(
    `html_browser_test: skipped: no Chromium at ${CHROMIUM} ` +
      "(apt-get install chromium, or set CHROMIUM_PATH); under CI=true this fails",
  );
}

/** Start headless Chromium with a fresh profile; returns it and its profile directory. */
async function launch(): Promise<{ browser: Browser; profile: string }> {
  assert.ok(
    present,
    `Chromium not found at ${CHROMIUM}: CI needs it (apt-get install chromium)`,
  );
  const profile = await Deno.makeTempDir({ prefix: "chromium-profile-" });
  const browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    pipe: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      `--user-data-dir=${profile}`,
    ],
  });
  return { browser, profile };
}

/** What went wrong while a page loaded. */
interface PageTrouble {
  /** Console errors and uncaught exceptions. */
  errors: string[];
  /** Requests that left the file (refused). */
  outside: string[];
}

/** Open `file` in a new page, refusing any request but `file:` and `data:`. */
async function open(
  browser: Browser,
  file: string,
): Promise<{ page: Page; trouble: PageTrouble }> {
  const page = await browser.newPage();
  await page.setViewport({ width: 1280, height: 900 });
  const trouble: PageTrouble = { errors: [], outside: [] };
  page.on("console", (m) => {
    if (m.type() === "error") trouble.errors.push(m.text());
  });
  page.on("pageerror", (e) => trouble.errors.push(String(e)));
  await page.setRequestInterception(true);
  page.on("request", (request) => {
    const url = request.url();
    if (url.startsWith("file:") || url.startsWith("data:")) {
      void request.continue();
    } else {
      trouble.outside.push(url);
      void request.abort();
    }
  });
  await page.goto(`file://${file}`, { waitUntil: "load" });
  return { page, trouble };
}

/** The parts of a DOM table this test reads (Deno has no DOM types). */
interface TableLike {
  tHead: { rows: { cells: ArrayLike<{ textContent: string | null }> }[] };
  tBodies: {
    rows: ArrayLike<{ cells: ArrayLike<{ textContent: string | null }> }>;
  }[];
}

/** The texts of one column of the verdict table, top to bottom. */
function columnTexts(page: Page, header: string): Promise<string[]> {
  return page.$$eval(
    "#verdict-table",
    (tables: unknown[], name: unknown) => {
      const table = tables[0] as TableLike;
      const heads = Array.from(table.tHead.rows[0].cells);
      const i = heads.findIndex((h) => h.textContent === name);
      return Array.from(table.tBodies[0].rows).map((r) =>
        r.cells[i].textContent ?? ""
      );
    },
    header,
  );
}

/** Click a header of the verdict table. */
async function clickHeader(page: Page, header: string): Promise<void> {
  const heads = await page.$$("#verdict-table thead th");
  for (const th of heads) {
    if (await th.evaluate((e) => e.textContent) === header) {
      await th.click();
      return;
    }
  }
  throw new Error(`no header ${header}`);
}

/**
 * Check a loaded report page: no console error or outside request, one
 * verdict row per check, every figure drawn with a non-empty box, and
 * sorting by clicking the `rate` and `check` headers.
 */
async function checkPage(
  page: Page,
  options: { trouble: PageTrouble; checks: number; figures: number },
): Promise<void> {
  const { trouble } = options;
  assert.deepEqual(trouble.errors, [], "no console error");
  assert.deepEqual(trouble.outside, [], "no request outside the file");
  const rows = await page.$$eval(
    "#verdict-table tbody tr",
    (trs) => trs.length,
  );
  assert.equal(rows, options.checks, "one verdict-table row per check");
  const boxes = await page.$$eval(
    "figure.figure svg",
    (svgs) =>
      svgs.map((s) => {
        const r = s.getBoundingClientRect();
        return { width: r.width, height: r.height };
      }),
  );
  assert.equal(boxes.length, options.figures);
  for (const box of boxes) {
    assert.ok(box.width > 50 && box.height > 50, JSON.stringify(box));
  }
  const rates = async () => (await columnTexts(page, "rate")).map(Number);
  await clickHeader(page, "rate");
  const up = await rates();
  assert.deepEqual(up, [...up].sort((a, b) => a - b), "ascending by rate");
  await clickHeader(page, "rate");
  const down = await rates();
  assert.deepEqual(down, [...up].reverse(), "descending by rate");
  assert.equal(
    await page.$eval(
      "#verdict-table th[aria-sort]",
      (th) => `${th.textContent} ${th.getAttribute("aria-sort")}`,
    ),
    "rate descending",
  );
  await clickHeader(page, "check");
  const names = await columnTexts(page, "check");
  assert.deepEqual(
    names,
    [...names].sort((a, b) => a.localeCompare(b)),
    "ascending by check name",
  );
}

Deno.test({
  name:
    "index.html in headless Chromium: no console error, a row per check, figures drawn, sortable",
  ignore: !present && !IN_CI,
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const dir = await Deno.makeTempDir();
    const { browser, profile } = await launch();
    try {
      // The committed paper report, drawn from its files.
      const paper = new URL("../../reports/paper", import.meta.url).pathname;
      const input = await readRunFolder(paper);
      await Deno.writeTextFile(`${dir}/paper.html`, htmlReport(input));
      const rows = (input.summary.rows as unknown[]).length;
      const p = await open(browser, `${dir}/paper.html`);
      await checkPage(p.page, {
        trouble: p.trouble,
        checks: rows,
        figures: input.figures.length,
      });
      // One row of the deviations table per prediction of the report.
      const deviations = await p.page.$$eval(
        "#deviation-table tbody tr",
        (trs) => trs.length,
      );
      assert.equal(
        deviations,
        (input.summary.deviations as unknown[]).length,
        "one row per deviation",
      );
      await clickHeader(p.page, "claim");
      await p.page.screenshot({ path: SCREENSHOT, fullPage: false });
      console.log(`screenshot of the paper report: ${SCREENSHOT}`);

      // A fresh run, written as writeReports writes it.
      const out = `${dir}/fake`;
      const fake = await fakeRunPages(out, { seed: 5 });
      await Deno.mkdir(`${out}/figures`);
      await Deno.copyFile(
        `${paper}/figures/pass_rates.svg`,
        `${out}/figures/pass_rates.svg`,
      );
      await writeRunPages(out, { ...fake, formats: ["html"] });
      const f = await open(browser, `${out}/index.html`);
      await checkPage(f.page, {
        trouble: f.trouble,
        checks: fake.summary.rows.length,
        figures: 1,
      });
      const replay = await f.page.$$eval(
        "pre.replay",
        (pres) => pres.map((e) => e.textContent),
      );
      assert.ok(
        replay.length > 0 &&
          replay.every((t) => t?.startsWith("deno task replay")),
      );
    } finally {
      await browser.close();
      await Deno.remove(profile, { recursive: true }).catch(() => {});
      await Deno.remove(dir, { recursive: true });
    }
  },
});
