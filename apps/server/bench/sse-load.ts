// The load of the live-updates bench (sse.bench.ts), in a process of its own so its CPU is not counted as TOD's:
// a publisher standing in for ingest (a `device.state` per device per poll interval, for two organisations, over
// NATS as ingest publishes them) and the browsers (N open SSE streams of the first organisation, parsed).
// Driven over IPC: {start} → {ok, ...counts}.
import http from 'node:http';
import { connect } from 'nats';

type Start = {
  base: string;
  tenant: string;
  other: string;
  token: string;
  natsUrl: string;
  streams: number;
  devices: number;
  intervalS: number;
  seconds: number;
};

async function run(o: Start) {
  const nc = await connect({ servers: o.natsUrl });
  const enc = new TextEncoder();
  const counts = { events: 0, bytes: 0, other_tenant: 0, max_per_device_second: 0, streams_open: 0, errors: 0 };
  const perSecond = new Map<string, number>();
  const reqs: http.ClientRequest[] = [];
  const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
  const path = `/api/tenants/${o.tenant}/stream`;
  for (let i = 0; i < o.streams; i++) {
    const req = http.get(`${o.base}${path}`, { agent, headers: { authorization: `Bearer ${o.token}` } }, (res) => {
      if (res.statusCode !== 200) counts.errors++;
      counts.streams_open++;
      let buf = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        counts.bytes += chunk.length;
        buf += chunk;
        let at = buf.indexOf('\n\n');
        while (at >= 0) {
          const frame = buf.slice(0, at);
          buf = buf.slice(at + 2);
          at = buf.indexOf('\n\n');
          const data = frame.match(/^data: (.*)$/m)?.[1];
          if (!data || !frame.includes('event: device.state')) continue;
          counts.events++;
          const d = JSON.parse(data) as { deviceId: string };
          if (d.deviceId.startsWith('other-')) counts.other_tenant++;
          // Only stream 0 checks the per-device rate: every stream receives the same frames.
          if (i === 0) {
            const k = `${d.deviceId}@${Math.floor(Date.now() / 1000)}`;
            const n = (perSecond.get(k) ?? 0) + 1;
            perSecond.set(k, n);
            if (n > counts.max_per_device_second) counts.max_per_device_second = n;
          }
        }
      });
    });
    req.on('error', () => counts.errors++);
    reqs.push(req);
    if (i % 50 === 49) await new Promise((r) => setTimeout(r, 20));
  }
  // Each device reports once per interval, spread evenly; a few report twice in a second (a poll and a retry), which
  // coalescing must fold. The other organisation reports too: none of it may reach these streams.
  const perTick = Math.ceil(o.devices / o.intervalS / 10);
  let next = 0;
  const started = Date.now();
  const timer = setInterval(() => {
    for (let i = 0; i < perTick; i++) {
      const d = next++ % o.devices;
      const msg = (tenantId: string, id: string) =>
        enc.encode(
          JSON.stringify({
            type: 'device.state',
            tenantId,
            deviceId: id,
            at: new Date().toISOString(),
            status: 'online',
            statusReason: null,
            health: { cpu_load: d % 100 },
          }),
        );
      nc.publish(`tod.live.${o.tenant}`, msg(o.tenant, `dev-${d}`));
      if (d % 50 === 0) nc.publish(`tod.live.${o.tenant}`, msg(o.tenant, `dev-${d}`));
      nc.publish(`tod.live.${o.other}`, msg(o.other, `other-${d}`));
    }
  }, 100);
  await new Promise((r) => setTimeout(r, o.seconds * 1000));
  clearInterval(timer);
  const wall = (Date.now() - started) / 1000;
  for (const r of reqs) r.destroy();
  agent.destroy();
  await nc.drain();
  return { ...counts, published_per_s: Math.round((next / wall) * 10) / 10 };
}

process.on('message', (m: Start) => {
  run(m).then(
    (r) => process.send?.({ ok: true, ...r }),
    (e: Error) => process.send?.({ ok: false, error: e.message }),
  );
});
