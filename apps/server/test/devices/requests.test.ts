import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { headersFor, type Seed, seed } from '../helpers/seed.js';

// Requests that used to reach further than they should: names of Object.prototype as sparse fields, a 10 MiB
// text/csv body on any route (even unauthenticated sign-in), and CSV column names echoed back whole.

let ctx: TestContext;
let s: Seed;

beforeAll(async () => {
  ctx = await createTestContext();
  s = await seed(ctx);
}, 60_000);
afterAll(() => ctx?.close());

const devices = (query: string) =>
  ctx.app.inject({ method: 'GET', url: `/api/tenants/${s.a.id}/devices?${query}`, headers: headersFor(s, 'viewer') });

describe('the device list', () => {
  it('refuses fields that are not device fields, including names every object has (422, not 500)', async () => {
    for (const f of ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf', 'name,constructor']) {
      const r = await devices(`fields=${f}`);
      expect(r.statusCode, f).toBe(422);
      expect(r.json().code).toBe('validation_failed');
    }
    expect((await devices('fields=name,status')).statusCode).toBe(200);
  });
});

describe('CSV bodies', () => {
  const csv = (url: string, body: string, headers: Record<string, string> = {}) =>
    ctx.app.inject({ method: 'POST', url, headers: { ...headers, 'content-type': 'text/csv' }, payload: body });

  it('are parsed by the device import only: sign-in and other routes refuse text/csv (415)', async () => {
    const big = `email,password\n${'x'.repeat(5 * 1024 * 1024)}`;
    const login = await csv('/api/auth/login', big);
    expect(login.statusCode).toBe(415);
    const other = await csv(`/api/tenants/${s.a.id}/devices`, 'name,host\nx,10.0.0.1', headersFor(s, 'operator'));
    expect(other.statusCode).toBe(415);
    const imported = await csv(
      `/api/tenants/${s.a.id}/devices/import`,
      'name,host,username,password\ncsv-1,10.3.0.1,admin,pw',
      headersFor(s, 'operator'),
    );
    expect(imported.json()).toMatchObject({ added: 1, failed: 0 });
  });

  it('echo unknown column names shortened, and only a few of them', async () => {
    const long = 'c'.repeat(5000);
    const header = ['name', 'host', long, ...Array.from({ length: 30 }, (_, i) => `extra${i}`)].join(',');
    const r = await csv(`/api/tenants/${s.a.id}/devices/import`, `${header}\nx,10.0.0.1`, headersFor(s, 'operator'));
    expect(r.statusCode).toBe(400);
    expect(r.json().code).toBe('invalid_csv');
    const detail: string = r.json().detail;
    expect(detail).not.toContain('c'.repeat(41));
    expect(detail).toContain('31 in all');
    expect(detail.length).toBeLessThan(600);
  });
});
