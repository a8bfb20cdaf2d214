import { type Fleet, startFleet } from '@tod/simulator';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  auditShowsActions,
  completeWizard,
  createAndRevokeApiKey,
  createUsers,
  signInAsFirstAdmin,
} from './admin-flow';
import { expectAccessible, launch, openSession, type Session, screenshot } from './browser';
import { signInWithKey } from './enrol-flow';
import { addBySubnetScan, devicePageShowsTraffic, filterTable, importCsv } from './fleet-flow';
import { manageInventory } from './inventory-flow';
import { operatorCannotManageUsers, signIn, viewerSeesNoWrites } from './role-checks';
import { collapseSidebar, darkTheme, keyboard, organisations, signOut, silentRefresh } from './shell-checks';

// End to end against the real `tod start` from global-setup.ts, in Debian's Chromium. One file, in order: the
// wizard only appears while no organisation exists, so the role checks must come after it.
const baseUrl = inject('baseUrl');
const admin = inject('admin');
const ORG = 'Acme Networks';
const users = [
  { name: 'Ada Admin', email: 'ada@acme.example', role: 'Admin' },
  { name: 'Otto Operator', email: 'otto@acme.example', role: 'Operator' },
  { name: 'Vera Viewer', email: 'vera@acme.example', role: 'Viewer' },
];

const SIM = { username: 'admin', password: 'sim-password' };
const PASSPHRASE = 'mauve otter climbs 41 ladders';
let secretKey = '';

let browser: Browser;
let s: Session;
// Simulated routers in this process, reached by the real tod over loopback: one for the wizard, ten on a /27 to scan.
let one: Fleet;
let subnet: Fleet;
beforeAll(async () => {
  browser = await launch();
  const base = { users: [{ name: SIM.username, password: SIM.password }] };
  one = await startFleet({ devices: 1, base });
  subnet = await startFleet({ devices: 10, subnet: '127.5.0.0/27', base });
});
afterAll(async () => {
  await browser?.close();
  await one?.stop();
  await subnet?.stop();
});

describe('first admin', () => {
  beforeAll(async () => {
    s = await openSession(browser, baseUrl);
  });
  afterAll(async () => {
    await s.context.close();
  });

  it('signs in (a wrong password is explained inline) and lands in the setup wizard', async () => {
    secretKey = await signInAsFirstAdmin(s.page, admin, PASSPHRASE);
  });
  it('creates the organisation, adds a simulated device in the wizard and sees it online', async () => {
    const d = one.devices[0]!;
    await completeWizard(s.page, ORG, { address: d.address, port: d.port, tlsPort: d.tlsPort || 8729, ...SIM });
  });
  it('opens the device page and sees live traffic', async () => {
    await devicePageShowsTraffic(s.page);
  });
  it('adds ten devices by subnet scan', async () => {
    await addBySubnetScan(s.page, '127.5.0.0/27', SIM);
  });
  it('imports a CSV with per-row results', async () => {
    await importCsv(s.page);
  });
  it('filters, sorts, tags and chooses columns in the device table', async () => {
    await filterTable(s.page);
  });
  it('creates a device tag, a site and a credential profile, and probes a router with the profile', async () => {
    const d = one.devices[0]!;
    await manageInventory(s.page, { address: d.address, port: d.port, tlsPort: d.tlsPort || 8729, ...SIM });
  });
  it('creates a user of each role', async () => {
    await createUsers(s.page, users);
  });
  it('creates an API key (shown once, copyable, working) and revokes it', async () => {
    await createAndRevokeApiKey(s.page, baseUrl);
  });
  it('sees those actions in the audit log, filters them and exports CSV', async () => {
    await auditShowsActions(s.page);
  });
  it('stays signed in when the access token expires (silent refresh)', async () => {
    await silentRefresh(s.page);
  });
  it('creates a second organisation and switches between them', async () => {
    await organisations(s.page, ORG);
  });
  it('collapses the sidebar', async () => {
    await collapseSidebar(s.page);
  });
  it('drives the app from the keyboard', async () => {
    await keyboard(s.page);
  });
  it('switches to dark mode and it is remembered', async () => {
    await darkTheme(s.page);
  });
  it('signs out', async () => {
    await signOut(s.page);
  });
  it('signs in again on this browser with email and password (the Secret Key is remembered)', async () => {
    await signInWithKey(s.page, admin.email, PASSPHRASE);
    await screenshot(s.page, 'signed-in-again');
    expect(s.problems).toEqual([]);
  });
});

describe('plain http to a server name', () => {
  it('the sign-in page says https is needed instead of failing obscurely', async () => {
    // tod.test resolves to the same server, but http://tod.test is not a secure context (127.0.0.1 is).
    const port = new URL(baseUrl).port;
    const plain = await launch([`--host-resolver-rules=MAP tod.test 127.0.0.1`]);
    try {
      const page = await (await plain.newContext()).newPage();
      await page.goto(`http://tod.test:${port}/sign-in`);
      await page
        .getByRole('alert')
        .getByText(/needs a secure page/)
        .waitFor();
      await page.getByLabel('Email').fill(admin.email);
      await page.getByLabel('Password', { exact: true }).fill(PASSPHRASE);
      expect(await page.getByRole('button', { name: 'Sign in' }).isDisabled()).toBe(true);
    } finally {
      await plain.close();
    }
  });
});

describe('a new browser', () => {
  it('signs in with the Secret Key from the Emergency Kit; a wrong key is refused', async () => {
    const fresh = await openSession(browser, baseUrl);
    await fresh.page.goto('/sign-in');
    await fresh.page.getByLabel('Email').fill(admin.email);
    await fresh.page.getByLabel('Password', { exact: true }).fill(PASSPHRASE);
    await fresh.page.getByLabel('Secret Key').fill('A3-000G40-R40M3-0E209-185GR-38E1W');
    await fresh.page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => fresh.page.getByRole('alert').textContent(), { timeout: 20_000 }).toContain('do not match');
    await expectAccessible(fresh.page, 'sign-in with Secret Key');
    await screenshot(fresh.page, 'sign-in-new-browser-error');
    await signInWithKey(fresh.page, admin.email, PASSPHRASE, secretKey);
    expect(fresh.problems).toEqual([]);
    await fresh.context.close();
  });
});

describe('roles', () => {
  it('a viewer sees no write actions', async () => {
    const v = await openSession(browser, baseUrl);
    await signIn(v.page, users[2]!.email, 'a-good-long-password');
    await viewerSeesNoWrites(v.page);
    expect(v.problems).toEqual([]);
    await v.context.close();
  });
  it('an admin resets a user’s sign-in; the user enrols again with the temporary password', async () => {
    const a = await openSession(browser, baseUrl);
    await signInWithKey(a.page, admin.email, PASSPHRASE, secretKey);
    await a.page.goto('/users');
    const vera = users[2]!;
    await a.page.getByRole('button', { name: `Actions for ${vera.name}` }).click();
    await a.page.getByRole('menuitem', { name: 'Reset sign-in…' }).click();
    const dialog = a.page.getByRole('dialog');
    await dialog.getByLabel('Temporary password').fill('temporary-password-77');
    await expectAccessible(a.page, 'reset sign-in dialog');
    await screenshot(a.page, 'users-reset-sign-in');
    await dialog.getByRole('button', { name: 'Reset sign-in' }).click();
    await a.page.locator(`[data-user="${vera.email}"]`).getByText('Must enrol').waitFor();
    expect(a.problems).toEqual([]);
    await a.context.close();
    const v = await openSession(browser, baseUrl);
    await signIn(v.page, vera.email, 'temporary-password-77');
    expect(v.problems).toEqual([]);
    await v.context.close();
  });
  it('an operator cannot manage users', async () => {
    const o = await openSession(browser, baseUrl);
    await signIn(o.page, users[1]!.email, 'a-good-long-password');
    await operatorCannotManageUsers(o.page);
    expect(o.problems).toEqual([]);
    await o.context.close();
  });
});
