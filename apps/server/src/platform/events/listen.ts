import type pg from 'pg';
import type { Logger } from 'pino';

export const EVENTS_CHANNEL = 'tod_domain_events';

/**
 * Calls `onNotify` whenever a transaction that recorded events commits (LISTEN on one connection of the pool).
 * A lost connection is replaced after a second; meanwhile the dispatcher's polling still finds the events.
 */
export function listenForEvents(pool: pg.Pool, log: Logger, onNotify: () => void): { stop: () => Promise<void> } {
  let client: pg.PoolClient | undefined;
  let stopped = false;
  let retry: NodeJS.Timeout | undefined;

  const connect = async () => {
    if (stopped) return;
    let c: pg.PoolClient | undefined;
    try {
      c = await pool.connect();
      if (stopped) return c.release();
      const me = c;
      me.on('notification', (n) => {
        if (n.channel === EVENTS_CHANNEL) onNotify();
      });
      me.on('error', (err) => {
        log.warn({ err: err.message }, 'event listener connection lost; reconnecting');
        if (client !== me) return;
        client = undefined;
        me.release(err);
        schedule();
      });
      await c.query(`listen ${EVENTS_CHANNEL}`);
      client = c;
      onNotify(); // anything recorded while we were not listening
    } catch (err) {
      c?.release(err as Error);
      log.warn({ err: (err as Error).message }, 'could not listen for events; polling only until it works');
      schedule();
    }
  };
  const schedule = () => {
    if (stopped || retry) return;
    retry = setTimeout(() => {
      retry = undefined;
      void connect();
    }, 1000);
    retry.unref();
  };
  const started = connect();

  return {
    async stop() {
      stopped = true;
      if (retry) clearTimeout(retry);
      await started;
      const c = client;
      client = undefined;
      if (!c) return;
      try {
        await c.query(`unlisten ${EVENTS_CHANNEL}`);
        c.release();
      } catch (err) {
        c.release(err as Error);
      }
    },
  };
}
