#!/usr/bin/env bash
# `deno task ci`: what CI checks, given Deno on the PATH (`.ci/run` installs it,
# OpenBLAS and Chromium on a fresh machine). Formatting, lint, types, the
# README's test command with JUnit output (with CI=true the HTML report's
# browser test fails when Chromium is missing instead of skipping), a CI-size
# claims run (summaries, index.html, failures.md, provenance.json), the
# regression check against the committed baseline (which always runs, so that
# it explains a failing claims run too), and the run added to a copy of the
# committed history (reports/ci-history/, uploaded by the workflow).
set -euo pipefail
cd "$(dirname "$0")/.."
deno --version
deno install
deno fmt --check
deno lint
deno check mod.ts src/ theorems/ bench/ fixtures/ examples/
mkdir -p reports
deno task test --junit-path=reports/junit.xml 2>&1 | tee reports/test.log
# Deno's own closing line ("ok | N passed (M steps) | K failed") restated plainly.
summary=$(sed 's/\x1b\[[0-9;]*m//g' reports/test.log | grep -E '[0-9]+ passed .*\| [0-9]+ failed' | tail -1)
passed=$(echo "$summary" | sed -E 's/.* ([0-9]+) passed.*/\1/')
failed=$(echo "$summary" | sed -E 's/.*\| ([0-9]+) failed.*/\1/')
echo "tests: ${passed} passed, ${failed} failed"
rm -rf reports/ci-run
claims=0
deno task claims --profile ci --out reports/ci-run --format csv,md,json,html || claims=$?
regress=0
deno task regress --baseline reports/baseline.json --current reports/ci-run || regress=$?
rm -rf reports/ci-history
mkdir -p reports/ci-history
cp reports/history/history.csv reports/ci-history/ 2>/dev/null || true
history=0
if [ -f reports/ci-run/summary.json ]; then
  deno task history --run reports/ci-run --file reports/ci-history/history.csv || history=$?
fi
if [ "$claims" -ne 0 ] || [ "$regress" -ne 0 ] || [ "$history" -ne 0 ]; then
  echo "claims run exit ${claims}, regression check exit ${regress}, history exit ${history}" >&2
  exit 1
fi
