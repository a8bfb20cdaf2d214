// Simulator capacity: how many devices one simulator process serves at a 60 s poll of 6 commands each
// (resource, health, interface, identity, routerboard, ip address) within one CPU core, and its memory per device.
// The simulator runs in a child process (subnet layout, one wildcard listener, routing by local address); this
// process opens one API session per device and runs poll passes over all of them, measuring the child's CPU time
// (process.cpuUsage over IPC) and RSS.
import { RouterOSClient } from '@tod/routeros';
import { freePort, log, pool, SimChild } from './harness.js';

const DEVICES = Number(process.env.BENCH_DEVICES ?? 10_000);
const PASSES = Number(process.env.BENCH_PASSES ?? 2);
const POLL = [
  '/system/resource/print',
  '/system/health/print',
  '/interface/print',
  '/system/identity/print',
  '/system/routerboard/print',
  '/ip/address/print',
];
const POLL_INTERVAL_S = 60;

const sim = await SimChild.start();
try {
  const apiPort = await freePort();
  const t0 = performance.now();
  const fleet = await sim.fleet({
    devices: DEVICES,
    subnet: '127.40.0.0/16',
    apiPort,
    tls: false,
    base: { users: [{ name: 'admin', password: 'cap' }], uptimeMs: 86_400_000 },
  });
  const startMs = performance.now() - t0;
  const idle = await sim.usage(true);
  const rssIdlePerDevice = (idle.rss - fleet.before.rss) / DEVICES;
  log(
    `${DEVICES} devices started in ${startMs.toFixed(0)} ms; RSS ${(idle.rss / 2 ** 20).toFixed(0)} MiB (${(rssIdlePerDevice / 1024).toFixed(1)} KiB/device)`,
  );

  const clients: RouterOSClient[] = new Array(DEVICES);
  const c0 = performance.now();
  await pool(fleet.devices, 200, async (d, i) => {
    clients[i] = await RouterOSClient.connect({
      host: d.address,
      port: d.port,
      tlsMode: 'plain',
      username: 'admin',
      password: 'cap',
      tcpKeepAliveMs: 0,
      connectTimeoutMs: 20_000,
    });
  });
  const connectMs = performance.now() - c0;
  const connected = await sim.usage(true);
  const rssSessionPerDevice = (connected.rss - fleet.before.rss) / DEVICES;
  log(
    `${DEVICES} sessions logged in in ${connectMs.toFixed(0)} ms; RSS ${(connected.rss / 2 ** 20).toFixed(0)} MiB (${(rssSessionPerDevice / 1024).toFixed(1)} KiB/device with a session)`,
  );

  const passes: Array<{ wallMs: number; simCpuMs: number }> = [];
  for (let p = 0; p < PASSES; p++) {
    const u0 = await sim.usage();
    const w0 = performance.now();
    await pool(clients, 500, async (c) => {
      await Promise.all(POLL.map((cmd) => c.command(cmd)));
    });
    const wallMs = performance.now() - w0;
    const u1 = await sim.usage();
    passes.push({ wallMs, simCpuMs: u1.cpuMs - u0.cpuMs });
    log(
      `pass ${p + 1}: ${DEVICES} devices x ${POLL.length} commands in ${wallMs.toFixed(0)} ms wall, simulator CPU ${(u1.cpuMs - u0.cpuMs).toFixed(0)} ms`,
    );
  }
  const best = passes.reduce((a, b) => (b.simCpuMs < a.simCpuMs ? b : a));
  const cpuMsPerDevicePoll = best.simCpuMs / DEVICES;
  const coreShareAt60s = best.simCpuMs / (POLL_INTERVAL_S * 1000);
  const devicesPerCore = Math.floor((POLL_INTERVAL_S * 1000) / cpuMsPerDevicePoll);
  const final = await sim.usage(true);
  for (const c of clients) c.destroy();
  await sim.stop();
  console.log(
    JSON.stringify({
      name: 'simulator capacity',
      devices: DEVICES,
      commandsPerPoll: POLL.length,
      pollIntervalS: POLL_INTERVAL_S,
      startMs: Math.round(startMs),
      connectAndLoginMs: Math.round(connectMs),
      pollPassWallMs: Math.round(best.wallMs),
      simCpuMsPerPass: Math.round(best.simCpuMs),
      simCpuMsPerDevicePoll: Number(cpuMsPerDevicePoll.toFixed(3)),
      coreShareAt60sPoll: Number(coreShareAt60s.toFixed(4)),
      devicesPerCoreAt60sPoll: devicesPerCore,
      rssMiB: Math.round(final.rss / 2 ** 20),
      rssPerDeviceKiB: Number((rssIdlePerDevice / 1024).toFixed(1)),
      rssPerDeviceWithSessionKiB: Number((rssSessionPerDevice / 1024).toFixed(1)),
    }),
  );
} catch (e) {
  await sim.stop().catch(() => {});
  throw e;
}
