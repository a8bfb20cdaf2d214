import { randomUUID } from 'node:crypto';
import { apiAs, expectStatus } from './api.js';
import type { TestContext } from './context.js';
import type { Seed, SeededTenant } from './seed.js';

// Factories: build the things tests need through the real API (so RLS, validation and audit apply), as the tenant's
// admin unless told otherwise. Each returns the created resource's JSON.

type Json = Record<string, unknown> & { id: string; name: string };
const unique = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;
// Devices are unique by host and port: consecutive ports (from a random start) never collide within a test file, as
// random ones did once a file made a few dozen devices. Below 1024, so nothing listens there.
let lastPort = Math.floor(Math.random() * 1000);
const closedPort = () => {
  lastPort = (lastPort % 1000) + 1;
  return lastPort;
};

export function factories(ctx: TestContext, seed: Seed, tenant: SeededTenant = seed.a) {
  const admin = apiAs(ctx, seed, 'admin', tenant);
  const base = `/api/tenants/${tenant.id}`;
  const create = async (segment: string, body: object) =>
    expectStatus<Json>(await admin.post(`${base}/${segment}`, body), 201);
  return {
    /** A device that is never reached (closed loopback port) unless `host`/`port` say otherwise. */
    device: (over: Record<string, unknown> = {}) =>
      create('devices?probe=false', {
        name: unique('router'),
        host: '127.0.0.1',
        port: closedPort(),
        tls_port: 1,
        username: 'admin',
        password: 'x',
        ...over,
      }),
    site: (over: Record<string, unknown> = {}) => create('sites', { name: unique('site'), ...over }),
    deviceGroup: (over: Record<string, unknown> = {}) => create('device-groups', { name: unique('group'), ...over }),
    deviceTag: (over: Record<string, unknown> = {}) => create('device-tags', { name: unique('tag'), ...over }),
    credentialProfile: (over: Record<string, unknown> = {}) =>
      create('credential-profiles', { name: unique('profile'), username: 'admin', password: 'x', ...over }),
    user: (role: 'viewer' | 'operator' | 'admin' = 'viewer', over: Record<string, unknown> = {}) =>
      create('users', {
        email: `${unique(role)}@factory.test`,
        name: unique(role),
        role,
        password: 'a-long-test-password-1',
        ...over,
      }),
    apiKey: (over: Record<string, unknown> = {}) => create('api-keys', { name: unique('key'), ...over }),
  };
}
