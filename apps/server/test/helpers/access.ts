import { randomUUID } from 'node:crypto';
import type { TestContext } from './context.js';
import { type Caller, headersFor, type Seed, type SeededTenant } from './seed.js';

// Rows of the access matrix. Each feature keeps its rows in test/<feature>/access.ts; test/access-matrix.test.ts
// collects them, runs each for every caller and against another tenant, and fails when a documented route has no row.

/** What a row's `make` may use to build its call (throwaway resources are created as the super_admin). */
export type AccessHelpers = {
  ctx: TestContext;
  seed: Seed;
  /** POST /api/tenants/{t}/{segment} with `body`; the new id. */
  create: (t: SeededTenant, segment: string, body: object) => Promise<string>;
  user: (t: SeededTenant) => Promise<string>;
  apiKey: (t: SeededTenant) => Promise<string>;
  /** A device pointing at a closed loopback port: probes fail fast and predictably. */
  device: (t: SeededTenant) => Promise<string>;
  deviceBody: () => Record<string, unknown>;
  tenant: () => Promise<string>;
  /** A fresh port number, so rows never collide on a device's host:port. */
  port: () => number;
};

export type TestedRoute = {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** OpenAPI-style template, as /api/openapi.json lists it. */
  path: string;
  min: Caller | 'public' | 'signed_in';
  ok: number;
  tenantScoped: boolean;
  /** Callers refused with 403 although their rank would pass (e.g. API keys on user-only routes). */
  refuse?: Caller[];
  /** Builds the concrete URL and body for one call; may create throwaway resources first. */
  make: (t: SeededTenant, h: AccessHelpers) => Promise<{ url: string; body?: unknown }>;
};

/** A route whose access rules are tested elsewhere (sign-in flows, streams, real simulators): say where. */
export type CoveredRoute = { method: TestedRoute['method']; path: string; coveredBy: string };

export type AccessRow = TestedRoute | CoveredRoute;

export const isTested = (r: AccessRow): r is TestedRoute => !('coveredBy' in r);

export function accessHelpers(ctx: TestContext, seed: Seed): AccessHelpers {
  let nextPort = 1;
  const superHeaders = () => headersFor(seed, 'super_admin');
  const create = async (t: SeededTenant, segment: string, body: object) => {
    const r = await ctx.app.inject({
      method: 'POST',
      url: `/api/tenants/${t.id}/${segment}`,
      headers: superHeaders(),
      payload: body,
    });
    if (r.statusCode !== 201) throw new Error(`create ${segment}: ${r.body}`);
    return r.json().id as string;
  };
  const deviceBody = () => ({
    name: `d-${randomUUID()}`,
    host: '127.0.0.1',
    port: nextPort++,
    tls_port: 1,
    username: 'admin',
    password: '',
  });
  return {
    ctx,
    seed,
    create,
    user: (t) =>
      create(t, 'users', {
        email: `tmp-${randomUUID()}@x.test`,
        name: 'Tmp',
        role: 'viewer',
        password: 'a-long-test-password-1',
      }),
    apiKey: (t) => create(t, 'api-keys', { name: 'tmp' }),
    device: (t) => create(t, 'devices?probe=false', deviceBody()),
    deviceBody,
    tenant: async () => {
      const r = await ctx.app.inject({
        method: 'POST',
        url: '/api/tenants',
        headers: superHeaders(),
        payload: { name: `tmp ${randomUUID()}` },
      });
      return r.json().id as string;
    },
    port: () => nextPort++,
  };
}
