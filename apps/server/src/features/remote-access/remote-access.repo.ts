import { newestFirst } from '../../platform/db/newest-first.js';
import type { Db } from '../../platform/db/tx.js';
import type { Settings } from './remote-access.schema.js';

// The tables of migration 068 as the organisation sees them (run under RLS in withTenant). The cross-process
// bookkeeping (a token's use, heartbeats, crashed processes, the WinBox port pool) is in live.repo.ts.

export type SessionKind = 'ssh' | 'winbox';

export type SessionRow = {
  id: string;
  tenant_id: string;
  device_id: string;
  kind: SessionKind;
  state: 'pending' | 'open' | 'closed';
  user_id: string | null;
  actor_label: string;
  requester_ip: string | null;
  client_ip: string | null;
  allowed_addresses: string[] | null;
  bind_host: string | null;
  public_host: string | null;
  port: number | null;
  instance_id: string | null;
  idle_timeout_seconds: number;
  max_lifetime_seconds: number;
  record_transcript: boolean;
  created_at: Date;
  opened_at: Date | null;
  last_activity_at: Date | null;
  closed_at: Date | null;
  close_reason: string | null;
  bytes_in: string;
  bytes_out: string;
  has_transcript: boolean;
};

export type NewSession = {
  id: string;
  tenantId: string;
  deviceId: string;
  kind: SessionKind;
  userId: string | null;
  actorLabel: string;
  requesterIp: string | null;
  settings: Settings;
  /** SSH: the token's hash and expiry (state pending). WinBox: the tunnel (state open at once). */
  tokenHash?: Buffer;
  tokenExpiresAt?: Date;
  allowedAddresses?: string[];
  bindHost?: string;
  instanceId?: string;
};

export const DEFAULT_SETTINGS: Settings = {
  idle_timeout_seconds: 900,
  max_lifetime_seconds: 28_800,
  record_transcripts: false,
};

const COLUMNS = `s.id, s.tenant_id, s.device_id, s.kind, s.state, s.user_id, s.actor_label, s.requester_ip, s.client_ip,
  s.allowed_addresses, s.bind_host, s.public_host, s.port, s.instance_id, s.idle_timeout_seconds, s.max_lifetime_seconds,
  s.record_transcript, s.created_at, s.opened_at, s.last_activity_at, s.closed_at, s.close_reason, s.bytes_in,
  s.bytes_out, exists (select 1 from remote_transcript_chunks c where c.session_id = s.id) as has_transcript`;

export const remoteAccessRepo = {
  async settings(db: Db): Promise<Settings> {
    const r = await db.query<Settings>(
      'select idle_timeout_seconds, max_lifetime_seconds, record_transcripts from remote_access_settings',
    );
    return r.rows[0] ?? DEFAULT_SETTINGS;
  },

  async putSettings(db: Db, tenantId: string, s: Settings): Promise<Settings> {
    const r = await db.query<Settings>(
      `insert into remote_access_settings (tenant_id, idle_timeout_seconds, max_lifetime_seconds, record_transcripts)
       values ($1, $2, $3, $4)
       on conflict (tenant_id) do update set idle_timeout_seconds = $2, max_lifetime_seconds = $3,
         record_transcripts = $4, updated_at = now()
       returning idle_timeout_seconds, max_lifetime_seconds, record_transcripts`,
      [tenantId, s.idle_timeout_seconds, s.max_lifetime_seconds, s.record_transcripts],
    );
    return r.rows[0]!;
  },

  async insert(db: Db, n: NewSession): Promise<void> {
    const winbox = n.kind === 'winbox';
    await db.query(
      `insert into remote_sessions (id, tenant_id, device_id, kind, user_id, actor_label, state, token_hash,
         token_expires_at, requester_ip, allowed_addresses, bind_host, instance_id, heartbeat_at, opened_at,
         last_activity_at, idle_timeout_seconds, max_lifetime_seconds, record_transcript)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13,
         case when $14 then now() end, case when $14 then now() end, case when $14 then now() end, $15, $16, $17)`,
      [
        n.id,
        n.tenantId,
        n.deviceId,
        n.kind,
        n.userId,
        n.actorLabel,
        winbox ? 'open' : 'pending',
        n.tokenHash ?? null,
        n.tokenExpiresAt ?? null,
        n.requesterIp,
        n.allowedAddresses ?? null,
        n.bindHost ?? null,
        n.instanceId ?? null,
        winbox,
        n.settings.idle_timeout_seconds,
        n.settings.max_lifetime_seconds,
        // WinBox is an opaque binary protocol: nothing a person could read is recorded.
        !winbox && n.settings.record_transcripts,
      ],
    );
  },

  async setPort(db: Db, id: string, port: number, publicHost: string): Promise<void> {
    await db.query('update remote_sessions set port = $2, public_host = $3 where id = $1', [id, port, publicHost]);
  },

  /** Sessions not closed yet (a token not used counts until it expires): the caps count these. */
  async liveCounts(db: Db, deviceId: string, userLabel: string) {
    const r = await db.query<{ device: number; user: number }>(
      `select count(*) filter (where device_id = $1)::int as device, count(*) filter (where actor_label = $2)::int as user
         from remote_sessions
        where state = 'open' or (state = 'pending' and token_expires_at > now())`,
      [deviceId, userLabel],
    );
    return r.rows[0]!;
  },

  async get(db: Db, deviceId: string, id: string): Promise<SessionRow | undefined> {
    const r = await db.query<SessionRow>(
      `select ${COLUMNS} from remote_sessions s where s.id = $1 and s.device_id = $2`,
      [id, deviceId],
    );
    return r.rows[0];
  },

  /**
   * The device's sessions, newest first (ties by id), after the cursor (`after`: the previous page's last created_at
   * as text, to the microsecond, and id) or at the offset; rows carry `cursor_k`. The total stops past `countCap`.
   */
  async list(
    db: Db,
    deviceId: string,
    q: { state: 'live' | 'all'; limit: number; offset: number; after?: { k: string; id: string }; countCap: number },
  ) {
    const live =
      q.state === 'live' ? "and (s.state = 'open' or (s.state = 'pending' and s.token_expires_at > now()))" : '';
    return newestFirst<SessionRow>(
      db,
      { select: COLUMNS, from: 'remote_sessions s', alias: 's', where: `s.device_id = $1 ${live}`, args: [deviceId] },
      q,
    );
  },

  /** Asks the process holding the session to end it (it looks every couple of seconds). */
  async requestClose(db: Db, id: string, by: string): Promise<void> {
    await db.query(
      `update remote_sessions set close_requested_at = coalesce(close_requested_at, now()),
         close_requested_by = coalesce(close_requested_by, $2)
        where id = $1 and state <> 'closed'`,
      [id, by],
    );
  },

  /** A token never used: closed at once (no process holds it). */
  async closePending(db: Db, id: string, reason: string): Promise<boolean> {
    const r = await db.query(
      `update remote_sessions set state = 'closed', token_hash = null, closed_at = now(), close_reason = $2
        where id = $1 and state = 'pending'`,
      [id, reason],
    );
    return (r.rowCount ?? 0) > 0;
  },

  async addTranscript(db: Db, tenantId: string, sessionId: string, seq: number, data: Buffer): Promise<void> {
    await db.query(
      'insert into remote_transcript_chunks (session_id, tenant_id, seq, data_enc) values ($1, $2, $3, $4)',
      [sessionId, tenantId, seq, data],
    );
  },

  async transcript(db: Db, sessionId: string, maxChunks: number) {
    const r = await db.query<{ seq: number; data_enc: Buffer }>(
      'select seq, data_enc from remote_transcript_chunks where session_id = $1 order by seq limit $2',
      [sessionId, maxChunks + 1],
    );
    return { chunks: r.rows.slice(0, maxChunks), truncated: r.rows.length > maxChunks };
  },
};
