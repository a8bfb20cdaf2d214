// Streaming commands: listen, print follow, /log follow, monitor-traffic (once vs continuous), ended by /cancel.
import type { RouterOSClient, Row } from '@tod/routeros';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Fleet, startFleet } from '../src/index.js';
import { connect } from './helpers.js';

let fleet: Fleet;

beforeAll(async () => {
  fleet = await startFleet({ tls: false, base: { users: [{ name: 'admin', password: 's' }] } });
});
afterAll(() => fleet.stop());

async function take(stream: AsyncIterable<Row>, n: number): Promise<Row[]> {
  const rows: Row[] = [];
  for await (const r of stream) {
    rows.push(r);
    if (rows.length >= n) break;
  }
  return rows;
}

describe('streams', () => {
  let c: RouterOSClient;
  let other: RouterOSClient;
  beforeAll(async () => {
    c = await connect(fleet.devices[0]!);
    other = await connect(fleet.devices[0]!);
  });
  afterAll(async () => {
    await c.close();
    await other.close();
  });

  it('/ip/address/listen streams adds, changes and removals (.dead) until cancelled', async () => {
    const stream = c.stream('/ip/address/listen');
    const rows = take(stream, 3);
    const id = (await other.run('/ip/address/add', { address: '198.51.100.1/24', interface: 'ether2' })).done
      .ret as string;
    await other.command('/ip/address/set', { '.id': id, comment: 'x' });
    await other.command('/ip/address/remove', { '.id': id });
    const got = await rows;
    expect(got[0]).toMatchObject({ '.id': id, address: '198.51.100.1/24' });
    expect(got[1]).toMatchObject({ '.id': id, comment: 'x' });
    expect(got[2]).toEqual({ '.id': id, '.dead': 'true' });
    // After break (cancel) the session still works and has nothing in flight.
    await new Promise((r) => setTimeout(r, 20));
    expect(c.inFlight).toBe(0);
  });

  it('/interface/listen sees an interface renamed through another session', async () => {
    const rows = take(c.stream('/interface/listen'), 1);
    const [e3] = await other.command('/interface/print', ['?name=ether3']);
    await other.command('/interface/set', { '.id': e3?.['.id'], name: 'lan3' });
    expect((await rows)[0]).toMatchObject({ name: 'lan3', type: 'ether' });
  });

  it('print with follow: current rows first, then changes', async () => {
    const rows = take(c.stream('/system/script/print', { follow: '' }), 2);
    await other.command('/system/script/add', { name: 's1', source: ':log info hi' });
    await other.command('/system/script/add', { name: 's2', source: ':log info ho' });
    expect((await rows).map((r) => r.name)).toEqual(['s1', 's2']);
  });

  it('/log/print follow-only streams new log entries', async () => {
    const rows = take(c.stream('/log/print', { 'follow-only': '' }), 1);
    await other.command('/ip/address/add', { address: '203.0.113.1/24', interface: 'ether1' });
    const [entry] = await rows;
    expect(entry?.message).toMatch(/ip address added by admin/);
    expect(entry?.topics).toBe('system,info');
    expect(entry?.time).toMatch(/^\d\d:\d\d:\d\d$/);
  });

  it('monitor-traffic once: one row then !done; continuous: a row per interval until cancel', async () => {
    const once = await c.command('/interface/monitor-traffic', { interface: 'ether1', once: '' });
    expect(once).toHaveLength(1);
    expect(once[0]).toHaveProperty('rx-bits-per-second');
    expect(once[0]).toHaveProperty('tx-packets-per-second');
    const t0 = Date.now();
    const rows = await take(c.stream('/interface/monitor-traffic', { interface: 'ether1', interval: '0.1' }), 3);
    expect(rows).toHaveLength(3);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(150);
    await expect(c.command('/interface/monitor-traffic', { interface: 'nope', once: '' })).rejects.toThrow(
      /no such item/,
    );
  });
});
