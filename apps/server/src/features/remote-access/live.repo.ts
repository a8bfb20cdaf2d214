import type { Db } from '../../platform/db/tx.js';
import type { SessionRow } from './remote-access.repo.js';

// What the processes that carry sessions do across organisations, on the system pool: use a token (the token is
// all a WebSocket brings, before anyone knows its organisation), keep their sessions' heartbeat and counters, learn
// which of them someone asked to end, close what a crashed process left open, and share the WinBox port pool.

/** A process whose heartbeat is older than this is gone; its sessions are closed as `lost`. */
export const LOST_AFTER_SECONDS = 30;

export type Counters = { id: string; bytesIn: number; bytesOut: number; lastActivity: Date };

export type ClosedRow = {
  id: string;
  tenant_id: string;
  device_id: string;
  kind: string;
  user_id: string | null;
  actor_label: string;
  client_ip: string | null;
  opened_at: Date | null;
  closed_at: Date;
  close_reason: string;
  bytes_in: string;
  bytes_out: string;
};

const CLOSED = `id, tenant_id, device_id, kind, user_id, actor_label, client_ip, opened_at, closed_at, close_reason,
  bytes_in, bytes_out`;

export const liveRepo = {
  /** Uses a token once: pending → open, held by this process. Undefined for an unknown, used or expired token. */
  async useToken(db: Db, hash: Buffer, clientIp: string | null, instanceId: string) {
    const r = await db.query<SessionRow>(
      `update remote_sessions set state = 'open', token_hash = null, client_ip = $2, instance_id = $3,
         heartbeat_at = now(), opened_at = now(), last_activity_at = now()
        where token_hash = $1 and state = 'pending' and token_expires_at > now()
        returning *, false as has_transcript`,
      [hash, clientIp, instanceId],
    );
    return r.rows[0];
  },

  /** This process's sessions are alive: heartbeat and counters, in one statement. */
  async beat(db: Db, instanceId: string, counters: Counters[]): Promise<void> {
    await db.query(
      `update remote_sessions s set heartbeat_at = now(),
         bytes_in = coalesce(c.bytes_in, s.bytes_in), bytes_out = coalesce(c.bytes_out, s.bytes_out),
         last_activity_at = coalesce(c.last_activity, s.last_activity_at)
         from (select * from unnest($2::uuid[], $3::bigint[], $4::bigint[], $5::timestamptz[])
                 as t(id, bytes_in, bytes_out, last_activity)) c
        where s.id = c.id and s.instance_id = $1 and s.state = 'open'`,
      [
        instanceId,
        counters.map((c) => c.id),
        counters.map((c) => c.bytesIn),
        counters.map((c) => c.bytesOut),
        counters.map((c) => c.lastActivity),
      ],
    );
  },

  /** Of these sessions, the ones someone asked to end. */
  async closeRequested(db: Db, ids: string[]): Promise<Array<{ id: string; by: string | null }>> {
    if (ids.length === 0) return [];
    const r = await db.query<{ id: string; by: string | null }>(
      `select id, close_requested_by as by from remote_sessions
        where id = any($1) and close_requested_at is not null`,
      [ids],
    );
    return r.rows;
  },

  /** The final state of a session this process held. Undefined when it was already closed. */
  async close(db: Db, c: Counters, reason: string): Promise<ClosedRow | undefined> {
    const r = await db.query<ClosedRow>(
      `update remote_sessions set state = 'closed', closed_at = now(), close_reason = $2, bytes_in = $3,
         bytes_out = $4, last_activity_at = $5
        where id = $1 and state = 'open'
        returning ${CLOSED}`,
      [c.id, reason, c.bytesIn, c.bytesOut, c.lastActivity],
    );
    return r.rows[0];
  },

  /** Sessions of processes that stopped beating, and tokens that expired unused: closed (by whichever process). */
  async sweep(db: Db): Promise<ClosedRow[]> {
    const lost = await db.query<ClosedRow>(
      `update remote_sessions set state = 'closed', closed_at = now(), close_reason = 'lost'
        where state = 'open' and heartbeat_at < now() - make_interval(secs => $1)
        returning ${CLOSED}`,
      [LOST_AFTER_SECONDS],
    );
    await db.query(
      `update remote_sessions set state = 'closed', token_hash = null, closed_at = now(), close_reason = 'token_expired'
        where state = 'pending' and token_expires_at <= now()`,
    );
    // Ports whose tunnel is no longer open go back to the pool.
    await db.query(
      `delete from winbox_port_claims c
        where not exists (select 1 from remote_sessions s where s.id = c.session_id and s.state = 'open')
          and c.claimed_at < now() - interval '10 seconds'`,
    );
    return lost.rows;
  },

  /**
   * Claims a free port of the range on a bind address for a session. Two processes picking the same port race on
   * the primary key; the loser gets undefined and asks again. `skip`: ports this process could not bind.
   */
  async claimPort(
    db: Db,
    o: { bindHost: string; first: number; last: number; sessionId: string; instanceId: string; skip: number[] },
  ): Promise<number | undefined> {
    const r = await db.query<{ port: number }>(
      `insert into winbox_port_claims (bind_host, port, session_id, instance_id)
       select $1, p, $4, $5 from generate_series($2::int, $3::int) p
        where p <> all($6::int[])
          and not exists (select 1 from winbox_port_claims c where c.bind_host = $1 and c.port = p)
        order by p limit 1
       on conflict do nothing
       returning port`,
      [o.bindHost, o.first, o.last, o.sessionId, o.instanceId, o.skip],
    );
    return r.rows[0]?.port;
  },

  async releasePort(db: Db, sessionId: string): Promise<void> {
    await db.query('delete from winbox_port_claims where session_id = $1', [sessionId]);
  },

  /** Whether any port of the range is still free (to tell "pool exhausted" from a lost race). */
  async freePorts(db: Db, bindHost: string, first: number, last: number): Promise<number> {
    const r = await db.query<{ n: number }>(
      'select ($3::int - $2::int + 1 - count(*))::int as n from winbox_port_claims where bind_host = $1 and port between $2 and $3',
      [bindHost, first, last],
    );
    return r.rows[0]!.n;
  },
};
