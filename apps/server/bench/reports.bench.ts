// Reports at 1,000 devices: the time to build each kind (fleet, device, compliance, SLA) as PDF and as CSV over a
// week of hourly metrics (metrics_health_1h, metrics_interface_1h: 168,000 and 336,000 rows), the status history of
// the week (a tenth of the devices with an outage), alerts, and a configuration backup per device (real exports from
// fixtures/, stored through the config-backups store, so compliance opens and parses 1,000 of them).
// Last stdout line: one JSON object.
import pino from 'pino';
import { readExport } from '../../../fixtures/index.js';
import { createCodec } from '../src/features/config-backups/codec.js';
import { createStore } from '../src/features/config-backups/store.js';
import { devicePasswordContext } from '../src/features/devices/credentials.js';
import { eventsRepo } from '../src/features/events/events.repo.js';
import { buildReport, reportDepsFrom, reportKinds } from '../src/features/reports/content/index.js';
import { withSystem } from '../src/platform/db/tx.js';
import type { FeatureContext } from '../src/platform/feature/feature.js';
import { useByWorker } from '../src/platform/kms/key-use.js';
import { ensurePartitions, seriesTables } from '../src/platform/timeseries/partitions.js';
import { inProcessTod } from './in-process.js';
import { startBenchPostgres } from './lib.js';

const DEVICES = Number(process.env.BENCH_REPORT_DEVICES ?? 1000);
const RUNS = Number(process.env.BENCH_REPORT_RUNS ?? 3);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const log = pino({ level: 'warn' });
const say = (m: string) => process.stderr.write(`reports bench: ${m}\n`);
const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const EXPORTS = ['v7.20-ccr2116.rsc', 'v6.43-verbose-router-b3.rsc', 'v7-wifi-router1.rsc', 'v6.27-srv.rsc'].map(
  readExport,
);

async function main() {
  const db = await startBenchPostgres();
  try {
    const tod = await inProcessTod(db.url, log);
    const { pools, services, tenant } = tod;
    const to = new Date(Math.floor(Date.now() / HOUR) * HOUR);
    const from = new Date(to.getTime() - 7 * DAY);
    await ensurePartitions(pools.owner!, seriesTables({ raw: 2, fiveMinute: 8, hourly: 90 }), { behindDays: 9 });

    say(`${DEVICES} devices, a week of hourly metrics`);
    const sites = (
      await pools.system.query<{ id: string }>(
        `insert into sites (tenant_id, name) select $1, 'site ' || g from generate_series(1, 10) g returning id`,
        [tenant],
      )
    ).rows.map((r) => r.id);
    const ids = (
      await pools.system.query<{ id: string }>(
        `insert into devices (id, tenant_id, name, host, username, password_enc, site_id, status, model, version)
         select gen_random_uuid(), $1, 'router-' || lpad(g::text, 5, '0'),
                '10.' || (g / 65536) || '.' || (g / 256 % 256) || '.' || (g % 256), 'admin', '\\x00', ($3::uuid[])[g % 10 + 1],
                'online', (array['RB5009UG+S+', 'CCR2004-1G-12S+2XS', 'hAP ax2', 'CRS326-24G-2S+'])[g % 4 + 1],
                (array['7.16.2', '7.15.3', '6.49.17', '7.18'])[g % 4 + 1]
           from generate_series(0, $2 - 1) g order by g returning id`,
        [tenant, DEVICES, sites],
      )
    ).rows.map((r) => r.id);
    // Real credentials (a tenth with an empty password), sealed as TOD seals them.
    for (const [i, id] of ids.entries()) {
      const enc = await services.envelope.encrypt(
        tenant,
        i % 10 === 0 ? '' : `a-long-password-${i}`,
        devicePasswordContext(id),
        useByWorker('bench', 'seal'),
      );
      await pools.system.query('update devices set password_enc = $2 where id = $1', [id, enc]);
    }
    await pools.system.query(
      `insert into metrics_health_1h (tenant_id, device_id, bucket, samples, cpu_avg, cpu_max, memory_free_min,
                                      memory_total, disk_free_min, disk_total, temperature_avg, temperature_max,
                                      voltage_avg, uptime_max)
       select $1, d, h, 60, 20 + 15 * sin(extract(epoch from h) / 9000 + k), 60, 400e6::bigint, 1024e6::bigint,
              60e6::bigint, 128e6::bigint, 45, 48, 24, 86400
         from unnest($2::uuid[]) with ordinality u(d, k),
              generate_series($3::timestamptz, $4::timestamptz - interval '1 hour', interval '1 hour') h`,
      [tenant, ids, from, to],
    );
    await pools.system.query(
      `insert into metrics_interface_1h (tenant_id, device_id, interface, bucket, samples, rx_bps_avg, rx_bps_max,
                                         tx_bps_avg, tx_bps_max, rx_pps_avg, tx_pps_avg, running_ratio)
       select $1, d, i, h, 60, 4e7, 9e7, 5e6, 2e7, 4000, 900, 1
         from unnest($2::uuid[]) d, unnest(array['ether1', 'ether2']) i,
              generate_series($3::timestamptz, $4::timestamptz - interval '1 hour', interval '1 hour') h`,
      [tenant, ids, from, to],
    );
    // Status history through the events repository: online before the week, a tenth down for 1-6 hours.
    const events = ids.flatMap((id, i) => {
      const row = (type: string, at: number) => ({
        tenant_id: tenant,
        device_id: id,
        type,
        severity: type === 'device.offline' ? 'critical' : 'info',
        message: type,
        details: {},
        created_at: new Date(at).toISOString(),
      });
      const out = [row('device.online', from.getTime() - HOUR)];
      if (i % 10 === 3) {
        const down = from.getTime() + (i % 7) * DAY + 5 * HOUR;
        out.push(row('device.offline', down), row('device.online', down + ((i % 6) + 1) * HOUR));
      }
      return out;
    });
    await withSystem(pools.system, (c) => eventsRepo.insertBatch(c, events));
    await pools.system.query(
      `insert into alert_events (id, tenant_id, rule_name, device_id, metric, operator, threshold, severity, state,
                                 started_at, resolved_at)
       select gen_random_uuid(), $1, (array['Device offline', 'High CPU load', 'High temperature'])[k % 3 + 1], d,
              'm', '>', 1, 'warning', 'resolved', $3::timestamptz + (k % 150) * interval '1 hour',
              $3::timestamptz + (k % 150) * interval '1 hour' + interval '35 minutes'
         from unnest($2::uuid[]) with ordinality u(d, k) where k % 3 = 0`,
      [tenant, ids, from],
    );
    // A configuration backup per device, through the store (sealed, normalised, deduplicated per device).
    say('storing 1 backup per device');
    const store = createStore({ appPool: pools.app, codec: createCodec(services.envelope) });
    for (const [i, id] of ids.entries()) {
      const text = EXPORTS[i % EXPORTS.length]!.replace(/^(\/system identity\s*\n\s*set name=).*$/m, `$1router-${i}`);
      await store.save({
        tenantId: tenant,
        deviceId: id,
        captured: {
          raw: Buffer.from(text),
          text,
          binary: null,
          binaryPassword: null,
          method: 'ssh',
          secretsIncluded: true,
          note: null,
        },
        trigger: 'schedule',
        checkpointName: null,
        changedBy: null,
        changeLog: null,
        jobId: null,
        actor: null,
      });
    }
    await pools.system.query('analyze');

    const deps = reportDepsFrom({ pools, envelope: services.envelope, services } as unknown as FeatureContext);
    const out: Record<string, unknown> = { devices: DEVICES, hours: 168, runs: RUNS };
    for (const kind of reportKinds)
      for (const format of ['pdf', 'csv'] as const) {
        const times: number[] = [];
        let bytes = 0;
        let pages: unknown;
        for (let r = 0; r < RUNS; r++) {
          const t0 = performance.now();
          const built = await buildReport(
            deps,
            { id: tenant, name: 'Bench organisation' },
            { kind, format, from, to, ...(kind === 'device' ? { deviceId: ids[3] } : {}) },
          );
          times.push(performance.now() - t0);
          bytes = built.data.length;
          pages = built.summary.pages;
        }
        out[`${kind}_${format}_ms`] = round(median(times));
        out[`${kind}_${format}_bytes`] = bytes;
        if (format === 'pdf') out[`${kind}_pdf_pages`] = pages;
        say(`${kind} ${format}: ${round(median(times))} ms, ${bytes} bytes`);
      }
    await tod.close();
    console.log(JSON.stringify(out));
  } finally {
    await db.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
