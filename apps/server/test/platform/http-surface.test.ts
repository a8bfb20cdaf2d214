import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresCheck, redisCheck } from '../../src/platform/readiness.js';
import { freePort } from '../global-setup.js';
import { createTestContext, type TestContext } from '../helpers/context.js';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx?.close());

describe('HTTP surface', () => {
  it('health includes the version; /api/health is an alias', async () => {
    const h = await ctx.app.inject({ url: '/health' });
    expect(h.statusCode).toBe(200);
    expect(h.json()).toMatchObject({ status: 'ok', version: expect.any(String) });
    expect((await ctx.app.inject({ url: '/api/health' })).json()).toEqual(h.json());
  });

  it('readiness checks PostgreSQL', async () => {
    const r = await ctx.app.inject({ url: '/health/ready' });
    expect(r.statusCode).toBe(200);
    expect(r.json().checks.postgres.ok).toBe(true);
  });

  it('sets security headers and a request id (honouring a sane incoming one)', async () => {
    const r = await ctx.app.inject({ url: '/api/health', headers: { 'x-request-id': 'abc-123' } });
    expect(r.headers).toMatchObject({
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      'referrer-policy': 'strict-origin-when-cross-origin',
      'x-request-id': 'abc-123',
    });
    expect(r.headers['content-security-policy']).toContain("default-src 'self'");
    expect(r.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(r.headers['strict-transport-security']).toBeUndefined(); // dev: no HSTS
    const weird = await ctx.app.inject({ url: '/api/health', headers: { 'x-request-id': 'a b\nc' } });
    expect(weird.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('serves OpenAPI 3.1 with the error shape and the docs page outside production', async () => {
    const doc = (await ctx.app.inject({ url: '/api/openapi.json' })).json();
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/auth/login', '/api/tenants/{tenant_id}/users']),
    );
    expect(doc.paths['/api/tenants/{tenant_id}/users'].post.responses['422']).toBeDefined();
    const docs = await ctx.app.inject({ url: '/docs/' });
    expect(docs.statusCode).toBe(200);
    expect(docs.headers['content-type']).toMatch(/html/);
  });

  it('exports Prometheus metrics labelled by route pattern', async () => {
    await ctx.app.inject({ url: '/api/health' });
    await ctx.app.inject({ url: '/api/tenants/00000000-0000-4000-8000-000000000000' });
    const m = await ctx.app.inject({ url: '/metrics' });
    expect(m.statusCode).toBe(200);
    expect(m.body).toMatch(/http_requests_total\{method="GET",route="\/api\/health",status="200"\} \d+/);
    expect(m.body).toContain('route="/api/tenants/:tenant_id",status="401"');
    expect(m.body).toContain('http_request_duration_seconds_bucket');
    expect(m.body).toContain('process_cpu_user_seconds_total');
  });

  it('answers CORS preflight only for configured origins', async () => {
    const ok = await ctx.app.inject({
      method: 'OPTIONS',
      url: '/api/auth/me',
      headers: { origin: 'http://localhost:3000', 'access-control-request-method': 'GET' },
    });
    expect(ok.headers['access-control-allow-origin']).toBe('http://localhost:3000');
    expect(ok.headers['access-control-allow-credentials']).toBe('true');
    const evil = await ctx.app.inject({
      method: 'OPTIONS',
      url: '/api/auth/me',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET' },
    });
    expect(evil.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('production mode', () => {
  it('sends HSTS, Secure cookies and hides /docs', async () => {
    const prod = await createTestContext({
      ENVIRONMENT: 'production',
      JWT_SECRET_KEY: 'k7Qz2vX9pL4mN8rT1wY6bC3dF5gH0jS2aE7uI9oP4lK',
      CREDENTIAL_ENCRYPTION_KEY: 'q1w2e3r4t5y6u7i8o9p0a1s2d3f4g5h6j7k8l9z0x1c=',
    });
    try {
      const r = await prod.app.inject({ url: '/api/health' });
      expect(r.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
      expect((await prod.app.inject({ url: '/docs/' })).statusCode).toBe(404);
      const login = await prod.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { email: 'a@b.test', password: 'x' },
      });
      expect(login.statusCode).toBe(401);
    } finally {
      await prod.close();
    }
  });
});

describe('readiness with an optional dependency down', () => {
  it('is 503 naming redis when REDIS_URL points nowhere', async () => {
    const { Redis } = await import('ioredis');
    // A port that is closed: a free one nobody listens on.
    const port = await freePort();
    const redis = new Redis({
      port,
      host: '127.0.0.1',
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      enableOfflineQueue: false,
      retryStrategy: () => null,
    });
    redis.on('error', () => {});
    const { createHttpServer } = await import('../../src/runtime/http.js');
    const app = await createHttpServer({
      config: ctx.config,
      log: (await import('pino')).default({ level: 'silent' }),
      services: ctx.services,
      readiness: [postgresCheck(ctx.pools.app), redisCheck(redis)],
    });
    const r = await app.inject({ url: '/health/ready' });
    expect(r.statusCode).toBe(503);
    expect(r.json()).toMatchObject({
      status: 'not_ready',
      code: 'not_ready',
      checks: { postgres: { ok: true }, redis: { ok: false } },
    });
    expect(r.json().detail).toContain('redis');
    await app.close();
    redis.disconnect();
  });
});
