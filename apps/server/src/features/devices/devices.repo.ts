import type { Db } from '../../platform/db/tx.js';
import { cappedTotal } from '../../platform/http/cursor.js';
import type { StoredCredentials } from './credentials.js';
import type { DeviceJsonCache } from './devices.json-cache.js';
import { pageQuery } from './devices.page.js';

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

/** A page's rows in its order, each with `__k` (its sort key as text) as the last property. */
async function pageRows(db: Db, f: DeviceFilter) {
  const q = pageQuery(f);
  const columns = f.fields ? selectList(['id', ...f.fields.filter((x) => x !== 'id')]) : deviceColumns;
  // `__k` last, so deleting it from each row keeps the rows' shape (V8 undoes the last property added).
  const r = await db.query<DeviceRow & { __k?: string }>(
    `${q.page}
     select x.*, p.k as __k from page p
      cross join lateral (select ${columns} from devices d where d.id = p.id offset 0) x
      order by p.rn`,
    q.args,
  );
  return r.rows;
}

/** Rows missing from the cache past this many are stringified by Node (measured: issue 18). */
const NODE_BUILDS_OVER = 500;

/**
 * The JSON (without its closing brace) and row version of these devices. PostgreSQL builds a few; Node stringifies
 * many (the web app's whole table): for 10,000 rows PostgreSQL spent 240 ms building their JSON, Node 110 ms parsing
 * and stringifying the rows it sent.
 */
async function buildJson(db: Db, ids: string[], fields: string[] | undefined) {
  const columns = fields ? selectList(fields) : deviceColumns;
  if (ids.length <= NODE_BUILDS_OVER) {
    const r = await db.query<{ id: string; v: string; j: string }>(
      `select d.id, d.xmin::text as v, (select left(to_json(x)::text, -1) from (select ${columns}) x) as j
         from devices d where d.id = any($1::uuid[])`,
      [ids],
    );
    return r.rows;
  }
  // `__v` last, so deleting it from each row keeps the rows' shape (V8 undoes the last property added).
  const r = await db.query<DeviceRow & { __v?: string }>(
    `select ${columns}, d.xmin::text as __v from devices d where d.id = any($1::uuid[])`,
    [ids],
  );
  return r.rows.map((row) => {
    const v = row.__v!;
    delete row.__v;
    return { id: row.id, v, j: JSON.stringify(row).slice(0, -1) };
  });
}

export const devicesRepo = {
  /** The devices of a filter, in its order, as rows: for services that work on them (the API uses listJson). */
  async list(db: Db, f: DeviceFilter) {
    const rows = await pageRows(db, f);
    for (const row of rows) delete row.__k;
    return { rows: rows as DeviceRow[] };
  },

  /**
   * A page of devices as the API's JSON text, with `extra` (e.g. the caller's policies) added to every item. The page
   * statement answers ids and row versions; items come from `cache` when their version is kept there, and the others
   * are built (buildJson) and kept.
   */
  async listJson(db: Db, f: DeviceFilter, extra: Record<string, unknown>, cache: DeviceJsonCache) {
    if (Object.keys(extra).length === 0) throw new Error('listJson: extra must name at least one field');
    const q = pageQuery(f);
    const fields = f.fields ? ['id', ...f.fields.filter((x) => x !== 'id')] : undefined;
    const fieldsKey = fields?.join(',') ?? '*';
    // One row even for an empty page, for the total.
    const page = await db.query<{ id: string | null; k: string | null; v: string | null; total: number }>(
      `${q.page}
       select p.id, p.k, p.v, ${q.total} as total from (select 1) one left join page p on true order by p.rn`,
      q.args,
    );
    const rows = page.rows.filter((r) => r.id !== null) as Array<{ id: string; k: string; v: string }>;
    const items = rows.map((r) => cache.get(fieldsKey, r.id, r.v));
    const missing = rows.filter((_, i) => items[i] === undefined).map((r) => r.id);
    if (missing.length > 0) {
      const byId = new Map((await buildJson(db, missing, fields)).map((b) => [b.id, b]));
      for (const [i, r] of rows.entries()) {
        const b = items[i] === undefined ? byId.get(r.id) : undefined;
        if (!b) continue;
        // Changed since the page was read: this newer version is the one shown (and kept).
        cache.set(fieldsKey, b.id, b.v, b.j);
        items[i] = b.j;
      }
    }
    // Each item is its JSON with `extra` appended as text: no value is parsed or re-encoded on the way. A row
    // deleted between the two statements is left out.
    const tail = `,${JSON.stringify(extra).slice(1)}`;
    const json = items.filter((j) => j !== undefined).map((j) => j + tail);
    const last = rows.at(-1);
    return {
      items: `[${json.join(',')}]`,
      ...cappedTotal(page.rows[0]!.total),
      next: rows.length === f.limit && last ? { k: last.k, id: last.id } : null,
    };
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
