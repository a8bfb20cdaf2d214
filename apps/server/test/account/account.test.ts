import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { receiptHash, subjectHash } from '../../src/features/account/receipt.js';
import { hashPassword } from '../../src/platform/auth/passwords.js';
import { withSystem } from '../../src/platform/db/tx.js';
import { TEST_PASSWORD } from '../helpers/constants.js';
import { enrolSession, headersFor, login, type Seed, type SeededTenant, seed, sessionIdOf } from '../helpers/seed.js';
import { type AccountContext, createAccountContext, enrolDirectly } from './context.js';

// Issue 16 (GDPR): a person exports everything TOD holds about them, and deletes their account with a fresh proof
// of their password; the audit chains still verify, and a receipt is kept.

let ctx: AccountContext;
let s: Seed;
beforeAll(async () => {
  ctx = await createAccountContext();
  s = await seed(ctx);
});
afterAll(() => ctx?.close());

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
type Person = {
  id: string;
  email: string;
  token: string;
  proof: Awaited<ReturnType<typeof enrolDirectly>>;
};

/** A new person of a role in a tenant (made by its admin), signed in, with a verifier for proofs. */
async function person(role: 'viewer' | 'operator' | 'admin', t: SeededTenant = s.a): Promise<Person> {
  const email = `p-${randomUUID()}@a.test`;
  const r = await ctx.app.inject({
    method: 'POST',
    url: `/api/tenants/${t.id}/users`,
    headers: bearer(t.users.admin.token),
    payload: { email, name: `Person ${role}`, role, password: TEST_PASSWORD },
  });
  expect(r.statusCode, r.body).toBe(201);
  const token = await login(ctx, email);
  return { id: r.json().id, email, token, proof: await enrolDirectly(ctx, email) };
}

async function superAdmin(): Promise<Person> {
  const email = `root-${randomUUID()}@tod.test`;
  const hash = await hashPassword(TEST_PASSWORD);
  const id = await withSystem(ctx.pools.system, async (db) => {
    const r = await db.query<{ id: string }>(
      `insert into users (tenant_id, email, name, role, password_hash) values (null, $1, 'Root 2', 'super_admin', $2)
       returning id`,
      [email, hash],
    );
    return r.rows[0]!.id;
  });
  const token = await login(ctx, email);
  return { id, email, token, proof: await enrolDirectly(ctx, email) };
}

const exportOf = (headers: Record<string, string>) => ctx.api.inject({ url: '/api/auth/me/export', headers });
const deleteAs = (headers: Record<string, string>, payload: unknown) =>
  ctx.api.inject({ method: 'DELETE', url: '/api/auth/me', headers, payload: payload as object });
const verify = async (t: SeededTenant) =>
  (
    await ctx.app.inject({
      url: `/api/tenants/${t.id}/audit-logs/verify`,
      headers: bearer(t.users.admin.token),
    })
  ).json();
const userExists = async (id: string) =>
  (await ctx.pools.owner.query('select 1 from users where id = $1', [id])).rowCount === 1;

describe('GET /api/auth/me/export', () => {
  let p: Person;
  let keyId: string;
  let keySecret: string;
  let deviceId: string;
  beforeAll(async () => {
    p = await person('admin');
    const key = await ctx.app.inject({
      method: 'POST',
      url: `/api/tenants/${s.a.id}/api-keys`,
      headers: bearer(p.token),
      payload: { name: 'export-key' },
    });
    keyId = key.json().id;
    keySecret = key.json().key;
    const device = await ctx.app.inject({
      method: 'POST',
      url: `/api/tenants/${s.a.id}/devices?probe=false`,
      headers: bearer(s.a.users.admin.token),
      payload: { name: `d-${randomUUID()}`, host: '127.0.0.1', port: 1, tls_port: 1, username: 'admin', password: '' },
    });
    deviceId = device.json().id;
    const pref = await ctx.app.inject({
      method: 'PUT',
      url: `/api/tenants/${s.a.id}/devices/${deviceId}/view-preference`,
      headers: bearer(p.token),
      payload: { mode: 'simple' },
    });
    expect(pref.statusCode, pref.body).toBe(200);
  });

  it('holds the account, its sessions, keys it made (no secrets), preferences and its own audit entries', async () => {
    const r = await exportOf(bearer(p.token));
    expect(r.statusCode, r.body).toBe(200);
    expect(r.headers['content-disposition']).toContain('tod-personal-data.json');
    const x = r.json();
    expect(x).toMatchObject({
      format: 'tod.personal-data/1',
      account: {
        id: p.id,
        email: p.email,
        name: 'Person admin',
        role: 'admin',
        organisation: { id: s.a.id, name: 'Tenant a' },
        is_active: true,
        srp_enrolled: true,
      },
      api_keys: [{ id: keyId, name: 'export-key', organisation_id: s.a.id, revoked_at: null }],
      preferences: { device_views: [{ device_id: deviceId, mode: 'simple' }] },
      audit_entries_truncated: false,
    });
    expect(x.sessions.map((z: { id: string }) => z.id)).toContain(sessionIdOf(p.token));
    const actions = x.audit_entries.map((e: { action: string }) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['auth.login', 'api_key.create']));
    // Sealed details come opened; only this person's entries.
    expect(x.audit_entries.find((e: { action: string }) => e.action === 'api_key.create')).toMatchObject({
      details: { name: 'export-key' },
      details_unreadable: false,
      organisation_id: s.a.id,
    });
    expect(x.audit_entries.every((e: { actor_id: string }) => e.actor_id === p.id)).toBe(true);
    const text = JSON.stringify(x);
    for (const secret of ['srp_verifier', 'srp_salt', 'password_hash', 'key_hash', keySecret, s.a.users.admin.email])
      expect(text).not.toContain(secret);
  });

  it('is audited, and the next export shows it', async () => {
    const x = (await exportOf(bearer(p.token))).json();
    expect(x.audit_entries.map((e: { action: string }) => e.action)).toContain('account.export');
  });

  it('is for people: an API key is refused, anonymous callers too', async () => {
    expect((await exportOf(headersFor(s, 'api_key'))).statusCode).toBe(403);
    expect((await exportOf({})).statusCode).toBe(401);
    const sa = await exportOf(headersFor(s, 'super_admin'));
    expect(sa.statusCode).toBe(200);
    expect(sa.json().account).toMatchObject({ role: 'super_admin', organisation: null });
  });
});

describe('DELETE /api/auth/me', () => {
  it('refuses anonymous callers, API keys, enrol-only sessions, a wrong confirmation and a wrong proof', async () => {
    const p = await person('viewer');
    const body = async (proof = p.proof()) => ({ proof: await proof, confirm: p.email });
    expect((await deleteAs({}, await body())).statusCode).toBe(401);
    const key = await deleteAs(headersFor(s, 'api_key'), await body());
    expect(key.statusCode).toBe(403);
    // (A seeded account has no verifier yet, so a password sign-in still gives it an enrol-only session.)
    const enrolOnly = await deleteAs(bearer(await enrolSession(ctx, s.a.users.viewer.email)), await body());
    expect(enrolOnly.json()).toMatchObject({ code: 'enrolment_required' });

    const typo = await deleteAs(bearer(p.token), { proof: await p.proof(), confirm: 'someone@else.test' });
    expect(typo.statusCode).toBe(422);
    expect(typo.json()).toMatchObject({ code: 'deletion_not_confirmed' });

    const wrong = await deleteAs(bearer(p.token), await body(p.proof({ wrong: true })));
    expect(wrong.statusCode).toBe(403);
    expect(wrong.json()).toMatchObject({ code: 'reauthentication_failed' });
    // Another person's valid proof does not do either.
    const other = await person('viewer');
    const theirs = await deleteAs(bearer(p.token), { proof: await other.proof(), confirm: p.email });
    expect(theirs.json()).toMatchObject({ code: 'reauthentication_failed' });
    // A proof is spent once.
    const once = await p.proof();
    expect((await deleteAs(bearer(other.token), { proof: once, confirm: other.email })).statusCode).toBe(403);
    expect((await deleteAs(bearer(p.token), { proof: once, confirm: p.email })).statusCode).toBe(403);

    expect(await userExists(p.id)).toBe(true);
    expect((await ctx.app.inject({ url: '/api/auth/me', headers: bearer(p.token) })).statusCode).toBe(200);
    const failures = await ctx.pools.owner.query(
      `select count(*)::int as n from audit_logs where action = 'user.srp_reauth_failed' and actor_id = $1`,
      [p.id],
    );
    expect(failures.rows[0].n).toBeGreaterThanOrEqual(3);
  });

  it('deletes the account in one go: sessions, keys, preferences; the audit trail anonymised and still valid', async () => {
    const p = await person('admin');
    const key = await ctx.app.inject({
      method: 'POST',
      url: `/api/tenants/${s.a.id}/api-keys`,
      headers: bearer(p.token),
      payload: { name: 'leaves-with-me' },
    });
    const keySecret = key.json().key as string;
    await ctx.app.inject({
      method: 'POST',
      url: `/api/tenants/${s.a.id}/sites`,
      headers: bearer(p.token),
      payload: { name: `site ${p.id}` },
    });
    const bHead = await verify(s.b);
    const bCount = (
      await ctx.pools.owner.query('select count(*)::int as n from audit_logs where tenant_id = $1', [s.b.id])
    ).rows[0].n;

    const r = await deleteAs(bearer(p.token), { proof: await p.proof(), confirm: ` ${p.email.toUpperCase()} ` });
    expect(r.statusCode, r.body).toBe(200);
    const receipt = r.json();
    expect(receipt).toMatchObject({
      organisation_id: s.a.id,
      removed: { account: 1, api_keys_revoked: 1, audit_entries_about_redacted: 1 },
    });
    expect(receipt.removed.sessions).toBeGreaterThanOrEqual(1);
    expect(receipt.removed.audit_entries_anonymised).toBeGreaterThanOrEqual(3); // sign-in, key, site
    expect(r.cookies.find((c) => c.name === 'tod_access')?.value).toBe('');

    // Gone, and every way in with it.
    expect(await userExists(p.id)).toBe(false);
    expect((await ctx.app.inject({ url: '/api/auth/me', headers: bearer(p.token) })).statusCode).toBe(401);
    expect((await ctx.app.inject({ url: '/api/auth/me', headers: { 'x-api-key': keySecret } })).statusCode).toBe(401);
    const sessions = await ctx.pools.owner.query('select count(*)::int as n from auth_sessions where user_id = $1', [
      p.id,
    ]);
    expect(sessions.rows[0].n).toBe(0);

    // The trail keeps what happened, not who: nothing names the person, and the chain verifies.
    const trail = await ctx.pools.owner.query(
      `select count(*)::int as n from audit_logs
        where actor_id = $1 or actor_label ilike $2 or details::text ilike '%' || $2 || '%'`,
      [p.id, p.email],
    );
    expect(trail.rows[0].n).toBe(0);
    const listed = await ctx.app.inject({
      url: `/api/tenants/${s.a.id}/audit-logs?limit=1000`,
      headers: bearer(s.a.users.admin.token),
    });
    expect(listed.body.toLowerCase()).not.toContain(p.email);
    const items = listed.json().items as Array<{
      action: string;
      details: Record<string, unknown>;
      actor_type: string;
    }>;
    expect(items.find((i) => i.action === 'api_key.create' && i.details.name === 'leaves-with-me')).toMatchObject({
      actor_id: null,
      actor_label: null,
    });
    const deleted = items.find((i) => i.action === 'account.deleted');
    expect(deleted).toMatchObject({
      actor_type: 'system',
      target_id: receipt.id,
      details: { receipt_hash: receipt.receipt_hash },
    });
    const v = await verify(s.a);
    expect(v).toMatchObject({ valid: true, first_broken_seq: null });
    expect(v.anonymised).toBeGreaterThanOrEqual(receipt.removed.audit_entries_anonymised);

    // The receipt is kept without the email or the id, and checks out: its hash, and the subject with the salt.
    const kept = (await ctx.pools.owner.query('select * from account_deletion_receipts where id = $1', [receipt.id]))
      .rows[0];
    expect(JSON.stringify(kept).toLowerCase()).not.toContain(p.email);
    expect(JSON.stringify(kept)).not.toContain(p.id);
    expect(kept.receipt_hash.toString('hex')).toBe(receipt.receipt_hash);
    expect(kept.subject_hash.toString('hex')).toBe(receipt.subject_hash);
    expect(subjectHash(Buffer.from(receipt.subject_salt, 'hex'), p.id, p.email).toString('hex')).toBe(
      receipt.subject_hash,
    );
    const recomputed = receiptHash({
      id: kept.id,
      tenantId: kept.tenant_id,
      deletedAt: kept.deleted_at,
      subjectHash: kept.subject_hash,
      removed: kept.removed,
    });
    expect(recomputed.toString('hex')).toBe(receipt.receipt_hash);

    // Another organisation is untouched.
    expect(await verify(s.b)).toEqual(bHead);
    const bAfter = (
      await ctx.pools.owner.query('select count(*)::int as n from audit_logs where tenant_id = $1', [s.b.id])
    ).rows[0].n;
    expect(bAfter).toBe(bCount);
  });

  it('works for every role of an organisation', async () => {
    for (const role of ['viewer', 'operator'] as const) {
      const p = await person(role);
      const r = await deleteAs(bearer(p.token), { proof: await p.proof(), confirm: p.email });
      expect(r.statusCode, `${role}: ${r.body}`).toBe(200);
      expect(await userExists(p.id)).toBe(false);
    }
    expect((await verify(s.a)).valid).toBe(true);
  });

  it('refuses the last admin of an organisation, and lets one go once another admin exists', async () => {
    const b = await person('admin', s.b);
    // Tenant b has two admins now: the seeded one leaves first, then the last one is refused.
    const seeded = { ...s.b.users.admin, proof: await enrolDirectly(ctx, s.b.users.admin.email) };
    const first = await deleteAs(bearer(seeded.token), { proof: await seeded.proof(), confirm: seeded.email });
    expect(first.statusCode, first.body).toBe(200);
    const last = await deleteAs(bearer(b.token), { proof: await b.proof(), confirm: b.email });
    expect(last.statusCode).toBe(409);
    expect(last.json()).toMatchObject({ code: 'last_organisation_admin' });
    expect(await userExists(b.id)).toBe(true);
    s.b.users.admin = { id: b.id, email: b.email, token: b.token };
    expect((await verify(s.b)).valid).toBe(true);
  });

  it('refuses the last super_admin; another super_admin may leave while one remains', async () => {
    const root = { ...s.superAdmin, proof: await enrolDirectly(ctx, s.superAdmin.email) };
    const alone = await deleteAs(bearer(root.token), { proof: await root.proof(), confirm: root.email });
    expect(alone.statusCode).toBe(409);
    expect(alone.json()).toMatchObject({ code: 'last_super_admin' });
    expect(await userExists(root.id)).toBe(true);

    const second = await superAdmin();
    const r = await deleteAs(bearer(second.token), { proof: await second.proof(), confirm: second.email });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json().organisation_id).toBeNull();
    const global = await ctx.app.inject({ url: '/api/audit-logs/verify', headers: bearer(root.token) });
    expect(global.json()).toMatchObject({ valid: true });
    expect(global.json().anonymised).toBeGreaterThan(0);
  });
});
