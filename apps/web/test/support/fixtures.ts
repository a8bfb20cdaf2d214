import { randomBytes } from 'node:crypto';
import { type Fleet, startFleet } from '@tod/simulator';
import type { Browser } from 'playwright-core';
import { test as base, expect, inject } from 'vitest';
import type { Device, NewDevice } from '../../src/api/devices';
import { type Account, type ApiSession, enrolAccount, passwordSession, signInApi, unwrap } from './api';
import { launch, openSession, type Session } from './browser';

// The fixtures every browser test builds on: its own organisation (so tests do not depend on each other or on
// order), people of each role signed in to Chromium, and devices backed by simulated routers in this process.

export const baseUrl = inject('baseUrl');
/** Login of the simulated routers. */
export const SIM = { username: 'admin', password: 'sim-password' };

let superAdmin: Promise<ApiSession> | undefined;
/** The super admin over the API: one SRP sign-in per test file (global-setup.ts enrolled the account). */
export function superAdminApi(): Promise<ApiSession> {
  superAdmin ??= signInApi(baseUrl, inject('superAdmin'));
  return superAdmin;
}

const tag = () => randomBytes(3).toString('hex');

export type Org = { id: string; name: string };
export type Role = 'admin' | 'operator' | 'viewer';
/** A person signed in to their own browser profile. */
export type Person = Session & { name: string; account: Account; api: ApiSession };

/** A new user of `role` in the organisation with a temporary password, not enrolled yet (as an admin creates one). */
export async function invitePerson(org: Org, role: Role, name = `${role[0]!.toUpperCase()}${role.slice(1)} ${tag()}`) {
  const admin = await superAdminApi();
  const email = `${name.toLowerCase().replace(/[^a-z0-9]+/g, '.')}@${org.id.slice(0, 8)}.example`;
  const temporary = `temporary-${tag()}-password`;
  await unwrap(
    admin.api.POST('/api/tenants/{tenant_id}/users', {
      params: { path: { tenant_id: org.id } },
      body: { name, email, role, password: temporary },
    }),
  );
  return { name, email, temporary };
}

/** A new user of `role` in the organisation, enrolled over the API (about a second for the PBKDF2). */
export async function createPerson(org: Org, role: Role, name?: string) {
  const p = await invitePerson(org, role, name);
  const session = await passwordSession(baseUrl, p.email, p.temporary);
  const account = await enrolAccount(session, p.email, `${p.name.toLowerCase()} rides seven quiet trams`);
  return { ...p, account, api: session };
}

type Fixtures = {
  browser: Browser;
  routers: Fleet;
  org: Org;
  /**
   * Opens a browser profile signed in as a new user of `role` in `org` (or the super admin, on `org`), on the
   * dashboard, as after signing in.
   */
  signIn: (who: Role | 'super_admin', o?: { colorScheme?: 'light' | 'dark' }) => Promise<Person>;
  /**
   * Devices in `org` pointing at the file's simulated routers (online within a poll; backed up over their SSH), or at
   * a closed port.
   */
  addDevices: (n: number, o?: { reachable?: boolean; prefix?: string }) => Promise<Device[]>;
};

export const test = base.extend<Fixtures>({
  browser: [
    // biome-ignore lint/correctness/noEmptyPattern: vitest reads the fixtures a fixture needs from this pattern
    async ({}, use) => {
      const browser = await launch();
      await use(browser);
      await browser.close();
    },
    { scope: 'file' },
  ],
  routers: [
    // biome-ignore lint/correctness/noEmptyPattern: see above
    async ({}, use) => {
      const fleet = await startFleet({ devices: 4, base: { users: [{ name: SIM.username, password: SIM.password }] } });
      await use(fleet);
      await fleet.stop();
    },
    { scope: 'file' },
  ],
  org: async ({ task }, use) => {
    const admin = await superAdminApi();
    const name = `${task.name
      .replace(/[^\w -]+/g, '')
      .slice(0, 40)
      .trim()} ${tag()}`;
    const t = await unwrap(admin.api.POST('/api/tenants', { body: { name, description: 'e2e' } }));
    await use({ id: t.id, name: t.name });
    // Its devices go with it, so the shared TOD stops polling routers this file no longer runs.
    await unwrap(admin.api.DELETE('/api/tenants/{tenant_id}', { params: { path: { tenant_id: t.id } } }));
  },
  signIn: async ({ browser, org }, use) => {
    const opened: Session[] = [];
    await use(async (who, o = {}) => {
      let p: { name: string; account: Account; api: ApiSession };
      if (who === 'super_admin') {
        const account = inject('superAdmin');
        p = { name: 'Administrator', account, api: await signInApi(baseUrl, account) };
      } else p = await createPerson(org, who);
      const s = await openSession(browser, baseUrl, {
        colorScheme: o.colorScheme,
        storageState: {
          cookies: p.api.cookies(),
          // A super_admin works in the organisation they picked last; start them in this test's.
          origins: [{ origin: baseUrl, localStorage: [{ name: 'tod.tenant', value: org.id }] }],
        },
      });
      opened.push(s);
      await s.page.goto('/');
      await s.page.getByRole('heading', { name: 'Dashboard', exact: true }).waitFor();
      return { ...s, ...p };
    });
    for (const s of opened) {
      const problems = [...s.problems];
      await s.context.close();
      expect(problems, 'console errors, page errors or external requests').toEqual([]);
    }
  },
  addDevices: async ({ org, routers }, use) => {
    await use(async (n, o = {}) => {
      const admin = await superAdminApi();
      const out: Device[] = [];
      for (let i = 0; i < n; i++) {
        const r = routers.devices[i % routers.devices.length]!;
        const body: NewDevice =
          o.reachable === false
            ? { name: `${o.prefix ?? 'unreachable'}-${i + 1}`, host: '127.0.0.1', port: 9, tls_mode: 'plain' }
            : {
                name: `${o.prefix ?? 'router'}-${i + 1}`,
                host: r.address,
                port: r.port,
                tls_mode: 'plain',
                ...(r.sshPort ? { ssh_port: r.sshPort } : {}),
                ...SIM,
              };
        out.push(
          await unwrap(
            admin.api.POST('/api/tenants/{tenant_id}/devices', {
              params: { path: { tenant_id: org.id }, query: { probe: 'false' } },
              body: { username: SIM.username, password: 'unused', ...body },
            }),
          ),
        );
      }
      return out;
    });
  },
});

export { expect };
