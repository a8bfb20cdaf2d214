// Commands per second against the simulator (in a child process):
//  - one connection, pipelined and tagged: `/system/identity/print` and `/interface/print` with up to 500 in flight;
//  - 1,000 connections (one device each, subnet layout), each keeping 4 commands in flight.
// Also reports the simulator's CPU time per command.
import { RouterOSClient } from '@tod/routeros';
import { freePort, log, pool, SimChild } from './harness.js';

const PIPELINED = Number(process.env.BENCH_COMMANDS ?? 30_000);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 1000);
const PER_CONNECTION = Number(process.env.BENCH_PER_CONNECTION ?? 40);

async function pipelined(client: RouterOSClient, path: string, total: number, window: number): Promise<number> {
  let sent = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: window }, async () => {
      while (sent < total) {
        sent++;
        await client.command(path);
      }
    }),
  );
  return total / ((performance.now() - t0) / 1000);
}

const sim = await SimChild.start();
try {
  const one = await sim.fleet({ devices: 1, tls: false, base: { users: [{ name: 'admin', password: 'b' }] } });
  const d = one.devices[0];
  if (!d) throw new Error('no device');
  const client = await RouterOSClient.connect({
    host: d.address,
    port: d.port,
    tlsMode: 'plain',
    username: 'admin',
    password: 'b',
  });
  await pipelined(client, '/system/identity/print', 2000, 100); // warm-up
  let u0 = await sim.usage();
  const identityPerSec = await pipelined(client, '/system/identity/print', PIPELINED, 500);
  let u1 = await sim.usage();
  const identityCpuUs = ((u1.cpuMs - u0.cpuMs) * 1000) / PIPELINED;
  log(`one connection, identity print: ${identityPerSec.toFixed(0)} cmd/s, sim ${identityCpuUs.toFixed(1)} us CPU/cmd`);
  u0 = await sim.usage();
  const ifacePerSec = await pipelined(client, '/interface/print', PIPELINED / 3, 500);
  u1 = await sim.usage();
  const ifaceCpuUs = ((u1.cpuMs - u0.cpuMs) * 1000) / (PIPELINED / 3);
  log(
    `one connection, interface print (6 interfaces): ${ifacePerSec.toFixed(0)} cmd/s, sim ${ifaceCpuUs.toFixed(1)} us CPU/cmd`,
  );
  await client.close();
  await sim.stop();

  const many = await SimChild.start();
  const apiPort = await freePort();
  const fleet = await many.fleet({
    devices: CONNECTIONS,
    subnet: '127.20.0.0/16',
    apiPort,
    tls: false,
    base: { users: [{ name: 'admin', password: 'b' }] },
  });
  const clients: RouterOSClient[] = [];
  await pool(fleet.devices, 100, async (dev) => {
    clients.push(
      await RouterOSClient.connect({
        host: dev.address,
        port: dev.port,
        tlsMode: 'plain',
        username: 'admin',
        password: 'b',
        tcpKeepAliveMs: 0,
      }),
    );
  });
  log(`${clients.length} connections open`);
  const m0 = await many.usage();
  const t0 = performance.now();
  await Promise.all(clients.map((c) => pipelined(c, '/system/resource/print', PER_CONNECTION, 4)));
  const seconds = (performance.now() - t0) / 1000;
  const m1 = await many.usage();
  const total = clients.length * PER_CONNECTION;
  const manyPerSec = total / seconds;
  const manyCpuUs = ((m1.cpuMs - m0.cpuMs) * 1000) / total;
  log(
    `${clients.length} connections, resource print: ${manyPerSec.toFixed(0)} cmd/s, sim ${manyCpuUs.toFixed(1)} us CPU/cmd`,
  );
  for (const c of clients) c.destroy();
  await many.stop();
  console.log(
    JSON.stringify({
      name: 'simulator commands',
      oneConnection: {
        identityPrintPerSec: Math.round(identityPerSec),
        identityPrintSimCpuUs: Number(identityCpuUs.toFixed(1)),
        interfacePrintPerSec: Math.round(ifacePerSec),
        interfacePrintSimCpuUs: Number(ifaceCpuUs.toFixed(1)),
        inFlight: 500,
      },
      manyConnections: {
        connections: clients.length,
        resourcePrintPerSec: Math.round(manyPerSec),
        simCpuUsPerCommand: Number(manyCpuUs.toFixed(1)),
      },
    }),
  );
} catch (e) {
  await sim.stop().catch(() => {});
  throw e;
}
