// Live updates at scale: 1,000 open SSE streams (dashboards and device tables) of one organisation while 10,000
// devices report every minute (a `device.state` each, published over NATS as ingest does, for a second organisation
// too). Measures the TOD api process's CPU and the memory the streams add, and checks what a stream receives: only
// its organisation's devices, at most one state per device per second. TOD is the bundled program in its own process;
// the publisher and the browsers run in another (sse-load.ts). BENCH_BASELINE=<git ref> measures that commit first.
// Last stdout line: one JSON object.
import { type ChildProcess, fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { hashPassword } from '../src/platform/auth/passwords.js';
import { startNats } from '../test/helpers/external.js';
import { ask, cpuMs, enrolledToken, rssMb, runTod, startBenchPostgres, startTodProcess, withBaseline } from './lib.js';

const STREAMS = Number(process.env.BENCH_SSE_STREAMS ?? 1000);
const DEVICES = Number(process.env.BENCH_SSE_DEVICES ?? 10_000);
const INTERVAL_S = 60;
const SECONDS = Number(process.env.BENCH_SSE_SECONDS ?? 30);
const APP_PW = 'bench-app-password-0123456789';
const SYS_PW = 'bench-system-password-0123456789';
const say = (m: string) => process.stderr.write(`sse bench: ${m}\n`);
/** A phase of the load, with TOD's CPU (cores) over it and its peak RSS. */
async function phase(pid: number, load: ChildProcess, args: Record<string, unknown>) {
  const cpu0 = cpuMs(pid);
  const t0 = performance.now();
  let peak = rssMb(pid);
  const sampler = setInterval(() => {
    peak = Math.max(peak, rssMb(pid));
  }, 500);
  const seen = (await ask(load, args)) as Record<string, number>;
  clearInterval(sampler);
  const wallMs = performance.now() - t0;
  return { cores: Math.round(((cpuMs(pid) - cpu0) / wallMs) * 1000) / 1000, peak_rss_mb: peak, seen };
}

async function measure(root?: string) {
  const db = await startBenchPostgres();
  const nats = await startNats();
  let tod: Awaited<ReturnType<typeof startTodProcess>> | undefined;
  const load = fork(fileURLToPath(new URL('./sse-load.ts', import.meta.url)), [], {
    execArgv: ['--conditions=source', '--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  try {
    const env = { DATABASE_URL: db.url, DB_APP_PASSWORD: APP_PW, DB_SYSTEM_PASSWORD: SYS_PW };
    runTod(['migrate'], env, root);
    const c = new pg.Client({ connectionString: db.url });
    await c.connect();
    const [tenant, other] = (
      await c.query<{ id: string }>("insert into tenants (name) values ('Dashboards'), ('Elsewhere') returning id")
    ).rows.map((r) => r.id);
    await c.query(
      `insert into users (tenant_id, email, name, role, password_hash) values ($1, 'watch@tod.test', 'Watch', 'viewer', $2)`,
      [tenant, await hashPassword('bench-password-123')],
    );
    await c.end();
    tod = await startTodProcess(
      { ...env, NATS_URL: nats.url, LOG_LEVEL: 'warn', AUTH_RATE_LIMIT_PER_MINUTE: '1000' },
      undefined,
      root,
    );
    const token = await enrolledToken(tod.base, 'watch@tod.test', 'bench-password-123');
    const pid = tod.child.pid!;
    const base = { base: tod.base, tenant, other, token, natsUrl: nats.url, devices: DEVICES, intervalS: INTERVAL_S };
    say('devices reporting, no stream open');
    const idle = await phase(pid, load, { ...base, streams: 0, seconds: 15 });
    say(`devices reporting, ${STREAMS} streams open`);
    const busy = await phase(pid, load, { ...base, streams: STREAMS, seconds: SECONDS });
    return {
      no_streams: { cores: idle.cores, rss_mb: Math.round(idle.peak_rss_mb) },
      streams: {
        open: busy.seen.streams_open,
        cores: busy.cores,
        rss_mb: Math.round(busy.peak_rss_mb),
        rss_added_mb: Math.round(busy.peak_rss_mb - idle.peak_rss_mb),
        states_received: busy.seen.events,
        mb_received: Math.round((busy.seen.bytes ?? 0) / 2 ** 20),
        other_organisation_states: busy.seen.other_tenant,
        max_states_per_device_per_second: busy.seen.max_per_device_second,
        errors: busy.seen.errors,
      },
      published_per_s: busy.seen.published_per_s,
    };
  } finally {
    load.kill();
    await tod?.stop();
    await nats.stop();
    await db.stop();
  }
}

async function main() {
  const { results: after, baseline } = await withBaseline(measure);
  const goals = { cores: 0.5, rss_added_mb: 300 };
  console.log(
    JSON.stringify({
      bench: 'sse',
      streams: STREAMS,
      devices: DEVICES,
      poll_interval_s: INTERVAL_S,
      goals,
      results: after,
      goals_met: after.streams.cores < goals.cores && after.streams.rss_added_mb < goals.rss_added_mb,
      ...(baseline ? { baseline } : {}),
      id: randomUUID(),
    }),
  );
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
