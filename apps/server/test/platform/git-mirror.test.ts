import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buffer } from 'node:stream/consumers';
import { afterAll, describe, expect, it } from 'vitest';
import { gitStorePath } from '../../src/platform/git/mirror.js';
import { checkPath, GitMirrorError, pathSegment, tenantRepoName } from '../../src/platform/git/names.js';
import { author, mirrorAt, newTenant, plainGit, scratch } from './git-helpers.js';

const store = scratch();
afterAll(() => store.cleanup());
const { mirror, lines } = mirrorAt(join(store.dir, 'store'));
const date = new Date('2026-03-01T02:00:00Z');
const rsc = (n: number) => `# model = RB5009\n/system identity\nset name=router-${n}\n`;

describe('git mirror: commits', () => {
  it('creates the repository on first use and commits a file with its author, date and message', async () => {
    const t = newTenant();
    const { sha } = await mirror.commit(t, {
      files: [{ path: 'site-a/core-1.rsc', content: rsc(1) }],
      message: 'core-1: schedule backup\n\n/system identity: name changed',
      author,
      date,
    });
    expect(sha).toMatch(/^[0-9a-f]{40}$/);
    expect(mirror.repoPath(t)).toBe(join(store.dir, 'store', `${t}.git`));
    expect(plainGit(['--git-dir', mirror.repoPath(t), 'symbolic-ref', 'HEAD']).trim()).toBe('refs/heads/main');
    expect(plainGit(['--git-dir', mirror.repoPath(t), 'config', 'core.bare']).trim()).toBe('true');

    const log = await mirror.log(t);
    expect(log).toEqual([
      {
        sha,
        date: '2026-03-01T02:00:00.000Z',
        author,
        message: 'core-1: schedule backup\n\n/system identity: name changed',
      },
    ]);
    expect(await mirror.show(t, sha!, 'site-a/core-1.rsc')).toBe(rsc(1));
    expect(await mirror.show(t, sha!, 'site-a/other.rsc')).toBeUndefined();
    expect(await mirror.show(t, sha!, 'site-a')).toBeUndefined(); // a folder is not a file
    expect(await mirror.show(t, 'f'.repeat(40), 'site-a/core-1.rsc')).toBeUndefined();
    expect(await mirror.show(t, 'main', 'site-a/core-1.rsc')).toBeUndefined(); // only full commit ids
    expect(await mirror.show(newTenant(), sha!, 'site-a/core-1.rsc')).toBeUndefined();
    // Nothing is left behind in the store besides the repository and its scratch folder.
    expect(readdirSync(join(store.dir, 'store', '.tmp'))).toEqual([]);
    expect(lines.some((l) => l.includes('git mirror repository created'))).toBe(true);
  });

  it('makes no commit when nothing changed, and one per change', async () => {
    const t = newTenant();
    const a = await mirror.commit(t, { files: [{ path: 'r1.rsc', content: rsc(1) }], message: 'v1', author, date });
    const same = await mirror.commit(t, { files: [{ path: 'r1.rsc', content: rsc(1) }], message: 'v1', author, date });
    expect(same).toEqual({ sha: null });
    const b = await mirror.commit(t, { files: [{ path: 'r1.rsc', content: rsc(2) }], message: 'v2', author, date });
    expect(b.sha).not.toBe(a.sha);
    expect((await mirror.log(t)).map((e) => e.message)).toEqual(['v2', 'v1']);
    expect(await mirror.show(t, a.sha!, 'r1.rsc')).toBe(rsc(1));
    expect(await mirror.show(t, b.sha!, 'r1.rsc')).toBe(rsc(2));
  });

  it('deletes a file (null content); deleting a file that is not there changes nothing', async () => {
    const t = newTenant();
    const a = await mirror.commit(t, {
      files: [
        { path: 'a.rsc', content: rsc(1) },
        { path: 'b.rsc', content: rsc(2) },
      ],
      message: 'two',
      author,
      date,
    });
    const b = await mirror.commit(t, { files: [{ path: 'a.rsc', content: null }], message: 'gone', author, date });
    expect(b.sha).toBeTruthy();
    expect(await mirror.show(t, b.sha!, 'a.rsc')).toBeUndefined();
    expect(await mirror.show(t, a.sha!, 'a.rsc')).toBe(rsc(1));
    expect(await mirror.show(t, b.sha!, 'b.rsc')).toBe(rsc(2));
    expect(await mirror.commit(t, { files: [{ path: 'a.rsc', content: null }], message: 'x', author, date })).toEqual({
      sha: null,
    });
  });

  it('filters history by path, with limit and skip', async () => {
    const t = newTenant();
    for (let i = 1; i <= 3; i++)
      await mirror.commit(t, { files: [{ path: 'x/a.rsc', content: rsc(i) }], message: `a${i}`, author, date });
    await mirror.commit(t, { files: [{ path: 'x/b.rsc', content: rsc(9) }], message: 'b1', author, date });
    expect((await mirror.log(t, { path: 'x/a.rsc' })).map((e) => e.message)).toEqual(['a3', 'a2', 'a1']);
    expect((await mirror.log(t, { path: 'x/b.rsc' })).map((e) => e.message)).toEqual(['b1']);
    expect((await mirror.log(t, { limit: 2, skip: 1 })).map((e) => e.message)).toEqual(['a3', 'a2']);
    expect(await mirror.log(newTenant())).toEqual([]);
  });

  it('keeps control characters and angle brackets out of messages and identities', async () => {
    const t = newTenant();
    const { sha } = await mirror.commit(t, {
      files: [{ path: 'r.rsc', content: rsc(1) }],
      message: 'line\x00one\x1e\nline two',
      author: { name: 'Eve <evil@x>\n', email: '<eve@x>' },
      date,
    });
    const [entry] = await mirror.log(t);
    expect(entry).toMatchObject({ sha, message: 'lineone\nline two', author: { name: 'Eve evil@x', email: 'eve@x' } });
  });

  it('refuses a file where a folder is, rather than replacing the folder', async () => {
    const t = newTenant();
    await mirror.commit(t, { files: [{ path: 'site/r.rsc', content: rsc(1) }], message: 'v1', author, date });
    for (const path of ['site', 'site/r.rsc/x.rsc'])
      await expect(
        mirror.commit(t, { files: [{ path, content: rsc(2) }], message: 'v2', author, date }),
      ).rejects.toMatchObject({ code: 'git_invalid_path' });
    const both = [
      { path: 'new', content: rsc(2) },
      { path: 'new/r.rsc', content: rsc(2) },
    ];
    await expect(mirror.commit(t, { files: both, message: 'v2', author, date })).rejects.toMatchObject({
      code: 'git_invalid_path',
    });
    expect(await mirror.log(t)).toHaveLength(1);
    // Deleting the folder's file first frees the name.
    const swap = [
      { path: 'site/r.rsc', content: null },
      { path: 'other/r.rsc', content: rsc(3) },
    ];
    expect((await mirror.commit(t, { files: swap, message: 'v3', author, date })).sha).toBeTruthy();
  });

  it('packs loose objects every gcEvery commits', async () => {
    const t = newTenant();
    const { mirror: m } = mirrorAt(join(store.dir, 'store'), { gcEvery: 2 });
    await m.commit(t, { files: [{ path: 'r.rsc', content: rsc(1) }], message: 'v1', author, date });
    expect(plainGit(['--git-dir', m.repoPath(t), 'count-objects', '-v'])).toMatch(/^in-pack: 0$/m);
    await m.commit(t, { files: [{ path: 'r.rsc', content: rsc(2) }], message: 'v2', author, date });
    const counts = plainGit(['--git-dir', m.repoPath(t), 'count-objects', '-v']);
    expect(counts).toMatch(/^count: 0$/m);
    expect(counts).toMatch(/^in-pack: [1-9]/m);
  });
});

describe('git mirror: many commits at once', () => {
  it('commitMany lands each change as its own commit, skipping the ones that change nothing', async () => {
    const t = newTenant();
    await mirror.commit(t, { files: [{ path: 'a/r1.rsc', content: rsc(1) }], message: 'base', author, date });
    const at = (n: number, path: string, content: string | null) => ({
      files: [{ path, content }],
      message: `c${n}`,
      author: { name: `user${n}`, email: `u${n}@x` },
      date: new Date(date.getTime() + n * 60_000),
    });
    const r = await mirror.commitMany(t, [
      at(1, 'a/r1.rsc', rsc(1)), // unchanged
      at(2, 'a/r1.rsc', rsc(2)),
      at(3, 'a/r2.rsc', rsc(3)),
      at(4, 'a/r1.rsc', rsc(2)), // unchanged since c2
      at(5, 'a/r2.rsc', null),
    ]);
    expect(r.map((x) => x.sha === null)).toEqual([true, false, false, true, false]);
    const log = await mirror.log(t);
    expect(log.map((e) => `${e.message} ${e.author.name} ${e.date}`)).toEqual([
      'c5 user5 2026-03-01T02:05:00.000Z',
      'c3 user3 2026-03-01T02:03:00.000Z',
      'c2 user2 2026-03-01T02:02:00.000Z',
      'base Ada Admin 2026-03-01T02:00:00.000Z',
    ]);
    expect(log[0]!.sha).toBe(r[4]!.sha);
    expect(await mirror.show(t, r[2]!.sha!, 'a/r2.rsc')).toBe(rsc(3));
    expect(await mirror.show(t, r[4]!.sha!, 'a/r2.rsc')).toBeUndefined();
    expect(await mirror.show(t, r[4]!.sha!, 'a/r1.rsc')).toBe(rsc(2));
    expect(await mirror.commitMany(t, [])).toEqual([]);
  });

  it('commits nothing when one of the batch is refused', async () => {
    const t = newTenant();
    await mirror.commit(t, { files: [{ path: 'a/r1.rsc', content: rsc(1) }], message: 'base', author, date });
    const ok = { files: [{ path: 'a/r1.rsc', content: rsc(2) }], message: 'ok', author, date };
    const clash = { files: [{ path: 'a', content: rsc(3) }], message: 'clash', author, date };
    await expect(mirror.commitMany(t, [ok, clash])).rejects.toMatchObject({ code: 'git_invalid_path' });
    expect((await mirror.log(t)).map((e) => e.message)).toEqual(['base']);
  });
});

describe('git mirror: several writers', () => {
  it('two mirrors on one store (as two processes) commit at once: every commit lands, history stays linear', async () => {
    const t = newTenant();
    const root = join(store.dir, 'store');
    const a = mirrorAt(root).mirror;
    const b = mirrorAt(root).mirror;
    const n = 12;
    const results = await Promise.all(
      Array.from({ length: n }, (_, i) =>
        (i % 2 ? a : b).commit(t, {
          files: [{ path: `devices/r${i}.rsc`, content: rsc(i) }],
          message: `r${i}`,
          author,
          date,
        }),
      ),
    );
    expect(results.every((r) => r.sha)).toBe(true);
    const dir = a.repoPath(t);
    expect(plainGit(['--git-dir', dir, 'rev-list', '--count', 'main']).trim()).toBe(String(n));
    expect(plainGit(['--git-dir', dir, 'rev-list', '--min-parents=2', 'main']).trim()).toBe('');
    const files = plainGit(['--git-dir', dir, 'ls-tree', '-r', '--name-only', 'main']).trim().split('\n');
    expect(files.sort()).toEqual(Array.from({ length: n }, (_, i) => `devices/r${i}.rsc`).sort());
    plainGit(['--git-dir', dir, 'fsck', '--strict', '--no-dangling']); // throws on any broken object
    expect(plainGit(['--git-dir', dir, 'for-each-ref', '--format=%(refname)']).trim()).toBe('refs/heads/main');
    // The same change from both at once: one commit, the other finds nothing to do.
    const same = await Promise.all(
      [a, b].map((m) => m.commit(t, { files: [{ path: 'same.rsc', content: rsc(1) }], message: 's', author, date })),
    );
    expect(same.filter((r) => r.sha).length).toBe(1);
  });
});

describe('git mirror: bundle', () => {
  it('is a file `git clone` accepts, whose `git log -p` shows the change', async () => {
    const t = newTenant();
    await mirror.commit(t, { files: [{ path: 'site/r.rsc', content: rsc(1) }], message: 'first', author, date });
    const { sha } = await mirror.commit(t, {
      files: [{ path: 'site/r.rsc', content: rsc(2) }],
      message: 'identity renamed',
      author,
      date,
    });
    const b = await mirror.bundle(t);
    expect(b?.sha).toBe(sha);
    const bytes = await buffer(b!.stream);
    expect(bytes.length).toBe(b!.size);
    const file = join(store.dir, `${t}.bundle`);
    writeFileSync(file, bytes);
    const clone = join(store.dir, `clone-${t}`);
    plainGit(['clone', '--quiet', file, clone]);
    expect(plainGit(['rev-parse', 'HEAD'], clone).trim()).toBe(sha);
    const patch = plainGit(['log', '-p', '-1'], clone);
    expect(patch).toContain('identity renamed');
    expect(patch).toContain('-set name=router-1');
    expect(patch).toContain('+set name=router-2');
    expect(patch).toContain('Author: Ada Admin <ada@msp.example>');
    expect(readdirSync(join(store.dir, 'store', '.tmp'))).toEqual([]);
  });

  it('is undefined for an organisation without a history', async () => {
    expect(await mirror.bundle(newTenant())).toBeUndefined();
  });
});

describe('git mirror: names', () => {
  it('refuses tenant ids that are not UUIDs before touching the disk', async () => {
    for (const bad of ['../x', 'x', '', '00000000-0000-0000-0000-00000000000/', '/etc', `${newTenant()}/../x`])
      await expect(
        mirror.commit(bad, { files: [{ path: 'a.rsc', content: 'x' }], message: 'm', author, date }),
      ).rejects.toMatchObject({ code: 'git_invalid_tenant' });
    expect(() => mirror.repoPath('..')).toThrow(GitMirrorError);
    expect(tenantRepoName('A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11')).toBe('a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11.git');
    expect(existsSync(join(store.dir, 'x.git'))).toBe(false);
  });

  it('refuses paths that could escape the tree or trip a checkout', async () => {
    const bad = [
      '',
      '/etc/passwd',
      '../x.rsc',
      'a/../../x',
      'a//b',
      'a/',
      '.git/config',
      'a/.git',
      '.gitmodules',
      'GIT~1/x',
      '-rf',
      'a b.rsc',
      'a\nb',
      'a\\b',
      'ends.',
      'x'.repeat(129),
      'a/b/c/d/e/f/g/h/i',
    ];
    for (const p of bad) expect(() => checkPath(p), p).toThrow(GitMirrorError);
    const t = newTenant();
    await expect(
      mirror.commit(t, { files: [{ path: '../x', content: 'x' }], message: 'm', author, date }),
    ).rejects.toMatchObject({ code: 'git_invalid_path' });
    await expect(
      mirror.commit(t, {
        files: [
          { path: 'a.rsc', content: 'x' },
          { path: 'a.rsc', content: 'y' },
        ],
        message: 'm',
        author,
        date,
      }),
    ).rejects.toMatchObject({ code: 'git_invalid_path' });
    await expect(mirror.log(t, { path: '../x' })).rejects.toMatchObject({ code: 'git_invalid_path' });
    expect(checkPath('site_1/core-router.v2.rsc')).toBe('site_1/core-router.v2.rsc');
  });

  it('pathSegment makes any name a valid path segment', () => {
    expect(pathSegment('Core Router #1 (Zürich)')).toBe('Core-Router-1-Zurich');
    expect(pathSegment('../..')).toBe('unnamed');
    expect(pathSegment('.git')).toBe('git');
    for (const s of ['Core Router #1', '..', '-x-', '日本', 'a'.repeat(300)])
      expect(checkPath(pathSegment(s))).toBeTruthy();
  });

  it('defaults the store to <data dir>/git', () => {
    expect(gitStorePath({ dataDir: '/srv/tod' })).toBe('/srv/tod/git');
    expect(gitStorePath({ dataDir: '/srv/tod', GIT_STORE_PATH: '/mnt/git-store' })).toBe('/mnt/git-store');
  });
});
