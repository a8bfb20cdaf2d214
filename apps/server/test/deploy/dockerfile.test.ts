// The repository's Dockerfile, read as text (no Docker engine here): the image it describes runs tod unprivileged,
// probes its health, and copies only what the build stages really produce — the outputs of scripts/build.mjs, the
// production install, and files of the context that .dockerignore keeps.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, posix, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { envSchema } from '../../src/platform/config/env.js';
import { copyOf, ignoredBy, lineage, parseDockerfile, type Stage, words } from './dockerfile.js';

const repo = resolve(import.meta.dirname, '../../../..');
const read = (p: string) => readFileSync(join(repo, p), 'utf8');
const stages = parseDockerfile(read('Dockerfile'));
const dockerignore = read('.dockerignore');
const runtime = stages.at(-1)!;
const all = (s: Stage, keyword: string) => s.instructions.filter((i) => i.keyword === keyword);
const last = (s: Stage, keyword: string) => all(s, keyword).at(-1);

/** `ENV A=1 B=2` of a stage, as a record. */
const envOf = (s: Stage) =>
  Object.fromEntries(all(s, 'ENV').flatMap((i) => words(i.args).map((w) => w.split('=', 2) as [string, string])));

/** What scripts/build.mjs writes: its esbuild `out:` files and the web app's Vite outDir. */
function buildOutputs(): string[] {
  const script = read('scripts/build.mjs');
  const bundles = [...script.matchAll(/out: '([^']+)'/g)].map((m) => m[1]!);
  const outDir = /outDir: resolve\(here, '([^']+)'\)/.exec(read('apps/web/vite.config.ts'))?.[1];
  expect(bundles).toContain('apps/server/dist/tod.js');
  expect(outDir).toBeDefined();
  return [...bundles, posix.join('apps/web', outDir!)];
}

/** Whether `path` (relative to the stage's WORKDIR) exists in a stage: built, installed, or copied from the context. */
function producedIn(stageName: string, path: string): string | undefined {
  const chain = lineage(stages, stageName);
  const runs = chain.flatMap((s) => all(s, 'RUN').map((i) => i.args));
  if (runs.some((r) => /node scripts\/build\.mjs/.test(r)) && buildOutputs().some((o) => path === o))
    return 'built by scripts/build.mjs';
  if (path === 'node_modules' && runs.some((r) => /\bnpm ci\b/.test(r))) return 'installed by npm ci';
  const copied = chain.flatMap((s) => all(s, 'COPY').map(copyOf)).filter((c) => !c.from);
  const fromContext = copied.some(
    (c) =>
      c.sources.includes('.') ||
      c.sources.some(
        (src) => src === path || (c.dest.endsWith('/') && posix.join(c.dest, posix.basename(src)) === path),
      ),
  );
  if (fromContext && existsSync(join(repo, path)) && !ignoredBy(dockerignore, path)) return 'copied from the context';
  return undefined;
}

describe('Dockerfile', () => {
  it('builds from several stages onto a slim Node 20 image', () => {
    expect(stages.map((s) => s.name)).toEqual(['manifests', 'build', 'deps', 'runtime']);
    expect(read('Dockerfile')).toMatch(/^ARG NODE_IMAGE=node:20-bookworm-slim$/m);
    expect(runtime.from).toBe(`\${NODE_IMAGE}`);
  });

  // `npm ci` refuses a lock whose workspaces it cannot see: the install layer needs every workspace's manifest.
  it("gives npm ci every workspace's package.json", () => {
    const manifests = lineage(stages, 'build')
      .flatMap((s) => all(s, 'COPY').map(copyOf))
      .filter((c) => !c.from && !c.sources.includes('.'))
      .flatMap((c) => c.sources);
    const globs = JSON.parse(read('package.json')).workspaces as string[];
    const workspaces = globs.flatMap((g) =>
      readdirSync(join(repo, g.replace(/\/\*$/, '')))
        .map((d) => posix.join(g.replace(/\/\*$/, ''), d, 'package.json'))
        .filter((f) => existsSync(join(repo, f))),
    );
    expect(workspaces.length).toBeGreaterThan(3);
    expect(manifests).toEqual(expect.arrayContaining(['package.json', 'package-lock.json', ...workspaces]));
  });

  it('runs tod as a user that is not root', () => {
    const user = last(runtime, 'USER')?.args;
    expect(user).toBeDefined();
    expect(['root', '0', '0:0']).not.toContain(user);
    // Nothing runs as root after the switch.
    const afterUser = runtime.instructions.slice(runtime.instructions.indexOf(last(runtime, 'USER')!));
    expect(afterUser.filter((i) => i.keyword === 'RUN')).toEqual([]);
  });

  it('probes /health with the script the image carries, and starts tod', () => {
    const health = last(runtime, 'HEALTHCHECK');
    expect(health, 'HEALTHCHECK').toBeDefined();
    expect(health!.args).toMatch(/ CMD \["node", "deploy\/healthcheck\.mjs"\]$/);
    expect(all(runtime, 'COPY').map(copyOf)).toContainEqual({
      sources: ['deploy/healthcheck.mjs'],
      dest: 'deploy/healthcheck.mjs',
    });
    // Without arguments the script asks /health on PORT.
    expect(read('deploy/healthcheck.mjs')).toContain("const [which = 'api', path = '/health']");
    expect(words(last(runtime, 'ENTRYPOINT')!.args)).toEqual(['node', 'apps/server/dist/tod.js']);
    expect(words(last(runtime, 'CMD')!.args)).toEqual(['start']);
  });

  it('sets only TOD settings, exposes their ports and keeps the data directory in a volume', () => {
    const env = envOf(runtime);
    expect(Object.keys(env).filter((k) => !(k in envSchema.shape))).toEqual([]);
    expect(words(last(runtime, 'EXPOSE')!.args).sort()).toEqual([env.PORT, env.METRICS_PORT].sort());
    expect(words(last(runtime, 'VOLUME')!.args)).toEqual([env.TOD_DATA_DIR]);
    // The unprivileged user owns it (the volume starts as the image's folder).
    expect(all(runtime, 'RUN').some((r) => r.args.includes(`chown node:node ${env.TOD_DATA_DIR}`))).toBe(true);
    expect(last(runtime, 'USER')!.args).toBe('node');
  });

  it('copies into the run-time image only what the build stages produce', () => {
    const fromStages = all(runtime, 'COPY')
      .map(copyOf)
      .filter((c) => c.from);
    expect(fromStages.length).toBeGreaterThan(0);
    for (const c of fromStages) {
      const workdir =
        lineage(stages, c.from!)
          .find((s) => last(s, 'WORKDIR'))
          ?.instructions.findLast((i) => i.keyword === 'WORKDIR')?.args ?? '/';
      for (const src of c.sources) {
        const rel = posix.relative(workdir, src);
        expect(producedIn(c.from!, rel), `${src} from stage ${c.from}`).toBeDefined();
      }
    }
    // The program the image starts is one of them.
    expect(fromStages.map((c) => c.dest)).toContain('apps/server/dist/tod.js');
  });

  it('copies from the context only files that exist and that .dockerignore keeps', () => {
    for (const stage of stages)
      for (const c of all(stage, 'COPY').map(copyOf))
        for (const src of c.from ? [] : c.sources.filter((s) => s !== '.')) {
          expect(existsSync(join(repo, src)), src).toBe(true);
          expect(ignoredBy(dockerignore, src), src).toBe(false);
        }
    // And leaves out what must never be in an image: local installs and builds, data, secrets.
    for (const p of ['node_modules', 'apps/web/node_modules', 'apps/server/dist/tod.js', 'data', '.env'])
      expect(ignoredBy(dockerignore, p), p).toBe(true);
    expect(ignoredBy(dockerignore, 'deploy/compose.env')).toBe(true);
    expect(ignoredBy(dockerignore, 'deploy/compose.env.example')).toBe(false);
  });

  // The run-time stage installs @tod/server's production dependencies only; the bundle compiles the @tod/* packages
  // in and leaves every npm package external, so each one the server's code imports must be among them.
  it("installs every npm package the server's code imports", () => {
    const deps = lineage(stages, 'deps')[0]!;
    expect(all(deps, 'RUN').some((r) => /npm ci .*--omit=dev --workspace @tod\/server/.test(r.args))).toBe(true);
    const declared = Object.keys(JSON.parse(read('apps/server/package.json')).dependencies as object);
    const sources = ['apps/server/src', 'packages/routeros/src', 'packages/rsc/src', 'packages/srp/src'].flatMap(
      (dir) =>
        (readdirSync(join(repo, dir), { recursive: true }) as string[])
          .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
          .map((f) => read(join(dir, f))),
    );
    const imported = new Set(
      sources.flatMap((text) =>
        [
          ...text.matchAll(/^\s*(?:import|export)\s+(?!type\b)[^'";]*?\bfrom\s+'([^']+)'/gm),
          ...text.matchAll(/^\s*import\s+'([^']+)'/gm),
          ...text.matchAll(/\b(?:import|require|resolve)\(\s*'([^']+)'\s*\)/g),
        ].map((m) => m[1]!),
      ),
    );
    const packages = [...imported]
      .filter((s) => !s.startsWith('.') && !s.startsWith('node:') && !s.startsWith('@tod/'))
      .map((s) => (s.startsWith('@') ? s.split('/').slice(0, 2).join('/') : s.split('/')[0]!))
      .filter((p) => !builtinModules.includes(p));
    expect(packages.length).toBeGreaterThan(10);
    expect([...new Set(packages)].filter((p) => !declared.includes(p))).toEqual([]);
  });
});
