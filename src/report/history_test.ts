import assert from "node:assert/strict";
import {
  HISTORY_COLUMNS,
  historyCsv,
  historyEntries,
  type HistoryRow,
  historyRowsOf,
  measuredHighlights,
  mergeHistory,
  parseHistory,
} from "./history.ts";
import type { JsonObject } from "./html.ts";
import { rec } from "../../fixtures/trial_records.ts";
import type { ClaimSpec } from "../claims/types.ts";
import { UsageError } from "../base/usage_error.ts";

const checkRow: JsonObject = {
  claim: "C1",
  check: "a",
  trials: 30,
  passed: 29,
  rate: 29 / 30,
  ciLow: 0.83,
  ciHigh: 0.99,
  verdict: "holds",
  ok: true,
  power: 0.5,
};

const summary: JsonObject = {
  run: { seed: 3, profile: "ci" },
  claims: [
    { id: "C1", title: "one" },
    {
      id: "C2",
      highlights: {
        columns: ["r", "s"],
        rows: [{ config: "x", n: 4, cells: ["1.5 [1, 2]", "n/a"] }],
      },
    },
  ],
  rows: [checkRow],
  assessments: [{ claim: "C2", check: "slope", verdict: "fails", ok: false }],
};

Deno.test("historyRowsOf takes checks, assessments and key measurements", () => {
  const rows = historyRowsOf({
    summary,
    commit: "abcdef1",
    commitTime: "2026-01-01T00:00:00Z",
    dirty: false,
    highlights: {
      C1: {
        columns: ["u"],
        rows: [{ config: "y", n: 2, cells: ["3 [2, 4]"] }],
      },
      C2: { columns: ["ignored"], rows: [] },
    },
  });
  assert.deepEqual(
    rows.map((r) => [r.claim, r.kind, r.name, r.config, r.value, r.ok]),
    [
      ["C1", "check", "a", "", 29 / 30, "true"],
      ["C2", "assessment", "slope", "", null, "false"],
      ["C1", "measurement", "u", "y", 3, ""],
      ["C2", "measurement", "r", "x", 1.5, ""],
    ],
    "summary.json's own highlights win; n/a cells are left out",
  );
  assert.deepEqual(
    [rows[0].commit, rows[0].dirty, rows[0].profile, rows[0].seed],
    ["abcdef1", "false", "ci", 3],
  );
  assert.deepEqual([rows[3].low, rows[3].high, rows[3].trials], [1, 2, 4]);
});

Deno.test("history.csv round-trips and rejects what is not one", () => {
  const rows = historyRowsOf({ summary, commit: "abcdef1" });
  const text = historyCsv(rows);
  assert.ok(text.startsWith(HISTORY_COLUMNS.join(",") + "\n"));
  assert.deepEqual(parseHistory(text, "h.csv"), rows);
  assert.deepEqual(parseHistory("", "h.csv"), []);
  for (
    const [bad, pattern] of [
      ["a,b\n1,2\n", /h\.csv is not a history file/],
      [
        text.replace("check,a", "thing,a"),
        /h\.csv line 2: unknown kind "thing"/,
      ],
      [text.replace(",30,29,", ",thirty,29,"), /"thirty" is not a number/],
      ['"unclosed\n', /h\.csv is not a CSV file/],
    ] as const
  ) {
    assert.throws(
      () => parseHistory(bad, "h.csv"),
      (e) => e instanceof UsageError && pattern.test(e.message),
    );
  }
});

Deno.test("mergeHistory replaces an entry of the same commit and profile in place", () => {
  const entry = (commit: string, profile: string, value: number) =>
    historyRowsOf({
      summary: {
        ...summary,
        run: { seed: 1, profile },
        rows: [{ ...checkRow, rate: value }],
      },
      commit,
    });
  let history: HistoryRow[] = [];
  history = mergeHistory(history, entry("a1", "ci", 0.1));
  history = mergeHistory(history, entry("a1", "paper", 0.2));
  history = mergeHistory(history, entry("b2", "ci", 0.3));
  history = mergeHistory(history, entry("a1", "ci", 0.9));
  assert.deepEqual(
    historyEntries(history).map((e) => [
      e.commit,
      e.profile,
      e.rows.find((r) => r.kind === "check")?.value,
    ]),
    [["a1", "ci", 0.9], ["a1", "paper", 0.2], ["b2", "ci", 0.3]],
  );
  assert.equal(mergeHistory(history, []), history);
});

Deno.test("measuredHighlights gives median [q10, q90] per configuration", () => {
  const claim = { id: "C1", highlights: ["x", "none"] } as ClaimSpec;
  const records = [1, 2, 3].map((x, i) => rec("k", i, { values: { x } }));
  const h = measuredHighlights({
    claim,
    configs: [{ key: "k", params: {}, checks: [], trials: 3 }],
    checks: [],
  }, records);
  assert.deepEqual(h, {
    columns: ["x", "none"],
    rows: [{
      config: "k",
      n: 3,
      cells: ["2 [1.2, 2.8]", "n/a"],
      stats: [{ median: 2, q10: 1.2, q90: 2.8, n: 3 }, null],
    }],
  });
});
