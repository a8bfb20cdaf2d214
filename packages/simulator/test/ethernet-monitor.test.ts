// `/interface/ethernet/monitor`: one row per named port with its link status and negotiated rate (absent without
// link), consistent with the interface's `running` flag; v6 and v7 mode names; `once` vs a stream until cancelled.
import type { RouterOSClient, Row } from '@tod/routeros';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Fleet, startFleet } from '../src/index.js';
import { connect } from './helpers.js';

let fleet: Fleet;
const clients: RouterOSClient[] = [];

beforeAll(async () => {
  fleet = await startFleet({
    tls: false,
    base: { users: [{ name: 'admin', password: 's' }] },
    specs: [
      { version: '7.16', traffic: { linkedPorts: 3, linkRates: { ether2: '100Mbps', ether3: 'unknown' } } },
      { version: '6.49.10', traffic: { linkedPorts: 1 } },
      { version: '7.16', boardName: 'hAP lite', traffic: { linkedPorts: 1 } },
    ],
  });
  for (const d of fleet.devices) clients.push(await connect(d));
});
afterAll(async () => {
  for (const c of clients) await c.close();
  await fleet.stop();
});

const monitor = (i: number, numbers: string, extra: Record<string, string> = {}) =>
  clients[i]!.command('/interface/ethernet/monitor', { numbers, once: '', ...extra });

describe('/interface/ethernet/monitor', () => {
  it('v7: a row per port in the order asked, the rate of running ports, no rate without link', async () => {
    const rows = await monitor(0, 'ether2,ether1,ether4');
    expect(rows.map((r) => r.name)).toEqual(['ether2', 'ether1', 'ether4']);
    expect(rows[1]).toEqual({
      name: 'ether1',
      status: 'link-ok',
      'auto-negotiation': 'done',
      rate: '1Gbps',
      'full-duplex': 'true',
      'tx-flow-control': 'false',
      'rx-flow-control': 'false',
      supported: '10M-baseT-half,10M-baseT-full,100M-baseT-half,100M-baseT-full,1G-baseT-half,1G-baseT-full',
      advertising: '10M-baseT-half,10M-baseT-full,100M-baseT-half,100M-baseT-full,1G-baseT-half,1G-baseT-full',
      'link-partner-advertising':
        '10M-baseT-half,10M-baseT-full,100M-baseT-half,100M-baseT-full,1G-baseT-half,1G-baseT-full',
    });
    // The spec's rate for ether2: the far end settled on 100 Mbit/s.
    expect(rows[0]).toMatchObject({ status: 'link-ok', rate: '100Mbps' });
    expect(rows[0]?.['link-partner-advertising']).toBe('10M-baseT-half,10M-baseT-full,100M-baseT-half,100M-baseT-full');
    // ether4 is past linkedPorts: not running, so no link and no rate.
    expect(rows[2]).toMatchObject({ name: 'ether4', status: 'no-link', 'link-partner-advertising': '' });
    expect(rows[2]).not.toHaveProperty('rate');
    expect(rows[2]).not.toHaveProperty('full-duplex');
  });

  it('agrees with /interface print on which ports run, and follows a port being disabled', async () => {
    const c = clients[0]!;
    const printed = await c.command('/interface/print', ['?type=ether'], { proplist: ['name', 'running'] });
    const names = printed.map((r) => r.name as string);
    const rows = await monitor(0, names.join(','));
    expect(rows.map((r) => r.status)).toEqual(printed.map((r) => (r.running === 'true' ? 'link-ok' : 'no-link')));
    await c.command('/interface/ethernet/disable', { numbers: 'ether1' });
    try {
      const [down] = await monitor(0, 'ether1');
      expect(down).toMatchObject({ status: 'no-link' });
      expect(down).not.toHaveProperty('rate');
    } finally {
      await c.command('/interface/ethernet/enable', { numbers: 'ether1' });
    }
    expect((await monitor(0, 'ether1'))[0]).toMatchObject({ status: 'link-ok', rate: '1Gbps' });
  });

  it('v6: the older mode names, no `supported`; a port without link as RouterOS 6 prints it', async () => {
    const [up, down] = await monitor(1, 'ether1,ether5');
    expect(up).toEqual({
      name: 'ether1',
      status: 'link-ok',
      'auto-negotiation': 'done',
      rate: '1Gbps',
      'full-duplex': 'true',
      'tx-flow-control': 'false',
      'rx-flow-control': 'false',
      advertising: '10M-half,10M-full,100M-half,100M-full,1000M-half,1000M-full',
      'link-partner-advertising': '10M-half,10M-full,100M-half,100M-full,1000M-half,1000M-full',
    });
    expect(down).toEqual({
      name: 'ether5',
      status: 'no-link',
      'auto-negotiation': 'done',
      advertising: '10M-half,10M-full,100M-half,100M-full,1000M-half,1000M-full',
      'link-partner-advertising': '',
    });
  });

  it('a Fast Ethernet board runs its ports at 100Mbps; a rate the spec gives is printed as given', async () => {
    expect((await monitor(2, 'ether1'))[0]).toMatchObject({ status: 'link-ok', rate: '100Mbps' });
    expect((await monitor(0, 'ether3'))[0]).toMatchObject({ status: 'link-ok', rate: 'unknown' });
  });

  it('takes ids as well as names, honours .proplist, and refuses ports that are not ethernet or do not exist', async () => {
    const c = clients[0]!;
    const [e1] = await c.command('/interface/ethernet/print', ['?name=ether1']);
    const rows = await c.command(
      '/interface/ethernet/monitor',
      { numbers: e1?.['.id'] as string, once: '' },
      { proplist: ['name', 'rate'] },
    );
    expect(rows).toEqual([{ name: 'ether1', rate: '1Gbps' }]);
    await expect(monitor(0, 'ether1,nope')).rejects.toThrow(/no such item \(nope\)/);
    await c.command('/interface/bridge/add', { name: 'br-mon' });
    await expect(monitor(0, 'br-mon')).rejects.toThrow(/no such item/);
    await expect(c.command('/interface/ethernet/monitor', { once: '' })).rejects.toThrow(/no such item/);
  });

  it('without once: a fresh set of rows per interval until cancelled', async () => {
    const c = clients[1]!;
    const rows: Row[] = [];
    for await (const r of c.stream('/interface/ethernet/monitor', { numbers: 'ether1,ether2', interval: '0.1' })) {
      rows.push(r);
      if (rows.length >= 6) break;
    }
    expect(rows.map((r) => r.name)).toEqual(['ether1', 'ether2', 'ether1', 'ether2', 'ether1', 'ether2']);
    expect(rows.map((r) => r.status)).toEqual(['link-ok', 'no-link', 'link-ok', 'no-link', 'link-ok', 'no-link']);
    await new Promise((r) => setTimeout(r, 50));
    expect(c.inFlight).toBe(0);
  });
});
