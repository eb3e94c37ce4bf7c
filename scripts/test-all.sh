#!/usr/bin/env bash
# `./run test`: every test of the project, then one summary line.
#   1. unit and component tests of every package (backstage-cli repo test)
#   2. contract and integration tests against the real peers (test/jest.config.js)
#   3. browser tests in Chromium against the real portal (test/e2e)
# Set TEST_SUITES=unit,peers,e2e to run a subset.
set -uo pipefail
source "$(dirname "$0")/env.sh"
cd "$REPO_ROOT"
suites="${TEST_SUITES:-unit,peers,e2e}"
artifacts="$REPO_ROOT/test/artifacts"
mkdir -p "$artifacts"
rm -f "$artifacts"/unit-results.json "$artifacts"/peer-results.json "$artifacts"/e2e-results.json "$artifacts"/failures.txt
status=0

if [[ ",$suites," == *",e2e,"* || ",$suites," == *",peers,"* ]]; then
  bash scripts/system-deps.sh || status=1
fi

if [[ ",$suites," == *",unit,"* ]]; then
  echo "==> unit and component tests" >&2
  yarn backstage-cli repo test --ci --watchAll=false --json --outputFile="$artifacts/unit-results.json" || status=1
fi

if [[ ",$suites," == *",peers,"* ]]; then
  echo "==> contract and integration tests against the peers" >&2
  # --forceExit: a real catalog backend's scheduler keeps timers after its test stops it;
  # the peers are stopped by globalTeardown before jest exits.
  (cd test && yarn jest -c jest.config.js --ci --forceExit --json --outputFile="$artifacts/peer-results.json") || status=1
fi

if [[ ",$suites," == *",e2e,"* ]]; then
  echo "==> browser tests" >&2
  (cd test && yarn playwright test -c e2e/playwright.config.ts) || status=1
fi

node scripts/summarize-tests.mjs "$artifacts" || status=1
exit $status
