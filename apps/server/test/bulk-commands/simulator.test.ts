import { RouterOSClient } from '@tod/routeros';
import { type DeviceInfo, type Fleet, startFleet } from '@tod/simulator';
import { Client } from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { combineOutputs, formatExport, formatReply } from '../../src/features/bulk-commands/output.js';
import { planBulkCommands } from '../../src/features/bulk-commands/plan.js';
import { groupOutputs } from '../../src/features/bulk-commands/results.js';

// The read steps as real API sentences against simulated routers (whose query support follows the RouterOS API
// manual), and the export step in the terminal over SSH: what the translation produces is what a router accepts.

const config = (wanComment: string) => `/interface bridge
add name=bridge1
/ip address
add address=10.0.0.1/24 comment="${wanComment}" interface=ether1
add address=192.168.88.1/24 comment=lan interface=bridge1
add address=10.9.9.1/24 disabled=yes interface=ether2
/ppp secret
add name=u1 password=s3cret-ppp service=pppoe
`;

let fleet: Fleet;
const clients: RouterOSClient[] = [];

beforeAll(async () => {
  fleet = await startFleet({
    devices: 4,
    tls: false,
    topology: 'none',
    // Devices 0-2 share a configuration; device 3's WAN address has another comment.
    spec: (i) => ({ identity: i === 1 ? 'odd-one' : 'router', exportText: config(i === 3 ? 'uplink' : 'wan side') }),
  });
  for (const d of fleet.devices)
    clients.push(
      await RouterOSClient.connect({
        host: d.address,
        port: d.port,
        tlsMode: 'plain',
        username: d.username,
        password: d.password,
        commandTimeoutMs: 5000,
      }),
    );
}, 60_000);

afterAll(async () => {
  for (const c of clients) await c.close();
  await fleet?.stop();
});

async function runReads(client: RouterOSClient, text: string): Promise<string> {
  const plan = planBulkCommands(text);
  expect(plan.errors).toEqual([]);
  const parts: { cli: string; output: string }[] = [];
  for (const s of plan.steps) {
    if (s.kind !== 'read') throw new Error(`not a read: ${s.cli}`);
    const r = formatReply(s, await client.run(s.command, s.args, s.options));
    parts.push({ cli: s.cli, output: r.error ? `error: ${r.error}` : r.output });
  }
  return combineOutputs(parts);
}

async function onAll(text: string) {
  return Promise.all(clients.map(async (c, i) => ({ device_id: `d${i}`, output: await runReads(c, text) })));
}

describe('reads on simulated routers', () => {
  it('print where becomes a query the router answers', async () => {
    const out = await runReads(clients[0] as RouterOSClient, '/ip address print where interface=ether1 or comment=lan');
    expect(out.split('\n')).toHaveLength(2);
    expect(out).toMatch(/^actual-interface=ether1 address=10\.0\.0\.1\/24 comment="wan side" .* interface=ether1/m);
    expect(out).toMatch(/ address=192\.168\.88\.1\/24 comment=lan .* interface=bridge1/m);
    expect(out).not.toMatch(/\.id=/);
  });

  it('counts, picks properties and reads single values', async () => {
    const out = await runReads(
      clients[0] as RouterOSClient,
      [
        '/ip address',
        'print count-only where !disabled',
        'print proplist=address where disabled=yes',
        '/interface get [ find default-name=ether1 ] name',
        ':put [/system identity get name]',
      ].join('\n'),
    );
    expect(out).toBe(
      [
        '> print count-only where !disabled',
        '2',
        '> print proplist=address where disabled=yes',
        'address=10.9.9.1/24',
        '> /interface get [ find default-name=ether1 ] name',
        'ether1',
        '> :put [/system identity get name]',
        'router',
      ].join('\n'),
    );
  });

  it('masks the secrets the router shows', async () => {
    const out = await runReads(
      clients[0] as RouterOSClient,
      '/ppp secret print\n/ppp secret get [ find name=u1 ] password',
    );
    expect(out).toMatch(/name=u1 password=\*{8} .*service=pppoe/);
    expect(out).toMatch(/^\*{8}$/m);
    expect(out).not.toContain('s3cret-ppp');
  });

  it('monitors once', async () => {
    const out = await runReads(clients[0] as RouterOSClient, '/interface monitor-traffic ether1 once');
    expect(out).toMatch(/\bname=ether1\b/);
    expect(out).toMatch(/rx-bits-per-second=\d+/);
  });

  it('groups equal answers across the fleet', async () => {
    expect(groupOutputs(await onAll('/system identity get name'))).toEqual([
      { output: 'router', device_ids: ['d0', 'd2', 'd3'] },
      { output: 'odd-one', device_ids: ['d1'] },
    ]);
    const groups = groupOutputs(await onAll('/ip address print proplist=address,comment where interface=ether1'));
    expect(groups.map((g) => [g.output, g.device_ids])).toEqual([
      ['address=10.0.0.1/24 comment="wan side"', ['d0', 'd1', 'd2']],
      ['address=10.0.0.1/24 comment=uplink', ['d3']],
    ]);
  });
});

function sshExec(d: DeviceInfo, command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const c = new Client();
    c.once('error', reject);
    c.once('ready', () =>
      c.exec(command, (err, ch) => {
        if (err) return reject(err);
        const chunks: Buffer[] = [];
        ch.on('data', (b: Buffer) => chunks.push(b));
        ch.stderr.on('data', (b: Buffer) => chunks.push(b));
        ch.on('close', () => {
          c.end();
          resolve(Buffer.concat(chunks).toString('latin1'));
        });
      }),
    );
    c.connect({
      host: d.address,
      port: d.sshPort as number,
      username: d.username,
      password: d.password,
      readyTimeout: 5000,
      hostVerifier: () => true,
    });
  });
}

describe('export over SSH', () => {
  it('runs the canonical line in the terminal; equal menus group, secrets stay masked', async () => {
    const plan = planBulkCommands('/ip/address/export terse\n/ppp secret export');
    expect(plan.errors).toEqual([]);
    const results = await Promise.all(
      fleet.devices.map(async (d, i) => {
        const parts: { cli: string; output: string }[] = [];
        for (const s of plan.steps) {
          if (s.kind !== 'export') throw new Error(`not an export: ${s.cli}`);
          const r = formatExport(await sshExec(d, s.cli));
          expect(r.error).toBeUndefined();
          parts.push({ cli: s.cli, output: r.output });
        }
        return { device_id: `d${i}`, output: combineOutputs(parts) };
      }),
    );
    const groups = groupOutputs(results);
    expect(groups.map((g) => g.device_ids)).toEqual([['d0', 'd1', 'd2'], ['d3']]);
    expect(groups[0]?.output).toContain('add address=10.0.0.1/24 comment="wan side" interface=ether1');
    expect(groups[0]?.output).not.toContain('s3cret-ppp');
  });
});
