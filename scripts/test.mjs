// Runs every test project and ends with the plain "N passed, N failed" line CI reads.
// Under CI (CI=true) a skipped test is a failure: CI must be able to run everything.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';

const out = '.tmp/vitest-results.json';
mkdirSync('.tmp', { recursive: true });
const args = [
  'vitest',
  'run',
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${out}`,
  ...process.argv.slice(2),
];
const run = spawnSync('npx', args, { stdio: 'inherit' });

let passed = 0;
let failed = 0;
let skipped = 0;
const skippedNames = [];
try {
  const report = JSON.parse(readFileSync(out, 'utf8'));
  for (const file of report.testResults ?? []) {
    if (file.status === 'failed' && (file.assertionResults ?? []).length === 0) failed += 1; // file failed to load
    for (const t of file.assertionResults ?? []) {
      if (t.status === 'passed') passed += 1;
      else if (t.status === 'failed') failed += 1;
      else {
        skipped += 1;
        skippedNames.push(t.fullName);
      }
    }
  }
} catch {
  failed += 1;
  console.error('test: no vitest report was written');
}
if (skipped > 0) {
  console.error(`\nSKIPPED ${skipped} test(s):`);
  for (const n of skippedNames) console.error(`  - ${n}`);
  if (process.env.CI === 'true') {
    console.error('CI=true: skipped tests count as failures');
    failed += skipped;
  }
}
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 || (run.status ?? 1) !== 0 ? 1 : 0);
