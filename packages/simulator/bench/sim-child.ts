// The simulator side of the benchmarks, in its own process so its CPU and memory can be measured apart from the
// load driver. Controlled over IPC: start (fleet options), usage (cpu, rss), stop.
import { type Fleet, type FleetOptions, startFleet } from '../src/index.js';

let fleet: Fleet | undefined;

function usage() {
  const cpu = process.cpuUsage();
  return {
    cpuMs: (cpu.user + cpu.system) / 1000,
    rss: process.memoryUsage().rss,
    heap: process.memoryUsage().heapUsed,
  };
}

process.on('message', async (msg: { type: string; options?: FleetOptions }) => {
  try {
    if (msg.type === 'start') {
      global.gc?.();
      const before = usage();
      fleet = await startFleet(msg.options ?? {});
      global.gc?.();
      process.send?.({ type: 'started', devices: fleet.devices, before, after: usage() });
    } else if (msg.type === 'usage') {
      if (msg.options) global.gc?.();
      process.send?.({ type: 'usage', ...usage() });
    } else if (msg.type === 'stop') {
      await fleet?.stop();
      process.send?.({ type: 'stopped' });
      process.exit(0);
    }
  } catch (e) {
    process.send?.({ type: 'error', message: (e as Error).message });
  }
});
process.send?.({ type: 'ready' });
