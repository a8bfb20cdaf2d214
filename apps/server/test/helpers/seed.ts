import { hashPassword } from '../../src/platform/auth/passwords.js';
import { withSystem } from '../../src/platform/db/tx.js';
import { TEST_PASSWORD } from './constants.js';
import type { TestContext } from './context.js';

export type Caller = 'anonymous' | 'viewer' | 'operator' | 'admin' | 'super_admin' | 'api_key';
export const callers: Caller[] = ['anonymous', 'viewer', 'operator', 'admin', 'super_admin', 'api_key'];

export type SeededTenant = {
  id: string;
  users: Record<'admin' | 'operator' | 'viewer', { id: string; email: string; token: string }>;
  apiKey: string;
  apiKeyId: string;
};
export type Seed = { a: SeededTenant; b: SeededTenant; superAdmin: { id: string; email: string; token: string } };

let cachedHash: Promise<string> | undefined;
const testHash = () => {
  cachedHash ??= hashPassword(TEST_PASSWORD);
  return cachedHash;
};

/**
 * A full session for a seeded (not enrolled) user: a real password sign-in, which gives an enrol-only session,
 * promoted to 'full' in the database. Real enrolment costs a 650,000-round PBKDF2 on the client side; it is
 * exercised end to end in srp*.test.ts and the browser tests, not once per seeded user.
 */
export async function login(ctx: TestContext, email: string, password = TEST_PASSWORD): Promise<string> {
  const token = await enrolSession(ctx, email, password);
  await promoteSession(ctx, token);
  return token;
}

/** The enrol-only session a password sign-in gives. */
export async function enrolSession(ctx: TestContext, email: string, password = TEST_PASSWORD): Promise<string> {
  const r = await ctx.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password } });
  if (r.statusCode !== 200) throw new Error(`login ${email} failed: ${r.statusCode} ${r.body}`);
  return r.json().access_token;
}

export const sessionIdOf = (accessToken: string): string =>
  JSON.parse(Buffer.from(accessToken.split('.')[1]!, 'base64url').toString('utf8')).sid;

export async function promoteSession(ctx: TestContext, accessToken: string) {
  await withSystem(ctx.pools.system, (db) =>
    db.query(`update auth_sessions set scope = 'full' where id = $1`, [sessionIdOf(accessToken)]),
  );
}

export async function seedTenant(ctx: TestContext, label: string, superToken: string): Promise<SeededTenant> {
  const t = await ctx.app.inject({
    method: 'POST',
    url: '/api/tenants',
    headers: { authorization: `Bearer ${superToken}` },
    payload: { name: `Tenant ${label}` },
  });
  if (t.statusCode !== 201) throw new Error(`seed tenant: ${t.body}`);
  const id = t.json().id as string;
  const hash = await testHash();
  const users = {} as SeededTenant['users'];
  for (const role of ['admin', 'operator', 'viewer'] as const) {
    const email = `${role}@${label}.test`;
    const uid = await withSystem(ctx.pools.system, async (db) => {
      const r = await db.query<{ id: string }>(
        `insert into users (tenant_id, email, name, role, password_hash) values ($1, $2, $3, $4, $5) returning id`,
        [id, email, `${role} ${label}`, role, hash],
      );
      return r.rows[0]!.id;
    });
    users[role] = { id: uid, email, token: await login(ctx, email) };
  }
  const k = await ctx.app.inject({
    method: 'POST',
    url: `/api/tenants/${id}/api-keys`,
    headers: { authorization: `Bearer ${users.admin.token}` },
    payload: { name: `key ${label}` },
  });
  if (k.statusCode !== 201) throw new Error(`seed api key: ${k.body}`);
  return { id, users, apiKey: k.json().key, apiKeyId: k.json().id };
}

/** Two tenants with one user per role each, an API key each, and a super_admin. */
export async function seed(ctx: TestContext): Promise<Seed> {
  const hash = await testHash();
  const email = 'root@tod.test';
  const superId = await withSystem(ctx.pools.system, async (db) => {
    const r = await db.query<{ id: string }>(
      `insert into users (tenant_id, email, name, role, password_hash) values (null, $1, 'Root', 'super_admin', $2) returning id`,
      [email, hash],
    );
    return r.rows[0]!.id;
  });
  const superToken = await login(ctx, email);
  const a = await seedTenant(ctx, 'a', superToken);
  const b = await seedTenant(ctx, 'b', superToken);
  return { a, b, superAdmin: { id: superId, email, token: superToken } };
}

/** Request headers for a caller acting in a tenant. */
export function headersFor(s: Seed, caller: Caller, tenant: SeededTenant = s.a): Record<string, string> {
  switch (caller) {
    case 'anonymous':
      return {};
    case 'super_admin':
      return { authorization: `Bearer ${s.superAdmin.token}` };
    case 'api_key':
      return { 'x-api-key': tenant.apiKey };
    default:
      return { authorization: `Bearer ${tenant.users[caller].token}` };
  }
}

/** A device row only (no credentials that work, never polled), inserted as the owner: for tests of what is stored. */
export async function bareDevice(ctx: TestContext, tenantId: string, name: string, host = name): Promise<string> {
  const r = await ctx.pools.owner.query<{ id: string }>(
    `insert into devices (tenant_id, name, host, username, password_enc) values ($1, $2, $3, 'admin', '\\x00')
     returning id`,
    [tenantId, name, host],
  );
  return r.rows[0]!.id;
}
