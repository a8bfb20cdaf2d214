import type { Db } from '../../platform/db/tx.js';

// config_versions and config_contents: a device's history and the distinct texts it points at.

export type Trigger = 'schedule' | 'manual' | 'checkpoint' | 'config_change' | 'pre_change' | 'post_change';

export type VersionRow = {
  version_id: string;
  device_id: string;
  sha256: string;
  created_at: Date;
  unchanged_until: Date;
  trigger: Trigger;
  checkpoint_name: string | null;
  changed_by: string | null;
  change_log: unknown;
  changes: number | null;
  size: number;
  raw_size: number;
  binary_size: number | null;
  method: 'ssh' | 'api';
  routeros_version: string | null;
  secrets_included: boolean;
  job_id: string | null;
  actor_label: string | null;
};

const COLUMNS = `id as version_id, device_id, sha256, created_at, unchanged_until, trigger, checkpoint_name, changed_by,
  change_log, changes, size, raw_size, binary_size, method, routeros_version, secrets_included, job_id, actor_label`;

export type NewVersion = Omit<VersionRow, 'created_at' | 'unchanged_until'> & {
  tenant_id: string;
  raw_export: Buffer;
  binary_backup: Buffer | null;
  binary_password: Buffer | null;
};

export const versionsRepo = {
  async latest(db: Db, deviceId: string): Promise<VersionRow | undefined> {
    const r = await db.query<VersionRow>(
      `select ${COLUMNS} from config_versions where device_id = $1 order by created_at desc, id desc limit 1`,
      [deviceId],
    );
    return r.rows[0];
  },

  /**
   * Newest first. `after` is where the previous page ended (created_at as text, to the microsecond, and id: versions
   * made in one transaction share a time); `before` the older, time-only form. Rows carry `cursor_k` for the next.
   */
  async list(
    db: Db,
    deviceId: string,
    limit: number,
    before: Date | null,
    after: { k: string; id: string } | null = null,
  ): Promise<Array<VersionRow & { cursor_k: string }>> {
    const r = await db.query<VersionRow & { cursor_k: string }>(
      `select ${COLUMNS}, created_at::text as cursor_k from config_versions
        where device_id = $1 and ($3::timestamptz is null or created_at < $3)
          and ($4::timestamptz is null or (created_at, id) < ($4::timestamptz, $5::uuid))
        order by created_at desc, id desc limit $2`,
      [deviceId, limit, before, after?.k ?? null, after?.id ?? null],
    );
    return r.rows;
  },

  /** The newest version with this content hash (a hash can recur when a config goes back to an earlier state). */
  async bySha(db: Db, deviceId: string, sha: string): Promise<VersionRow | undefined> {
    const r = await db.query<VersionRow>(
      `select ${COLUMNS} from config_versions where device_id = $1 and sha256 = $2
        order by created_at desc, id desc limit 1`,
      [deviceId, sha],
    );
    return r.rows[0];
  },

  async byId(db: Db, deviceId: string, versionId: string): Promise<VersionRow | undefined> {
    const r = await db.query<VersionRow>(`select ${COLUMNS} from config_versions where device_id = $1 and id = $2`, [
      deviceId,
      versionId,
    ]);
    return r.rows[0];
  },

  /** The version just before `v` (for "changes against the previous one"). */
  async previous(
    db: Db,
    v: Pick<VersionRow, 'device_id' | 'created_at' | 'version_id'>,
  ): Promise<VersionRow | undefined> {
    const r = await db.query<VersionRow>(
      `select ${COLUMNS} from config_versions where device_id = $1 and (created_at, id) < ($2, $3)
        order by created_at desc, id desc limit 1`,
      [v.device_id, v.created_at, v.version_id],
    );
    return r.rows[0];
  },

  async parts(
    db: Db,
    versionId: string,
  ): Promise<{ raw_export: Buffer; binary_backup: Buffer | null; binary_password: Buffer | null } | undefined> {
    const r = await db.query('select raw_export, binary_backup, binary_password from config_versions where id = $1', [
      versionId,
    ]);
    return r.rows[0];
  },

  async content(db: Db, deviceId: string, sha: string): Promise<Buffer | undefined> {
    const r = await db.query<{ normalized: Buffer }>(
      'select normalized from config_contents where device_id = $1 and sha256 = $2',
      [deviceId, sha],
    );
    return r.rows[0]?.normalized;
  },

  async hasContent(db: Db, deviceId: string, sha: string): Promise<boolean> {
    const r = await db.query('select 1 from config_contents where device_id = $1 and sha256 = $2', [deviceId, sha]);
    return (r.rowCount ?? 0) > 0;
  },

  async insertContent(
    db: Db,
    c: { tenant_id: string; device_id: string; sha256: string; normalized: Buffer; size: number },
  ): Promise<void> {
    await db.query(
      `insert into config_contents (tenant_id, device_id, sha256, normalized, size, stored_size)
       values ($1, $2, $3, $4, $5, $6) on conflict do nothing`,
      [c.tenant_id, c.device_id, c.sha256, c.normalized, c.size, c.normalized.length],
    );
  },

  async insert(db: Db, v: NewVersion): Promise<VersionRow> {
    const r = await db.query<VersionRow>(
      `insert into config_versions (id, tenant_id, device_id, sha256, trigger, checkpoint_name, changed_by, change_log,
         changes, size, raw_export, raw_size, binary_backup, binary_size, method, routeros_version, secrets_included,
         job_id, actor_label, binary_password)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)
       returning ${COLUMNS}`,
      [
        v.version_id,
        v.tenant_id,
        v.device_id,
        v.sha256,
        v.trigger,
        v.checkpoint_name,
        v.changed_by,
        v.change_log === null || v.change_log === undefined ? null : JSON.stringify(v.change_log),
        v.changes,
        v.size,
        v.raw_export,
        v.raw_size,
        v.binary_backup,
        v.binary_size,
        v.method,
        v.routeros_version,
        v.secrets_included,
        v.job_id,
        v.actor_label,
        v.binary_password,
      ],
    );
    return r.rows[0]!;
  },

  async extend(db: Db, versionId: string): Promise<VersionRow> {
    const r = await db.query<VersionRow>(
      `update config_versions set unchanged_until = now() where id = $1 returning ${COLUMNS}`,
      [versionId],
    );
    return r.rows[0]!;
  },

  /** Latest version of every device of the tenant that has one (search, fleet view). */
  async latestPerDevice(
    db: Db,
  ): Promise<Array<{ device_id: string; name: string; version_id: string; sha256: string; created_at: Date }>> {
    const r = await db.query(
      `select l.*, d.name from (select distinct on (device_id) device_id, id as version_id, sha256, created_at
                                  from config_versions order by device_id, created_at desc, id desc) l
         join devices d on d.id = l.device_id order by d.name, d.id`,
    );
    return r.rows;
  },

  /**
   * Retention: a version goes when it is outside every limit set (beyond the newest N and older than D days), never a
   * checkpoint and never a device's latest. Returns how many went; contents nobody points at any more go too.
   */
  async prune(db: Db, keepVersions: number | null, keepDays: number | null): Promise<number> {
    const r = await db.query(
      `with ranked as (
         select id, checkpoint_name, created_at,
                row_number() over (partition by device_id order by created_at desc, id desc) as n
           from config_versions)
       delete from config_versions v using ranked
        where v.id = ranked.id and ranked.n > 1 and ranked.checkpoint_name is null
          and ($1::int is not null or $2::int is not null)
          and ($1::int is null or ranked.n > $1)
          and ($2::int is null or ranked.created_at < now() - make_interval(days => $2))`,
      [keepVersions, keepDays],
    );
    await db.query(
      `delete from config_contents c where not exists
         (select 1 from config_versions v where v.device_id = c.device_id and v.sha256 = c.sha256)`,
    );
    return r.rowCount ?? 0;
  },

  /** Bytes stored for a tenant (the storage figures of the fleet view and the bench). */
  async storage(db: Db): Promise<{ versions: number; contents: number; bytes: number }> {
    const r = await db.query(
      `select (select count(*) from config_versions)::int as versions, (select count(*) from config_contents)::int as contents,
              ((select coalesce(sum(stored_size), 0) from config_contents) +
               (select coalesce(sum(length(raw_export) + coalesce(length(binary_backup), 0)), 0) from config_versions))::bigint as bytes`,
    );
    return { ...r.rows[0], bytes: Number(r.rows[0].bytes) };
  },
};
