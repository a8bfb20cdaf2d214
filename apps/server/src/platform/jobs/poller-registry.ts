import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type pg from 'pg';
import type { Logger } from 'pino';

/** A poller process announces itself and keeps a heartbeat; stale entries are what another poller takes over. */
export async function registerPoller(opts: { systemPool: pg.Pool; log: Logger; heartbeatMs?: number }) {
  const id = randomUUID();
  await opts.systemPool.query('insert into pollers (id, hostname, pid) values ($1, $2, $3)', [
    id,
    hostname(),
    process.pid,
  ]);
  const timer = setInterval(() => {
    opts.systemPool
      .query('update pollers set heartbeat_at = now() where id = $1', [id])
      .catch((err) => opts.log.warn({ err }, 'poller heartbeat failed'));
  }, opts.heartbeatMs ?? 10_000);
  opts.log.info({ poller: id }, 'poller registered');
  return {
    id,
    /** Stop the heartbeat but leave the row, as a crashed process would (tests of takeover). */
    abandon() {
      clearInterval(timer);
    },
    async stop() {
      clearInterval(timer);
      await opts.systemPool.query('delete from pollers where id = $1', [id]).catch(() => {});
    },
  };
}
