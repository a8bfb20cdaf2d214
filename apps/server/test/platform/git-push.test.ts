import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { ensureCertificate } from '@tod/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runGit, safeConfig, transportConfig } from '../../src/platform/git/git.js';
import { checkRemote, redactUrls } from '../../src/platform/git/remote.js';
import { author, mirrorAt, newTenant, plainGit, scratch } from './git-helpers.js';
import { httpsGitServer, sshGitServer, sshKeyPair } from './git-remotes.js';

const store = scratch();
const root = join(store.dir, 'store');
const { mirror, lines } = mirrorAt(root);
const date = new Date('2026-03-01T02:00:00Z');
const savedCa = process.env.GIT_SSL_CAINFO;
afterAll(() => {
  process.env.GIT_SSL_CAINFO = savedCa;
  if (savedCa === undefined) delete process.env.GIT_SSL_CAINFO;
  store.cleanup();
});

/** An organisation with one version, and an empty bare repository as its remote. */
async function tenantWithHistory(content = 'set name=r1\n') {
  const t = newTenant();
  const { sha } = await mirror.commit(t, { files: [{ path: 'r.rsc', content }], message: 'v1', author, date });
  const remote = join(store.dir, 'remotes', `${t}.git`);
  mkdirSync(remote, { recursive: true });
  plainGit(['init', '--quiet', '--bare', remote]);
  return { t, sha: sha!, remote };
}
/** The remote's branch, or '' when it has none. */
const remoteMain = (remote: string, ref = 'main') =>
  plainGit(['--git-dir', remote, 'for-each-ref', '--format=%(objectname)', `refs/heads/${ref}`]).trim();

describe('git mirror: push to a local bare repository (GIT_ALLOW_LOCAL_REMOTES)', () => {
  it('pushes main, then fast-forwards it, to the branch asked for', async () => {
    const { t, sha, remote } = await tenantWithHistory();
    expect(await mirror.push(t, { url: remote })).toEqual({ ok: true, sha });
    expect(remoteMain(remote)).toBe(sha);
    const next = await mirror.commit(t, { files: [{ path: 'r.rsc', content: 'x\n' }], message: 'v2', author, date });
    expect(await mirror.push(t, { url: `file://${remote}` })).toEqual({ ok: true, sha: next.sha });
    expect(remoteMain(remote)).toBe(next.sha);
    expect(await mirror.push(t, { url: remote, branch: 'tod/backups' })).toMatchObject({ ok: true });
    expect(remoteMain(remote, 'tod/backups')).toBe(next.sha);
    expect(await mirror.push(t, { url: remote, branch: '../x' })).toMatchObject({ code: 'git_remote_invalid' });
  });

  it('refuses to overwrite commits someone else pushed (no force)', async () => {
    const { t, remote } = await tenantWithHistory();
    const clone = join(store.dir, `work-${t}`);
    plainGit(['init', '--quiet', '-b', 'main', clone]);
    writeFileSync(join(clone, 'theirs.txt'), 'theirs\n');
    plainGit(['add', '.'], clone);
    plainGit(['commit', '--quiet', '-m', 'theirs'], clone);
    plainGit(['push', '--quiet', remote, 'main'], clone);
    const theirs = remoteMain(remote);
    const r = await mirror.push(t, { url: remote });
    expect(r).toMatchObject({ ok: false, code: 'git_push_rejected' });
    expect(remoteMain(remote)).toBe(theirs);
  });

  it('pushes again when another process moved main while its push was refused', async () => {
    const { t, sha, remote } = await tenantWithHistory();
    const dir = mirror.repoPath(t);
    // The remote refuses the first push, and meanwhile (inside its hook) "another TOD process" commits to main.
    const hook = [
      '#!/bin/sh',
      `[ -e "${remote}/refused" ] && exit 0`,
      `touch "${remote}/refused"`,
      'unset GIT_DIR GIT_OBJECT_DIRECTORY GIT_ALTERNATE_OBJECT_DIRECTORIES GIT_QUARANTINE_PATH',
      'export GIT_AUTHOR_NAME=o GIT_AUTHOR_EMAIL=o@x GIT_COMMITTER_NAME=o GIT_COMMITTER_EMAIL=o@x',
      `c=$(echo later | git --git-dir="${dir}" commit-tree main^{tree} -p main)`,
      `git --git-dir="${dir}" update-ref refs/heads/main "$c" && echo "$c" > "${remote}/later"`,
      'exit 1',
    ].join('\n');
    writeFileSync(join(remote, 'hooks', 'pre-receive'), `${hook}\n`, { mode: 0o755 });
    const r = await mirror.push(t, { url: remote });
    const later = readFileSync(join(remote, 'later'), 'utf8').trim();
    expect(later).not.toBe(sha);
    expect(r).toEqual({ ok: true, sha: later });
    expect(remoteMain(remote)).toBe(later);
  });

  it('has nothing to push before the first commit', async () => {
    expect(await mirror.push(newTenant(), { url: '/tmp/x.git' })).toMatchObject({
      ok: false,
      code: 'git_mirror_empty',
    });
  });

  it('refuses local remotes unless the operator allows them, in TOD and in git itself', async () => {
    const { t, remote } = await tenantWithHistory();
    const strict = mirrorAt(root, { allowLocalRemotes: false }).mirror;
    for (const url of [remote, `file://${remote}`, `ext::sh -c touch% /tmp/pwned`, `fd::3`, `-uhelp`])
      expect(await strict.push(t, { url }), url).toMatchObject({ ok: false, code: 'git_remote_invalid' });
    expect(remoteMain(remote)).toBe('');
    // The same refusal from git (protocol.allow), should a URL ever get past the check.
    for (const url of [remote, 'ext::sh -c true'])
      await expect(
        runGit({
          gitDir: strict.repoPath(t),
          args: ['push', url, 'refs/heads/main'],
          config: transportConfig(false),
          timeoutMs: 10_000,
          maxBytes: 1024,
        }),
      ).rejects.toMatchObject({ stderr: expect.stringMatching(/transport '(file|ext)' not allowed/) });
    expect(safeConfig).toContain('protocol.allow=never');
  });
});

describe('remote URLs', () => {
  it('accepts https, ssh and scp-like remotes, and only those', () => {
    for (const url of [
      'https://git.example.com/msp/configs.git',
      'https://token@git.example.com/x.git',
      'ssh://git@git.example.com:2222/msp/configs.git',
      'git@github.com:msp/configs.git',
    ])
      expect(checkRemote(url, false).ok, url).toBe(true);
    for (const url of [
      'http://git.example.com/x.git',
      'git://git.example.com/x.git',
      'ext::ssh -o ProxyCommand=evil x',
      'https://-oProxyCommand=x/y',
      'ssh://-oProxyCommand=x/y',
      'ssh://user:pass@host/x.git',
      '-upload-pack=evil',
      'host:-x',
      '-x@host:y',
      'https://host/x y.git',
      'https://host/x\n.git',
      '/srv/git/x.git',
      'file:///srv/git/x.git',
      'x.git',
      '',
    ])
      expect(checkRemote(url, false).ok, url).toBe(false);
  });

  it('takes credentials out of an https URL into an Authorization header', () => {
    const r = checkRemote('https://tod:p%40ss@git.example.com/x.git', false);
    expect(r).toEqual({
      ok: true,
      remote: {
        kind: 'https',
        url: 'https://git.example.com/x.git',
        display: 'https://git.example.com/x.git',
        authorization: `Basic ${Buffer.from('tod:p@ss').toString('base64')}`,
      },
    });
    expect(redactUrls("fatal: unable to access 'https://tod:tok@h/x.git/': failed")).toBe(
      "fatal: unable to access 'https://***@h/x.git/': failed",
    );
  });
});

describe('git mirror: push over https', () => {
  let server: Awaited<ReturnType<typeof httpsGitServer>>;
  const token = 'ghp_S3cretT0kenValue1234';
  beforeAll(async () => {
    const { certPath, cert, key } = ensureCertificate(join(store.dir, 'tls'));
    process.env.GIT_SSL_CAINFO = certPath; // as an operator with a private CA would set it
    const authorization = `Basic ${Buffer.from(`tod:${token}`).toString('base64')}`;
    server = await httpsGitServer({ root: join(store.dir, 'remotes'), cert, key, authorization });
  });
  afterAll(() => server?.close());

  it('pushes with the token from the URL, sent as a header and never shown', async () => {
    const { t, sha, remote } = await tenantWithHistory();
    const url = `https://tod:${token}@127.0.0.1:${server.port}/${t}.git`;
    expect(await mirror.push(t, { url })).toEqual({ ok: true, sha });
    expect(remoteMain(remote)).toBe(sha);
    expect(server.requests.some((r) => r.path === `/${t}.git/git-receive-pack`)).toBe(true);

    const wrong = await mirror.push(t, { url: `https://tod:${token}x@127.0.0.1:${server.port}/${t}.git` });
    expect(wrong).toMatchObject({ ok: false, code: 'git_auth_failed' });
    expect(JSON.stringify(wrong)).not.toContain(token);
    expect(lines.join('\n')).not.toContain(token);
  });

  it('does not follow redirects (the header would go wherever they point)', async () => {
    const { t, remote } = await tenantWithHistory();
    const before = server.requests.length;
    const r = await mirror.push(t, { url: `https://tod:${token}@127.0.0.1:${server.port}/moved/${t}.git` });
    expect(r).toMatchObject({ ok: false, code: 'git_push_failed' });
    expect(server.requests.slice(before).map((x) => x.path)).toEqual([`/moved/${t}.git/info/refs`]);
    expect(remoteMain(remote)).toBe('');
  });

  it('keeps credentials out of failures and logs', async () => {
    const { t } = await tenantWithHistory();
    const closed = await new Promise<number>((resolve) => {
      const s = net.createServer().listen(0, '127.0.0.1', () => {
        const { port } = s.address() as net.AddressInfo;
        s.close(() => resolve(port));
      });
    });
    const r = await mirror.push(t, { url: `https://tod:${token}@127.0.0.1:${closed}/x.git` });
    expect(r).toMatchObject({ ok: false, code: 'git_push_failed' });
    if (r.ok) return;
    expect(r.detail).toContain(`127.0.0.1:${closed}`);
    expect(r.detail).not.toContain(token);
    expect(lines.join('\n')).not.toContain(token);
    expect(lines.join('\n')).toContain('git mirror push failed');
  });

  it('stops a push that hangs at its deadline', async () => {
    const { t } = await tenantWithHistory();
    const silent = net.createServer((s) => s.on('error', () => {})).listen(0, '127.0.0.1');
    await new Promise((r) => silent.once('listening', r));
    const quick = mirrorAt(root, { pushTimeoutMs: 1500 }).mirror;
    const started = Date.now();
    const r = await quick.push(t, { url: `https://127.0.0.1:${(silent.address() as net.AddressInfo).port}/x.git` });
    expect(r).toMatchObject({ ok: false, code: 'git_push_timeout' });
    expect(Date.now() - started).toBeLessThan(5000);
    silent.close();
  });
});

describe('git mirror: push over ssh', () => {
  let server: Awaited<ReturnType<typeof sshGitServer>>;
  let client: ReturnType<typeof sshKeyPair>;
  let other: ReturnType<typeof sshKeyPair>;
  beforeAll(async () => {
    client = sshKeyPair(store.dir, 'tod_key');
    other = sshKeyPair(store.dir, 'other_key');
    const host = sshKeyPair(store.dir, 'host_key');
    server = await sshGitServer({ hostKey: host.privateKey, clientPublicKey: client.publicKey });
  });
  afterAll(() => server?.close());

  it('pushes with the given key, pins the host key on first use, and checks it after', async () => {
    const { t, sha, remote } = await tenantWithHistory();
    const url = `ssh://git@127.0.0.1:${server.port}${remote}`;
    const first = await mirror.push(t, { url, sshKey: client.privateKey });
    expect(first).toMatchObject({ ok: true, sha });
    expect(remoteMain(remote)).toBe(sha);
    if (!first.ok) return;
    expect(first.knownHosts).toMatch(new RegExp(`^\\[127\\.0\\.0\\.1\\]:${server.port} ssh-ed25519 `));

    const next = await mirror.commit(t, { files: [{ path: 'r.rsc', content: 'y\n' }], message: 'v2', author, date });
    const pinned = await mirror.push(t, { url, sshKey: client.privateKey, knownHosts: first.knownHosts });
    expect(pinned).toEqual({ ok: true, sha: next.sha });

    const fake = first.knownHosts!.replace(/ssh-ed25519 \S+/, other.publicKey.split(' ').slice(0, 2).join(' '));
    const mismatch = await mirror.push(t, { url, sshKey: client.privateKey, knownHosts: fake });
    expect(mismatch).toMatchObject({ ok: false, code: 'git_host_key_mismatch' });
  });

  it('reports a refused key, and never offers an ssh identity of its own', async () => {
    const { t, remote } = await tenantWithHistory();
    const url = `ssh://git@127.0.0.1:${server.port}${remote}`;
    expect(await mirror.push(t, { url, sshKey: other.privateKey })).toMatchObject({
      ok: false,
      code: 'git_auth_failed',
    });
    expect(await mirror.push(t, { url })).toMatchObject({ ok: false, code: 'git_remote_invalid' });
    expect(remoteMain(remote)).toBe('');
    // The key and known_hosts files written for ssh are gone.
    expect(readdirSync(join(root, '.tmp'))).toEqual([]);
  });
});
