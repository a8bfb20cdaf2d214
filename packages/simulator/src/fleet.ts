// A fleet of virtual devices in one process, on real sockets. Two layouts:
//  - ports (default): device i listens on its own API and API-SSL ports on `host` (127.0.0.1), consecutive from
//    `port` (api = port + 2i, api-ssl = port + 2i + 1) or ephemeral when `port` is 0.
//  - subnet: one address per device in a loopback subnet (127.1.0.0/16 → 127.1.0.1, 127.1.0.2, ...) on the
//    standard ports, so a subnet scan finds them. Small fleets bind each address; large ones (more than
//    `perAddressLimit` devices) bind ONE wildcard listener per port (0.0.0.0) and route each connection by its
//    local address, because 10,000 devices x 2 listeners would not fit the file-descriptor limit. The wildcard
//    listener also answers on non-loopback addresses: connections to an address that is not a device are reset at
//    once, so nothing is served beyond loopback, but the port is open there.
// Every device also serves SSH (ssh.ts): in the ports layout on `sshPort + i` (ephemeral by default), in the subnet
// layout on `sshPort` of its address (22 by default; when 22 cannot be bound and no port was asked for, the fleet
// runs without SSH), and WinBox (winbox.ts: an echo, the protocol is not emulated) on `winboxPort + i` (ephemeral by
// default) or `winboxPort` of its address (8291 by default). A device's listener for a service is closed while that service does not accept (the device
// down, sshRefuse, the `/ip service` entry disabled or moved to another port: reachability.ts), so connections are
// really refused (past `perAddressLimit`, with one wildcard listener, they are reset instead). A connection the
// input firewall rejects, or from an address the service's `address=` leaves out, is reset at once; one it drops
// is left unanswered.
import net from 'node:net';
import tls from 'node:tls';
import { apiSslChoice } from './certificates.js';
import { Device } from './device.js';
import type { Faults } from './faults.js';
import { SERVICES, type ServiceName, turnAway } from './reachability.js';
import { clientAddress, Session } from './session.js';
import type { DeviceSpec } from './spec.js';
import { SshService } from './ssh.js';
import { anonContext, certContext, ensureCertificate, importedContext } from './tls.js';
import { acceptWinbox } from './winbox.js';
import { type FleetWorld, World } from './world.js';
import { chainWorld } from './world-presets.js';
import { type Topology, WorldError } from './world-spec.js';

export interface FleetOptions {
  /** Number of devices (ignored when `specs` is given). Default 1. */
  devices?: number;
  /** Settings for every device. */
  base?: DeviceSpec;
  /** Per-device settings, merged over `base`. */
  spec?: (index: number) => DeviceSpec;
  specs?: DeviceSpec[];
  /** Ports layout: first port (api = port + 2i, api-ssl = port + 2i + 1); 0 = ephemeral ports. Default 0. */
  port?: number;
  host?: string;
  /** Subnet layout: e.g. `127.1.0.0/16`. */
  subnet?: string;
  apiPort?: number;
  tlsPort?: number;
  /** Subnet layout: bind each address up to this many devices, a wildcard listener beyond. Default 1000. */
  perAddressLimit?: number;
  /**
   * SSH: ports layout, device i on `sshPort + i` (default 0: ephemeral); subnet layout, this port on every address
   * (default 22). `false`: no SSH.
   */
  sshPort?: number | false;
  /**
   * WinBox (an echo: winbox.ts): ports layout, device i on `winboxPort + i` (default 0: ephemeral); subnet layout,
   * this port on every address (default 8291). `false`: no WinBox port.
   */
  winboxPort?: number | false;
  /** Serve api-ssl. Default true. */
  tls?: boolean;
  certDir?: string;
  /**
   * The physical world (world.ts) that neighbour tables, registrations and link state follow: `chain` (each
   * device's last ethernet port cabled to the next device's ether1), `none`, or a world spec (cables, radio links,
   * unmanaged nodes, wireless clients; see `treeWorld`, `wispWorld`). Default none: ports are linked by
   * `traffic.linkedPorts` and no device has neighbours.
   */
  topology?: Topology;
}

export interface DeviceInfo {
  index: number;
  address: string;
  port: number;
  tlsPort: number | undefined;
  /** Undefined when the fleet serves no SSH. */
  sshPort: number | undefined;
  /** The SSH host key's fingerprint as OpenSSH shows it (`SHA256:…`), as of the fleet's start. */
  sshHostKey: string | undefined;
  /** The WinBox port (an echo: the protocol is not emulated); undefined when the fleet serves none. */
  winboxPort: number | undefined;
  username: string;
  password: string;
  version: string;
  identity: string;
}

export interface Fleet {
  readonly devices: DeviceInfo[];
  device(index: number): Device;
  /** The certificate api-ssl serves (PEM), for clients that verify. */
  readonly certificate: Buffer | undefined;
  /** The physical world: cables, radio links, what each device should see (undefined with `topology: 'none'`). */
  readonly world: FleetWorld | undefined;
  setFault(faults: Partial<Faults>): void;
  stop(): Promise<void>;
}

function ipToInt(ip: string): number {
  const parts = ip.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255))
    throw new TypeError(`bad IPv4 address ${ip}`);
  return (
    (((parts[0] as number) << 24) |
      ((parts[1] as number) << 16) |
      ((parts[2] as number) << 8) |
      (parts[3] as number)) >>>
    0
  );
}

function intToIp(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

/** Addresses for `count` devices in `cidr`, skipping the network and broadcast addresses. */
export function subnetAddresses(cidr: string, count: number): string[] {
  const [base, bitsText] = cidr.split('/');
  const bits = Number(bitsText ?? '32');
  if (!base || !Number.isInteger(bits) || bits < 8 || bits > 30) throw new TypeError(`bad subnet ${cidr}`);
  const size = 2 ** (32 - bits);
  if (count > size - 2) throw new RangeError(`subnet ${cidr} holds ${size - 2} devices, ${count} asked`);
  const net0 = (ipToInt(base) & ~(size - 1)) >>> 0;
  return Array.from({ length: count }, (_, i) => intToIp(net0 + i + 1));
}

function listen(server: net.Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (e: Error) => reject(e);
    server.once('error', onError);
    server.listen({ port, host, backlog: 4096 }, () => {
      server.off('error', onError);
      resolve((server.address() as net.AddressInfo).port);
    });
  });
}

export async function startFleet(opts: FleetOptions = {}): Promise<Fleet> {
  const count = opts.specs?.length ?? opts.devices ?? 1;
  const useTls = opts.tls ?? true;
  const cert = useTls ? ensureCertificate(opts.certDir) : undefined;
  const certCtx = cert ? certContext(cert) : undefined;
  let anonCtx: tls.SecureContext | undefined;
  const devices: Device[] = [];
  for (let i = 0; i < count; i++) {
    const spec = { ...(opts.base ?? {}), ...(opts.specs?.[i] ?? {}), ...(opts.spec?.(i) ?? {}) };
    devices.push(new Device(spec, i));
  }
  // The world first: a spec error fails the start before anything listens.
  const topology = opts.topology ?? 'none';
  if (topology !== 'chain' && topology !== 'none' && (typeof topology !== 'object' || topology === null))
    throw new WorldError(`topology: chain, none or a world spec, not ${JSON.stringify(topology)}`);
  const world =
    topology === 'none' ? undefined : new World(topology === 'chain' ? chainWorld(devices) : topology, devices);
  const servers = new Set<net.Server>();
  const byAddress = new Map<string, Device>();
  const sockets = new Set<net.Socket>();
  const sshServices = new Map<Device, SshService>();
  let ssh = opts.sshPort !== false;
  const winbox = opts.winboxPort !== false;
  // Subnet layout without an explicit port: 22 when it can be bound.
  const sshDefaulted = opts.subnet !== undefined && opts.sshPort === undefined;

  const acceptSsh = (device: Device | undefined, raw: net.Socket) => {
    sockets.add(raw);
    raw.on('close', () => sockets.delete(raw));
    raw.on('error', () => {});
    if (!device) {
      raw.resetAndDestroy();
      return;
    }
    let service = sshServices.get(device);
    if (!service) {
      service = new SshService(device);
      sshServices.set(device, service);
    }
    service.accept(raw);
  };
  const acceptWinboxOn = (device: Device | undefined, raw: net.Socket) => {
    sockets.add(raw);
    raw.on('close', () => sockets.delete(raw));
    raw.on('error', () => {});
    if (!device) {
      raw.resetAndDestroy();
      return;
    }
    acceptWinbox(device, raw);
  };
  let sshBound = 0;
  /** Binds an SSH listener; when the default subnet port 22 cannot be bound at all, the fleet runs without SSH. */
  const listenSsh = async (s: net.Server, port: number, host: string): Promise<number> => {
    try {
      const bound = await listen(s, port, host);
      sshBound++;
      return bound;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (!sshDefaulted || sshBound > 0 || (code !== 'EACCES' && code !== 'EADDRINUSE')) throw e;
      ssh = false;
      servers.delete(s);
      return 0;
    }
  };

  const accept = (device: Device | undefined, raw: net.Socket, secure: boolean) => {
    sockets.add(raw);
    raw.on('close', () => sockets.delete(raw));
    raw.on('error', () => {});
    const service = secure ? 'api-ssl' : 'api';
    if (!device?.serviceAccepting(service)) {
      raw.resetAndDestroy();
      return;
    }
    const verdict = device.admit(service, clientAddress(raw));
    if (verdict !== 'accept') {
      turnAway(raw, verdict, device);
      return;
    }
    if (!secure) {
      new Session(device, raw, 'api');
      return;
    }
    // `/ip service` api-ssl `certificate=` decides for each new connection (open ones keep what they got).
    const choice = apiSslChoice(device);
    if (choice.kind === 'no-key') {
      // A certificate without its private key cannot complete a handshake: the client's hello is answered with a
      // reset.
      raw.once('data', () => raw.resetAndDestroy());
      return;
    }
    let ctx: tls.SecureContext | undefined;
    if (choice.kind === 'certificate') ctx = importedContext(choice.fingerprint, choice.cert, choice.key, choice.chain);
    else if (choice.kind === 'anon' || device.spec.tls === 'anon') ctx = anonCtx ??= anonContext();
    else ctx = certCtx;
    const t = new tls.TLSSocket(raw, { isServer: true, secureContext: ctx });
    t.on('error', () => raw.destroy());
    t.once('secure', () => new Session(device, t, 'api-ssl'));
  };

  const subnet = opts.subnet;
  const perAddressLimit = opts.perAddressLimit ?? 1000;
  const wildcard = subnet !== undefined && count > perAddressLimit;
  const closeAll = async () => {
    await Promise.all([...servers].map((s) => new Promise<void>((r) => s.close(() => r()))));
    servers.clear();
  };

  try {
    if (subnet !== undefined) {
      const addresses = subnetAddresses(subnet, count);
      const apiPort = opts.apiPort ?? 8728;
      const tlsPort = opts.tlsPort ?? 8729;
      const sshPort = typeof opts.sshPort === 'number' ? opts.sshPort : 22;
      const winboxPort = typeof opts.winboxPort === 'number' ? opts.winboxPort : 8291;
      devices.forEach((d, i) => {
        d.address = addresses[i] as string;
        d.apiPort = apiPort;
        d.tlsPort = useTls ? tlsPort : 0;
        d.sshPort = sshPort;
        d.winboxPort = winbox ? winboxPort : 0;
        byAddress.set(d.address, d);
      });
      if (wildcard) {
        for (const [port, secure] of [[apiPort, false], ...(useTls ? [[tlsPort, true]] : [])] as Array<
          [number, boolean]
        >) {
          const s = net.createServer((raw) => accept(byAddress.get(normalizeLocal(raw.localAddress)), raw, secure));
          servers.add(s);
          await listen(s, port, '0.0.0.0');
        }
        if (ssh) {
          const s = net.createServer((raw) => acceptSsh(byAddress.get(normalizeLocal(raw.localAddress)), raw));
          servers.add(s);
          await listenSsh(s, sshPort, '0.0.0.0');
        }
        if (winbox) {
          const s = net.createServer((raw) => acceptWinboxOn(byAddress.get(normalizeLocal(raw.localAddress)), raw));
          servers.add(s);
          await listen(s, winboxPort, '0.0.0.0');
        }
      }
    } else {
      const host = opts.host ?? '127.0.0.1';
      const base = opts.port ?? 0;
      const sshBase = typeof opts.sshPort === 'number' ? opts.sshPort : 0;
      const winboxBase = typeof opts.winboxPort === 'number' ? opts.winboxPort : 0;
      devices.forEach((d, i) => {
        d.address = host;
        d.apiPort = base === 0 ? 0 : base + 2 * i;
        d.tlsPort = useTls ? (base === 0 ? 0 : base + 2 * i + 1) : 0;
        d.sshPort = sshBase === 0 ? 0 : sshBase + i;
        d.winboxPort = winboxBase === 0 ? 0 : winboxBase + i;
      });
    }
    if (!wildcard) {
      // A listener per device and service; closed while the service does not accept, so connections are refused.
      const perDevice = new Map<Device, { servers: Partial<Record<ServiceName, net.Server>>; opening: Set<string> }>();
      const served = (svc: ServiceName) =>
        svc === 'ssh' ? ssh : svc === 'api-ssl' ? useTls : svc === 'winbox' ? winbox : true;
      const openOne = async (d: Device, svc: ServiceName) => {
        const state = perDevice.get(d) ?? { servers: {}, opening: new Set() };
        perDevice.set(d, state);
        const s = net.createServer((raw) =>
          svc === 'ssh'
            ? acceptSsh(d, raw)
            : svc === 'winbox'
              ? acceptWinboxOn(d, raw)
              : accept(d, raw, svc === 'api-ssl'),
        );
        servers.add(s);
        state.servers[svc] = s;
        try {
          if (svc === 'api') d.apiPort = await listen(s, d.apiPort, d.address);
          else if (svc === 'api-ssl') d.tlsPort = await listen(s, d.tlsPort, d.address);
          else if (svc === 'winbox') d.winboxPort = await listen(s, d.winboxPort, d.address);
          else d.sshPort = await listenSsh(s, d.sshPort, d.address);
        } catch (e) {
          servers.delete(s);
          delete state.servers[svc];
          throw e;
        }
        if (!served(svc)) delete state.servers[svc]; // the fleet gave up SSH (port 22 unavailable)
      };
      const closeOne = (d: Device, svc: ServiceName) => {
        const state = perDevice.get(d);
        const s = state?.servers[svc];
        if (!state || !s) return;
        delete state.servers[svc];
        servers.delete(s);
        s.close();
      };
      // Each listener open or closed as the device's state says (an async open re-checks when it is done).
      const reconcile = (d: Device) => {
        const state = perDevice.get(d);
        if (!state) return;
        for (const svc of SERVICES) {
          if (!served(svc) || state.opening.has(svc)) continue;
          const want = d.serviceAccepting(svc);
          if (want && !state.servers[svc]) {
            state.opening.add(svc);
            openOne(d, svc)
              .catch(() => {})
              .finally(() => {
                state.opening.delete(svc);
                if (!d.serviceAccepting(svc)) closeOne(d, svc);
              });
          } else if (!want) closeOne(d, svc);
        }
      };
      for (const d of devices) {
        // Every listener opens once at start (its port is the device's), then closes if its service is off.
        for (const svc of SERVICES) if (served(svc)) await openOne(d, svc);
        d.hooks = { changed: reconcile };
        reconcile(d);
      }
    }
  } catch (e) {
    world?.stop();
    for (const d of devices) d.stop();
    await closeAll();
    throw e;
  }

  const info = (d: Device): DeviceInfo => {
    const u = d.spec.users?.[0] ?? { name: 'admin', password: '' };
    return {
      index: d.index,
      address: d.address,
      port: d.apiPort,
      tlsPort: useTls ? d.tlsPort : undefined,
      sshPort: ssh ? d.sshPort : undefined,
      sshHostKey: ssh ? d.hostKey.fingerprint : undefined,
      winboxPort: winbox ? d.winboxPort : undefined,
      username: u.name,
      password: u.password,
      version: d.version.text,
      identity: d.identity,
    };
  };

  return {
    devices: devices.map(info),
    certificate: cert?.cert,
    world,
    device(index: number): Device {
      const d = devices[index];
      if (!d) throw new RangeError(`no device ${index} (fleet of ${devices.length})`);
      return d;
    },
    setFault(faults: Partial<Faults>): void {
      for (const d of devices) d.setFault(faults);
    },
    async stop(): Promise<void> {
      world?.stop();
      for (const d of devices) {
        d.hooks = undefined;
        d.stop();
      }
      for (const s of sockets) s.destroy();
      await closeAll();
    },
  };
}

function normalizeLocal(addr: string | undefined): string {
  if (!addr) return '';
  return addr.startsWith('::ffff:') ? addr.slice(7) : addr;
}
