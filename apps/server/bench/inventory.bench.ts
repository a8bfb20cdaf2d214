// The inventory API at fleet scale: GET devices over 10,000 devices (the whole table, and a sorted page), the fleet
// summary, and 30 days of interface traffic for one device (hourly rollups, 10 interfaces). Data is written straight
// into the database; the API is the real bundled `tod` in its own process. Last stdout line: one JSON object.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { hashPassword } from '../src/platform/auth/passwords.js';
import { ensurePartitions, seriesTables } from '../src/platform/timeseries/partitions.js';
import {
  enrolledToken,
  load,
  pgTopStatements,
  resetPgStatements,
  runTod,
  startBenchPostgres,
  startTodProcess,
  withBaseline,
} from './lib.js';

const N = Number(process.env.BENCH_DEVICES ?? 10_000);
/** The figures were taken with 8 connections. */
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 8);
const APP_PW = 'bench-app-password-0123456789';
const SYS_PW = 'bench-system-password-0123456789';

export async function seed(url: string) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  const tenant = (await c.query<{ id: string }>("insert into tenants (name) values ('Big MSP') returning id")).rows[0]!
    .id;
  await c.query(
    `insert into users (tenant_id, email, name, role, password_hash) values (null, 'bench@tod.test', 'Bench', 'super_admin', $1)`,
    [await hashPassword('bench-password-123')],
  );
  const tags = (
    await c.query<{ id: string }>(
      `insert into device_tags (tenant_id, name) select $1, 'tag-' || i from generate_series(1, 20) i returning id`,
      [tenant],
    )
  ).rows.map((r) => r.id);
  const statuses = ['online', 'online', 'online', 'online', 'degraded', 'offline', 'unknown'];
  await c.query(
    `insert into devices (tenant_id, name, host, port, username, password_enc, status, status_reason, identity, model, version,
                          uptime_seconds, cpu_load, memory_total, memory_free, disk_total, disk_free, last_seen_at)
     select $1, 'router-' || lpad(i::text, 5, '0'), '10.' || (i / 65536) || '.' || ((i / 256) % 256) || '.' || (i % 256), 8728,
            'admin', '\\x00', ($2::text[])[1 + i % 7], null, 'id-' || i, (array['RB5009UG+S+','CCR2004-1G-12S+2XS','hAP ax3','CRS326-24G-2S+'])[1 + i % 4],
            (array['7.16','7.18.2','6.49.10','7.20.4'])[1 + i % 4], i * 37, i % 100, 1073741824, 536870912 - i, 134217728, 67108864, now()
       from generate_series(1, $3::int) i`,
    [tenant, statuses, N],
  );
  await c.query(
    `insert into device_tag_links (tenant_id, device_id, tag_id)
     select $1, d.id, ($2::uuid[])[1 + (abs(hashtext(d.id::text)) % 20)] from devices d`,
    [tenant, tags],
  );
  const device = (await c.query<{ id: string }>('select id from devices order by name limit 1')).rows[0]!.id;
  // 30 days of hourly traffic rollups for 10 interfaces.
  await c.query(
    `insert into metrics_interface_1h (tenant_id, device_id, interface, bucket, samples, rx_bps_avg, rx_bps_max, tx_bps_avg, tx_bps_max, rx_pps_avg, tx_pps_avg, running_ratio)
     select $1, $2, 'ether' || n, date_trunc('hour', now()) - make_interval(hours => h), 60, 1e6 * h, 2e6 * h, 5e5 * h, 1e6 * h, 100, 80, 1
       from generate_series(0, 719) h cross join generate_series(1, 10) n`,
    [tenant, device],
  );
  await c.query('analyze');
  await c.end();
  return { tenant, device };
}

// The goals (issue 18), checked against what this run measured.
const goals: Record<string, { rps: number; p99: number } | { single_ms: number }> = {
  page: { rps: 1000, p99: 50 },
  page_while_reporting: { rps: 1000, p99: 50 },
  search: { rps: 1000, p99: 50 },
  summary: { rps: 2000, p99: 20 },
  traffic: { rps: 200, p99: 100 },
  all: { single_ms: 150 },
};

// The devices table's fields as the web app asks for them (apps/web/src/features/devices/columns.tsx).
const TABLE_FIELDS =
  'status,status_reason,disabled,name,identity,is_demo,host,model,version,uptime_seconds,cpu_load,memory_total,memory_free,site_id,tag_ids,last_seen_at';

/**
 * Runs `fn` while N devices report every 60 s: every 100 ms, a tenth of a second's share of them get new figures
 * (cpu_load, uptime, last seen), the columns ingest's update writes.
 */
async function whileReporting<T>(url: string, n: number, fn: () => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  const perTick = Math.max(1, Math.round(n / 600));
  let offset = 0;
  let stop = false;
  const writer = (async () => {
    while (!stop) {
      const started = performance.now();
      await c.query(
        `update devices d set cpu_load = (d.cpu_load + 7) % 100, uptime_seconds = d.uptime_seconds + 60, last_seen_at = now()
          where d.id in (select id from devices order by id offset $1 limit $2)`,
        [offset, perTick],
      );
      offset = (offset + perTick) % n;
      await new Promise((r) => setTimeout(r, Math.max(0, 100 - (performance.now() - started))));
    }
  })();
  try {
    return await fn();
  } finally {
    stop = true;
    await writer;
    await c.end();
  }
}

/** One fresh database, seeded, and the `tod` of `root` (this checkout unless given) under load. */
async function measure(root?: string) {
  const db = await startBenchPostgres();
  let tod: Awaited<ReturnType<typeof startTodProcess>> | undefined;
  try {
    const env = { DATABASE_URL: db.url, DB_APP_PASSWORD: APP_PW, DB_SYSTEM_PASSWORD: SYS_PW };
    // That checkout's own migrations (the baseline's schema is the baseline's).
    runTod(['migrate'], env, root);
    const owner = new pg.Pool({ connectionString: db.url });
    await ensurePartitions(owner, seriesTables({ raw: 7, fiveMinute: 30, hourly: 90 }), { behindDays: 31 });
    await owner.end();
    const started = performance.now();
    const { tenant, device } = await seed(db.url);
    console.error(`seeded ${N} devices in ${Math.round(performance.now() - started)} ms`);
    tod = await startTodProcess({ ...env, AUTH_RATE_LIMIT_PER_MINUTE: '1000', LOG_LEVEL: 'warn' }, undefined, root);
    const access_token = await enrolledToken(tod.base, 'bench@tod.test', 'bench-password-123');
    const auth = { authorization: `Bearer ${access_token}` };
    const t = `${tod.base}/api/tenants/${tenant}`;
    // A single request for the whole table, as the web app makes it: the median of 5 after one warm-up. Then once
    // more after every device changed (each row a new version: none of the api's kept JSON can serve).
    const whole = async () => {
      const at = performance.now();
      const r = await fetch(`${t}/devices?limit=10000&sort=name&fields=${TABLE_FIELDS}`, { headers: auth });
      return { ms: performance.now() - at, bytes: (await r.arrayBuffer()).byteLength };
    };
    const single: number[] = [];
    let bytes = 0;
    for (let i = 0; i < 6; i++) {
      const r = await whole();
      bytes = r.bytes;
      if (i > 0) single.push(r.ms);
    }
    single.sort((a, b) => a - b);
    const touch = new pg.Client({ connectionString: db.url });
    await touch.connect();
    await touch.query('update devices set updated_at = updated_at');
    await touch.end();
    const allChanged = await whole();
    // Each load, and with BENCH_PG_STATS=1 the statements PostgreSQL spent its time on during it.
    const measured = async (name: string, url: string) => {
      await resetPgStatements(db.url);
      const r = await load(name, url, auth, { connections: CONNECTIONS });
      await pgTopStatements(db.url, name);
      return r;
    };
    return {
      all: {
        name: `GET devices, all ${N} rows with the table's fields=`,
        single_ms: Math.round(single[2]!),
        all_changed_ms: Math.round(allChanged.ms),
        bytes,
      },
      page: await measured('GET devices, page of 100 sorted by -cpu_load', `${t}/devices?limit=100&sort=-cpu_load`),
      search: await measured(
        'GET devices, search + status filter',
        `${t}/devices?limit=100&search=router-01&status=online`,
      ),
      // The same page while every device reports once a minute (ingest's update of 167 device rows a second):
      // what a NOC screen sees, where a kept row is rebuilt after each poll of its device.
      page_while_reporting: await whileReporting(db.url, N, () =>
        measured(
          'GET devices, page of 100 sorted by -cpu_load, devices reporting every 60 s',
          `${t}/devices?limit=100&sort=-cpu_load`,
        ),
      ),
      summary: await measured('GET fleet/summary', `${t}/fleet/summary`),
      traffic: await measured(
        'GET metrics/interfaces?range=30d (10 interfaces, hourly)',
        `${t}/devices/${device}/metrics/interfaces?range=30d`,
      ),
    };
  } finally {
    await tod?.stop();
    await db.stop();
  }
}

type Measured = Awaited<ReturnType<typeof measure>>;
const met = (m: Measured) =>
  Object.fromEntries(
    Object.entries(goals).map(([k, g]) => {
      const r = m[k as keyof Measured] as {
        requests_per_second?: number;
        latency_ms?: { p99: number };
        single_ms?: number;
      };
      return [
        k,
        'single_ms' in g ? r.single_ms! <= g.single_ms : r.requests_per_second! >= g.rps && r.latency_ms!.p99 <= g.p99,
      ];
    }),
  );

async function main() {
  const { results: after, baseline } = await withBaseline(measure);
  console.log(
    JSON.stringify({
      bench: 'inventory',
      devices: N,
      connections: CONNECTIONS,
      goals,
      results: after,
      goals_met: met(after),
      ...(baseline ? { baseline } : {}),
      id: randomUUID(),
    }),
  );
}

if (import.meta.url === `file://${process.argv[1]}`)
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
