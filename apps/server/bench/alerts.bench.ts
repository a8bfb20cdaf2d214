// Alert evaluation at 10,000 devices with 50 rules: (1) the cost of evaluating one poll result, measured on the
// batches ingest writes (500 results, 4 interfaces each, ~5 % breaching); (2) the latency from a breaching poll
// result entering the bus to the webhook request reaching a receiver on loopback, while the other 9,999 devices
// report once a minute through the same ingest. Last stdout line: one JSON object.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { Registry } from 'prom-client';
import { writeResults } from '../src/features/ingest/ingest.batch.js';
import { startIngest } from '../src/features/ingest/ingest.js';
import type { PollResult } from '../src/features/poller/types.js';
import { createMemoryBus } from '../src/platform/bus/memory.js';
import { ensurePartitions, seriesTables } from '../src/platform/timeseries/partitions.js';
import { pollResult } from '../test/helpers/poll-result.js';
import { inProcessTod } from './in-process.js';
import { startBenchPostgres } from './lib.js';

const DEVICES = Number(process.env.BENCH_ALERT_DEVICES ?? 10_000);
const BATCH = 500;
const log = pino({ level: 'warn' });
const say = (m: string) => process.stderr.write(`alerts bench: ${m}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;
const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))] ?? 0;

const iface = (name: string, bps: number) => ({
  name,
  type: 'ether',
  macAddress: null,
  running: true,
  disabled: false,
  rxBytes: '1',
  txBytes: '1',
  rxPackets: '1',
  txPackets: '1',
  rxBps: bps,
  txBps: bps / 2,
  rxPps: 10,
  txPps: 10,
});
const interfaces = [iface('ether1', 5e6), iface('ether2', 1e6), iface('ether3', 0), iface('wlan1', 2e5)];
const result = (tenantId: string, deviceId: string, at: number, cpu: number): PollResult =>
  pollResult(tenantId, deviceId, { at, cpu, interfaces });

async function main() {
  const db = await startBenchPostgres();
  try {
    const tod = await inProcessTod(db.url, log, { NOTIFY_RETRY_BASE_SECONDS: '1' }, 20);
    const { pools, services, tenant } = tod;
    await ensurePartitions(pools.owner!, seriesTables({ raw: 2, fiveMinute: 8, hourly: 90 }));
    say(`${DEVICES} devices`);
    const ids = await tod.addBareDevices(DEVICES);
    // 50 rules: the 9 enabled defaults, 21 more organisation-wide, 10 on groups of 1,000 devices, 10 on single devices.
    const groups: string[] = [];
    for (let g = 0; g < 10; g++) {
      const gid = (
        await pools.system.query<{ id: string }>(
          `insert into device_groups (tenant_id, name) values ($1, $2) returning id`,
          [tenant, `g${g}`],
        )
      ).rows[0]!.id;
      groups.push(gid);
      await pools.system.query(
        `insert into device_group_members (tenant_id, group_id, device_id) select $1, $2, unnest($3::uuid[])`,
        [tenant, gid, ids.slice(g * (DEVICES / 10), (g + 1) * (DEVICES / 10))],
      );
    }
    const add = (
      name: string,
      metric: string,
      op: string,
      threshold: number,
      kind = 'organisation',
      id: string | null = null,
    ) =>
      pools.system.query(
        `insert into alert_rules (tenant_id, name, metric, operator, threshold, duration_polls, clear_polls, severity, scope_kind, scope_id, link_speed_bps)
         values ($1, $2, $3, $4, $5, 2, 2, 'warning', $6, $7, 1000000000)`,
        [tenant, name, metric, op, threshold, kind, id],
      );
    const orgMetrics = ['interface_rx_bps', 'interface_tx_bps', 'link_down', 'voltage', 'memory_used_pct'];
    for (let i = 0; i < 21; i++) await add(`org ${i}`, orgMetrics[i % orgMetrics.length]!, '>', 1e9 + i);
    for (let i = 0; i < 10; i++) await add(`group ${i}`, 'cpu_load', '>', 85, 'group', groups[i]!);
    for (let i = 0; i < 10; i++) await add(`device ${i}`, 'temperature', '>', 70, 'device', ids[i]!);
    const rules = (await pools.system.query<{ n: number }>('select count(*)::int as n from alert_rules where enabled'))
      .rows[0]!.n;

    // (1) Evaluation cost: the same batches written with and without the evaluator.
    const evaluator = services.alerts.evaluator;
    let at = Date.now() - 3_600_000;
    const round1 = async (withEval: boolean) => {
      at += 60_000;
      const times: number[] = [];
      let cpu = 0;
      for (let i = 0; i < ids.length; i += BATCH) {
        const batch = ids.slice(i, i + BATCH).map((d, k) => result(tenant, d, at, (i + k) % 20 === 0 ? 95 : 20));
        const c0 = process.cpuUsage();
        const t0 = performance.now();
        await writeResults(pools.system, batch, withEval ? [evaluator] : []);
        times.push(performance.now() - t0);
        const c = process.cpuUsage(c0);
        cpu += (c.user + c.system) / 1000;
      }
      return { ms: times.reduce((a, b) => a + b, 0), cpu, times };
    };
    say('warming up');
    await round1(true);
    await round1(false);
    const withEval: number[] = [];
    const without: number[] = [];
    const cpuWith: number[] = [];
    const cpuWithout: number[] = [];
    const batchTimes: number[] = [];
    for (let r = 0; r < 4; r++) {
      const a = await round1(true);
      const b = await round1(false);
      withEval.push(a.ms);
      without.push(b.ms);
      cpuWith.push(a.cpu);
      cpuWithout.push(b.cpu);
      batchTimes.push(...a.times);
      say(`round ${r}: ${round(a.ms)} ms with evaluation, ${round(b.ms)} ms without (${DEVICES} results)`);
    }
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const perResultUs = ((mean(withEval) - mean(without)) / DEVICES) * 1000;
    const cpuPerResultUs = ((mean(cpuWith) - mean(cpuWithout)) / DEVICES) * 1000;
    const states = (await pools.system.query<{ n: number }>('select count(*)::int as n from alert_states')).rows[0]!.n;

    // (2) Latency from a breaching result on the bus to the webhook request.
    const arrivals = new Map<string, number>();
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        const device = (JSON.parse(body) as { device: { id: string } }).device.id;
        if (!arrivals.has(device)) arrivals.set(device, performance.now());
        res.end('ok');
      });
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    const actor = tod.actor('admin');
    const ch = await services.alerts.channels.create(actor, {
      name: 'bench',
      kind: 'webhook',
      config: { url },
      severities: ['critical'],
      template: null,
      enabled: true,
    });
    const probeIds = ids.slice(DEVICES - 40);
    for (const d of probeIds)
      await pools.system.query(
        `insert into alert_rules (tenant_id, name, metric, operator, threshold, duration_polls, severity, scope_kind, scope_id, channel_ids)
         values ($1, 'latency probe', 'cpu_load', '>', 90, 1, 'critical', 'device', $2, $3)`,
        [tenant, d, [ch.id]],
      );
    const bus = createMemoryBus({ log });
    const ingest = await startIngest({
      system: pools.system,
      bus,
      log,
      registry: new Registry(),
      consumers: [evaluator],
      afterCommit: () => services.alerts.delivery.kick(),
    });
    const sender = services.alerts.delivery.start(500);
    // Background: every device once a minute, in poller-sized batches of 100 every 600 ms.
    let stop = false;
    const background = (async () => {
      let i = 0;
      while (!stop) {
        const batch = ids
          .slice(i, i + 100)
          .filter((d) => !probeIds.includes(d))
          .map((d) => result(tenant, d, Date.now(), 20));
        i = (i + 100) % DEVICES;
        await bus.publishResults(batch);
        await sleep(600);
      }
    })();
    const latencies: number[] = [];
    for (const d of probeIds.slice(0, 30)) {
      const sent = performance.now();
      await bus.publishResults([result(tenant, d, Date.now(), 99)]);
      const until = sent + 20_000;
      while (!arrivals.has(d) && performance.now() < until) await sleep(2);
      if (arrivals.has(d)) latencies.push(arrivals.get(d)! - sent);
      await sleep(300 + Math.random() * 700);
    }
    stop = true;
    await background;
    await sender.stop();
    await ingest.stop();
    server.close();

    const out = {
      devices: DEVICES,
      rules,
      batch_size: BATCH,
      alert_states_rows: states,
      evaluation: {
        per_result_us: round(perResultUs),
        cpu_per_result_us: round(cpuPerResultUs),
        batch_with_evaluation_ms_p50: round(pct(batchTimes, 0.5)),
        batch_with_evaluation_ms_p99: round(pct(batchTimes, 0.99)),
        write_10k_results_ms_with: round(mean(withEval)),
        write_10k_results_ms_without: round(mean(without)),
      },
      breach_to_webhook_ms: {
        samples: latencies.length,
        p50: round(pct(latencies, 0.5)),
        p95: round(pct(latencies, 0.95)),
        max: round(Math.max(...latencies)),
      },
    };
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
