import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { type Seed, seed } from '../helpers/seed.js';
import { api, type Listener, listener } from './helpers.js';

// Probes cost TOD sockets and time and reach hosts an operator picks: a budget per tenant and minute, and a bound on
// how many run at once per tenant and per process (the rest queue).

let ctx: TestContext;
let s: Seed;
let call: ReturnType<typeof api>;
let silent: Listener;

beforeAll(async () => {
  // Accepts and never answers: every probe holds its slot until the login times out.
  silent = await listener();
  ctx = await createTestContext({
    CONNECTION_TIMEOUT_SECONDS: '1',
    COMMAND_TIMEOUT_SECONDS: '1',
    PROBE_RATE_LIMIT_PER_MINUTE: '8',
    PROBE_MAX_CONCURRENT_PER_TENANT: '2',
    PROBE_MAX_CONCURRENT: '3',
  });
  s = await seed(ctx);
  call = api(ctx, s);
}, 60_000);

afterAll(async () => {
  await ctx?.close();
  await silent?.close();
});

const body = { host: '127.0.0.1', tls_mode: 'plain', username: 'admin', password: 'pw' };

describe('probes', () => {
  it('run at most two at once per tenant, and three per process; the others wait their turn', async () => {
    const slow = (tenant = s.a) => call('POST', '/devices/probe', { ...body, port: silent.port }, tenant);
    // Connections made while the first ones still wait for their 1 s login timeout: those admitted at once.
    const admitted = async (since: number) => {
      await new Promise((r) => setTimeout(r, 600));
      return silent.connections - since;
    };
    let t0 = Date.now();
    let base = silent.connections;
    const alone = Promise.all([slow(), slow(), slow()]);
    expect(await admitted(base)).toBe(2);
    for (const r of await alone) expect(r.json()).toMatchObject({ ok: false, code: 'timeout' });
    // The third waited for a slot: two login timeouts in a row.
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1900);

    t0 = Date.now();
    base = silent.connections;
    const mixed = Promise.all([slow(), slow(), slow(), slow(s.b), slow(s.b)]);
    expect(await admitted(base)).toBe(3);
    for (const r of await mixed) expect(r.json().code).toBe('timeout');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1900);
    expect(silent.connections).toBe(8);
  });

  it('have a budget per tenant and minute across probe, re-probe and create with probe', async () => {
    // Tenant a spent 6 of 8 above. Create without a probe does not count.
    const quiet = await call('POST', '/devices?probe=false', { name: 'q', ...body, port: 1 });
    expect(quiet.statusCode).toBe(201);
    expect((await call('POST', `/devices/${quiet.json().id}/probe`)).statusCode).toBe(200);
    expect((await call('POST', '/devices', { name: 'r', ...body, port: 2 })).statusCode).toBe(201);
    const over = await call('POST', '/devices/probe', { ...body, port: 3 });
    expect(over.statusCode).toBe(429);
    expect(over.json().code).toBe('rate_limited');
    expect((await call('POST', `/devices/${quiet.json().id}/probe`)).statusCode).toBe(429);
    expect((await call('POST', '/devices?probe=true', { name: 's', ...body, port: 4 })).statusCode).toBe(429);
    expect((await call('POST', '/devices?probe=false', { name: 't', ...body, port: 5 })).statusCode).toBe(201);
    // Another tenant has its own budget.
    expect((await call('POST', '/devices/probe', { ...body, port: 6 }, s.b)).statusCode).toBe(200);
  });
});
