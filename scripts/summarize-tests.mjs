// Adds up the JSON reports of jest and Playwright into one closing line:
// "tests: N passed, N failed, N skipped".
import fs from 'node:fs';
import path from 'node:path';

const dir = process.argv[2];
let passed = 0;
let failed = 0;
let skipped = 0;
const rows = [];

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
  rows.push(`e2e: ${expected + flaky} passed, ${f} failed, ${s} skipped`);
  passed += expected + flaky;
  failed += f;
  skipped += s;
}

for (const row of rows) console.log(row);
const summary = `tests: ${passed} passed, ${failed} failed, ${skipped} skipped`;
fs.writeFileSync(path.join(dir, 'summary.txt'), `${summary}\n`);
console.log(summary);
process.exit(failed > 0 ? 1 : 0);
