// Adds up the JSON reports of jest and Playwright into one closing line:
// "tests: N passed, N failed, N skipped", and the failed tests by name into
// failures.txt (CI prints it last: a long log is often read only at its end).
import fs from 'node:fs';
import path from 'node:path';

const dir = process.argv[2];
let passed = 0;
let failed = 0;
let skipped = 0;
const rows = [];
const failures = [];

// The first lines of a failure message: enough to tell which assertion, short
// enough for the end of a CI log.
const ANSI_COLOUR = /\u001b\[[0-9;]*m/g;

function firstLines(messages) {
  return (messages ?? [])
    .join('\n')
    .replace(ANSI_COLOUR, '')
    .split('\n')
    .filter(line => line.trim() !== '')
    .slice(0, 6)
    .map(line => `      ${line.slice(0, 200)}`);
}

function collectJestFailures(label, report) {
  for (const suite of report.testResults ?? []) {
    const file = path.relative(process.cwd(), suite.name);
    const failed = (suite.assertionResults ?? []).filter(
      test => test.status === 'failed',
    );
    for (const test of failed) {
      failures.push(`  ${label} ${file} › ${test.fullName}`);
      failures.push(...firstLines(test.failureMessages));
    }
    if (failed.length === 0 && suite.status === 'failed') {
      failures.push(`  ${label} ${file} (the file itself failed)`);
      failures.push(...firstLines([suite.message]));
    }
  }
}

function collectPlaywrightFailures(suites, titles = []) {
  for (const suite of suites ?? []) {
    const suitePath = [...titles, suite.title].filter(Boolean);
    for (const spec of suite.specs ?? []) {
      for (const test of spec.tests ?? []) {
        if (test.status !== 'unexpected') continue;
        failures.push(`  e2e ${[...suitePath, spec.title].join(' › ')}`);
        const last = test.results?.[test.results.length - 1];
        failures.push(...firstLines([last?.error?.message ?? '']));
      }
    }
    collectPlaywrightFailures(suite.suites, suitePath);
  }
}

function readJson(name) {
  const file = path.join(dir, name);
  if (!fs.existsSync(file)) return undefined;
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

for (const [label, name] of [
  ['unit', 'unit-results.json'],
  ['peers', 'peer-results.json'],
]) {
  const report = readJson(name);
  if (!report) continue;
  const p = report.numPassedTests;
  const f = report.numFailedTests + (report.numRuntimeErrorTestSuites ?? 0);
  const s = report.numPendingTests + report.numTodoTests;
  rows.push(`${label}: ${p} passed, ${f} failed, ${s} skipped`);
  collectJestFailures(label, report);
  passed += p;
  failed += f;
  skipped += s;
}

const e2e = readJson('e2e-results.json');
if (e2e) {
  const {
    expected = 0,
    unexpected = 0,
    skipped: s = 0,
    flaky = 0,
  } = e2e.stats ?? {};
  const f = unexpected + (e2e.errors?.length ?? 0);
  collectPlaywrightFailures(e2e.suites);
  for (const error of e2e.errors ?? []) {
    failures.push('  e2e (run error)', ...firstLines([error.message ?? '']));
  }
  rows.push(`e2e: ${expected + flaky} passed, ${f} failed, ${s} skipped`);
  passed += expected + flaky;
  failed += f;
  skipped += s;
}

for (const row of rows) console.log(row);
const summary = `tests: ${passed} passed, ${failed} failed, ${skipped} skipped`;
fs.writeFileSync(path.join(dir, 'summary.txt'), `${summary}\n`);
fs.writeFileSync(
  path.join(dir, 'failures.txt'),
  failures.length > 0 ? `failed tests:\n${failures.join('\n')}\n` : '',
);
if (failures.length > 0) console.log(`failed tests:\n${failures.join('\n')}`);
console.log(summary);
process.exit(failed > 0 ? 1 : 0);
