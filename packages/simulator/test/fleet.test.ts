// Fleet layouts: one loopback address per device on shared ports (per-address listeners, and the wildcard
// listener that routes by local address), consecutive ports, and the tod-sim CLI as a real child process.
import { type ChildProcess, spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConnectError } from '@tod/routeros';
import { describe, expect, it } from 'vitest';
import { type DeviceInfo, startFleet, subnetAddresses } from '../src/index.js';
import { connect, RawApi } from './helpers.js';

async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '0.0.0.0', () => r()));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

/** What a subnet scan does: connect, send a command without login, expect `!fatal not logged in`. */
async function looksLikeRouterOS(host: string, port: number): Promise<boolean> {
  try {
    const raw = await RawApi.open(host, port);
    raw.send('/system/identity/print');
    const s = await raw.read(1000);
    raw.close();
    return s?.[0] === '!fatal' && s[1] === 'not logged in';
  } catch {
    return false;
  }
}

describe('subnet addresses', () => {
  it('skips the network address and refuses fleets larger than the subnet', () => {
    expect(subnetAddresses('127.1.0.0/16', 3)).toEqual(['127.1.0.1', '127.1.0.2', '127.1.0.3']);
    expect(subnetAddresses('127.2.3.0/24', 254).at(-1)).toBe('127.2.3.254');
    expect(() => subnetAddresses('127.2.3.0/24', 255)).toThrow(RangeError);
    expect(() => subnetAddresses('nonsense', 1)).toThrow(TypeError);
  });
});

describe('subnet layout', () => {
  for (const mode of ['per-address', 'wildcard'] as const) {
    it(`${mode}: every device answers on its own loopback address, a scan finds exactly the devices`, async () => {
      const apiPort = await freePort();
      const tlsPort = await freePort();
      const fleet = await startFleet({
        devices: 3,
        subnet: '127.3.0.0/24',
        apiPort,
        tlsPort,
        perAddressLimit: mode === 'wildcard' ? 1 : 1000,
        spec: (i) => ({ identity: `dev-${i}`, users: [{ name: 'admin', password: `pw${i}` }] }),
      });
      try {
        expect(fleet.devices.map((d) => d.address)).toEqual(['127.3.0.1', '127.3.0.2', '127.3.0.3']);
        for (const d of fleet.devices) {
          const c = await connect(d);
          expect((await c.command('/system/identity/print'))[0]?.name).toBe(`dev-${d.index}`);
          await c.close();
        }
        // api-ssl is routed the same way.
        const secure = await connect(fleet.devices[2]!, { tlsMode: 'insecure', tlsPort });
        expect(secure.transport.kind).toBe('tls-pinned');
        expect((await secure.command('/system/identity/print'))[0]?.name).toBe('dev-2');
        await secure.close();
        const found: string[] = [];
        for (let host = 1; host <= 5; host++)
          if (await looksLikeRouterOS(`127.3.0.${host}`, apiPort)) found.push(`127.3.0.${host}`);
        expect(found).toEqual(['127.3.0.1', '127.3.0.2', '127.3.0.3']);
        // A refusing device: per-address closes its listener (ECONNREFUSED); the shared wildcard listener resets.
        fleet.device(1).setFault({ refuse: true });
        const err = await connect(fleet.devices[1]!).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(ConnectError);
        expect((err as ConnectError).code).toBe(mode === 'per-address' ? 'ECONNREFUSED' : 'ECONNRESET');
        fleet.device(1).setFault({ refuse: undefined });
        await new Promise((r) => setTimeout(r, 20));
        const again = await connect(fleet.devices[1]!);
        await again.close();
      } finally {
        await fleet.stop();
      }
    });
  }
});

describe('tod-sim CLI', () => {
  it('prints the device list as JSON, serves it, and stops on SIGTERM', async () => {
    const cli = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../src/cli.ts');
    const child: ChildProcess = spawn(
      'node',
      [
        '--conditions=source',
        '--import',
        'tsx',
        cli,
        '--devices',
        '2',
        '--password',
        'cli',
        '--tls',
        'off',
        '--version',
        '6.49.10',
      ],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    child.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
    });
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    for (let i = 0; i < 200 && !out.trim().endsWith(']'); i++) await new Promise((r) => setTimeout(r, 50));
    const devices = JSON.parse(out) as DeviceInfo[];
    expect(devices).toHaveLength(2);
    expect(devices[0]).toMatchObject({ address: '127.0.0.1', username: 'admin', password: 'cli', version: '6.49.10' });
    const c = await connect(devices[1]!);
    expect((await c.command('/system/health/print'))[0]).toHaveProperty('voltage');
    await c.close();
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
