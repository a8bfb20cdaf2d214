import type pg from 'pg';
import type { Logger } from 'pino';
import { withTenant } from '../../platform/db/tx.js';
import type { GitMirror, MirrorCommit, MirrorFile } from '../../platform/git/mirror.js';
import { pathSegment } from '../../platform/git/names.js';
import { checkRemote, redactUrls } from '../../platform/git/remote.js';
import { AppError } from '../../platform/http/errors.js';
import type { Envelope } from '../../platform/kms/envelope.js';
import type { KeyUse } from '../../platform/kms/key-use.js';
import type { Codec } from './codec.js';
import { redact } from './diff.js';
import { mirrorRepo } from './mirror.repo.js';

// The per-organisation git mirror of config versions, derived from PostgreSQL: versions not yet mirrored are
// committed in order (secrets redacted, one file per device, one commit per version saying who changed what), then
// pushed to the organisation's remote when one is set. Content-based commits make a second run over the same
// versions (another process, a retried handler) a no-op.

const BATCH = 500;

// The remote URL (it may carry a token) and the ssh key are secrets of the organisation's settings row.
const REMOTE = 'config-settings:git_remote_url';
const KEY = 'config-settings:git_ssh_key';

export function createMirrorSync(deps: {
  appPool: pg.Pool;
  mirror: GitMirror;
  codec: Codec;
  envelope: Envelope;
  log: Logger;
  allowLocalRemotes: boolean;
}) {
  const inTenant = <T>(tenantId: string, fn: (db: pg.PoolClient) => Promise<T>) =>
    withTenant(deps.appPool, tenantId, fn);

  /** Commits the tenant's versions the mirror does not have yet. */
  async function sync(tenantId: string, use: KeyUse): Promise<number> {
    let total = 0;
    for (;;) {
      const rows = await inTenant(tenantId, (db) => mirrorRepo.pending(db, BATCH));
      if (rows.length === 0) return total;
      const commits: MirrorCommit[] = [];
      const paths = new Map<string, string | null>();
      for (const r of rows) {
        const sealed = r.normalized;
        const text = (await deps.codec.open(tenantId, r.device_id, r.sha256, 'normalized', sealed, use)).toString(
          'utf8',
        );
        const path = `devices/${pathSegment(r.device_name)}-${r.device_id.slice(0, 8)}.rsc`;
        const before = paths.has(r.device_id) ? paths.get(r.device_id) : r.git_path;
        const files: MirrorFile[] = [{ path, content: redact(text) }];
        if (before && before !== path) files.push({ path: before, content: null });
        paths.set(r.device_id, path);
        const who = r.changed_by ?? r.actor_label ?? 'TOD';
        commits.push({
          files,
          message: `${r.device_name}: ${r.changes === null ? 'first backup' : `${r.changes} change${r.changes === 1 ? '' : 's'}`} (${r.trigger}${r.changed_by ? ` by ${r.changed_by}` : ''})${r.checkpoint_name ? `\n\nCheckpoint: ${r.checkpoint_name}` : ''}`,
          author: { name: who, email: `${pathSegment(who)}@tod.invalid` },
          date: r.created_at,
        });
      }
      const results = await deps.mirror.commitMany(tenantId, commits);
      await inTenant(tenantId, async (db) => {
        await mirrorRepo.markMirrored(
          db,
          rows.map((r, i) => ({ id: r.version_id, sha: results[i]?.sha ?? '' })),
        );
        for (const [deviceId, path] of paths) await mirrorRepo.setPath(db, deviceId, path as string);
      });
      total += rows.length;
      if (rows.length < BATCH) return total;
    }
  }

  /** Pushes the mirror to the tenant's remote when it has commits the remote has not seen. */
  async function push(tenantId: string, use: KeyUse, force = false) {
    const s = await inTenant(tenantId, (db) => mirrorRepo.remote(db));
    if (!s?.git_remote_url) return { pushed: false as const, reason: 'no remote set' };
    const [head] = await deps.mirror.log(tenantId, { limit: 1 });
    if (!head) return { pushed: false as const, reason: 'the mirror is empty' };
    if (!force && head.sha === s.git_pushed_sha) return { pushed: false as const, reason: 'up to date' };
    const url = (await deps.envelope.decrypt(tenantId, s.git_remote_url, REMOTE, use)).toString('utf8');
    const sshKey = s.git_ssh_key
      ? (await deps.envelope.decrypt(tenantId, s.git_ssh_key, KEY, use)).toString('utf8')
      : undefined;
    const r = await deps.mirror.push(tenantId, {
      url,
      branch: s.git_remote_branch,
      ...(sshKey ? { sshKey } : {}),
      ...(s.git_known_hosts ? { knownHosts: s.git_known_hosts } : {}),
    });
    await inTenant(tenantId, (db) =>
      r.ok
        ? mirrorRepo.pushed(db, tenantId, r.sha, r.knownHosts ?? null)
        : mirrorRepo.pushFailed(db, tenantId, `${r.code}: ${redactUrls(r.detail)}`),
    );
    if (!r.ok) deps.log.warn({ tenant: tenantId, code: r.code }, 'git mirror push failed');
    return r.ok ? { pushed: true as const, sha: r.sha } : { pushed: false as const, reason: r.code };
  }

  return {
    sync,
    push,
    /** A remote as the tenant admin typed it, checked, or a 422. */
    checkRemote(url: string): string {
      const c = checkRemote(url, deps.allowLocalRemotes);
      if (!c.ok) throw new AppError('git_remote_invalid', c.detail);
      return url;
    },
    sealRemote: (tenantId: string, url: string, use: KeyUse) => deps.envelope.encrypt(tenantId, url, REMOTE, use),
    sealKey: (tenantId: string, key: string, use: KeyUse) => deps.envelope.encrypt(tenantId, key, KEY, use),
    async shownRemote(tenantId: string, sealed: Buffer | null, use: KeyUse): Promise<string | null> {
      if (!sealed) return null;
      return redactUrls((await deps.envelope.decrypt(tenantId, sealed, REMOTE, use)).toString('utf8'));
    },
    bundle: (tenantId: string) => deps.mirror.bundle(tenantId),
  };
}
export type MirrorSync = ReturnType<typeof createMirrorSync>;
