// SSH faults and services: refused (fault, `/ip service` ssh disabled, the device's own refuse and reboot), a
// service that never answers, slow output, and a connection dropped mid-transfer (exec and SFTP).
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Fleet, startFleet } from '../src/index.js';
import { connect } from './helpers.js';
import { exec, readFile, sftpOf, sshConnect, withSsh } from './ssh-helpers.js';

let fleet: Fleet;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  fleet = await startFleet({
    devices: 3,
    tls: false,
    base: { users: [{ name: 'admin', password: 'pw' }], rebootDelayMs: 300, generate: { firewallRules: 300 } },
  });
});
afterAll(() => fleet?.stop());

/** A plain TCP connect to the SSH port: `refused`, `open`. */
function knock(port: number): Promise<'refused' | 'open'> {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port }, () => {
      s.destroy();
      resolve('open');
    });
    s.on('error', () => resolve('refused'));
  });
}

async function until(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 60; i++) {
    if (await check()) return;
    await sleep(50);
  }
  throw new Error('condition not reached');
}

describe('refused', () => {
  it('sshRefuse closes the port and drops SSH sessions; the API stays up; clearing it opens the port again', async () => {
    const d = fleet.devices[0]!;
    const c = await sshConnect(d);
    const closed = new Promise<void>((r) => c.once('close', () => r()));
    fleet.device(0).setFault({ sshRefuse: true });
    await closed;
    await until(async () => (await knock(d.sshPort!)) === 'refused');
    await expect(sshConnect(d)).rejects.toThrow(/ECONNREFUSED/);
    const api = await connect(d);
    await api.close();
    fleet.device(0).setFault({ sshRefuse: undefined });
    await until(async () => (await knock(d.sshPort!)) === 'open');
    (await sshConnect(d)).end();
  });

  it('/ip service ssh disabled (over the API) refuses; enabled again serves on the same port', async () => {
    const d = fleet.devices[0]!;
    const api = await connect(d);
    await api.command('/ip/service/set', { numbers: 'ssh', disabled: 'yes' });
    await until(async () => (await knock(d.sshPort!)) === 'refused');
    await api.command('/ip/service/set', { numbers: 'ssh', disabled: 'no' });
    await until(async () => (await knock(d.sshPort!)) === 'open');
    await api.close();
    await withSsh(d, async (c) => expect((await exec(c, '/export')).out).toContain('RouterOS'));
  });

  it('the device refusing (fault) or rebooting stops SSH too', async () => {
    const d = fleet.devices[1]!;
    fleet.device(1).setFault({ refuse: true });
    await until(async () => (await knock(d.sshPort!)) === 'refused');
    fleet.device(1).setFault({ refuse: undefined });
    await until(async () => (await knock(d.sshPort!)) === 'open');
    const c = await sshConnect(d);
    const closed = new Promise<void>((r) => c.once('close', () => r()));
    fleet.device(1).reboot();
    await closed;
    expect(await knock(d.sshPort!)).toBe('refused');
    await until(async () => (await knock(d.sshPort!)) === 'open');
    (await sshConnect(d)).end();
  });
});

describe('slow and silent', () => {
  it('sshTimeout: the TCP connection opens but no SSH banner ever comes', async () => {
    fleet.device(2).setFault({ sshTimeout: true });
    const d = { ...fleet.devices[2]! };
    const err = await new Promise<Error>((resolve) => {
      import('ssh2').then(({ Client }) => {
        const c = new Client();
        c.on('error', resolve);
        c.connect({ host: d.address, port: d.sshPort!, username: 'admin', password: 'pw', readyTimeout: 400 });
      });
    });
    expect(err.message).toMatch(/Timed out/i);
    fleet.device(2).setFault({ sshTimeout: undefined });
  });

  it('sshLatencyMs delays every chunk of output', async () => {
    await withSsh(fleet.devices[2]!, async (c) => {
      const t0 = Date.now();
      await exec(c, '/system backup save name=x');
      const fast = Date.now() - t0;
      fleet.device(2).setFault({ sshLatencyMs: 200 });
      const t1 = Date.now();
      const r = await exec(c, '/export');
      expect(r.out.length).toBeGreaterThan(16 * 1024); // two chunks at least
      expect(Date.now() - t1).toBeGreaterThanOrEqual(400);
      expect(fast).toBeLessThan(400);
      fleet.device(2).setFault({ sshLatencyMs: undefined });
    });
  });
});

describe('dropped mid-transfer', () => {
  it('exec: exactly N bytes, then the connection goes without an exit status', async () => {
    fleet.device(2).setFault({ sshDropAfterBytes: 5000 });
    const c = await sshConnect(fleet.devices[2]!);
    const r = await exec(c, '/export');
    expect(r.out.length).toBe(5000);
    expect(r.closed).toBe(false);
    expect(r.code).toBeUndefined();
    fleet.device(2).setFault({ sshDropAfterBytes: undefined });
  });

  it('SFTP: a download is cut and the client sees the connection lost', async () => {
    await withSsh(fleet.devices[2]!, (c) => exec(c, '/export file=big'));
    fleet.device(2).setFault({ sshDropAfterBytes: 10_000 });
    const c = await sshConnect(fleet.devices[2]!);
    const s = await sftpOf(c);
    await expect(readFile(s, 'big.rsc')).rejects.toThrow(/connection lost/);
    fleet.device(2).setFault({ sshDropAfterBytes: undefined });
    // The byte budget is per connection: a new one downloads it whole.
    await withSsh(fleet.devices[2]!, async (c2) => {
      const bytes = await readFile(await sftpOf(c2), 'big.rsc');
      expect(bytes.length).toBeGreaterThan(10_000);
    });
  });
});
