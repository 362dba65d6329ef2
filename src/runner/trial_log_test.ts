import assert from "node:assert/strict";
import {
  formatTrialCsv,
  mergeKeyOrder,
  parseTrialCsv,
  readTrialFile,
  sortRecords,
  TrialLog,
  valueColumnsOf,
} from "./trial_log.ts";
import type { Cell, TrialRecord, TrialStatus } from "../claims/types.ts";

function rec(
  config: string,
  trial: number,
  values: Record<string, Cell>,
  checks: Record<string, boolean> = { a: true, b: false },
  status: TrialStatus = "ok",
  reason = "",
): TrialRecord {
  return {
    task: { claim: "C1", config, trial, seed: 1000 + trial },
    result: { status, reason, checks, values },
  };
}

const tricky: Record<string, Cell> = {
  n: 0.1 + 0.2,
  tiny: 1.5e-300,
  huge: 1.7976931348623157e308,
  big: 2 ** 53 - 1,
  neg: -0,
  nan: NaN,
  inf: Infinity,
  minf: -Infinity,
  t: true,
  f: false,
  s: "plain",
  numeric: "12",
  boolish: "true",
  empty: "",
  comma: 'a,b "quoted"',
  unicode: "λ ✓",
};

Deno.test("trial file round trip keeps types exactly", () => {
  const records = [
    rec("x", 0, tricky),
    rec("x", 1, { n: 2 }, { a: false }, "not-converged", "max steps, no luck"),
    rec("x", 2, {}, {}, "error", 'boom "quoted"'),
  ];
  const text = formatTrialCsv(records, ["a", "b"], ["x"]);
  const parsed = parseTrialCsv(text, { tolerateTruncation: false });
  assert.deepEqual(parsed.records, records);
  assert.deepEqual(parsed.checks, ["a", "b"]);
  assert.deepEqual(parsed.valueColumns, Object.keys(tricky));
  assert.equal(parsed.truncated, false);
  assert.ok(
    text.startsWith("claim,config,trial,seed,status,reason,check:a,check:b,n,"),
  );
  // Formatting the parsed records gives the same bytes.
  assert.equal(formatTrialCsv(parsed.records, ["a", "b"], ["x"]), text);
});

Deno.test("mergeKeyOrder keeps relative orders", () => {
  assert.deepEqual(mergeKeyOrder([], ["a", "b"]), ["a", "b"]);
  assert.deepEqual(mergeKeyOrder(["y", "z"], ["x", "y"]), ["x", "y", "z"]);
  assert.deepEqual(mergeKeyOrder(["a", "c"], ["a", "b", "c"]), ["a", "b", "c"]);
  assert.deepEqual(mergeKeyOrder(["a", "c"], ["c", "d"]), ["a", "c", "d"]);
  const recs = [
    rec("x", 0, { p: 1, u: 2 }),
    rec("x", 1, { p: 1, extra: "e", u: 3 }),
  ];
  assert.deepEqual(valueColumnsOf(recs), ["p", "extra", "u"]);
});

Deno.test("finalized text does not depend on completion order", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const records = [
      rec("k=2", 1, { p: 2, u: 0.5 }),
      rec("k=1", 0, { p: 1, u: 0.25, late: "yes" }),
      rec("k=2", 0, { p: 2 }, {}, "error", "x"),
      rec("k=1", 1, { p: 1, u: 0.75 }),
    ];
    const order = ["k=1", "k=2"];
    const texts: string[] = [];
    for (const perm of [[0, 1, 2, 3], [3, 2, 1, 0], [2, 0, 3, 1]]) {
      const path = `${dir}/p${texts.length}.csv`;
      const log = TrialLog.open(path, {
        resume: false,
        checks: ["a", "b"],
        claim: "C1",
      });
      for (const i of perm) log.append(records[i]);
      log.close();
      // Resume reads back the same records (in file order).
      const again = TrialLog.open(path, {
        resume: true,
        checks: ["a", "b"],
        claim: "C1",
      });
      assert.deepEqual(
        sortRecords(again.records, order),
        sortRecords(perm.map((i) => records[i]), order),
      );
      await again.finalize(again.records, order);
      texts.push(await Deno.readTextFile(path));
    }
    assert.equal(texts[1], texts[0]);
    assert.equal(texts[2], texts[0]);
    assert.equal(texts[0], formatTrialCsv(records, ["a", "b"], order));
    const lines = texts[0].trim().split("\n");
    assert.deepEqual(lines.map((l) => l.split(",").slice(1, 3).join(",")), [
      "config,trial",
      "k=1,0",
      "k=1,1",
      "k=2,0",
      "k=2,1",
    ]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("TrialLog", async (t) => {
  const dir = await Deno.makeTempDir();
  const opts = { checks: ["a", "b"], claim: "C1" };
  try {
    await t.step("each append is on disk before append returns", () => {
      const path = `${dir}/flush.csv`;
      const log = TrialLog.open(path, { ...opts, resume: false });
      log.append(rec("x", 0, { u: 1 }));
      let text = Deno.readTextFileSync(path);
      assert.equal(text.split("\n").length, 3);
      log.append(rec("x", 1, { u: 2 }));
      text = Deno.readTextFileSync(path);
      assert.equal(text.split("\n").length, 4);
      assert.equal(
        readTrialFile(path, { tolerateTruncation: false }).records.length,
        2,
      );
      log.close();
    });

    await t.step(
      "a later record with a new value column widens the header",
      () => {
        const path = `${dir}/widen.csv`;
        const log = TrialLog.open(path, { ...opts, resume: false });
        log.append(rec("x", 0, {}, {}, "error", "first has no values"));
        log.append(rec("x", 1, { p: 1, u: 2 }));
        log.append(rec("x", 2, { p: 1, v: "s" }));
        log.close();
        const parsed = readTrialFile(path, { tolerateTruncation: false });
        assert.deepEqual(parsed.valueColumns, ["p", "v", "u"]);
        assert.deepEqual(parsed.records.map((r) => r.result.values), [
          {},
          { p: 1, u: 2 },
          { p: 1, v: "s" },
        ]);
      },
    );

    await t.step(
      "resume drops a truncated last line and rewrites the file",
      () => {
        const path = `${dir}/trunc.csv`;
        const log = TrialLog.open(path, { ...opts, resume: false });
        log.append(rec("x", 0, { u: 1 }));
        log.append(rec("x", 1, { u: 2 }));
        log.close();
        const full = Deno.readTextFileSync(path);
        Deno.writeTextFileSync(path, full + "C1,x,2,1002,ok,,tr");
        const again = TrialLog.open(path, { ...opts, resume: true });
        assert.equal(again.truncated, true);
        assert.equal(again.records.length, 2);
        assert.equal(Deno.readTextFileSync(path), full);
        again.append(rec("x", 2, { u: 3 }));
        again.close();
        const parsed = readTrialFile(path, { tolerateTruncation: false });
        assert.deepEqual(parsed.records.map((r) => r.task.trial), [0, 1, 2]);
        assert.throws(
          () =>
            parseTrialCsv(full + "C1,x", {
              tolerateTruncation: false,
              source: "f",
            }),
          /truncated/,
        );
      },
    );

    await t.step("a truncated header reads as an empty file", () => {
      const path = `${dir}/trunc-header.csv`;
      Deno.writeTextFileSync(path, "claim,config,tri");
      const log = TrialLog.open(path, { ...opts, resume: true });
      assert.equal(log.records.length, 0);
      log.append(rec("x", 0, { u: 1 }));
      log.close();
      assert.equal(
        readTrialFile(path, { tolerateTruncation: false }).records.length,
        1,
      );
    });

    await t.step("refuses a file whose header does not match", () => {
      const path = `${dir}/mismatch.csv`;
      const log = TrialLog.open(path, { ...opts, resume: false });
      log.append(rec("x", 0, { u: 1 }));
      log.close();
      assert.throws(
        () =>
          TrialLog.open(path, {
            checks: ["a", "c"],
            claim: "C1",
            resume: true,
          }),
        /header does not match.*check columns/,
      );
      Deno.writeTextFileSync(path, "id,config,trial\n1,2,3\n");
      assert.throws(
        () => TrialLog.open(path, { ...opts, resume: true }),
        /header does not start with claim,config,trial,seed,status,reason/,
      );
    });

    await t.step("refuses bad rows: other claim, duplicate, bad fields", () => {
      const path = `${dir}/bad.csv`;
      const header =
        "claim,config,trial,seed,status,reason,check:a,check:b,u\n";
      const row = (s: string) => {
        Deno.writeTextFileSync(path, header + s);
        return () => TrialLog.open(path, { ...opts, resume: true });
      };
      assert.throws(row("C2,x,0,1,ok,,true,true,1\n"), /claim "C2"/);
      assert.throws(
        row("C1,x,0,1,ok,,true,true,1\nC1,x,0,1,ok,,true,true,1\n"),
        /duplicate row/,
      );
      assert.throws(row("C1,x,zero,1,ok,,true,true,1\n"), /trial index/);
      assert.throws(row("C1,x,0,-1,ok,,true,true,1\n"), /seed/);
      assert.throws(row("C1,x,0,1,fine,,true,true,1\n"), /unknown status/);
      assert.throws(row("C1,x,0,1,ok,,yes,true,1\n"), /not true\/false/);
      assert.throws(row("C1,x,0,1,ok,,true,true\n"), /not valid CSV/);
    });

    await t.step("without resume an existing file starts empty", () => {
      const path = `${dir}/fresh.csv`;
      Deno.writeTextFileSync(path, "whatever\n");
      const log = TrialLog.open(path, { ...opts, resume: false });
      assert.equal(log.records.length, 0);
      log.close();
      assert.equal(Deno.readTextFileSync(path), "");
    });

    await t.step(
      "rejects line breaks, undeclared checks and other claims",
      () => {
        const log = TrialLog.open(`${dir}/reject.csv`, {
          ...opts,
          resume: false,
        });
        assert.throws(
          () => log.append(rec("x", 0, { s: "a\nb" })),
          /line break/,
        );
        assert.throws(
          () => log.append(rec("x", 0, {}, {}, "error", "a\r\nb")),
          /line break/,
        );
        assert.throws(
          () => log.append(rec("x", 0, {}, { zzz: true })),
          /check "zzz"/,
        );
        assert.throws(
          () =>
            log.append({
              task: { claim: "C9", config: "x", trial: 0, seed: 1 },
              result: { status: "ok", reason: "", checks: {}, values: {} },
            }),
          /claim "C9"/,
        );
        assert.equal(log.records.length, 0);
        log.close();
        assert.throws(() => log.append(rec("x", 0, {})), /closed/);
      },
    );

    await t.step("finalize of no records writes just the header", async () => {
      const path = `${dir}/none.csv`;
      const log = TrialLog.open(path, { ...opts, resume: false });
      await log.finalize([], ["x"]);
      assert.equal(
        Deno.readTextFileSync(path),
        "claim,config,trial,seed,status,reason,check:a,check:b\n",
      );
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
