// Topology at 10,000 devices: (1) what ingest's topology step costs per batch of 500 results carrying neighbour
// tables (a tree of routers, each seeing its parent and children, plus an unmanaged switch on every 20th), and
// (2) the graph answer: service time, JSON serialisation, payload size raw and gzipped, and "upstream of" a leaf.
// Last stdout line: one JSON object.
import { gzipSync } from 'node:zlib';
import pino from 'pino';
import { writeResults } from '../src/features/ingest/ingest.batch.js';
import type { PollResult } from '../src/features/poller/types.js';
import { ensurePartitions, seriesTables } from '../src/platform/timeseries/partitions.js';
import { interfaceSample, pollResult } from '../test/helpers/poll-result.js';
import { inProcessTod } from './in-process.js';
import { startBenchPostgres } from './lib.js';

const DEVICES = Number(process.env.BENCH_TOPOLOGY_DEVICES ?? 10_000);
const FANOUT = 4;
const BATCH = 500;
const log = pino({ level: 'warn' });
const say = (m: string) => process.stderr.write(`topology bench: ${m}\n`);
const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

const hex = (n: number) => n.toString(16).padStart(6, '0').toUpperCase();
/** Port p of device i: a MAC of its own. */
const mac = (i: number, p: number) => {
  const h = hex(i);
  return `4C:5E:${p.toString(16).padStart(2, '0').toUpperCase()}:${h.slice(0, 2)}:${h.slice(2, 4)}:${h.slice(4, 6)}`;
};

function resultOf(tenant: string, ids: string[], i: number, at: number): PollResult {
  const parent = i === 0 ? -1 : Math.floor((i - 1) / FANOUT);
  const children = Array.from({ length: FANOUT }, (_, k) => i * FANOUT + 1 + k).filter((c) => c < ids.length);
  // ether1 faces the parent; ether2.. the children.
  const neighbors = [
    ...(parent >= 0
      ? [
          {
            interface: 'ether1',
            'mac-address': mac(parent, 2 + ((i - 1) % FANOUT)),
            identity: `r${parent}`,
            platform: 'MikroTik',
            'discovered-by': 'lldp,mndp',
            'interface-name': `ether${2 + ((i - 1) % FANOUT)}`,
          },
        ]
      : []),
    ...children.map((c, k) => ({
      interface: `ether${2 + k}`,
      'mac-address': mac(c, 1),
      identity: `r${c}`,
      platform: 'MikroTik',
      'discovered-by': 'lldp,mndp',
      'interface-name': 'ether1',
    })),
    ...(i % 20 === 0
      ? [
          {
            interface: 'ether8',
            'mac-address': `02:00:00:${hex(i).slice(0, 2)}:${hex(i).slice(2, 4)}:${hex(i).slice(4, 6)}`,
            identity: 'unmanaged-switch',
            platform: 'Cisco IOS',
            'discovered-by': 'lldp',
          },
        ]
      : []),
  ];
  const interfaces = Array.from({ length: 2 + FANOUT }, (_, p) => interfaceSample(`ether${p + 1}`, mac(i, p + 1)));
  return pollResult(tenant, ids[i] as string, { at, interfaces, facts: { neighbors, wireless: [] } });
}

async function main() {
  const db = await startBenchPostgres();
  try {
    const tod = await inProcessTod(db.url, log);
    const { pools, services, tenant } = tod;
    await ensurePartitions(pools.owner!, seriesTables({ raw: 2, fiveMinute: 8, hourly: 90 }));
    say(`${DEVICES} devices`);
    const ids = (
      await pools.system.query<{ id: string }>(
        `insert into devices (id, tenant_id, name, host, username, password_enc)
         select gen_random_uuid(), $1, 'r' || g, '10.' || (g / 65536) || '.' || (g / 256 % 256) || '.' || (g % 256), 'a', '\\x00'
           from generate_series(0, $2 - 1) g order by g returning id`,
        [tenant, DEVICES],
      )
    ).rows.map((r) => r.id);
    const consumers = [services.topology.consumer];
    const ingest = async (round: number) => {
      const times: number[] = [];
      for (let b = 0; b < DEVICES; b += BATCH) {
        const batch = [];
        for (let i = b; i < Math.min(DEVICES, b + BATCH); i++) batch.push(resultOf(tenant, ids, i, Date.now() + round));
        const withTopology = performance.now();
        await writeResults(pools.system, batch, consumers);
        const topo = performance.now() - withTopology;
        const plain = performance.now();
        await writeResults(
          pools.system,
          batch.map((r) => ({ ...r, at: new Date(Date.parse(r.at) + 1).toISOString() })),
          [],
        );
        times.push(topo - (performance.now() - plain));
      }
      return times;
    };
    say('first collection (every edge new)');
    const first = await ingest(0);
    say('second collection (nothing changed)');
    const second = await ingest(10);
    const actor = tod.actor('viewer');
    const graphMs: number[] = [];
    const serialiseMs: number[] = [];
    let bytes = 0;
    let gzipped = 0;
    let nodes = 0;
    let edges = 0;
    for (let k = 0; k < 7; k++) {
      const t0 = performance.now();
      const g = await services.topology.graph(actor, {});
      graphMs.push(performance.now() - t0);
      const t1 = performance.now();
      const text = JSON.stringify(g);
      serialiseMs.push(performance.now() - t1);
      bytes = Buffer.byteLength(text);
      gzipped = gzipSync(text).length;
      nodes = g.nodes.length;
      edges = g.edges.length;
    }
    const upMs: number[] = [];
    for (let k = 0; k < 7; k++) {
      const t0 = performance.now();
      await services.topology.upstream(actor, ids[DEVICES - 1] as string);
      upMs.push(performance.now() - t0);
    }
    const out = {
      devices: DEVICES,
      nodes,
      edges,
      ingest_topology_ms_per_batch_first: round(median(first)),
      ingest_topology_ms_per_batch_unchanged: round(median(second)),
      batch: BATCH,
      graph_service_ms_median: round(median(graphMs)),
      graph_serialise_ms_median: round(median(serialiseMs)),
      graph_payload_bytes: bytes,
      graph_payload_gzip_bytes: gzipped,
      upstream_ms_median: round(median(upMs)),
    };
    say(JSON.stringify(out));
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
