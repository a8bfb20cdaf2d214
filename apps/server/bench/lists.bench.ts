// Every list and series endpoint at MSP scale (issue 18): one organisation among five with 10,000 devices, 200,000
// events, 100,000 alert events, 1,000,000 log lines, 50,000 change operations, 50,000 config versions, 200,000 audit
// entries, 2,000 rollouts (one of 10,000 devices), 5,000 reports, 8,000 wireless links and a client's signal
// history; the other four hold a quarter of each, so row-level security has rows to leave out. Data is written
// straight into the database; the API is the real bundled `tod` in its own process. For each endpoint: the first
// page, and a page deep in the list (by cursor where the list has one). Last stdout line: one JSON object.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { hashPassword } from '../src/platform/auth/passwords.js';
import { ensurePartitions, seriesTables } from '../src/platform/timeseries/partitions.js';
import { enrolledToken, load, runTod, startBenchPostgres, startTodProcess, withBaseline } from './lib.js';

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 8);
const APP_PW = 'bench-app-password-0123456789';
const SYS_PW = 'bench-system-password-0123456789';

/** Rows of the measured organisation; each of the four others gets a quarter. */
export const volumes = {
  devices: 10_000,
  events: 200_000,
  alerts: 100_000,
  logs: 1_000_000,
  operations: 50_000,
  versionsPerDevice: 5,
  audit: 200_000,
  rollouts: 2_000,
  reports: 5_000,
  sessions: 2_000,
};

/** One organisation's rows; `share` scales them (1 for the measured one). */
async function seedTenant(c: pg.Client, name: string, share: number) {
  const n = (x: number) => Math.max(1, Math.round(x * share));
  const tenant = (await c.query<{ id: string }>('insert into tenants (name) values ($1) returning id', [name])).rows[0]!
    .id;
  await c.query(
    `insert into devices (tenant_id, name, host, username, password_enc, status, model, version)
     select $1, 'router-' || lpad(i::text, 5, '0'), '10.' || (i / 65536) || '.' || ((i / 256) % 256) || '.' || (i % 256),
            'admin', '\\x00', (array['online','online','offline','unknown'])[1 + i % 4], 'RB5009', '7.18'
       from generate_series(1, $2::int) i`,
    [tenant, n(volumes.devices)],
  );
  const d = `(select array_agg(id order by name) from devices where tenant_id = '${tenant}')`;
  const D = n(volumes.devices);
  // Events: newest last (ids follow time, as ingest writes them).
  await c.query(
    `insert into events (tenant_id, device_id, type, severity, message, created_at)
     select $1, (${d})[1 + i % ${D}], (array['device.online','device.offline','device.rebooted','device.config_changed'])[1 + i % 4],
            (array['info','info','warning','critical'])[1 + (i / 4) % 4], 'event ' || i,
            now() - make_interval(secs => ($2::int - i) * 3)
       from generate_series(1, $2::int) i`,
    [tenant, n(volumes.events)],
  );
  await c.query(
    `insert into alert_events (id, tenant_id, device_id, rule_name, metric, operator, threshold, severity, state,
                               value, started_at, resolved_at)
     select gen_random_uuid(), $1, (${d})[1 + i % ${D}], 'CPU high', 'cpu_load', '>', 90,
            (array['info','warning','critical'])[1 + i % 3],
            case when i % 50 = 0 then 'firing' when i % 97 = 0 then 'acknowledged' else 'resolved' end, 95,
            -- Every fourth alert shares its start with the one before: ties are broken by id.
            now() - make_interval(secs => ($2::int - i + (i % 4 = 0)::int) * 10), now()
       from generate_series(1, $2::int) i`,
    [tenant, n(volumes.alerts)],
  );
  // Log lines over the last 6 days (the partitions exist), severities as RouterOS topics give them.
  await c.query(
    `insert into device_logs (tenant_id, device_id, time, source, topics, severity, message, entry_id)
     select $1, (${d})[1 + i % ${D}], now() - make_interval(secs => ($2::int - i) * (518400.0 / $2::int)), 'poll',
            array[(array['system','firewall','dhcp','wireless','interface'])[1 + i % 5], 'info'],
            (array['info','info','info','info','info','info','warning','warning','error','critical'])[1 + i % 10],
            'line ' || i || ' of the router log', '*' || to_hex(i)
       from generate_series(1, $2::int) i`,
    [tenant, n(volumes.logs)],
  );
  // Operations in runs of 10 made in one transaction (a rollout's wave): ten share a created_at.
  await c.query(
    `insert into change_operations (id, tenant_id, device_id, kind, mode, status, summary, request, created_at)
     select gen_random_uuid(), $1, (${d})[1 + i % ${D}], (array['edit','template','restore','bulk_command'])[1 + i % 4],
            'safe', (array['confirmed','confirmed','confirmed','reverted','failed'])[1 + i % 5], 'change ' || i, '{}',
            now() - make_interval(secs => ($2::int - i) / 10 * 60)
       from generate_series(1, $2::int) i`,
    [tenant, n(volumes.operations)],
  );
  await c.query(
    `insert into config_contents (tenant_id, device_id, sha256, normalized, size, stored_size)
     select $1, dev, encode(sha256((dev::text || v)::bytea), 'hex'), '\\x00', 1, 1
       from unnest(${d}) dev cross join generate_series(1, $2::int) v`,
    [tenant, volumes.versionsPerDevice],
  );
  await c.query(
    `insert into config_versions (id, tenant_id, device_id, sha256, created_at, unchanged_until, trigger, size, raw_export,
                                  raw_size, method, secrets_included)
     select gen_random_uuid(), $1, dev, encode(sha256((dev::text || v)::bytea), 'hex'),
            now() - make_interval(days => $2::int - v), now() - make_interval(days => $2::int - v), 'schedule', 1, '\\x00',
            1, 'ssh', false
       from unnest(${d}) dev cross join generate_series(1, $2::int) v`,
    [tenant, volumes.versionsPerDevice],
  );
  await c.query(
    `insert into config_device_state (device_id, tenant_id, latest_version_id, last_success_at, last_failure_at,
                                      last_error_code)
     select distinct on (v.device_id) v.device_id, $1, v.id, v.created_at,
            case when abs(hashtext(v.device_id::text)) % 20 = 0 then now() end,
            case when abs(hashtext(v.device_id::text)) % 20 = 0 then 'unreachable' end
       from config_versions v where v.tenant_id = $1 order by v.device_id, v.created_at desc`,
    [tenant],
  );
  await c.query(
    `insert into rollouts (id, tenant_id, kind, name, status, options, wave_count, device_count, created_at)
     select gen_random_uuid(), $1, (array['template','firmware','bulk_command'])[1 + i % 3], 'rollout ' || i,
            'completed', '{"canary":1,"batch_size":10,"concurrency":10,"max_failures":0,"device_timeout_seconds":900,"mode":"safe","backup_after":false}', 2, 10, now() - make_interval(mins => $2::int - i)
       from generate_series(1, $2::int) i`,
    [tenant, n(volumes.rollouts)],
  );
  const big = (
    await c.query<{ id: string }>(
      `insert into rollouts (id, tenant_id, kind, name, status, options, wave_count, device_count)
       values (gen_random_uuid(), $1, 'firmware', 'everything', 'running', '{"canary":1,"batch_size":100,"concurrency":10,"max_failures":0,"device_timeout_seconds":900,"mode":"safe","backup_after":false}', 101, $2)
       returning id`,
      [tenant, D],
    )
  ).rows[0]!.id;
  await c.query(
    `insert into rollout_devices (rollout_id, tenant_id, device_id, device_name, position, wave, status, output)
     select $1, $2, dev, 'router-' || p, p - 1, case when p = 1 then 0 else 1 + (p - 2) / 100 end,
            case when p < $3::int / 2 then 'done' when p < $3::int / 2 + 100 then 'running' else 'pending' end,
            repeat('output ', 50)
       from unnest(${d}) with ordinality as x(dev, p)`,
    [big, tenant, D],
  );
  await c.query(
    `insert into reports (id, tenant_id, kind, format, params, status, created_at)
     select gen_random_uuid(), $1, (array['fleet','device','sla'])[1 + i % 3], 'pdf',
            '{"from": "2026-01-01T00:00:00Z", "to": "2026-02-01T00:00:00Z"}', 'done',
            now() - make_interval(mins => $2::int - i)
       from generate_series(1, $2::int) i`,
    [tenant, n(volumes.reports)],
  );
  await c.query(
    `insert into remote_sessions (id, tenant_id, device_id, kind, actor_label, state, idle_timeout_seconds,
                                  max_lifetime_seconds, created_at, closed_at, close_reason)
     select gen_random_uuid(), $1, (${d})[1], 'ssh', 'admin', 'closed', 900, 28800,
            now() - make_interval(mins => $2::int - i), now(), 'ended'
       from generate_series(1, $2::int) i`,
    [tenant, n(volumes.sessions)],
  );
  // Wireless: the first fifth of the devices are APs, each of the others a CPE registered to one of them.
  const aps = Math.max(1, Math.floor(D / 5));
  await c.query(
    `insert into wireless_registrations (tenant_id, device_id, interface, mac, role, peer_device_id, signal, first_seen,
                                         last_seen)
     select $1, (${d})[1 + (i - ${aps} - 1) % ${aps}], 'wlan1',
            upper(substr(md5(i::text), 1, 2) || ':' || substr(md5(i::text), 3, 2) || ':' || substr(md5(i::text), 5, 2) || ':' ||
                  substr(md5(i::text), 7, 2) || ':' || substr(md5(i::text), 9, 2) || ':' || substr(md5(i::text), 11, 2)),
            'client', (${d})[i], -50 - i % 40, now() - interval '1 day', now()
       from generate_series(${aps + 1}, ${D}) i`,
    [tenant],
  );
  return { tenant, devices: d, aps };
}

export async function seed(url: string) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  await c.query(
    `insert into users (tenant_id, email, name, role, password_hash) values (null, 'bench@tod.test', 'Bench', 'super_admin', $1)`,
    [await hashPassword('bench-password-123')],
  );
  const main = await seedTenant(c, 'Big MSP', 1);
  for (const other of ['Other 1', 'Other 2', 'Other 3', 'Other 4']) await seedTenant(c, other, 0.25);
  // Audit entries with their chain trigger off (the list reads them, nothing here verifies the chain): appended one
  // by one they would take as long as the trigger's lookup of the previous entry does.
  await c.query('alter table audit_logs disable trigger audit_logs_chain');
  await c.query(
    `insert into audit_logs (tenant_id, seq, actor_type, actor_label, action, target_type, details, prev_hash, hash,
                             created_at)
     select $1, i, 'user', 'admin@msp.test', (array['device.update','device.probe','config.backup','user.login'])[1 + i % 4],
            'device', '{}', ''::bytea, ''::bytea, now() - make_interval(secs => $2::int - i)
       from generate_series(1, $2::int) i`,
    [main.tenant, volumes.audit],
  );
  await c.query('alter table audit_logs enable trigger audit_logs_chain');
  const first = (await c.query<{ id: string }>(`select (${main.devices})[1] as id`)).rows[0]!.id;
  const ap = (
    await c.query<{ device_id: string; mac: string }>(
      'select device_id, mac from wireless_registrations where tenant_id = $1 order by device_id, mac limit 1',
      [main.tenant],
    )
  ).rows[0]!;
  // A client's signal: a sample every 30 s for a day, and 30 days of hourly rollups.
  await c.query(
    `insert into wireless_signal (tenant_id, device_id, interface, mac, time, signal, snr, tx_ccq, rx_ccq, tx_rate_mbps,
                                  rx_rate_mbps)
     select $1, $2, 'wlan1', $3, now() - make_interval(secs => i * 30), -60 - i % 7, 30, 90, 88, 300, 270
       from generate_series(0, 2879) i`,
    [main.tenant, ap.device_id, ap.mac],
  );
  await c.query(
    `insert into wireless_signal_1h (tenant_id, device_id, interface, mac, bucket, samples, signal_avg, signal_min,
                                     signal_max, snr_avg, ccq_avg, tx_rate_avg, rx_rate_avg)
     select $1, $2, 'wlan1', $3, date_trunc('hour', now()) - make_interval(hours => h), 120, -61, -66, -58, 30, 90, 300, 270
       from generate_series(0, 719) h`,
    [main.tenant, ap.device_id, ap.mac],
  );
  const rollout = (
    await c.query<{ id: string }>("select id from rollouts where tenant_id = $1 and name = 'everything'", [main.tenant])
  ).rows[0]!.id;
  await c.query('analyze');
  await c.end();
  return { tenant: main.tenant, device: first, ap, rollout };
}

/** Partitions for the seeded days: logs back 7 days, the series as the inventory bench makes them. */
export async function preparePartitions(url: string) {
  const owner = new pg.Pool({ connectionString: url });
  await ensurePartitions(owner, seriesTables({ raw: 7, fiveMinute: 30, hourly: 90 }), { behindDays: 31 });
  await ensurePartitions(owner, [{ name: 'device_logs', retentionDays: 30 }], { behindDays: 8 });
  await owner.end();
}

type Auth = Record<string, string>;

/** The URL of the page after `url`'s first: by `next_cursor` when the answer has one, else by `next_field`. */
async function deep(url: string, auth: Auth, pages: number, next: (body: Record<string, unknown>) => string | null) {
  let at = url;
  for (let i = 0; i < pages; i++) {
    const body = (await (await fetch(at, { headers: auth })).json()) as Record<string, unknown>;
    const n = next(body);
    if (!n) break;
    at = n;
  }
  return at;
}

/** One fresh database, seeded, and the `tod` of `root` (this checkout unless given) under load. */
async function measure(root?: string) {
  const db = await startBenchPostgres();
  let tod: Awaited<ReturnType<typeof startTodProcess>> | undefined;
  try {
    const env = { DATABASE_URL: db.url, DB_APP_PASSWORD: APP_PW, DB_SYSTEM_PASSWORD: SYS_PW };
    runTod(['migrate'], env, root);
    await preparePartitions(db.url);
    const started = performance.now();
    const s = await seed(db.url);
    console.error(`seeded in ${Math.round(performance.now() - started)} ms`);
    tod = await startTodProcess({ ...env, AUTH_RATE_LIMIT_PER_MINUTE: '1000', LOG_LEVEL: 'warn' }, undefined, root);
    const token = await enrolledToken(tod.base, 'bench@tod.test', 'bench-password-123');
    const auth = { authorization: `Bearer ${token}` };
    const t = `${tod.base}/api/tenants/${s.tenant}`;
    const out: Record<string, unknown> = {};
    // A deep page: 200 pages in by cursor where the list gives one (the old API only pages by time or offset).
    const byCursor = (base: string) => (b: Record<string, unknown>) =>
      typeof b.next_cursor === 'string' ? `${base}&cursor=${b.next_cursor}` : null;
    const byBefore =
      (base: string, field = 'before') =>
      (b: Record<string, unknown>) =>
        b.next_before ? `${base}&${field}=${encodeURIComponent(String(b.next_before))}` : null;
    const byOffset = (base: string, limit: number, pages: number) => `${base}&offset=${limit * pages}`;
    const run = async (name: string, first: string, deepUrl: string) => {
      out[name] = {
        first: await load(`${name}: first page`, first, auth, { connections: CONNECTIONS }),
        deep: await load(`${name}: deep page`, deepUrl, auth, { connections: CONNECTIONS }),
      };
    };
    const one = async (name: string, url: string) => {
      out[name] = await load(name, url, auth, { connections: CONNECTIONS });
    };
    const cursorOr = async (base: string, fallback: (b: Record<string, unknown>) => string | null) =>
      deep(base, auth, 200, (b) => byCursor(base)(b) ?? fallback(b));

    const events = `${t}/events?limit=50`;
    await run('events', events, await deep(events, auth, 200, byBefore(events)));
    const eventsType = `${t}/events?limit=50&type=device.rebooted&severity=critical`;
    await run('events, type + severity', eventsType, await deep(eventsType, auth, 100, byBefore(eventsType)));
    const alerts = `${t}/alert-events?limit=50`;
    await run('alert events', alerts, await cursorOr(alerts, () => null));
    const alertsDevice = `${t}/alert-events?limit=50&device_id=${s.device}`;
    await run('alert events, one device', alertsDevice, await cursorOr(alertsDevice, () => null));
    const logs = `${t}/logs?limit=100`;
    await run('logs', logs, await cursorOr(logs, () => null));
    const logsError = `${t}/logs?limit=100&severity=error,critical`;
    await run('logs, severity', logsError, await cursorOr(logsError, () => null));
    const ops = `${t}/operations?limit=50`;
    await run('operations', ops, await cursorOr(ops, byBefore(ops)));
    const opsFailed = `${t}/operations?limit=50&status=failed`;
    await run('operations, failed', opsFailed, await cursorOr(opsFailed, byBefore(opsFailed)));
    const versions = `${t}/devices/${s.device}/config/backups?limit=2`;
    await run('config versions', versions, await cursorOr(versions, byBefore(versions)));
    const fleet = `${t}/config/backups?limit=100`;
    await run(
      'config fleet view',
      fleet,
      await deep(fleet, auth, 50, byCursor(fleet)).then((u) => (u === fleet ? byOffset(fleet, 100, 50) : u)),
    );
    const rollouts = `${t}/rollouts?limit=50`;
    await run(
      'rollouts',
      rollouts,
      await deep(rollouts, auth, 30, byCursor(rollouts)).then((u) => (u === rollouts ? byOffset(rollouts, 50, 30) : u)),
    );
    await one('a rollout of 10,000 devices, all of them', `${t}/rollouts/${s.rollout}`);
    const rollout = `${t}/rollouts/${s.rollout}?limit=100`;
    await run(
      'a rollout of 10,000 devices, pages of 100 (new)',
      rollout,
      await deep(rollout, auth, 80, (b) =>
        typeof b.devices_next_cursor === 'string' ? `${rollout}&cursor=${b.devices_next_cursor}` : null,
      ),
    );
    const reports = `${t}/reports?limit=50`;
    await run(
      'reports',
      reports,
      await deep(reports, auth, 50, byCursor(reports)).then((u) => (u === reports ? byOffset(reports, 50, 50) : u)),
    );
    const sessions = `${t}/devices/${s.device}/sessions?limit=50`;
    await run(
      'remote sessions',
      sessions,
      await deep(sessions, auth, 30, byCursor(sessions)).then((u) => (u === sessions ? byOffset(sessions, 50, 30) : u)),
    );
    const audit = `${t}/audit-logs?limit=100`;
    await run('audit log', audit, await deep(audit, auth, 200, byBefore(audit)));
    const auditAction = `${t}/audit-logs?limit=100&action=config.backup`;
    await run('audit log, one action', auditAction, await deep(auditAction, auth, 100, byBefore(auditAction)));
    await one('wireless links, the whole list', `${t}/links`);
    const links = `${t}/links?limit=100`;
    await run('wireless links, pages of 100 (new)', links, await cursorOr(links, () => null));
    const signal = `${t}/devices/${s.ap.device_id}/signal-history?mac_address=${s.ap.mac}`;
    await one('signal history, 24 h raw as points', signal);
    await one('signal history, 24 h raw as columns (new)', `${signal}&format=columns`);
    await one('signal history, 30 d hourly as points', `${signal}&range=30d`);
    return out;
  } finally {
    await tod?.stop();
    await db.stop();
  }
}

async function main() {
  const { results: after, baseline } = await withBaseline(measure);
  console.log(
    JSON.stringify({
      bench: 'lists',
      volumes,
      connections: CONNECTIONS,
      results: after,
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
