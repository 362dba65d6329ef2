#!/usr/bin/env bash
# `deno task ci`: what CI checks, given Deno on the PATH (`.ci/run` installs it,
# and OpenBLAS, on a fresh machine). Formatting, lint, types, the README's test
# command with JUnit output, a CI-size claims run, and the regression check
# against the committed baseline (which always runs, so that it explains a
# failing claims run too).
set -euo pipefail
cd "$(dirname "$0")/.."
deno --version
deno install
deno fmt --check
deno lint
deno check mod.ts src/ theorems/ bench/ fixtures/
mkdir -p reports
deno task test --junit-path=reports/junit.xml 2>&1 | tee reports/test.log
# Deno's own closing line ("ok | N passed (M steps) | K failed") restated plainly.
summary=$(sed 's/\x1b\[[0-9;]*m//g' reports/test.log | grep -E '[0-9]+ passed .*\| [0-9]+ failed' | tail -1)
passed=$(echo "$summary" | sed -E 's/.* ([0-9]+) passed.*/\1/')
failed=$(echo "$summary" | sed -E 's/.*\| ([0-9]+) failed.*/\1/')
echo "tests: ${passed} passed, ${failed} failed"
rm -rf reports/ci-run
claims=0
deno task claims --profile ci --out reports/ci-run --format csv,md,json || claims=$?
regress=0
deno task regress --baseline reports/baseline.csv --current reports/ci-run || regress=$?
if [ "$claims" -ne 0 ] || [ "$regress" -ne 0 ]; then
  echo "claims run exit ${claims}, regression check exit ${regress}" >&2
  exit 1
fi
