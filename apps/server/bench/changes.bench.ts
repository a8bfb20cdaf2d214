// Safe changes on one router at a time: time from the request to `confirmed` and the router round trips an
// operation costs, under RouterOS safe mode (7.18) and under the scheduler watchdog (6.49), for a one-line change
// and a typical five-command firewall change. The routers run in their own process (over the API and SSH: the
// pre-change backup is part of every operation). Last stdout line: one JSON object.
import type { ChildProcess } from 'node:child_process';
import pino from 'pino';
import type { ChangeInput } from '../src/features/changes/changes.schema.js';
import { inProcessTod } from './in-process.js';
import { freePort, startBenchPostgres, startSimProcess } from './lib.js';

const RUNS = Number(process.env.BENCH_CHANGE_RUNS ?? 10);
const log = pino({ level: 'warn' });
const say = (m: string) => process.stderr.write(`changes bench: ${m}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;
const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))] ?? 0;

const oneLine = (i: number): ChangeInput[] => [
  { path: '/system/identity', action: 'set' as const, properties: { name: `bench-${i}` } },
];
const firewall = (i: number): ChangeInput[] => [
  {
    path: '/ip/firewall/address-list',
    action: 'add' as const,
    properties: { list: 'bench', address: `198.51.100.${i}` },
  },
  {
    path: '/ip/firewall/filter',
    action: 'add' as const,
    properties: { chain: 'forward', action: 'drop', 'src-address-list': 'bench', comment: `bench ${i}` },
  },
  { path: '/ip/dns/static', action: 'add' as const, properties: { name: `b${i}.bench.test`, address: '192.0.2.1' } },
  { path: '/ip/dns', action: 'set' as const, properties: { 'cache-size': `${2048 + i}` } },
  { path: '/system/identity', action: 'set' as const, properties: { name: `fw-${i}` } },
];

async function main() {
  const db = await startBenchPostgres();
  const sims: ChildProcess[] = [];
  try {
    const tod = await inProcessTod(db.url, log, {}, 20);
    const { pools, services } = tod;
    const devices: Record<string, string> = {};
    for (const [name, version, subnet] of [
      ['safe_mode', '7.18.2', '127.4.0.0/24'],
      ['watchdog', '6.49.10', '127.4.1.0/24'],
    ] as const) {
      const started = await startSimProcess([
        ...['--devices', '1', '--subnet', subnet, '--version', version, '--tls', 'off', '--password', 'bench-pw'],
        ...['--api-port', String(await freePort()), '--ssh-port', String(await freePort())],
      ]);
      sims.push(started.child);
      const id = await tod.addDevice(started.devices[0]!, `bench-${name}`);
      devices[name] = id;
    }
    const actor = tod.actor('operator');
    const runner = services.changes.runner.start();
    const results: Record<string, unknown> = {};
    for (const [strategy, deviceId] of Object.entries(devices)) {
      for (const [shape, changes] of [
        ['one_line', oneLine],
        ['firewall_5_commands', firewall],
      ] as const) {
        say(`${strategy}, ${shape}: ${RUNS} operations`);
        const ms: number[] = [];
        const trips: number[] = [];
        for (let i = 0; i < RUNS; i++) {
          const t0 = performance.now();
          const { operation_id } = (await services.changes.submitChanges(actor, deviceId, {
            changes: changes(i),
            mode: 'safe',
            revert: 'auto',
            dry_run: false,
          })) as { operation_id: string };
          for (;;) {
            const op = await services.changes.operation(actor, operation_id);
            if (op.status === 'confirmed') {
              ms.push(performance.now() - t0);
              trips.push(op.round_trips);
              if (op.strategy !== strategy) throw new Error(`expected ${strategy}, got ${op.strategy}`);
              break;
            }
            if (op.status === 'failed' || op.status === 'reverted')
              throw new Error(`${op.status}: ${op.error?.message}`);
            await sleep(20);
          }
          // The post-change backup runs after `confirmed`; let it end before the next operation.
          for (let w = 0; w < 200; w++) {
            const op = await services.changes.operation(actor, operation_id);
            if (
              op.steps.length &&
              (await pools.system.query('select post_sha256 from change_operations where id = $1', [operation_id]))
                .rows[0].post_sha256
            )
              break;
            await sleep(25);
          }
        }
        results[`${strategy}.${shape}`] = {
          request_to_confirmed_ms: {
            median: round(pct(ms, 0.5)),
            p90: round(pct(ms, 0.9)),
            max: round(Math.max(...ms)),
          },
          router_round_trips: { median: pct(trips, 0.5), max: Math.max(...trips) },
        };
      }
    }
    await runner.stop();
    console.log(
      JSON.stringify({
        runs_per_case: RUNS,
        note: 'includes the pre-change backup (SSH export + binary backup)',
        ...results,
      }),
    );
    await tod.close();
  } finally {
    for (const s of sims) s.kill('SIGTERM');
    await db.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
