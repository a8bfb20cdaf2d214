import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiAs, expectStatus } from '../helpers/api.js';
import { addSimDevice, type BackupEnv, backupNow, routerApi, startBackupEnv } from './helpers.js';

// The git mirror of config versions: one commit per version, secrets redacted, cloneable as a bundle and pushed to
// the organisation's remote (a local bare repository here).

const SECRET = 'Mirror-Secret-31c8';
let e: BackupEnv;
let id: string;
let work: string;
const git = (...args: string[]) =>
  execFileSync('git', args, { encoding: 'utf8', env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1' } });

beforeAll(async () => {
  e = await startBackupEnv([{ identity: 'edge-1', users: [{ name: 'admin', password: 'sim-pass' }] }], {
    GIT_ALLOW_LOCAL_REMOTES: 'true',
  });
  id = await addSimDevice(e, 0);
  work = await mkdtemp(join(tmpdir(), 'tod-git-test-'));
  const c = await routerApi(e, 0);
  await c.command('/ppp/secret/add', { name: 'carol', password: SECRET, service: 'pppoe' });
  await c.command('/ip/dns/set', { servers: '8.8.8.8' });
  await c.close();
}, 60_000);
afterAll(async () => {
  await e?.stop();
  await rm(work, { recursive: true, force: true });
});

describe('git mirror', () => {
  it('commits each version, redacted, and pushes to the organisation’s remote', async () => {
    expect((await backupNow(e, id)).job.status).toBe('succeeded');
    const c = await routerApi(e, 0);
    await c.command('/ip/dns/set', { servers: '9.9.9.9' });
    await c.close();
    expect((await backupNow(e, id)).version?.changes).toBe(1);

    const bare = join(work, 'remote.git');
    git('init', '--bare', '-q', '-b', 'main', bare);
    const operator = apiAs(e.ctx, e.seed, 'operator');
    expect((await operator.put(`${e.base}/config/settings`, { git_remote_url: bare })).statusCode).toBe(403);
    const set = expectStatus<{ git_remote: string }>(
      await e.admin.put(`${e.base}/config/settings`, { git_remote_url: bare }),
      200,
    );
    expect(set.git_remote).toBe(bare);
    const pushed = expectStatus<{ pushed: boolean; sha: string }>(await e.admin.post(`${e.base}/config/git/push`), 200);
    expect(pushed.pushed).toBe(true);

    const log = git('--git-dir', bare, 'log', '--format=%an|%s', 'main');
    expect(log.trim().split('\n')).toHaveLength(2);
    expect(log).toContain('1 change (manual)');
    const patch = git('--git-dir', bare, 'log', '-p', '-1', 'main');
    expect(patch).toContain('+set servers=9.9.9.9');
    expect(patch).toContain('-set servers=8.8.8.8');
    const all = git('--git-dir', bare, 'log', '-p', 'main');
    expect(all).toContain('/ppp secret');
    expect(all).not.toContain(SECRET);

    const settings = expectStatus<{ git_pushed_sha: string; git_push_error: string | null }>(
      await e.admin.get(`${e.base}/config/settings`),
      200,
    );
    expect(settings).toMatchObject({ git_pushed_sha: pushed.sha, git_push_error: null });
  });

  it('refuses remotes that would write on TOD’s own disk unless allowed, and hides credentials', async () => {
    const bad = await e.admin.put(`${e.base}/config/settings`, { git_remote_url: 'ext::sh -c touch% /tmp/pwned' });
    expect(expectStatus<{ code: string }>(bad, 422).code).toBe('git_remote_invalid');
    const withToken = expectStatus<{ git_remote: string }>(
      await e.admin.put(`${e.base}/config/settings`, {
        git_remote_url: 'https://user:tok3n-value@git.example.net/acme/configs.git',
      }),
      200,
    );
    expect(withToken.git_remote).not.toContain('tok3n-value');
    const rows = await e.ctx.pools.system.query('select git_remote_url from config_settings where tenant_id = $1', [
      e.seed.a.id,
    ]);
    expect(rows.rows[0].git_remote_url.includes(Buffer.from('tok3n-value'))).toBe(false);
  });

  it('downloads the mirror as a bundle that git clones (admin only)', async () => {
    expect((await apiAs(e.ctx, e.seed, 'operator').get(`${e.base}/config/git/bundle`)).statusCode).toBe(403);
    const r = await e.admin.get(`${e.base}/config/git/bundle`);
    expect(r.statusCode).toBe(200);
    const file = join(work, 'tod.bundle');
    await writeFile(file, r.rawPayload);
    git('clone', '-q', '-b', 'main', file, join(work, 'clone'));
    const log = git('-C', join(work, 'clone'), 'log', '--oneline');
    expect(log.trim().split('\n')).toHaveLength(2);
    const other = apiAs(e.ctx, e.seed, 'admin', e.seed.b);
    expect((await other.get(`/api/tenants/${e.seed.b.id}/config/git/bundle`)).statusCode).toBe(404);
  });
});
