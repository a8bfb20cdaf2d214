import type pg from 'pg';
import type { Logger } from 'pino';

export type Schedule = { name: string; everyMs: number; run: () => Promise<unknown> };

/**
 * Runs each schedule at most once per interval across every worker process: a process claims a run by moving
 * `next_run_at` forward in a single UPDATE, and only one UPDATE can see the old value.
 */
export function startSchedules(opts: {
  systemPool: pg.Pool;
  log: Logger;
  owner: string;
  schedules: Schedule[];
  tickMs?: number;
}) {
  let stopped = false;
  let running: Promise<void> = Promise.resolve();

  async function claim(s: Schedule): Promise<boolean> {
    await opts.systemPool.query('insert into schedules (name) values ($1) on conflict do nothing', [s.name]);
    const r = await opts.systemPool.query(
      `update schedules set next_run_at = now() + make_interval(secs => $2::double precision / 1000),
              last_run_at = now(), last_owner = $3
        where name = $1 and next_run_at <= now() returning name`,
      [s.name, s.everyMs, opts.owner],
    );
    return (r.rowCount ?? 0) > 0;
  }

  async function tick() {
    for (const s of opts.schedules) {
      if (stopped) return;
      try {
        if (!(await claim(s))) continue;
        const start = performance.now();
        let error: string | null = null;
        try {
          await s.run();
        } catch (err) {
          error = (err as Error).message.slice(0, 500);
          opts.log.error({ schedule: s.name, err }, 'scheduled job failed');
        }
        await opts.systemPool.query('update schedules set last_error = $2, last_duration_ms = $3 where name = $1', [
          s.name,
          error,
          Math.round(performance.now() - start),
        ]);
      } catch (err) {
        opts.log.warn({ schedule: s.name, err }, 'could not claim schedule');
      }
    }
  }

  const timer = setInterval(() => {
    running = running.then(tick);
  }, opts.tickMs ?? 5_000);
  running = running.then(tick);
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
