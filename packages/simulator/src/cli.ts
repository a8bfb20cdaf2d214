// tod-sim: run a fleet of virtual RouterOS devices until SIGINT/SIGTERM; prints the device list as JSON (with each
// device's API, API-SSL, SSH and WinBox ports and its SSH host key fingerprint).
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { Channel, UpdateServer } from './firmware.js';
import { startFleet } from './fleet.js';
import type { DeviceSpec, GenerateOptions } from './spec.js';
import { treeWorld, wispWorld } from './world-presets.js';
import type { Topology, WorldSpec } from './world-spec.js';

const HELP = `tod-sim: virtual RouterOS devices on real sockets

  --devices N            number of devices (default 1)
  --port P               consecutive ports from P (api = P+2i, api-ssl = P+2i+1); default: ephemeral
  --subnet CIDR          one loopback address per device on the standard ports (e.g. 127.1.0.0/16)
  --api-port P           api port in subnet mode (default 8728)
  --api-ssl-port P       api-ssl port in subnet mode (default 8729)
  --ssh-port P|off       ssh: consecutive ports from P (default: ephemeral); in subnet mode the port on every
                         address (default 22, when it can be bound); off: no ssh
  --winbox-port P|off    winbox (an echo: the protocol is not emulated): consecutive ports from P (default:
                         ephemeral); in subnet mode the port on every address (default 8291); off: no winbox port
  --version V            RouterOS version (default 7.16), e.g. 6.49.10, 6.42.12, 7.18.2
  --export FILE          start every device from this /export file
  --generate K=V,...     generated config: interfaces, vlans, firewallRules, addresses, dhcpLeases, wireless, wirelessClients
  --user NAME            login name (default admin)
  --password PW          password (default: empty)
  --tls cert|anon|off    api-ssl with a certificate (default), anonymous DH only, or no api-ssl
  --latest-version V     what /system/package/update reports as the latest version
  --reboot-delay MS      how long a reboot keeps a device down (default 2000)
  --updates C=V,...      what the update server offers per channel (stable, long-term, testing, development,
                         upgrade), one fleet-wide map; repeat a channel for one version per major
                         (stable=6.49.17,stable=7.16.2,upgrade=7.16.2)
  --channel C            every device's update channel at start (default stable)
  --upgrade-reboot MS    how long a reboot that installs packages keeps a device down (default 8000)
  --download-ms MS       how long downloading an upgrade takes (default 5000)
  --topology T           the physical world behind neighbours, registrations and link state: none (default),
                         chain (last port to the next device's ether1), tree:FANOUT (a switch tree of --devices),
                         wisp:TOWERS,SECTORS,CPES (a WISP; sets the device count), or a JSON world spec file
  --help`;

function generateOptions(text: string | undefined): GenerateOptions | undefined {
  if (!text) return undefined;
  const out: Record<string, number | string> = {};
  for (const pair of text.split(',')) {
    const [k, v] = pair.split('=');
    if (!k || v === undefined) throw new Error(`--generate: expected key=value, got ${JSON.stringify(pair)}`);
    out[k] = k === 'wirelessPackage' ? v : Number(v);
  }
  return out as GenerateOptions;
}

/** `--topology`: a world, and the device specs a preset brings. */
function topology(text: string | undefined, devices: number): { topology: Topology; specs?: DeviceSpec[] } {
  if (!text || text === 'none' || text === 'chain') return { topology: (text ?? 'none') as Topology };
  const tree = /^tree:(\d+)$/.exec(text);
  if (tree) {
    const t = treeWorld(devices, Number(tree[1]));
    return { topology: t.world, specs: t.specs };
  }
  const wisp = /^wisp:(\d+),(\d+),(\d+)$/.exec(text);
  if (wisp) {
    const w = wispWorld({ towers: Number(wisp[1]), sectorsPerTower: Number(wisp[2]), cpesPerSector: Number(wisp[3]) });
    return { topology: w.world, specs: w.specs };
  }
  return { topology: JSON.parse(readFileSync(text, 'utf8')) as WorldSpec };
}

const CHANNELS = new Set(['stable', 'long-term', 'testing', 'development', 'upgrade']);

function updateServer(text: string | undefined): UpdateServer | undefined {
  if (!text) return undefined;
  const out: Partial<Record<Channel, string[]>> = {};
  for (const pair of text.split(',')) {
    const [k, v] = pair.split('=');
    if (!k || !v || !CHANNELS.has(k))
      throw new Error(`--updates: expected channel=version, got ${JSON.stringify(pair)}`);
    out[k as Channel] = [...(out[k as Channel] ?? []), v];
  }
  return out;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      devices: { type: 'string' },
      port: { type: 'string' },
      subnet: { type: 'string' },
      'api-port': { type: 'string' },
      'api-ssl-port': { type: 'string' },
      'ssh-port': { type: 'string' },
      'winbox-port': { type: 'string' },
      version: { type: 'string' },
      export: { type: 'string' },
      generate: { type: 'string' },
      user: { type: 'string' },
      password: { type: 'string' },
      tls: { type: 'string' },
      'latest-version': { type: 'string' },
      'reboot-delay': { type: 'string' },
      updates: { type: 'string' },
      channel: { type: 'string' },
      'upgrade-reboot': { type: 'string' },
      'download-ms': { type: 'string' },
      topology: { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    console.log(HELP);
    return;
  }
  const tls = values.tls ?? 'cert';
  if (!['cert', 'anon', 'off'].includes(tls)) throw new Error('--tls must be cert, anon or off');
  const base: DeviceSpec = {
    users: [{ name: values.user ?? 'admin', password: values.password ?? '', group: 'full' }],
  };
  if (values.version) base.version = values.version;
  if (values.export) base.exportText = readFileSync(values.export, 'utf8');
  const gen = generateOptions(values.generate);
  if (gen) base.generate = gen;
  if (tls !== 'off') base.tls = tls as 'cert' | 'anon';
  if (values['latest-version']) base.latestVersion = values['latest-version'];
  if (values['reboot-delay']) base.rebootDelayMs = Number(values['reboot-delay']);
  const updates = updateServer(values.updates);
  if (updates) base.updates = updates;
  if (values.channel) base.channel = values.channel;
  if (values['upgrade-reboot']) base.upgradeRebootMs = Number(values['upgrade-reboot']);
  if (values['download-ms']) base.downloadMs = Number(values['download-ms']);
  const world = topology(values.topology, Number(values.devices ?? '1'));
  const fleet = await startFleet({
    devices: Number(values.devices ?? '1'),
    ...(world.specs ? { specs: world.specs } : {}),
    topology: world.topology,
    base,
    tls: tls !== 'off',
    ...(values.port ? { port: Number(values.port) } : {}),
    ...(values.subnet ? { subnet: values.subnet } : {}),
    ...(values['api-port'] ? { apiPort: Number(values['api-port']) } : {}),
    ...(values['api-ssl-port'] ? { tlsPort: Number(values['api-ssl-port']) } : {}),
    ...(values['ssh-port'] ? { sshPort: values['ssh-port'] === 'off' ? false : Number(values['ssh-port']) } : {}),
    ...(values['winbox-port']
      ? { winboxPort: values['winbox-port'] === 'off' ? false : Number(values['winbox-port']) }
      : {}),
  });
  console.log(JSON.stringify(fleet.devices, null, 2));
  console.error(`tod-sim: ${fleet.devices.length} device(s) running; Ctrl-C to stop`);
  const stop = () => {
    fleet.stop().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((e: unknown) => {
  console.error(`tod-sim: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
