// A hostile router against a real `tod` (all roles, bundled, its own process): every command the router is sent gets
// an endless stream of 1 KB `!re` rows (up to 1 GB each, simulator fault `flood`). We measure TOD's resident memory
// (VmRSS from /proc) at rest, then its peak growth while a probe and then the poller face that flood, and how much the
// router managed to send before TOD closed each session. Goal (issue 10): growth under 20 MB. Last stdout line: JSON.

import { randomUUID } from 'node:crypto';
import { startFleet } from '@tod/simulator';
import pg from 'pg';
import { hashPassword } from '../src/platform/auth/passwords.js';
import { migrate } from '../src/platform/db/migrate.js';
import { enrolledToken, json, rssMb, startBenchPostgres, startTodProcess } from './lib.js';

const GB = 1024 ** 3;
const APP_PW = 'bench-app-password-0123456789';
const SYS_PW = 'bench-system-password-0123456789';
const PROBES = Number(process.env.BENCH_PROBES ?? 5);
const POLL_SECONDS = Number(process.env.BENCH_POLL_SECONDS ?? 40);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const say = (m: string) => console.error(`hostile: ${m}`);

/** Samples a process's RSS every 20 ms while `work` runs; the peak. */
async function peakRss(pid: number, work: () => Promise<unknown>) {
  let peak = rssMb(pid);
  const timer = setInterval(() => {
    peak = Math.max(peak, rssMb(pid));
  }, 20);
  try {
    await work();
  } finally {
    clearInterval(timer);
  }
  return Math.max(peak, rssMb(pid));
}

async function main() {
  const db = await startBenchPostgres();
  const fleet = await startFleet({
    specs: [{ identity: 'flood-probe' }, { identity: 'flood-poll' }],
    port: 0,
    host: '127.0.0.1',
  });
  let tod: Awaited<ReturnType<typeof startTodProcess>> | undefined;
  try {
    await migrate({ ownerUrl: db.url, appPassword: APP_PW, systemPassword: SYS_PW });
    const c = new pg.Client({ connectionString: db.url });
    await c.connect();
    await c.query(
      `insert into users (tenant_id, email, name, role, password_hash) values (null, 'bench@tod.test', 'Bench', 'super_admin', $1)`,
      [await hashPassword('bench-password-123')],
    );
    await c.end();
    tod = await startTodProcess(
      {
        DATABASE_URL: db.url,
        DB_APP_PASSWORD: APP_PW,
        DB_SYSTEM_PASSWORD: SYS_PW,
        AUTH_RATE_LIMIT_PER_MINUTE: '1000',
        POLL_INTERVAL_SECONDS: '10',
        LOG_LEVEL: 'warn',
      },
      ['start'],
    );
    const pid = tod.child.pid!;
    const auth = { authorization: `Bearer ${await enrolledToken(tod.base, 'bench@tod.test', 'bench-password-123')}` };
    const tenant = (
      await json(tod.base, '/api/tenants', { method: 'POST', headers: auth, body: JSON.stringify({ name: 'Hostile' }) })
    ).id as string;
    const [probeDev, pollDev] = fleet.devices;
    fleet.setFault({ flood: true, floodBytes: GB });
    await sleep(3000);
    const rest = await peakRss(pid, () => sleep(3000));
    say(`at rest: ${rest.toFixed(1)} MB`);

    const codes: string[] = [];
    const probePeak = await peakRss(pid, async () => {
      for (let i = 0; i < PROBES; i++) {
        const r = await json(tod!.base, `/api/tenants/${tenant}/devices/probe`, {
          method: 'POST',
          headers: auth,
          body: JSON.stringify({
            host: probeDev!.address,
            port: probeDev!.port,
            tls_port: 1,
            tls_mode: 'plain',
            username: probeDev!.username,
            password: probeDev!.password,
          }),
        });
        codes.push(r.code);
      }
    });
    say(`probes: ${codes.join(',')}, peak ${probePeak.toFixed(1)} MB`);

    let status = '';
    const pollPeak = await peakRss(pid, async () => {
      const d = await json(tod!.base, `/api/tenants/${tenant}/devices?probe=false`, {
        method: 'POST',
        headers: auth,
        body: JSON.stringify({
          name: `flood-${randomUUID().slice(0, 6)}`,
          host: pollDev!.address,
          port: pollDev!.port,
          tls_port: 1,
          tls_mode: 'plain',
          username: pollDev!.username,
          password: pollDev!.password,
        }),
      });
      await sleep(POLL_SECONDS * 1000);
      const now = await json(tod!.base, `/api/tenants/${tenant}/devices/${d.id}`, { headers: auth });
      status = `${now.status}/${now.status_reason}`;
    });
    say(`poll: ${status}, peak ${pollPeak.toFixed(1)} MB`);
    console.log(
      JSON.stringify({
        bench: 'hostile',
        offered_per_command_bytes: GB,
        rss_at_rest_mb: +rest.toFixed(1),
        probe: { probes: PROBES, codes, rss_growth_peak_mb: +(probePeak - rest).toFixed(1) },
        poll: { seconds: POLL_SECONDS, status, rss_growth_peak_mb: +(pollPeak - rest).toFixed(1) },
        goal_mb: 20,
      }),
    );
  } finally {
    await tod?.stop();
    await fleet.stop();
    await db.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`)
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
