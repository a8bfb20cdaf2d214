// The WinBox port: an echo (the protocol is not emulated) on real sockets, with what RouterOS does around it:
// `/ip service` winbox disabled refuses connections and closes open ones, `address=` turns other clients away,
// a reboot stops it; the fleet gives each device its own port like API and SSH.
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DeviceInfo, type Fleet, startFleet } from '../src/index.js';
import type { WinboxConnection } from '../src/winbox.js';
import { connect, waitFor } from './helpers.js';

let fleet: Fleet;
const users = [{ name: 'admin', password: 'pw' }];

beforeAll(async () => {
  fleet = await startFleet({
    tls: false,
    specs: [{ version: '7.16' }, { version: '6.49.10' }, { version: '7.16', rebootDelayMs: 500 }],
    base: { users },
  });
});
afterAll(() => fleet?.stop());

/** A connection to the device's WinBox port: `connected`, or how it failed (ECONNREFUSED, ECONNRESET, closed). */
function dial(d: DeviceInfo): Promise<{ outcome: string; socket?: net.Socket }> {
  return new Promise((resolve) => {
    const s = net.connect({ host: d.address, port: d.winboxPort as number });
    s.once('error', (e: NodeJS.ErrnoException) => resolve({ outcome: e.code ?? 'error' }));
    s.once('connect', () => {
      // A turned-away connection is reset right after the kernel accepted it.
      const t = setTimeout(() => resolve({ outcome: 'connected', socket: s }), 100);
      s.once('close', () => {
        clearTimeout(t);
        resolve({ outcome: 'closed' });
      });
    });
  });
}

/** Sends `bytes` and reads as many back. */
function echo(s: net.Socket, bytes: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    let got = Buffer.alloc(0);
    const onData = (b: Buffer) => {
      got = Buffer.concat([got, b]);
      if (got.length >= bytes.length) {
        s.off('data', onData);
        resolve(got);
      }
    };
    s.on('data', onData);
    s.once('close', () => reject(new Error(`closed after ${got.length} bytes`)));
    s.write(bytes);
  });
}

const winboxSessions = (i: number) =>
  [...fleet.device(i).sessions].filter((s) => s.service === 'winbox') as WinboxConnection[];

async function setService(i: number, props: Record<string, string>): Promise<void> {
  const api = await connect(fleet.devices[i]!, { username: 'admin', password: 'pw' });
  try {
    await api.command('/ip/service/set', { numbers: 'winbox', ...props });
  } finally {
    await api.close();
  }
}

describe('winbox port', () => {
  it('each device has its own port; every byte comes back, counted per connection', async () => {
    const ports = fleet.devices.map((d) => d.winboxPort);
    expect(new Set(ports).size).toBe(3);
    for (const i of [0, 1]) {
      const { outcome, socket } = await dial(fleet.devices[i]!);
      expect(outcome).toBe('connected');
      const payload = Buffer.from([0x01, 0x00, 0xff, 0x10, ...Buffer.from(`winbox-${i}`)]);
      expect(await echo(socket!, payload)).toEqual(payload);
      const [conn] = winboxSessions(i);
      expect(conn?.bytesIn).toBe(payload.length);
      expect(conn?.bytesOut).toBe(payload.length);
      socket!.destroy();
      await waitFor(() => winboxSessions(i).length === 0, 'the session to end');
    }
  });

  it('/ip service winbox disabled: open connections close, new ones are refused; enabled again it answers', async () => {
    const d = fleet.devices[0]!;
    const open = await dial(d);
    expect(open.outcome).toBe('connected');
    const closed = new Promise<void>((r) => open.socket!.once('close', () => r()));
    await setService(0, { disabled: 'yes' });
    await closed;
    await waitFor(async () => (await dial(d)).outcome === 'ECONNREFUSED', 'connections refused');
    // The other services are untouched.
    expect(fleet.device(0).serviceAccepting('api')).toBe(true);
    await setService(0, { disabled: 'no' });
    const again = await waitFor(async () => {
      const r = await dial(d);
      return r.outcome === 'connected' ? r : undefined;
    }, 'connections accepted again');
    expect(await echo(again.socket!, Buffer.from('back'))).toEqual(Buffer.from('back'));
    again.socket!.destroy();
  });

  it('address= lets only the listed clients in', async () => {
    const d = fleet.devices[1]!;
    await setService(1, { address: '192.0.2.0/24' });
    expect(['ECONNRESET', 'closed']).toContain((await dial(d)).outcome);
    await setService(1, { address: '192.0.2.0/24,127.0.0.0/8' });
    const ok = await dial(d);
    expect(ok.outcome).toBe('connected');
    expect(await echo(ok.socket!, Buffer.from('listed'))).toEqual(Buffer.from('listed'));
    ok.socket!.destroy();
    await setService(1, { address: '' });
  });

  it('stops with the device on reboot and comes back', async () => {
    const d = fleet.devices[2]!;
    const open = await dial(d);
    const closed = new Promise<void>((r) => open.socket!.once('close', () => r()));
    fleet.device(2).reboot();
    await closed;
    expect((await dial(d)).outcome).toBe('ECONNREFUSED');
    const back = await waitFor(async () => {
      const r = await dial(d);
      return r.outcome === 'connected' ? r : undefined;
    }, 'the port back after the reboot');
    back.socket!.destroy();
  });
});

describe('winbox in fleet layouts', () => {
  it('ports layout: consecutive ports from winboxPort; false serves none', async () => {
    const base = await freePort();
    const f = await startFleet({ devices: 2, tls: false, sshPort: false, winboxPort: base });
    try {
      expect(f.devices.map((d) => d.winboxPort)).toEqual([base, base + 1]);
      const { outcome, socket } = await dial(f.devices[1]!);
      expect(outcome).toBe('connected');
      socket!.destroy();
    } finally {
      await f.stop();
    }
    const none = await startFleet({ devices: 1, tls: false, sshPort: false, winboxPort: false });
    try {
      expect(none.devices[0]?.winboxPort).toBeUndefined();
    } finally {
      await none.stop();
    }
  });

  it('subnet layout: the same port on every address, routed to that device (wildcard listener too)', async () => {
    for (const perAddressLimit of [1000, 1]) {
      const [apiPort, winboxPort] = [await freePort(), await freePort()];
      const f = await startFleet({
        devices: 2,
        tls: false,
        sshPort: false,
        subnet: '127.5.0.0/24',
        apiPort,
        winboxPort,
        perAddressLimit,
      });
      try {
        const [a, b] = f.devices as [DeviceInfo, DeviceInfo];
        expect([a.winboxPort, b.winboxPort]).toEqual([winboxPort, winboxPort]);
        await setServiceOn(f, 1, { disabled: 'yes' });
        expect((await dial(a)).outcome).toBe('connected');
        expect(['ECONNREFUSED', 'ECONNRESET', 'closed']).toContain((await dial(b)).outcome);
      } finally {
        await f.stop();
      }
    }
  });
});

/** Whether a port can be listened on (on every address, as a fleet may), released at once. */
const canListen = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = net.createServer();
    s.once('error', () => resolve(false));
    s.listen(port, () => s.close(() => resolve(true)));
  });

/** A port free now, with the one after it (both checked, then released): the ports layout takes consecutive ports. */
async function freePort(): Promise<number> {
  for (;;) {
    const probe = net.createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', () => r()));
    const port = (probe.address() as net.AddressInfo).port;
    await new Promise((r) => probe.close(r));
    if (port < 65534 && (await canListen(port)) && (await canListen(port + 1))) return port;
  }
}

async function setServiceOn(f: Fleet, i: number, props: Record<string, string>): Promise<void> {
  const api = await connect(f.devices[i]!, { username: 'admin', password: '' });
  try {
    await api.command('/ip/service/set', { numbers: 'winbox', ...props });
  } finally {
    await api.close();
  }
}
