import type { Db } from '../../platform/db/tx.js';
import type { StoredCredentials } from './credentials.js';

// Everything a device's JSON shows (never password_enc), as field → SQL expression, so a list can ask for only the
// fields it shows (`fields=`): the full row is ~1 KB of JSON, a table row needs a tenth of that.
const timestamps = new Set([
  'status_since',
  'last_seen_at',
  'last_polled_at',
  'booted_at',
  'last_config_change_at',
  'created_at',
  'updated_at',
]);
export const deviceFields: Record<string, string> = Object.fromEntries(
  [
    'id',
    'name',
    'host',
    'port',
    'tls_port',
    'tls_mode',
    'ssh_port',
    'winbox_port',
    'username',
    'credential_profile_id',
    'site_id',
    'sector_id',
    'notes',
    'latitude',
    'longitude',
    'disabled',
    'is_demo',
    'status',
    'status_reason',
    'status_since',
    'last_seen_at',
    'last_polled_at',
    'transport',
    'identity',
    'model',
    'board_name',
    'serial_number',
    'architecture',
    'version',
    'firmware',
    'latest_version',
    'uptime_seconds',
    'booted_at',
    'cpu_load',
    'cpu_count',
    'memory_total',
    'memory_free',
    'disk_total',
    'disk_free',
    'temperature',
    'voltage',
    'last_config_change_at',
    'created_at',
    'updated_at',
  ]
    // Timestamps leave PostgreSQL as ISO-8601 text: parsing 50,000 of them into Dates (and back) was a third of a
    // 10,000-row list.
    .map((f) => [f, timestamps.has(f) ? `to_json(d.${f}) #>> '{}'` : `d.${f}`])
    .concat([
      [
        'group_ids',
        `coalesce((select array_agg(m.group_id order by m.group_id) from device_group_members m where m.device_id = d.id), '{}')`,
      ],
      [
        'tag_ids',
        `coalesce((select array_agg(l.tag_id order by l.tag_id) from device_tag_links l where l.device_id = d.id), '{}')`,
      ],
    ]),
);
const selectList = (fields: string[]) => fields.map((f) => `${deviceFields[f]} as ${f}`).join(', ');
export const deviceColumns = selectList(Object.keys(deviceFields));

export type DeviceRow = Record<string, unknown> & {
  id: string;
  name: string;
  host: string;
  port: number;
  tls_port: number;
  tls_mode: string;
  status: 'online' | 'offline' | 'degraded' | 'unknown';
  status_reason: string | null;
  username: string | null;
  credential_profile_id: string | null;
  site_id: string | null;
  sector_id: string | null;
  group_ids: string[];
  tag_ids: string[];
};

export type AccessTargetRow = StoredCredentials & {
  host: string;
  port: number;
  tls_port: number;
  tls_mode: 'auto' | 'verify' | 'insecure' | 'plain';
  tls_fingerprint: string | null;
  ssh_port: number;
  winbox_port: number;
  /** The pinned SSH host key fingerprint (`SHA256:…`), null until the first SSH session. */
  ssh_host_key: string | null;
  disabled: boolean;
};

/** How each sortable field orders: never null (a missing value sorts lowest), matching its index in migration 070. */
const sortKeys: Record<string, { expr: string; type: string }> = {
  name: { expr: 'lower(d.name)', type: 'text' },
  host: { expr: 'lower(d.host)', type: 'text' },
  status: { expr: 'd.status', type: 'text' },
  model: { expr: "coalesce(d.model, '')", type: 'text' },
  version: { expr: "coalesce(d.version, '')", type: 'text' },
  cpu_load: { expr: 'coalesce(d.cpu_load, -1)', type: 'int' },
  uptime_seconds: { expr: 'coalesce(d.uptime_seconds, -1)', type: 'bigint' },
  last_seen_at: { expr: "coalesce(d.last_seen_at, '-infinity')", type: 'timestamptz' },
  created_at: { expr: 'd.created_at', type: 'timestamptz' },
};
export const sortableDeviceFields = Object.keys(sortKeys);

/** A filtered count stops here; past it the total is a lower bound (`total_exact: false`). */
export const COUNT_CAP = 10_000;

async function countDevices(
  db: Db,
  status: string[] | undefined,
  fromTallies: boolean,
  filterSql: string,
  args: unknown[],
) {
  if (fromTallies) {
    const r = await db.query<{ n: number }>(
      `select coalesce(sum(n), 0)::int as n from device_tallies where dim = 'status'${status ? ' and val = any($1)' : ''}`,
      status ? [status] : [],
    );
    return { n: r.rows[0]!.n, exact: true };
  }
  const r = await db.query<{ n: number }>(
    `select count(*)::int as n from (select 1 from devices d ${filterSql} limit ${COUNT_CAP + 1}) x`,
    args,
  );
  const n = r.rows[0]!.n;
  return n > COUNT_CAP ? { n: COUNT_CAP, exact: false } : { n, exact: true };
}

/** Where a keyset page starts: the sort key's value (as text) and id of the row before it. */
export type DeviceCursor = { k: string; id: string };

export type DeviceFilter = {
  limit: number;
  offset: number;
  search?: string;
  status?: string[];
  tag_id?: string;
  group_id?: string;
  site_id?: string;
  model?: string;
  version?: string;
  sort: string;
  /** Only these fields (plus id); all when absent. */
  fields?: string[];
  cursor?: DeviceCursor;
};

export type DeviceWrite = {
  name?: string;
  host?: string;
  port?: number;
  tls_port?: number;
  tls_mode?: string;
  ssh_port?: number;
  winbox_port?: number;
  username?: string | null;
  password_enc?: Buffer | null;
  credential_profile_id?: string | null;
  site_id?: string | null;
  notes?: string;
  latitude?: number | null;
  longitude?: number | null;
  disabled?: boolean;
  is_demo?: boolean;
};

const endpointFields = new Set([
  'host',
  'port',
  'tls_port',
  'tls_mode',
  'username',
  'password_enc',
  'credential_profile_id',
  'disabled',
]);

export const devicesRepo = {
  /**
   * A page of devices: keyset (`cursor`) or offset, walking the sort key's index (migration 070) and reading the
   * full columns of the page's rows only. The total comes from the maintained tallies when only status filters
   * apply, otherwise from a count that stops at COUNT_CAP.
   */
  async list(db: Db, f: DeviceFilter) {
    const where: string[] = [];
    const args: unknown[] = [];
    const arg = (v: unknown) => {
      args.push(v);
      return `$${args.length}`;
    };
    if (f.search) {
      const like = `%${f.search.replace(/[%_\\]/g, '\\$&')}%`;
      // No index serves a substring match under row-level security (LIKE is not leakproof): this filters the scan.
      const p = arg(like);
      where.push(`(d.name ilike ${p} or d.host ilike ${p} or d.identity ilike ${p})`);
    }
    if (f.status?.length) where.push(`d.status = any(${arg(f.status)})`);
    if (f.tag_id)
      where.push(`exists (select 1 from device_tag_links l where l.device_id = d.id and l.tag_id = ${arg(f.tag_id)})`);
    if (f.group_id)
      where.push(
        `exists (select 1 from device_group_members m where m.device_id = d.id and m.group_id = ${arg(f.group_id)})`,
      );
    if (f.site_id) where.push(`d.site_id = ${arg(f.site_id)}`);
    if (f.model) where.push(`d.model = ${arg(f.model)}`);
    if (f.version) where.push(`d.version = ${arg(f.version)}`);
    const onlyStatus = !f.search && !f.tag_id && !f.group_id && !f.site_id && !f.model && !f.version;
    const filterSql = where.length ? `where ${where.join(' and ')}` : '';
    const filterArgs = [...args];

    const desc = f.sort.startsWith('-');
    const key = sortKeys[f.sort.replace(/^-/, '')]!;
    const dir = desc ? 'desc' : 'asc';
    if (f.cursor)
      where.push(
        `(${key.expr}, d.id) ${desc ? '<' : '>'} (${arg(f.cursor.k)}::${key.type}, ${arg(f.cursor.id)}::uuid)`,
      );
    const pageWhere = where.length ? `where ${where.join(' and ')}` : '';
    const columns = f.fields ? selectList(['id', ...f.fields.filter((x) => x !== 'id')]) : deviceColumns;
    const rows = await db.query<DeviceRow & { _k: string }>(
      `with page as materialized (
         select d.id, ${key.expr}::text as k, row_number() over (order by ${key.expr} ${dir}, d.id ${dir}) as rn
           from devices d ${pageWhere}
          order by ${key.expr} ${dir}, d.id ${dir} limit ${arg(f.limit)} offset ${arg(f.cursor ? 0 : f.offset)})
       select x.*, p.k as _k from page p
        cross join lateral (select ${columns} from devices d where d.id = p.id offset 0) x
        order by p.rn`,
      args,
    );
    const last = rows.rows.at(-1);
    const next = rows.rows.length === f.limit && last ? { k: last._k, id: last.id } : null;
    for (const r of rows.rows) delete (r as Partial<typeof r>)._k;
    const total = await countDevices(db, onlyStatus ? f.status : undefined, onlyStatus, filterSql, filterArgs);
    return { rows: rows.rows as DeviceRow[], total: total.n, exact: total.exact, next };
  },

  async get(db: Db, id: string) {
    return (await db.query<DeviceRow>(`select ${deviceColumns} from devices d where d.id = $1`, [id])).rows[0];
  },

  async insert(db: Db, tenantId: string, id: string, w: DeviceWrite) {
    const keys = Object.keys(w).filter((k) => w[k as keyof DeviceWrite] !== undefined) as (keyof DeviceWrite)[];
    await db.query(
      `insert into devices (id, tenant_id, ${keys.join(', ')}) values ($1, $2, ${keys.map((_, i) => `$${i + 3}`).join(', ')})`,
      [id, tenantId, ...keys.map((k) => w[k])],
    );
  },

  /** Returns false when there is no such device. Bumps config_version when how to reach the device changed. */
  async update(db: Db, id: string, w: DeviceWrite): Promise<boolean> {
    const keys = Object.keys(w).filter((k) => w[k as keyof DeviceWrite] !== undefined) as (keyof DeviceWrite)[];
    const bump = keys.some((k) => endpointFields.has(k));
    const sets = [...keys.map((k, i) => `${k} = $${i + 2}`), 'updated_at = now()'];
    if (bump) sets.push('config_version = config_version + 1');
    const r = await db.query(`update devices set ${sets.join(', ')} where id = $1`, [id, ...keys.map((k) => w[k])]);
    return (r.rowCount ?? 0) > 0;
  },

  async delete(db: Db, ids: string[]) {
    const r = await db.query<{ id: string; name: string; host: string }>(
      'delete from devices where id = any($1) returning id, name, host',
      [ids],
    );
    return r.rows;
  },

  async existing(db: Db, ids: string[]) {
    return (await db.query<{ id: string }>('select id from devices where id = any($1)', [ids])).rows.map((r) => r.id);
  },

  async setLinks(
    db: Db,
    tenantId: string,
    table: 'device_group_members' | 'device_tag_links',
    deviceIds: string[],
    refIds: string[],
    mode: 'replace' | 'add' | 'remove',
  ) {
    const ref = table === 'device_group_members' ? 'group_id' : 'tag_id';
    if (mode === 'replace') await db.query(`delete from ${table} where device_id = any($1)`, [deviceIds]);
    if (mode === 'remove') {
      await db.query(`delete from ${table} where device_id = any($1) and ${ref} = any($2)`, [deviceIds, refIds]);
      return;
    }
    if (refIds.length === 0) return;
    await db.query(
      `insert into ${table} (tenant_id, device_id, ${ref})
       select $1, d, r from unnest($2::uuid[]) d cross join unnest($3::uuid[]) r on conflict do nothing`,
      [tenantId, deviceIds, refIds],
    );
  },

  /** Ids among `ids` that exist in a catalog table of the current tenant (RLS hides others). */
  async knownIds(db: Db, table: 'device_groups' | 'device_tags' | 'sites' | 'credential_profiles', ids: string[]) {
    return new Set(
      (await db.query<{ id: string }>(`select id from ${table} where id = any($1)`, [ids])).rows.map((r) => r.id),
    );
  },

  /** How to reach a device and its stored (encrypted) credentials: its own, or its credential profile's. */
  async accessTarget(db: Db, id: string) {
    const r = await db.query<AccessTargetRow>(
      `select d.tenant_id, d.id as device_id, d.host, d.port, d.tls_port, d.tls_mode, d.tls_fingerprint, d.disabled,
              d.ssh_port, d.ssh_host_key, d.winbox_port,
              d.username, d.password_enc, p.id as profile_id, p.username as profile_username,
              p.password_enc as profile_password_enc
         from devices d left join credential_profiles p on p.id = d.credential_profile_id
        where d.id = $1`,
      [id],
    );
    return r.rows[0];
  },

  /** How TOD trusts the device's TLS from now on (a certificate deployed or revoked by features/certificates). */
  async setTls(db: Db, id: string, mode: 'auto' | 'verify', fingerprint: string): Promise<void> {
    await db.query('update devices set tls_mode = $2, tls_fingerprint = $3 where id = $1', [id, mode, fingerprint]);
  },

  /** Trust on first use: stores the certificate fingerprint a device presented, if none is stored yet. */
  async pinFingerprint(db: Db, id: string, fingerprint: string): Promise<boolean> {
    const r = await db.query('update devices set tls_fingerprint = $2 where id = $1 and tls_fingerprint is null', [
      id,
      fingerprint,
    ]);
    return (r.rowCount ?? 0) > 0;
  },

  /** What the device's update channel offers (the firmware check's answer; the device page's "x available"). */
  async setLatestVersion(db: Db, id: string, version: string): Promise<void> {
    await db.query('update devices set latest_version = $2 where id = $1', [id, version]);
  },

  /** Trust on first use for SSH: stores the host key fingerprint a device presented, if none is stored yet. */
  async pinSshHostKey(db: Db, id: string, fingerprint: string): Promise<boolean> {
    const r = await db.query('update devices set ssh_host_key = $2 where id = $1 and ssh_host_key is null', [
      id,
      fingerprint,
    ]);
    return (r.rowCount ?? 0) > 0;
  },

  /** The pinned SSH host key (undefined: no such device). */
  async sshHostKey(db: Db, id: string): Promise<string | null | undefined> {
    const r = await db.query<{ ssh_host_key: string | null }>('select ssh_host_key from devices where id = $1', [id]);
    return r.rows[0]?.ssh_host_key;
  },

  /** Forgets the pinned SSH host key, so the next session pins what the device presents then. The old pin. */
  async clearSshHostKey(db: Db, id: string): Promise<{ previous: string | null } | undefined> {
    const r = await db.query<{ previous: string | null }>(
      `update devices d set ssh_host_key = null from devices old
        where d.id = $1 and old.id = d.id returning old.ssh_host_key as previous`,
      [id],
    );
    return r.rows[0];
  },

  /** Moving a device to another site also takes it out of its sector (a trigger, migration 058). */
  async setSite(db: Db, ids: string[], siteId: string | null) {
    await db.query('update devices set site_id = $2, updated_at = now() where id = any($1)', [ids, siteId]);
  },

  /**
   * Puts a device in a sector of site `siteId`, and in that site when it is in none; null takes it out of its sector
   * (siteId then null too). False when the device is missing or in another site.
   */
  async setSector(db: Db, id: string, sectorId: string | null, siteId: string | null): Promise<boolean> {
    const r = await db.query(
      `update devices set sector_id = $2, site_id = coalesce(site_id, $3), updated_at = now()
        where id = $1 and ($3::uuid is null or site_id is null or site_id = $3)`,
      [id, sectorId, siteId],
    );
    return (r.rowCount ?? 0) > 0;
  },

  /** Enables or disables devices; the poller sees the new config_version and closes or opens their sessions. */
  async setDisabled(db: Db, ids: string[], disabled: boolean) {
    await db.query(
      'update devices set disabled = $2, config_version = config_version + 1, updated_at = now() where id = any($1)',
      [ids, disabled],
    );
  },

  /** Runs `fn` all or nothing inside the surrounding transaction (a savepoint): one import row. */
  async inSavepoint<T>(db: Db, fn: () => Promise<T>): Promise<T> {
    await db.query('savepoint device_row');
    try {
      const r = await fn();
      await db.query('release savepoint device_row');
      return r;
    } catch (e) {
      await db.query('rollback to savepoint device_row');
      throw e;
    }
  },

  async setProbeResult(
    db: Db,
    id: string,
    p: {
      identity: string | null;
      model: string | null;
      board_name: string | null;
      version: string | null;
      serial_number: string | null;
      architecture: string | null;
      transport: string | null;
      fingerprint: string | null;
    },
  ) {
    await db.query(
      `update devices set identity = coalesce($2, identity), model = coalesce($3, model), board_name = coalesce($4, board_name),
              version = coalesce($5, version), serial_number = coalesce($6, serial_number), architecture = coalesce($7, architecture),
              transport = coalesce($8, transport), tls_fingerprint = coalesce(tls_fingerprint, $9)
        where id = $1`,
      [id, p.identity, p.model, p.board_name, p.version, p.serial_number, p.architecture, p.transport, p.fingerprint],
    );
  },
};
