// Changing many routers at once, against 1,000 simulated routers (tod-sim in its own process; TOD's services in
// this one): a template pushed as one rollout (each device a safe change: pre-change backup over SSH, safe mode,
// apply, verify on a fresh session), then their firmware checked and upgraded as another rollout (each device:
// backup, download, reboot into the new version, verify). Reports wall time, TOD's CPU (this process) and peak RSS.
// Last stdout line: one JSON object.

import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import pino from 'pino';
import { EXPORTS_DIR } from '../../../fixtures/index.js';
import { inProcessTod } from './in-process.js';
import { freePort, startBenchPostgres, startSimProcess } from './lib.js';

const N = Number(process.env.BENCH_ROLLOUT_DEVICES ?? 1000);
const CONCURRENCY = Number(process.env.BENCH_ROLLOUT_CONCURRENCY ?? 64);
const EXPORT = process.env.BENCH_ROLLOUT_EXPORT ?? join(EXPORTS_DIR, 'v7-wifi-router1.rsc');
const log = pino({ level: 'warn' });
const say = (m: string) => process.stderr.write(`rollouts bench: ${m}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;

const body = `/ip dns set servers={{ dns | join: "," }}
/ip firewall address-list add list=tod-mgmt address={{ mgmt }} comment="TOD management"
/ip firewall filter add chain=input action=accept src-address-list=tod-mgmt comment="tod: management"
/system identity set name="{{ device.name }}"
`;

async function main() {
  const db = await startBenchPostgres();
  let sim: ChildProcess | undefined;
  try {
    const tod = await inProcessTod(
      db.url,
      log,
      {
        CHANGE_CONCURRENCY: String(CONCURRENCY),
        BACKUP_CONCURRENCY: String(CONCURRENCY),
        DEVICE_MAX_EXTRA_SESSIONS: '2',
        ROLLOUT_CONCURRENCY: String(CONCURRENCY * 2),
      },
      60,
    );
    const { pools, services } = tod;
    say(`starting ${N} simulated routers`);
    const started = await startSimProcess([
      ...['--devices', String(N), '--subnet', '127.5.0.0/16', '--tls', 'off', '--password', 'bench-pw'],
      ...['--api-port', String(await freePort()), '--ssh-port', String(await freePort()), '--export', EXPORT],
      // The update server offers 7.20.4; an upgrade reboot takes 2 s here (8 s by default), the download 0.5 s.
      ...['--updates', 'stable=7.20.4', '--upgrade-reboot', '2000', '--download-ms', '500'],
    ]);
    sim = started.child;
    const ids: string[] = [];
    for (const [i, d] of started.devices.entries()) ids.push(await tod.addDevice(d, `bench-${i}`));
    const runners = [
      services.changes.runner.start(),
      services.rollouts.runner.start(),
      services.configBackups.runner.start(),
      services.firmware.checker.start(),
    ];
    const operator = tod.actor('operator');
    const t = await services.templates.create(tod.actor('admin'), {
      name: 'bench',
      description: '',
      body,
      variables: [
        { name: 'dns', type: 'list', of: 'ip', default: ['9.9.9.9', '149.112.112.112'] },
        { name: 'mgmt', type: 'cidr', default: '10.99.0.0/16' },
      ],
    });

    say(`pushing to ${N} routers (canary 10, batches of 250, concurrency ${CONCURRENCY})`);
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    let peakRss = process.memoryUsage().rss;
    const { rollout_id } = await services.templates.push(operator, t.id, {
      targets: { device_ids: ids },
      rollout: { canary: 10, batch_size: 250, concurrency: CONCURRENCY, max_failures: null, backup_after: false },
    });
    let counts: Record<string, number> = {};
    for (;;) {
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
      const r = await services.rollouts.get(operator, rollout_id);
      counts = r.counts;
      if (r.status === 'completed') break;
      await sleep(250);
    }
    const wall = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const errors = await pools.system.query(
      `select error_code, count(*)::int as n from rollout_devices where rollout_id = $1 and error_code is not null
        group by 1`,
      [rollout_id],
    );
    // Where an operation's time goes: seconds from each step to the next, median over the push's operations.
    const phases = await pools.system.query<{ status: string; median_s: number }>(
      `with s as (
         select o.id, e.value ->> 'status' as status, (e.value ->> 'at')::timestamptz as at, e.ordinality as n
           from change_operations o, jsonb_array_elements(o.steps) with ordinality e
          where o.kind = 'template')
       select a.status, percentile_cont(0.5) within group (order by extract(epoch from b.at - a.at))::float as median_s
         from s a join s b on b.id = a.id and b.n = a.n + 1 group by a.status`,
    );

    say(`checking firmware of ${N} routers, then upgrading them to 7.20.4`);
    let c0 = process.cpuUsage();
    let f0 = performance.now();
    let checked = await services.firmware.check(operator, {});
    while (checked.status !== 'done') checked = await services.firmware.check(operator, {});
    const checkWall = (performance.now() - f0) / 1000;
    const checkCpu = process.cpuUsage(c0);
    c0 = process.cpuUsage();
    f0 = performance.now();
    let fwPeak = process.memoryUsage().rss;
    const fw = await services.firmware.upgrade(operator, {
      targets: { device_ids: ids },
      channel: 'stable',
      rollout: { canary: 10, batch_size: 250, concurrency: CONCURRENCY, max_failures: null, backup_after: false },
    });
    let fwCounts: Record<string, number> = {};
    for (;;) {
      fwPeak = Math.max(fwPeak, process.memoryUsage().rss);
      const r = await services.rollouts.get(operator, fw.rollout_id);
      fwCounts = r.counts;
      if (r.status === 'completed') break;
      await sleep(500);
    }
    const fwWall = (performance.now() - f0) / 1000;
    const fwCpu = process.cpuUsage(c0);
    const fwErrors = await pools.system.query(
      `select error_code, count(*)::int as n from rollout_devices where rollout_id = $1 and error_code is not null
        group by 1`,
      [fw.rollout_id],
    );
    for (const r of runners) await r.stop();
    console.log(
      JSON.stringify({
        template_push: {
          devices: N,
          concurrency: CONCURRENCY,
          wall_s: round(wall, 1),
          devices_per_second: round(N / wall, 1),
          tod_cpu_s: round((cpu.user + cpu.system) / 1e6, 1),
          tod_cpu_ms_per_device: round((cpu.user + cpu.system) / 1000 / N, 1),
          peak_rss_mb: Math.round(peakRss / 2 ** 20),
          counts,
          operation_phase_median_s: Object.fromEntries(phases.rows.map((r) => [r.status, round(r.median_s, 2)])),
          errors: Object.fromEntries(errors.rows.map((r) => [r.error_code, r.n])),
        },
        firmware_check: {
          devices: N,
          wall_s: round(checkWall, 1),
          tod_cpu_ms_per_device: round((checkCpu.user + checkCpu.system) / 1000 / N, 1),
          checked: checked.checked,
          failed: checked.failed,
        },
        firmware_rollout: {
          devices: N,
          concurrency: CONCURRENCY,
          simulated_upgrade_reboot_s: 2,
          wall_s: round(fwWall, 1),
          tod_cpu_s: round((fwCpu.user + fwCpu.system) / 1e6, 1),
          tod_cpu_ms_per_device: round((fwCpu.user + fwCpu.system) / 1000 / N, 1),
          peak_rss_mb: Math.round(fwPeak / 2 ** 20),
          counts: fwCounts,
          errors: Object.fromEntries(fwErrors.rows.map((r) => [r.error_code, r.n])),
        },
      }),
    );
    await tod.close();
  } finally {
    sim?.kill('SIGTERM');
    await db.stop();
  }
}

await main();
