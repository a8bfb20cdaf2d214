import { createHash } from 'node:crypto';
import { normalizeExport } from '@tod/rsc';
import type pg from 'pg';
import { withTenant } from '../../platform/db/tx.js';
import { type EventActor, recordEvent } from '../../platform/events/index.js';
import { uuidv7 } from '../../platform/events/uuid7.js';
import { type KeyUse, useByWorker } from '../../platform/kms/key-use.js';
import type { Captured } from './capture.js';
import type { Codec } from './codec.js';
import { changesBetween } from './diff.js';
import { stateRepo } from './state.repo.js';
import { type Trigger, type VersionRow, versionsRepo } from './versions.repo.js';

// Storing a capture. A version is the normalised export, identified by its SHA-256; a capture equal to the device's
// latest version only extends that version's "unchanged until" (a checkpoint always makes a row: it is a named
// restore point). Texts are stored once per device and hash; every part is encrypted (codec.ts).

export type StoreInput = {
  tenantId: string;
  deviceId: string;
  captured: Captured;
  trigger: Trigger;
  checkpointName: string | null;
  changedBy: string | null;
  changeLog: unknown;
  jobId: string | null;
  actor: EventActor | null;
};

export type Stored = { version: VersionRow; unchanged: boolean };

export const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

// A capture is sealed by the backup job that made it (the worker, or the process a pre-change backup runs in).
const capturing = useByWorker('backup');

export function createStore(deps: { appPool: pg.Pool; codec: Codec }) {
  const { codec } = deps;

  async function previousText(db: pg.PoolClient, tenantId: string, latest: VersionRow | undefined) {
    if (!latest) return null;
    const sealed = await versionsRepo.content(db, latest.device_id, latest.sha256);
    return sealed
      ? (await codec.open(tenantId, latest.device_id, latest.sha256, 'normalized', sealed, capturing)).toString('utf8')
      : null;
  }

  return {
    async save(i: StoreInput): Promise<Stored> {
      const c = i.captured;
      const normalized = normalizeExport(c.text);
      const sha = sha256(normalized.text);
      const versionId = uuidv7();
      // Sealed before the transaction, which then only writes.
      const raw = await codec.seal(i.tenantId, i.deviceId, versionId, 'raw', c.raw, capturing);
      const binary = c.binary
        ? await codec.seal(i.tenantId, i.deviceId, versionId, 'binary', c.binary, capturing)
        : null;
      const binaryPassword = c.binaryPassword
        ? await codec.seal(i.tenantId, i.deviceId, versionId, 'binary-password', c.binaryPassword, capturing)
        : null;
      return withTenant(deps.appPool, i.tenantId, async (db) => {
        // One capture of a device stored at a time: "is it the same as the latest?" must not race.
        await db.query('select pg_advisory_xact_lock(7243011, hashtext($1))', [i.deviceId]);
        const latest = await versionsRepo.latest(db, i.deviceId);
        const note = { method: c.method, note: c.note };
        if (latest && latest.sha256 === sha && i.trigger !== 'checkpoint') {
          const version = await versionsRepo.extend(db, latest.version_id);
          await stateRepo.succeeded(db, {
            tenant_id: i.tenantId,
            device_id: i.deviceId,
            version_id: version.version_id,
            ...note,
          });
          return { version, unchanged: true };
        }
        if (!(await versionsRepo.hasContent(db, i.deviceId, sha))) {
          await versionsRepo.insertContent(db, {
            tenant_id: i.tenantId,
            device_id: i.deviceId,
            sha256: sha,
            normalized: await codec.seal(i.tenantId, i.deviceId, sha, 'normalized', normalized.text, capturing),
            size: Buffer.byteLength(normalized.text),
          });
        }
        const changes =
          latest?.sha256 === sha ? 0 : changesBetween(await previousText(db, i.tenantId, latest), normalized.text);
        const version = await versionsRepo.insert(db, {
          version_id: versionId,
          tenant_id: i.tenantId,
          device_id: i.deviceId,
          sha256: sha,
          trigger: i.trigger,
          checkpoint_name: i.checkpointName,
          changed_by: i.changedBy,
          change_log: i.changeLog ?? null,
          changes,
          size: Buffer.byteLength(normalized.text),
          raw_export: raw,
          raw_size: c.raw.length,
          binary_backup: binary,
          binary_size: c.binary?.length ?? null,
          binary_password: binaryPassword,
          method: c.method,
          routeros_version: normalized.doc.header.version ?? null,
          secrets_included: c.secretsIncluded,
          job_id: i.jobId,
          actor_label: i.actor?.label ?? null,
        });
        await stateRepo.succeeded(db, { tenant_id: i.tenantId, device_id: i.deviceId, version_id: versionId, ...note });
        await recordEvent(db, {
          type: 'config.version_created',
          tenantId: i.tenantId,
          deviceId: i.deviceId,
          actor: i.actor,
          payload: {
            version_id: versionId,
            sha256: sha,
            trigger: i.trigger,
            changes,
            checkpoint_name: i.checkpointName,
            changed_by: i.changedBy,
          },
        });
        return { version, unchanged: false };
      });
    },

    /** The normalised text of a version (with secrets). */
    async text(
      db: pg.PoolClient,
      tenantId: string,
      v: Pick<VersionRow, 'device_id' | 'sha256'>,
      use: KeyUse,
    ): Promise<string> {
      const sealed = await versionsRepo.content(db, v.device_id, v.sha256);
      if (!sealed) throw new Error('config content missing');
      return (await codec.open(tenantId, v.device_id, v.sha256, 'normalized', sealed, use)).toString('utf8');
    },

    async binary(db: pg.PoolClient, tenantId: string, v: Pick<VersionRow, 'device_id' | 'version_id'>, use: KeyUse) {
      const parts = await versionsRepo.parts(db, v.version_id);
      if (!parts?.binary_backup) return null;
      return codec.open(tenantId, v.device_id, v.version_id, 'binary', parts.binary_backup, use);
    },

    /** The password of a binary backup RouterOS had to encrypt (before 6.43), or null. */
    async binaryPassword(
      db: pg.PoolClient,
      tenantId: string,
      v: Pick<VersionRow, 'device_id' | 'version_id'>,
      use: KeyUse,
    ) {
      const parts = await versionsRepo.parts(db, v.version_id);
      if (!parts?.binary_password) return null;
      const plain = await codec.open(
        tenantId,
        v.device_id,
        v.version_id,
        'binary-password',
        parts.binary_password,
        use,
      );
      return plain.toString('utf8');
    },

    async raw(db: pg.PoolClient, tenantId: string, v: Pick<VersionRow, 'device_id' | 'version_id'>, use: KeyUse) {
      const parts = await versionsRepo.parts(db, v.version_id);
      if (!parts) return null;
      return codec.open(tenantId, v.device_id, v.version_id, 'raw', parts.raw_export, use);
    },
  };
}
export type Store = ReturnType<typeof createStore>;
