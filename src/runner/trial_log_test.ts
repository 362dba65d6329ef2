import assert from "node:assert/strict";
import { rec } from "../../fixtures/trial_records.ts";
import { formatTrialCsv, sortRecords } from "./trial_csv.ts";
import { parseTrialCsv, readTrialFile } from "./trial_csv_parse.ts";
import { TrialLog } from "./trial_log.ts";

Deno.test("finalized text does not depend on completion order", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const records = [
      rec("k=2", 1, { values: { p: 2, u: 0.5 } }),
      rec("k=1", 0, { values: { p: 1, u: 0.25, late: "yes" } }),
      rec("k=2", 0, {
        values: { p: 2 },
        checks: {},
        status: "error",
        reason: "x",
      }),
      rec("k=1", 1, { values: { p: 1, u: 0.75 } }),
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
    assert.equal(
      texts[0],
      formatTrialCsv(records, { checks: ["a", "b"], configOrder: order }),
    );
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
      log.append(rec("x", 0, { values: { u: 1 } }));
      let text = Deno.readTextFileSync(path);
      assert.equal(text.split("\n").length, 3);
      log.append(rec("x", 1, { values: { u: 2 } }));
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
        log.append(
          rec("x", 0, {
            values: {},
            checks: {},
            status: "error",
            reason: "first has no values",
          }),
        );
        log.append(rec("x", 1, { values: { p: 1, u: 2 } }));
        log.append(rec("x", 2, { values: { p: 1, v: "s" } }));
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
        log.append(rec("x", 0, { values: { u: 1 } }));
        log.append(rec("x", 1, { values: { u: 2 } }));
        log.close();
        const full = Deno.readTextFileSync(path);
        Deno.writeTextFileSync(path, full + "C1,x,2,1002,ok,,tr");
        const again = TrialLog.open(path, { ...opts, resume: true });
        assert.equal(again.truncated, true);
        assert.equal(again.records.length, 2);
        assert.equal(Deno.readTextFileSync(path), full);
        again.append(rec("x", 2, { values: { u: 3 } }));
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
      log.append(rec("x", 0, { values: { u: 1 } }));
      log.close();
      assert.equal(
        readTrialFile(path, { tolerateTruncation: false }).records.length,
        1,
      );
    });

    await t.step("refuses a file whose header does not match", () => {
      const path = `${dir}/mismatch.csv`;
      const log = TrialLog.open(path, { ...opts, resume: false });
      log.append(rec("x", 0, { values: { u: 1 } }));
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
          () => log.append(rec("x", 0, { values: { s: "a\nb" } })),
          /line break/,
        );
        assert.throws(
          () =>
            log.append(
              rec("x", 0, {
                values: {},
                checks: {},
                status: "error",
                reason: "a\r\nb",
              }),
            ),
          /line break/,
        );
        assert.throws(
          () => log.append(rec("x", 0, { values: {}, checks: { zzz: true } })),
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
        assert.throws(() => log.append(rec("x", 0, { values: {} })), /closed/);
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
