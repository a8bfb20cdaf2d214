// Runs every benchmark (`<package>/bench/*.bench.ts`), each of which prints one JSON object on its last stdout
// line. Writes all results to bench-results/<timestamp>.json and prints them. Filter: `npm run bench -- rsc`.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const filter = process.argv[2];
const roots = ['packages/routeros', 'packages/rsc', 'packages/simulator', 'packages/srp', 'apps/server', 'apps/web'];
const results = [];
for (const root of roots) {
  const dir = join(root, 'bench');
  if (!existsSync(dir)) continue;
  for (const f of readdirSync(dir)
    .filter((n) => n.endsWith('.bench.ts'))
    .sort()) {
    const file = join(dir, f);
    if (filter && !file.includes(filter)) continue;
    console.error(`bench: ${file}`);
    const r = spawnSync('node', ['--conditions=source', '--import', 'tsx', file], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      maxBuffer: 64 << 20,
    });
    const lines = (r.stdout ?? '').trim().split('\n');
    try {
      results.push({ file, ...JSON.parse(lines.at(-1) ?? '') });
    } catch {
      results.push({ file, error: `exit ${r.status}; no JSON result` });
    }
  }
}
mkdirSync('bench-results', { recursive: true });
const out = {
  machine: { cpus: (await import('node:os')).cpus().length, node: process.version },
  at: new Date().toISOString(),
  results,
};
const path = join('bench-results', `${out.at.replace(/[:.]/g, '-')}.json`);
writeFileSync(path, JSON.stringify(out, null, 2));
console.log(JSON.stringify(out, null, 2));
console.error(`bench: written to ${path}`);
