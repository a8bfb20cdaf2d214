// SSH in every fleet layout: consecutive ports, the subnet layout (per-address listeners and the wildcard listener
// that routes by local address), and the tod-sim CLI printing each device's SSH port and host key.
import { type ChildProcess, spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { type DeviceInfo, startFleet } from '../src/index.js';
import { exec, withSsh } from './ssh-helpers.js';

async function freePorts(n: number): Promise<number> {
  // A base with n free ports after it (checked, then released).
  for (;;) {
    const s = net.createServer();
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
    const base = (s.address() as net.AddressInfo).port;
    await new Promise((r) => s.close(r));
    if (base + n < 65535) return base;
  }
}

async function identityOverSsh(d: DeviceInfo): Promise<string> {
  const seen: string[] = [];
  const out = await withSsh(d, (c) => exec(c, '/export'), { seen: (f) => seen.push(f) });
  expect(seen[0]).toBe(d.sshHostKey);
  return /name=(\S+)/.exec(out.out.slice(out.out.indexOf('/system identity')))?.[1] ?? '';
}

describe('ssh in fleet layouts', () => {
  it('ports layout: consecutive SSH ports from sshPort; `false` serves no SSH', async () => {
    const base = await freePorts(3);
    const fleet = await startFleet({ devices: 2, tls: false, sshPort: base, spec: (i) => ({ identity: `p-${i}` }) });
    try {
      expect(fleet.devices.map((d) => d.sshPort)).toEqual([base, base + 1]);
      expect(await identityOverSsh(fleet.devices[1]!)).toBe('p-1');
    } finally {
      await fleet.stop();
    }
    const none = await startFleet({ devices: 1, tls: false, sshPort: false });
    expect(none.devices[0]?.sshPort).toBeUndefined();
    await none.stop();
  });

  for (const mode of ['per-address', 'wildcard'] as const) {
    it(`subnet ${mode}: SSH on each device's own address, routed to that device`, async () => {
      const [apiPort, sshPort] = [await freePorts(1), await freePorts(1)];
      const fleet = await startFleet({
        devices: 3,
        tls: false,
        subnet: '127.4.0.0/24',
        apiPort,
        sshPort,
        perAddressLimit: mode === 'wildcard' ? 1 : 1000,
        spec: (i) => ({ identity: `s-${i}` }),
      });
      try {
        expect(fleet.devices.map((d) => d.sshPort)).toEqual([sshPort, sshPort, sshPort]);
        for (const d of fleet.devices) expect(await identityOverSsh(d)).toBe(`s-${d.index}`);
        // Another address on the wildcard listener is not a device: reset at once.
        if (mode === 'wildcard') {
          const outcome = await new Promise<string>((resolve) => {
            const s = net.connect({ host: '127.4.0.9', port: sshPort }, () => undefined);
            s.on('data', () => resolve('data'));
            s.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
            s.on('close', () => resolve('closed'));
          });
          expect(outcome).toMatch(/ECONNRESET|closed/);
        }
      } finally {
        await fleet.stop();
      }
    });
  }
});

describe('tod-sim CLI', () => {
  it('prints each device with its SSH port and host key, and serves SSH there', async () => {
    const cli = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../src/cli.ts');
    const base = await freePorts(3);
    const child: ChildProcess = spawn(
      'node',
      ['--conditions=source', '--import', 'tsx', cli, '--devices', '2', '--password', 'cli', '--tls', 'off'].concat([
        '--ssh-port',
        String(base),
      ]),
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    child.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
    });
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    for (let i = 0; i < 200 && !out.trim().endsWith(']'); i++) await new Promise((r) => setTimeout(r, 50));
    const devices = JSON.parse(out) as DeviceInfo[];
    expect(devices.map((d) => d.sshPort)).toEqual([base, base + 1]);
    expect(devices[0]?.sshHostKey).toMatch(/^SHA256:/);
    const seen: string[] = [];
    const r = await withSsh(devices[1]!, (c) => exec(c, '/export'), { seen: (f) => seen.push(f) });
    expect(r.out).toMatch(/by RouterOS 7\.16/);
    expect(seen[0]).toBe(devices[1]?.sshHostKey);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
