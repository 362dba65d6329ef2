import assert from "node:assert/strict";
import {
  formatDuration,
  progressBar,
  ProgressReporter,
  progressText,
} from "./progress.ts";
import type { Progress } from "../runner/run.ts";

/** A reporter writing into an array, with a settable clock. */
function harness(terminal: boolean, extra: { everyTrials?: number } = {}) {
  const writes: string[] = [];
  let now = 0;
  const reporter = new ProgressReporter({
    write: (text) => writes.push(text),
    terminal,
    now: () => now,
    everySeconds: 10,
    redrawMs: 100,
    barWidth: 10,
    ...extra,
  });
  return {
    writes,
    reporter,
    at(ms: number) {
      now = ms;
    },
  };
}

function p(done: number, total: number, passed?: { passed: number }): Progress {
  return {
    done,
    total,
    passed: passed?.passed ?? done,
    etaSeconds: total - done,
  };
}

Deno.test("formatting helpers", () => {
  assert.equal(formatDuration(0), "0s");
  assert.equal(formatDuration(59.4), "59s");
  assert.equal(formatDuration(60), "1m 00s");
  assert.equal(formatDuration(3599), "59m 59s");
  assert.equal(formatDuration(3600), "1h 00m");
  assert.equal(formatDuration(Infinity), "?");
  assert.equal(formatDuration(-1), "?");
  assert.equal(progressBar(0, 10, { width: 5 }), "[-----]");
  assert.equal(progressBar(10, 10, { width: 5 }), "[#####]");
  assert.equal(progressBar(20, 10, { width: 5 }), "[#####]");
  assert.equal(progressBar(0, 0, { width: 3 }), "[###]");
  assert.equal(
    progressText({ done: 0, total: 4, passed: 0, etaSeconds: NaN }),
    "0/4 trials (0.0%), pass rate n/a, ETA ?",
  );
  assert.equal(
    progressText({ done: 4, total: 4, passed: 3, etaSeconds: 0 }),
    "4/4 trials (100.0%), pass rate 0.750, done",
  );
});

Deno.test("terminal mode redraws one line, throttled", () => {
  const h = harness(true);
  h.at(0);
  h.reporter.update(p(1, 10));
  h.at(50);
  h.reporter.update(p(2, 10)); // within 100 ms: not drawn
  h.at(150);
  h.reporter.update(p(3, 10, { passed: 2 }));
  h.at(160);
  h.reporter.update(p(10, 10, { passed: 8 })); // the last one is always drawn
  h.reporter.finish();
  assert.equal(h.writes.length, 4);
  assert.ok(h.writes.slice(0, 3).every((w) => w.startsWith("\r")));
  assert.ok(h.writes.slice(0, 3).every((w) => !w.includes("\n")));
  assert.equal(
    h.writes[0],
    "\r[#---------] progress: 1/10 trials (10.0%), pass rate 1.000, ETA 9s\x1b[K",
  );
  assert.match(h.writes[1], /3\/10 trials .*pass rate 0\.667, ETA 7s/);
  assert.match(h.writes[2], /^\r\[##########\] .*10\/10 .*done/);
  assert.equal(h.writes[3], "\n");
  assert.equal(h.reporter.terminal, true);
});

Deno.test("terminal mode: finish shows an undrawn last value", () => {
  const h = harness(true);
  h.reporter.update(p(1, 10));
  h.reporter.update(p(2, 10));
  h.reporter.finish();
  assert.equal(h.writes.length, 3);
  assert.match(h.writes[1], /2\/10/);
  assert.equal(h.writes[2], "\n");
});

Deno.test("plain mode logs every N trials, every few seconds, and at the end", () => {
  const h = harness(false, { everyTrials: 5 });
  for (let done = 1; done <= 12; done++) {
    h.at(done * 100);
    h.reporter.update(p(done, 20));
  }
  // 5 and 10 by count.
  assert.deepEqual(h.writes.map((w) => w.match(/^progress: (\d+)\//)?.[1]), [
    "5",
    "10",
  ]);
  h.at(20_000); // 10 s after the last line: logged although only 1 trial more
  h.reporter.update(p(13, 20));
  assert.equal(h.writes.length, 3);
  assert.match(h.writes[2], /^progress: 13\/20 trials/);
  for (let done = 14; done <= 20; done++) h.reporter.update(p(done, 20));
  assert.equal(h.writes.length, 4); // 18 by count; 20 waits for finish()
  h.reporter.finish();
  assert.equal(h.writes.length, 5);
  assert.match(h.writes[4], /^progress: 20\/20 trials \(100\.0%\).*done\n$/);
  assert.ok(h.writes.every((w) => w.endsWith("\n") && !w.includes("\r")));
  h.reporter.finish(); // nothing new to show
  assert.equal(h.writes.length, 5);
});

Deno.test("no progress at all writes nothing", () => {
  for (const terminal of [true, false]) {
    const h = harness(terminal);
    h.reporter.finish();
    assert.deepEqual(h.writes, []);
  }
});
