// JS shipped for the first page, gzip bytes: the entry chunk with everything it imports statically, plus the
// lazily loaded route chunks of the page. Two first pages: sign-in (a new visitor) and the dashboard (everyone
// else, every day). Goal: ≤ 250 KB gzip each. Reads the chunk graph from Vite's manifest after a fresh build.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';

type Chunk = { file: string; imports?: string[]; dynamicImports?: string[]; css?: string[]; isEntry?: boolean };

const repo = resolve(import.meta.dirname, '../../..');
const dist = resolve(repo, 'apps/web/dist');
console.error('bench: building the web app');
execFileSync(process.execPath, ['scripts/build.mjs', '--web', '--quiet'], { cwd: repo, stdio: 'inherit' });
const manifest = JSON.parse(readFileSync(resolve(dist, '.vite/manifest.json'), 'utf8')) as Record<string, Chunk>;

/** Files a set of manifest entries pulls in through static imports. */
function closure(keys: string[]): Set<string> {
  const seen = new Set<string>();
  const files = new Set<string>();
  const visit = (k: string) => {
    if (seen.has(k)) return;
    seen.add(k);
    const c = manifest[k];
    if (!c) throw new Error(`manifest has no ${k}`);
    files.add(c.file);
    for (const i of c.imports ?? []) visit(i);
  };
  keys.forEach(visit);
  return files;
}

function measure(keys: string[]) {
  const files = [...closure(keys)].filter((f) => f.endsWith('.js'));
  let raw = 0;
  let gzip = 0;
  let brotli = 0;
  for (const f of files) {
    const bytes = readFileSync(resolve(dist, f));
    raw += bytes.length;
    gzip += gzipSync(bytes, { level: 9 }).length;
    // What a browser actually receives: the build writes .br copies and the server prefers them.
    brotli += brotliCompressSync(bytes).length;
  }
  return { files: files.length, raw_bytes: raw, gzip_bytes: gzip, brotli_bytes: brotli };
}

const split = (route: string) => `src/routes/${route}.tsx?tsr-split=component`;
const signIn = measure(['index.html', split('sign-in')]);
const dashboard = measure(['index.html', split('_app'), split('_app/index')]);
const allJs = measure(Object.keys(manifest));
const goal = 250 * 1024;
console.error(
  `sign-in ${(signIn.gzip_bytes / 1024).toFixed(1)} KB gzip, dashboard ${(dashboard.gzip_bytes / 1024).toFixed(1)} KB gzip, whole app ${(allJs.gzip_bytes / 1024).toFixed(1)} KB gzip`,
);
console.log(
  JSON.stringify({
    bench: 'web-bundle',
    first_page_sign_in: signIn,
    first_page_dashboard: dashboard,
    whole_app: allJs,
    goal_gzip_bytes: goal,
    within_goal: signIn.gzip_bytes <= goal && dashboard.gzip_bytes <= goal,
  }),
);
