import { afterAll, beforeAll, expect, it } from 'vitest';
import { apiAs } from '../../helpers/api.js';
import { createTestContext, type TestContext } from '../../helpers/context.js';
import { seed } from '../../helpers/seed.js';
import { startTransitServer, type TransitServer } from '../../helpers/transit-server.js';

// A request that needs a secret while OpenBao is gone answers 503 key_provider_unavailable — not a 500 — and names
// nothing of the provider's.

let ctx: TestContext;
let bao: TransitServer;

beforeAll(async () => {
  bao = await startTransitServer();
  ctx = await createTestContext({
    OPENBAO_ADDR: bao.url,
    OPENBAO_TOKEN: bao.token,
    OPENBAO_TIMEOUT_SECONDS: '1',
    // Every use asks the provider: nothing unwrapped is kept.
    KMS_KEY_CACHE_SIZE: '0',
  });
}, 60_000);
afterAll(async () => {
  await ctx?.close();
  await bao?.close().catch(() => {});
});

it('a device saved while the key provider is down is refused with 503, and saved once it is back', async () => {
  const s = await seed(ctx);
  const admin = apiAs(ctx, s, 'admin');
  const body = (name: string) => ({
    name,
    host: '127.0.0.1',
    port: 1,
    tls_port: 1,
    username: 'admin',
    password: 'pw-1',
  });
  bao.hang = true;
  const r = await admin.post(`/api/tenants/${s.a.id}/devices?probe=false`, body('while-down'));
  expect(r.statusCode).toBe(503);
  expect(r.json()).toEqual({
    detail: 'the key provider is unavailable; try again shortly',
    code: 'key_provider_unavailable',
  });
  expect(r.body).not.toContain(bao.url);
  bao.hang = false;
  expect((await admin.post(`/api/tenants/${s.a.id}/devices?probe=false`, body('after'))).statusCode).toBe(201);
});
