// A fleet of virtual devices in one process, on real sockets. Two layouts:
//  - ports (default): device i listens on its own API and API-SSL ports on `host` (127.0.0.1), consecutive from
//    `port` (api = port + 2i, api-ssl = port + 2i + 1) or ephemeral when `port` is 0.
//  - subnet: one address per device in a loopback subnet (127.1.0.0/16 → 127.1.0.1, 127.1.0.2, ...) on the
//    standard ports, so a subnet scan finds them. Small fleets bind each address; large ones (more than
//    `perAddressLimit` devices) bind ONE wildcard listener per port (0.0.0.0) and route each connection by its
//    local address, because 10,000 devices x 2 listeners would not fit the file-descriptor limit. The wildcard
//    listener also answers on non-loopback addresses: connections to an address that is not a device are reset at
//    once, so nothing is served beyond loopback, but the port is open there.
import net from 'node:net';
import tls from 'node:tls';
import { Device } from './device.js';
import type { Faults } from './faults.js';
import { Session } from './session.js';
import type { DeviceSpec } from './spec.js';
import { anonContext, certContext, ensureCertificate } from './tls.js';

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
  /** Serve api-ssl. Default true. */
  tls?: boolean;
  certDir?: string;
  /** Neighbours (`/ip/neighbor`): a chain (i-1, i+1) or none. Default chain. */
  topology?: 'chain' | 'none';
}

export interface DeviceInfo {
  index: number;
  address: string;
  port: number;
  tlsPort: number | undefined;
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
  const servers = new Set<net.Server>();
  const byAddress = new Map<string, Device>();
  const sockets = new Set<net.Socket>();

  const accept = (device: Device | undefined, raw: net.Socket, secure: boolean) => {
    sockets.add(raw);
    raw.on('close', () => sockets.delete(raw));
    raw.on('error', () => {});
    if (!device?.accepting) {
      raw.resetAndDestroy();
      return;
    }
    if (!secure) {
      new Session(device, raw);
      return;
    }
    if (device.spec.tls === 'anon') anonCtx ??= anonContext();
    const ctx = device.spec.tls === 'anon' ? anonCtx : certCtx;
    const t = new tls.TLSSocket(raw, { isServer: true, secureContext: ctx });
    t.on('error', () => raw.destroy());
    t.once('secure', () => new Session(device, t));
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
      devices.forEach((d, i) => {
        d.address = addresses[i] as string;
        d.apiPort = apiPort;
        d.tlsPort = useTls ? tlsPort : 0;
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
      }
    } else {
      const host = opts.host ?? '127.0.0.1';
      const base = opts.port ?? 0;
      devices.forEach((d, i) => {
        d.address = host;
        d.apiPort = base === 0 ? 0 : base + 2 * i;
        d.tlsPort = useTls ? (base === 0 ? 0 : base + 2 * i + 1) : 0;
      });
    }
    if (!wildcard) {
      // One listener pair per device; closed while the device is down, so connections are really refused.
      const perDevice = new Map<Device, net.Server[]>();
      const open = async (d: Device) => {
        const list: net.Server[] = [];
        perDevice.set(d, list);
        const api = net.createServer((raw) => accept(d, raw, false));
        servers.add(api);
        list.push(api);
        d.apiPort = await listen(api, d.apiPort, d.address);
        if (useTls) {
          const ssl = net.createServer((raw) => accept(d, raw, true));
          servers.add(ssl);
          list.push(ssl);
          d.tlsPort = await listen(ssl, d.tlsPort, d.address);
        }
      };
      for (const d of devices) {
        await open(d);
        d.hooks = {
          down: (dev) => {
            for (const s of perDevice.get(dev) ?? []) {
              servers.delete(s);
              s.close();
            }
            perDevice.set(dev, []);
          },
          up: (dev) => {
            if ((perDevice.get(dev) ?? []).length === 0) open(dev).catch(() => {});
          },
        };
        if (!d.accepting) d.hooks.down(d);
      }
    }
  } catch (e) {
    for (const d of devices) d.stop();
    await closeAll();
    throw e;
  }

  if ((opts.topology ?? 'chain') === 'chain') {
    devices.forEach((d, i) => {
      d.neighbors = [devices[i - 1], devices[i + 1]]
        .filter((n): n is Device => n !== undefined)
        .map((n) => ({
          identity: n.identity,
          address: n.address === '127.0.0.1' ? `10.${(n.index >> 8) & 255}.${n.index & 255}.1` : n.address,
          mac: n.macOf('ether1'),
          version: n.version.text,
          board: n.boardName,
          interface: 'ether1',
        }));
    });
  }

  const info = (d: Device): DeviceInfo => {
    const u = d.spec.users?.[0] ?? { name: 'admin', password: '' };
    return {
      index: d.index,
      address: d.address,
      port: d.apiPort,
      tlsPort: useTls ? d.tlsPort : undefined,
      username: u.name,
      password: u.password,
      version: d.version.text,
      identity: d.identity,
    };
  };

  return {
    devices: devices.map(info),
    certificate: cert?.cert,
    device(index: number): Device {
      const d = devices[index];
      if (!d) throw new RangeError(`no device ${index} (fleet of ${devices.length})`);
      return d;
    },
    setFault(faults: Partial<Faults>): void {
      for (const d of devices) d.setFault(faults);
    },
    async stop(): Promise<void> {
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
