import assert from "node:assert/strict";
import { checkSvg, countMarks, texts } from "../../fixtures/svg_check.ts";
import { historyRowsOf, mergeHistory } from "./history.ts";
import { historyFigures, historyMarkdown } from "./history_charts.ts";

/** A history of two commits of a claim with a check and a measurement. */
function history() {
  const entry = (commit: string, rate: number, median: number) =>
    historyRowsOf({
      commit,
      commitTime: "2026-01-01T00:00:00Z",
      dirty: false,
      summary: {
        run: { seed: 1, profile: "ci" },
        claims: [{ id: "C4" }, { id: "C5" }],
        rows: [
          {
            claim: "C4",
            check: "flips",
            rate,
            ciLow: 0.8,
            ciHigh: 1,
            ok: true,
          },
          { claim: "C5", check: "robust", rate: 1, ok: false },
        ],
      },
      highlights: {
        C4: {
          columns: ["ratio"],
          rows: [{ config: "d=5", n: 3, cells: [`${median} [1, 2]`] }],
        },
      },
    });
  return mergeHistory(
    entry("1111111aaaa", 0.9, 1.5),
    entry("2222222bbbb", 1, 1.2),
  );
}

Deno.test("historyFigures draws one SVG per claim, the same for the same history", async () => {
  const rows = history();
  const figures = await historyFigures(rows);
  assert.deepEqual(figures.map((f) => f.file), [
    "history_C4.svg",
    "history_C5.svg",
  ]);
  const [c4, c5] = figures.map((f) => f.svg);
  const root = checkSvg(c4, "C4 over commits");
  checkSvg(c5, "C5 over commits");
  assert.ok(countMarks(root, "lines") > 0);
  assert.match(texts(c4), /1 1111111/);
  assert.match(texts(c4), /2 2222222/);
  assert.match(texts(c4), /key measurements/);
  assert.doesNotMatch(
    texts(c5),
    /key measurements/,
    "no measurement panel without measurements",
  );
  assert.deepEqual(
    (await historyFigures(rows)).map((f) => f.svg),
    figures.map((f) => f.svg),
  );
});

Deno.test("history.md numbers the entries as the charts do", () => {
  const md = historyMarkdown(history(), ["history_C4.svg"]);
  assert.match(
    md,
    /\| 1 \| 1111111aaaa \| 2026-01-01T00:00:00Z \| false \| ci \| 1 \| 1\/2 \| 0\/0 \|/,
  );
  assert.match(md, /\| 2 \| 2222222bbbb \|/);
  assert.match(md, /!\[history_C4.svg\]\(history_C4.svg\)/);
});
