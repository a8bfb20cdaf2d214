import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { withSystem } from '../../src/platform/db/tx.js';
import { type Receiver, startReceiver } from '../alerts/receiver.js';
import { freePort } from '../global-setup.js';
import { contextEnv } from '../helpers/cli.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { hasBinary } from '../helpers/external.js';
import { type Seed, seed } from '../helpers/seed.js';
import {
  type ApiTap,
  addTappedDevices,
  alive,
  apiTap,
  call,
  longestGap,
  NatsServer,
  type Proc,
  pairPolls,
  type SshTap,
  sleep,
  sshTap,
  startSim,
  startTod,
  stopProc,
  waitSaid,
} from './large-shape.fixture.js';

// Issue 18, the large shape on one machine: 2 api, 3 poller and 2 worker processes of `tod`, a real nats-server
// (JetStream) and PostgreSQL, 30 routers in 3 `tod-sim` processes (RouterOS 7 and 6). A poller, then a worker, then
// the NATS server are SIGKILLed in turn while the fleet is polled every 5 s, alert rules fire and backups are
// requested through both api processes. A new poller and a new worker take the dead ones' places, as an orchestrator
// would start them; NATS comes back on the same port and store. Afterwards, from the database, the simulators
// (through a tap in front of each router) and a webhook receiver:
//  - no device went more than two intervals without a poll;
//  - every poll a router answered reached the database (except what the SIGKILLed poller held in memory), within an
//    interval unless a killed process held it (results fetched by the killed worker wait for JetStream's ack wait);
//  - no alert fired twice, and each fire was notified once (a repeat only as a retry the outbox recorded);
//  - no backup job ran twice: each attempt recorded is one SSH session on the router, and nothing ran unrecorded.

const INTERVAL_MS = 5000;
/**
 * A poll result's time is its start; the router answers `/system/resource/print` at most a connect and a command
 * timeout later (2 s + 4 s below).
 */
const MAX_LEAD_MS = 6000;
/** Polls start at their slot; a claim tick (≤ 250 ms) and a busy machine delay the start a little. */
const START_JITTER_MS = 1000;
/**
 * A SIGKILLed poller loses what it held: results waiting for the 250 ms flush and the poll in progress. A SIGKILLed
 * worker had fetched batches published up to that long before it died: they come back after the ack wait (60 s).
 */
const KILL_WINDOW_MS = 3000;

let dir: string;
let ctx: TestContext;
let s: Seed;
let nats: NatsServer;
let receiver: Receiver;
const sims: Proc[] = [];
const apis: Array<Proc & { base: string }> = [];
const pollers: Proc[] = [];
const workers: Proc[] = [];
type Dev = { id: string; tenant: string; api: ApiTap; ssh: SshTap };
const devices: Dev[] = [];
const taps: Array<{ close: () => Promise<void> }> = [];
const rules: Array<{ tenant: string; id: string }> = [];
const channels = new Map<string, string>();
let env: () => Record<string, string>;
/** The processes' logs (and the JetStream store) stay for a run that failed. */
let keepLogs = true;

// What the run records for the assertions.
const at = { start: 0, end: 0, pollerKilled: 0, workerKilled: 0, natsKilled: 0, natsBack: 0 };
const backupRequests: Array<{ device: string; status: number; job: string | null }> = [];
/** Polls answered an interval or more before the end but not stored by then (and not held by a killed process). */
const lateAtEnd: Array<{ device: string; answered: number }> = [];

const all = () => [...apis, ...pollers, ...workers];
const tokenOf = (tenant: string) => (tenant === s.a.id ? s.a : s.b).users.admin.token;
const q = async <T>(sql: string, params: unknown[] = []) => (await ctx.pools.system.query(sql, params)).rows as T[];

async function waitUntil(what: string, check: () => Promise<unknown>, ms: number) {
  const until = Date.now() + ms;
  let last: unknown;
  while (Date.now() < until) {
    last = await check();
    if (last) return;
    await sleep(250);
  }
  throw new Error(`timed out waiting for ${what} (last: ${JSON.stringify(last)}); logs in ${dir}`);
}

/** Starts another process of the role and waits until it runs. */
async function replace(list: Proc[], role: 'poller' | 'worker') {
  const p = startTod(`${role}-${list.length + 1}`, role, env(), dir);
  list.push(p);
  await waitSaid(p, 'TOD started', 60_000);
}

/** The same always-true condition in both organisations: one alert per device, firing from the next poll on. */
async function createRules(label: string, api: { base: string }) {
  for (const tenant of [s.a.id, s.b.id]) {
    const r = await call(api.base, tokenOf(tenant), 'POST', `/api/tenants/${tenant}/alert-rules`, {
      name: `CPU reported (${label})`,
      metric: 'cpu_load',
      operator: '>=',
      threshold: 0,
      severity: 'warning',
      channel_ids: [channels.get(tenant)],
    });
    expect(r.status, JSON.stringify(r.json)).toBe(201);
    rules.push({ tenant, id: r.json.id as string });
  }
}

describe.skipIf(!hasBinary('nats-server'))('the large shape on one machine', () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tod-large-shape-'));
    ctx = await createTestContext();
    s = await seed(ctx);
    // Only the rules this test makes: the defaults (CPU above a threshold) would come and go with simulated load.
    await withSystem(ctx.pools.system, (db) => db.query('delete from alert_rules'));
    receiver = await startReceiver();
    nats = new NatsServer(await freePort(), join(dir, 'jetstream'), dir);
    await nats.start();

    const base = ['--devices', '10', '--tls', 'off', '--password', 'pw', '--winbox-port', 'off'];
    const started = await Promise.all([
      startSim('sim-1', [...base, '--version', '7.16'], dir),
      startSim('sim-2', [...base, '--version', '6.49.10'], dir),
      startSim('sim-3', [...base, '--version', '7.16'], dir),
    ]);
    sims.push(...started);
    // Organisation A: a RouterOS 7 and a RouterOS 6 simulator; organisation B: the third.
    for (const [n, sim] of started.entries()) {
      const tenant = n < 2 ? s.a.id : s.b.id;
      const tapped = [];
      for (const d of sim.devices) {
        const api = await apiTap(d.port);
        const ssh = await sshTap(d.sshPort);
        taps.push(api, ssh);
        tapped.push({ api, ssh, d });
      }
      const ids = await addTappedDevices(
        ctx,
        tenant,
        tapped.map(({ api, ssh, d }) => ({
          name: `${sim.name}-${d.index}`,
          apiPort: api.port,
          sshPort: ssh.port,
          username: d.username,
          password: d.password,
        })),
      );
      for (const [i, id] of ids.entries()) devices.push({ id, tenant, api: tapped[i]!.api, ssh: tapped[i]!.ssh });
    }

    // Every process: the test's database and keys (contextEnv), its own data directory, the same NATS.
    env = () => ({
      ...contextEnv(ctx),
      NATS_URL: nats.url,
      POLL_INTERVAL_SECONDS: String(INTERVAL_MS / 1000),
      CONNECTION_TIMEOUT_SECONDS: '2',
      COMMAND_TIMEOUT_SECONDS: '4',
      METRICS_PORT: '0',
      DB_POOL_SIZE: '10',
      DB_MAX_OVERFLOW: '10',
      DB_ADMIN_POOL_SIZE: '10',
      DB_ADMIN_MAX_OVERFLOW: '10',
      // "Back up now" answers 202 at once; the job is the worker's.
      BACKUP_REQUEST_WAIT_SECONDS: '0',
      BACKUP_DEVICE_TIMEOUT_SECONDS: '10',
      BACKUP_RETRY_BASE_SECONDS: '1',
      NOTIFY_RETRY_BASE_SECONDS: '1',
      NOTIFY_TIMEOUT_SECONDS: '2',
    });
    for (const n of [1, 2]) {
      const port = await freePort();
      const p = startTod(`api-${n}`, 'api', { ...env(), PORT: String(port), HOST: '127.0.0.1' }, dir);
      apis.push({ ...p, base: `http://127.0.0.1:${port}` });
    }
    for (const n of [1, 2, 3]) pollers.push(startTod(`poller-${n}`, 'poller', env(), dir));
    for (const n of [1, 2]) workers.push(startTod(`worker-${n}`, 'worker', env(), dir));
    await Promise.all(all().map((p) => waitSaid(p, 'TOD started', 120_000)));
    keepLogs = false;
  }, 240_000);
  beforeEach(({ onTestFailed }) =>
    onTestFailed(() => {
      keepLogs = true;
    }),
  );

  afterAll(async () => {
    await Promise.all([...all(), ...sims].map((p) => stopProc(p, 'SIGKILL')));
    await nats?.kill();
    for (const t of taps) await t.close();
    await receiver?.close();
    await ctx?.close();
    if (keepLogs) console.error(`logs of the processes: ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  });

  it('keeps polling, ingesting, alerting and backing up while a poller, a worker and NATS are killed', async () => {
    // The three pollers share the fleet.
    await waitUntil(
      'three pollers owning devices',
      async () => {
        const o = await q<{ pid: number; n: number }>(
          `select p.pid, count(*)::int as n from device_poll_schedule s join pollers p on p.id = s.claimed_by group by 1`,
        );
        return o.length === 3 && o.reduce((sum, x) => sum + x.n, 0) === devices.length;
      },
      60_000,
    );
    for (const tenant of [s.a.id, s.b.id]) {
      const r = await call(apis[0]!.base, tokenOf(tenant), 'POST', `/api/tenants/${tenant}/notification-channels`, {
        name: 'ops hook',
        kind: 'webhook',
        config: { url: receiver.url() },
        severities: ['info', 'warning', 'critical'],
        template: null,
        enabled: true,
      });
      expect(r.status, JSON.stringify(r.json)).toBe(201);
      channels.set(tenant, r.json.id as string);
    }
    await createRules('from the start', apis[1]!);
    await waitUntil(
      'every device polled, online and alerting',
      async () => {
        const [r] = await q<{ polled: number; up: number; alerts: number }>(
          `select (select count(distinct device_id)::int from metrics_health) as polled,
                  (select count(*)::int from devices where status in ('online', 'degraded')) as up,
                  (select count(*)::int from alert_events) as alerts`,
        );
        return r!.polled === devices.length && r!.up === devices.length && r!.alerts === devices.length && r;
      },
      60_000,
    );
    at.start = Date.now();

    // "Back up now" every 2.5 s, a different router each time, through the two api processes in turn.
    let requesting = true;
    const requester = (async () => {
      for (let k = 0; requesting; k++) {
        const d = devices[(k * 7) % devices.length]!;
        const api = apis[k % 2]!;
        if (alive(api)) {
          const r = await call(
            api.base,
            tokenOf(d.tenant),
            'POST',
            `/api/tenants/${d.tenant}/devices/${d.id}/config/backups`,
          ).catch((err: Error) => ({ status: 0, json: { detail: err.message } as Record<string, unknown> }));
          const job = (r.json.job as { id?: string } | undefined)?.id ?? null;
          backupRequests.push({ device: d.id, status: r.status, job });
        }
        await sleep(2500);
      }
    })();

    await sleep(2 * INTERVAL_MS);
    // Each kill comes a second after a new rule, so alerts open while the process dies.
    await createRules('before the poller dies', apis[0]!);
    await sleep(1000);
    const victim = pollers[0]!;
    const [owned] = await q<{ n: number }>(
      `select count(*)::int as n from device_poll_schedule s join pollers p on p.id = s.claimed_by where p.pid = $1`,
      [victim.child.pid],
    );
    expect(owned!.n).toBeGreaterThan(0);
    at.pollerKilled = Date.now();
    await stopProc(victim, 'SIGKILL');
    await sleep(3 * INTERVAL_MS);
    // As an orchestrator would, a new process takes the dead one's place (the fleet is shared out again).
    await replace(pollers, 'poller');

    await createRules('before the worker dies', apis[1]!);
    await sleep(1000);
    at.workerKilled = Date.now();
    await stopProc(workers[0]!, 'SIGKILL');
    await sleep(3 * INTERVAL_MS);
    // Two workers again for the NATS outage: the backlog it leaves is ingested by both at once.
    await replace(workers, 'worker');

    await createRules('before NATS dies', apis[0]!);
    await sleep(1000);
    at.natsKilled = Date.now();
    await nats.kill('SIGKILL');
    await sleep(2 * INTERVAL_MS);
    await nats.start();
    at.natsBack = Date.now();
    await sleep(3 * INTERVAL_MS);
    at.end = Date.now();
    requesting = false;
    await requester;
    // Before the pollers stop (and flush): a result is stored within an interval of its poll, also one held while NATS
    // was down (the end is three intervals after its return), unless the killed worker had fetched it.
    lateAtEnd.push(
      ...(await pollAccounting()).lost.filter(
        (l) =>
          l.answered <= at.end - INTERVAL_MS &&
          !(l.answered >= at.workerKilled - KILL_WINDOW_MS && l.answered <= at.workerKilled),
      ),
    );

    // The surviving pollers stop cleanly (they publish what they hold), then ingest catches up: a batch fetched but not
    // acknowledged (the killed worker's) comes back once JetStream's ack wait (60 s) has passed.
    await Promise.all(pollers.map((p) => stopProc(p)));
    await waitUntil(
      'ingest, notifications and backup jobs to finish',
      async () => {
        const lost = (await pollAccounting()).lost.length;
        const [r] = await q<{ deliveries: number; jobs: number }>(
          `select (select count(*)::int from notification_deliveries where state <> 'sent') as deliveries,
                  (select count(*)::int from config_jobs
                    where status = 'running' or (status = 'queued' and run_after <= now())) as jobs`,
        );
        return lost === 0 && r!.deliveries === 0 && r!.jobs === 0;
      },
      Math.max(20_000, at.end + 75_000 - Date.now()),
    ).catch((err) => console.error((err as Error).message));
    await Promise.all([...workers, ...apis].map((p) => stopProc(p)));
    // Every process that was not killed on purpose ran to the end.
    for (const p of all().filter((x) => x !== pollers[0] && x !== workers[0]))
      expect(p.child.exitCode, `${p.name}; see ${p.logFile}`).toBe(0);
  }, 420_000);

  /** Per device: the polls its router answered (the tap) against the results stored (metrics_health). */
  async function pollAccounting() {
    const rows = await q<{ device_id: string; time: Date }>('select device_id, time from metrics_health');
    const results = new Map<string, number[]>();
    for (const r of rows) {
      const list = results.get(r.device_id);
      if (list) list.push(r.time.getTime());
      else results.set(r.device_id, [r.time.getTime()]);
    }
    const lost: Array<{ device: string; answered: number }> = [];
    const excused: string[] = [];
    const unexplained: string[] = [];
    for (const d of devices) {
      const polls = d.api.connections.filter((c) => c.polls);
      const paired = pairPolls(
        polls.flatMap((c) => c.answers),
        results.get(d.id) ?? [],
        MAX_LEAD_MS,
      );
      for (const a of paired.lost) {
        // Held by the SIGKILLed poller: answered just before the kill on a session that the kill closed.
        const held = polls.some(
          (c) =>
            c.answers.includes(a) &&
            a >= at.pollerKilled - KILL_WINDOW_MS &&
            a <= at.pollerKilled &&
            c.closed !== null &&
            c.closed >= at.pollerKilled &&
            c.closed <= at.pollerKilled + 2000,
        );
        if (held) excused.push(`${d.id} answered at ${new Date(a).toISOString()}`);
        else lost.push({ device: d.id, answered: a });
      }
      for (const t of paired.unexplained) unexplained.push(`${d.id} result at ${new Date(t).toISOString()}`);
    }
    return { lost, excused, unexplained };
  }

  // The routers stay up, so every poll attempt should succeed: a poll counts here by its stored health sample (an
  // attempt that failed would show as a gap, which is stricter than "an attempt was made").
  it('polled every device at least every two intervals', async () => {
    expect(at.end).toBeGreaterThan(0);
    const rows = await q<{ device_id: string; time: Date }>(
      'select device_id, time from metrics_health where time between $1 and $2',
      [new Date(at.start), new Date(at.end)],
    );
    const late: string[] = [];
    let worst = 0;
    for (const d of devices) {
      const times = rows.filter((r) => r.device_id === d.id).map((r) => r.time.getTime());
      const gap = longestGap(times, at.start, at.end);
      worst = Math.max(worst, gap.ms);
      if (gap.ms > 2 * INTERVAL_MS + START_JITTER_MS)
        late.push(`${d.id}: ${gap.ms} ms without a poll, until ${new Date(gap.endsAt).toISOString()}`);
    }
    console.info(`longest time without a poll: ${worst} ms (interval ${INTERVAL_MS} ms); kills at`, at);
    expect(late).toEqual([]);
  });

  it('stored every poll a router answered', async () => {
    expect(at.end).toBeGreaterThan(0);
    const { lost, excused, unexplained } = await pollAccounting();
    const answered = devices.reduce(
      (n, d) => n + d.api.connections.filter((c) => c.polls).reduce((m, c) => m + c.answers.length, 0),
      0,
    );
    console.info(`${answered} polls answered; ${excused.length} held by the killed poller:`, excused);
    expect(answered).toBeGreaterThan(devices.length * 10);
    expect(devices.reduce((n, d) => n + d.api.parseErrors(), 0)).toBe(0);
    const show = (l: { device: string; answered: number }) =>
      `${l.device} answered at ${new Date(l.answered).toISOString()}`;
    expect(lost.map(show)).toEqual([]);
    // In time: none waited for the ack wait (or longer) unless the worker that fetched it died.
    expect(lateAtEnd.map(show)).toEqual([]);
    // Every stored result matches a poll the router answered: the tap saw everything.
    expect(unexplained).toEqual([]);
  });

  it('fired each alert once and notified it once', async () => {
    expect(at.end).toBeGreaterThan(0);
    const events = await q<{ id: string; rule_id: string; device_id: string; state: string }>(
      'select id, rule_id, device_id, state from alert_events',
    );
    const problems: string[] = [];
    for (const rule of rules)
      for (const d of devices.filter((x) => x.tenant === rule.tenant)) {
        const mine = events.filter((e) => e.rule_id === rule.id && e.device_id === d.id);
        if (mine.length !== 1 || mine[0]!.state !== 'firing')
          problems.push(`rule ${rule.id} device ${d.id}: ${JSON.stringify(mine)}`);
      }
    expect(problems).toEqual([]);
    // And no alert of anything else.
    expect(events.length).toBe(rules.reduce((n, r) => n + devices.filter((d) => d.tenant === r.tenant).length, 0));

    const deliveries = await q<{ id: string; alert_id: string; transition: string; state: string; attempts: number }>(
      'select id, alert_id, transition, state, attempts from notification_deliveries',
    );
    for (const e of events) {
      const mine = deliveries.filter((x) => x.alert_id === e.id);
      const heard = receiver.requests.filter((r) => r.json.alert_id === e.id);
      const ids = new Set(heard.map((r) => r.headers['x-tod-delivery']));
      if (mine.length !== 1 || mine[0]!.transition !== 'firing' || mine[0]!.state !== 'sent')
        problems.push(`alert ${e.id} deliveries: ${JSON.stringify(mine)}`);
      else if (ids.size !== 1 || !ids.has(mine[0]!.id) || heard.some((r) => r.json.event !== 'alert.firing'))
        problems.push(
          `alert ${e.id} heard as ${JSON.stringify(heard.map((r) => [r.headers['x-tod-delivery'], r.json.event]))}`,
        );
      // Sent again only by a retry the outbox counted (a sender that died before recording "sent").
      else if (heard.length > mine[0]!.attempts)
        problems.push(`alert ${e.id} heard ${heard.length} times in ${mine[0]!.attempts} attempt(s)`);
    }
    const retried = deliveries.filter((x) => x.attempts > 1).length;
    console.info(`${events.length} alerts of ${rules.length} rules; ${retried} notification(s) needed a retry`);
    expect(problems).toEqual([]);
  });

  it('ran each backup job once', async () => {
    expect(at.end).toBeGreaterThan(0);
    expect(backupRequests.filter((r) => r.status !== 202 && r.status !== 200)).toEqual([]);
    expect(backupRequests.length).toBeGreaterThan(20);
    const jobs = await q<{
      id: string;
      device_id: string;
      trigger: string;
      status: string;
      attempts: number;
      started_at: Date | null;
      finished_at: Date | null;
      error_code: string | null;
    }>('select id, device_id, trigger, status, attempts, started_at, finished_at, error_code from config_jobs');
    const problems: string[] = [];
    for (const r of backupRequests) {
      const j = jobs.find((x) => x.id === r.job);
      if (j?.status !== 'succeeded') problems.push(`requested job ${r.job}: ${JSON.stringify(j)}`);
    }
    // Attempts that ended in a failure and were retried, from the jobs' own events (config.job_updated).
    const failures = await q<{ job: string; n: number }>(
      `select payload->>'job_id' as job, count(*)::int as n from domain_events
        where type = 'config.job_updated' and payload->>'status' in ('queued', 'failed')
          and payload->>'error_code' is not null group by 1`,
    );
    const failed = (j: { id: string }) => failures.find((f) => f.job === j.id)?.n ?? 0;
    // A job the killed worker was running is claimed again when its lease ends: a second attempt, by design.
    const interrupted = (j: (typeof jobs)[number]) =>
      j.started_at !== null &&
      j.started_at.getTime() <= at.workerKilled &&
      (j.finished_at === null || j.finished_at.getTime() >= at.workerKilled);
    for (const d of devices) {
      const mine = jobs.filter((j) => j.device_id === d.id);
      const attempts = mine.reduce((n, j) => n + j.attempts, 0);
      const sessions = d.ssh.opened.length;
      for (const j of mine)
        if (j.attempts > 1 + failed(j) + (interrupted(j) ? 1 : 0))
          problems.push(`job ${j.id} ran ${j.attempts} times (${failed(j)} failed): ${JSON.stringify(j)}`);
      // Each attempt opens one SSH session; one that failed or was interrupted may have opened none (its device was
      // still leased by the attempt before).
      const exact = !mine.some((j) => interrupted(j) || failed(j) > 0);
      if (sessions > attempts || (exact && sessions !== attempts))
        problems.push(`device ${d.id}: ${sessions} SSH sessions for ${attempts} attempt(s) of ${mine.length} job(s)`);
    }
    console.info(
      `${backupRequests.length} backups requested; ${jobs.length} jobs, ${jobs.reduce((n, j) => n + j.attempts, 0)} attempts,`,
      `${devices.reduce((n, d) => n + d.ssh.opened.length, 0)} SSH sessions; interrupted by the kill:`,
      jobs.filter(interrupted).map((j) => j.id),
    );
    expect(problems).toEqual([]);
  });
});
