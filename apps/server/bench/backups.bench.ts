// Config backups at fleet scale: 1,000 simulated routers (their own process, over SSH) backed up by the worker's
// runner in this process; wall time, TOD CPU (this process: SSH, gzip, encryption, normalising, diffing), the
// concurrency used, storage per version and the dedupe when nothing changed; then the diff of two 1 MB configs.
// Last stdout line: one JSON object.
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { normalizeExport } from '@tod/rsc';
import pino from 'pino';
import { EXPORTS_DIR } from '../../../fixtures/index.js';
import { buildDiff } from '../src/features/config-backups/diff.js';
import { jobsRepo } from '../src/features/config-backups/jobs.repo.js';
import { versionsRepo } from '../src/features/config-backups/versions.repo.js';
import { withTenant } from '../src/platform/db/tx.js';
import { uuidv7 } from '../src/platform/events/uuid7.js';
import { type InProcessTod, inProcessTod } from './in-process.js';
import { freePort, startBenchPostgres, startSimProcess } from './lib.js';

const N = Number(process.env.BENCH_BACKUP_DEVICES ?? 1000);
const CONCURRENCY = Number(process.env.BENCH_BACKUP_CONCURRENCY ?? 32);
// Every router starts from this real export (a typical ~20 KB v7 config; v7.23-terse-bkk00.rsc is a 100 KB one).
const EXPORT = process.env.BENCH_BACKUP_EXPORT ?? join(EXPORTS_DIR, 'v7-wifi-router1.rsc');
const log = pino({ level: 'warn' });
const say = (m: string) => process.stderr.write(`backups bench: ${m}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;

/** A synthetic RouterOS export of about `bytes` (firewall rules, addresses, a DNS setting). */
function bigExport(bytes: number, variant: number): string {
  const lines = ['# 2026-12-02 02:00:00 by RouterOS 7.16', '# software id = ABCD-EFGH', '/ip address'];
  let i = 0;
  while (lines.join('\n').length < bytes * 0.3) {
    lines.push(`add address=10.${(i >> 8) & 255}.${i & 255}.1/24 interface=ether${(i % 8) + 1} comment="site ${i}"`);
    i++;
  }
  lines.push('/ip firewall filter');
  let r = 0;
  while (lines.join('\n').length < bytes) {
    const port = variant === 1 && r % 500 === 7 ? 8443 : 443;
    lines.push(
      `add action=accept chain=forward comment="rule ${r}" dst-port=${port} protocol=tcp src-address=10.0.${r % 250}.0/24`,
    );
    r++;
  }
  lines.push('/ip dns', `set servers=${variant === 1 ? '9.9.9.9' : '8.8.8.8'}`);
  return `${lines.join('\n')}\n`;
}

async function waitJobs(pool: import('pg').Pool, ids: string[], sample: () => void) {
  for (;;) {
    sample();
    const r = await pool.query(
      `select count(*) filter (where status in ('succeeded', 'failed'))::int as done,
              count(*) filter (where status = 'failed')::int as failed from config_jobs where id = any($1)`,
      [ids],
    );
    if (r.rows[0].done === ids.length) return r.rows[0].failed as number;
    await sleep(100);
  }
}

async function main() {
  const db = await startBenchPostgres();
  let sim: ChildProcess | undefined;
  try {
    const tod = await inProcessTod(db.url, log, {
      BACKUP_CONCURRENCY: String(CONCURRENCY),
      DEVICE_MAX_EXTRA_SESSIONS: '2',
    });
    const { pools, services, tenant } = tod;
    say(`starting ${N} simulated routers`);
    const started = await startSimProcess([
      '--devices',
      String(N),
      '--subnet',
      '127.3.0.0/16',
      '--api-port',
      String(await freePort()),
      '--ssh-port',
      String(await freePort()),
      '--tls',
      'off',
      '--password',
      'bench-pw',
      '--export',
      EXPORT,
    ]);
    sim = started.child;
    const ids: string[] = [];
    for (const [i, d] of started.devices.entries()) ids.push(await tod.addDevice(d, `bench-${i}`));
    const runner = services.configBackups.runner.start();
    const round1 = await captureAll(pools, services, tenant, ids);
    const storage1 = await withTenant(pools.app, tenant, (c) => versionsRepo.storage(c));
    // Config search as a viewer (redaction applies) for a string no config has: every latest version is read.
    const viewer = tod.actor('viewer');
    const searchTimes: number[] = [];
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      await services.configBackups.search(viewer, { q: 'no-such-text-anywhere', limit: 100 });
      searchTimes.push(performance.now() - t0);
    }
    searchTimes.sort((x, y) => x - y);
    const round2 = await captureAll(pools, services, tenant, ids);
    const storage2 = await withTenant(pools.app, tenant, (c) => versionsRepo.storage(c));
    const sizes = (
      await pools.system.query(
        `select avg(size)::int as export, avg(raw_size)::int as raw, avg(binary_size)::int as binary from config_versions`,
      )
    ).rows[0];
    await runner.stop();

    say('diffing two 1 MB configs');
    // Stored versions are normalised texts: that is what a diff of two versions compares.
    const a = normalizeExport(bigExport(1 << 20, 0)).text;
    const b = normalizeExport(bigExport(1 << 20, 1)).text;
    const times: number[] = [];
    let changes = 0;
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      changes = buildDiff(a, b, { from: 'a', to: 'b' }).changes;
      times.push(performance.now() - t0);
    }
    times.sort((x, y) => x - y);

    console.log(
      JSON.stringify({
        devices: N,
        config: EXPORT.split('/').at(-1),
        concurrency_setting: CONCURRENCY,
        first_backup: round1,
        unchanged_backup: round2,
        storage: {
          versions: storage2.versions,
          bytes_per_version: Math.round(storage1.bytes / Math.max(1, storage1.versions)),
          plain_bytes_per_version: { normalized_export: sizes.export, raw_export: sizes.raw, binary: sizes.binary },
          bytes_after_first: storage1.bytes,
          bytes_added_by_unchanged_round: storage2.bytes - storage1.bytes,
          captures_per_version: round((2 * N) / Math.max(1, storage2.versions), 2),
        },
        search_all_devices_ms: round(searchTimes[1]!),
        diff_1mb: { bytes: a.length, changes, median_ms: round(times[2]!), max_ms: round(times[4]!) },
      }),
    );
    await tod.close();
  } finally {
    sim?.kill('SIGTERM');
    await db.stop();
  }

  async function captureAll(
    pools: InProcessTod['pools'],
    services: InProcessTod['services'],
    tenantId: string,
    deviceIds: string[],
  ) {
    const jobIds: string[] = [];
    for (const id of deviceIds) {
      const j = await withTenant(pools.app, tenantId, (c) =>
        jobsRepo.enqueue(c, { id: uuidv7(), tenant_id: tenantId, device_id: id, trigger: 'manual' }),
      );
      jobIds.push(j.id);
    }
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    let peak = 0;
    const failed = await waitJobs(pools.system, jobIds, () => {
      peak = Math.max(peak, services.configBackups.runner.running);
    });
    const wall = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const errors = await pools.system.query(
      `select error_code, count(*)::int as n from config_jobs where id = any($1) and status = 'failed' group by 1`,
      [jobIds],
    );
    return {
      wall_s: round(wall, 2),
      per_second: round(deviceIds.length / wall, 1),
      tod_cpu_s: round((cpu.user + cpu.system) / 1e6, 2),
      tod_cpu_ms_per_device: round((cpu.user + cpu.system) / 1000 / deviceIds.length, 2),
      failed,
      errors: Object.fromEntries(errors.rows.map((r) => [r.error_code, r.n])),
      peak_running: peak,
    };
  }
}

await main();
