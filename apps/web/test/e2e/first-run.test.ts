import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible, launch, openSession, type Session, screenshot } from '../support/browser';
import { enrol } from '../support/sign-in';
import { FIRST_ADMIN, startTod, type Tod } from '../support/tod';

// The first hour of a fresh install, in its own TOD: the setup wizard is offered only while no organisation
// exists, so this journey cannot share the suite's server (where every test makes its own organisation).
const PASSPHRASE = 'mauve otter climbs 41 ladders';

let tod: Tod;
let browser: Browser;
let s: Session;
beforeAll(async () => {
  [tod, browser] = await Promise.all([startTod(), launch()]);
  s = await openSession(browser, tod.baseUrl);
});
afterAll(async () => {
  await s?.context.close();
  await browser?.close();
  await tod?.stop();
});

const path = (page: Page) => new URL(page.url()).pathname;

describe('a fresh install', () => {
  it('the first admin signs in (a wrong password is explained), enrols and lands in the setup wizard', async () => {
    const { page } = s;
    await page.goto('/');
    await page.waitForURL(/\/sign-in/);
    await page.getByLabel('Email').waitFor();
    await expectAccessible(page, 'sign-in');
    await screenshot(page, 'sign-in');
    await page.getByLabel('Email').fill(FIRST_ADMIN.email);
    await page.getByLabel('Password', { exact: true }).fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('do not match');
    await screenshot(page, 'sign-in-error');
    await page.getByLabel('Password', { exact: true }).fill(FIRST_ADMIN.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await enrol(page, FIRST_ADMIN.email, PASSPHRASE, { checkKit: true });
    // No organisation exists yet: a super_admin lands in the setup wizard.
    await page.waitForURL(/\/setup$/);
    await page.getByRole('heading', { name: 'Create your organisation', exact: true }).waitFor();
    await expectAccessible(page, 'setup wizard step 1');
  });

  it('creates the organisation, starts the demo fleet and lands on its dashboard without a reload', async () => {
    const { page } = s;
    await page.getByLabel('Name').fill('Acme Networks');
    await page.getByRole('button', { name: 'Create organisation' }).click();
    await page.getByRole('heading', { name: 'Add your first device', exact: true }).waitFor();
    await screenshot(page, 'wizard-device');
    // Regression (issue 10): the toast said "Demo fleet ready" and the wizard stayed on step 2 with a spinning
    // button, because the layout's guard read the organisation list cached before step 1 ("none yet").
    await page.getByRole('button', { name: 'Start demo fleet' }).click();
    await page.waitForURL((u) => u.pathname === '/', { timeout: 30_000 });
    await page.getByRole('heading', { name: 'Dashboard', exact: true }).waitFor();
    await expect.poll(() => page.getByText('Fleet health for Demo (simulated).').count()).toBe(1);
    await expect
      .poll(() => page.locator('[data-tile="Online"]').textContent(), { timeout: 30_000 })
      .not.toMatch(/^Online0/);
    await expectAccessible(page, 'demo dashboard');
    await screenshot(page, 'demo-dashboard');
  });

  it('a super_admin with organisations is not sent back to the wizard', async () => {
    const { page } = s;
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Devices' }).click();
    await page.getByRole('heading', { name: 'Devices', exact: true }).waitFor();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Dashboard' }).click();
    await page.getByRole('heading', { name: 'Dashboard', exact: true }).waitFor();
    await page.reload();
    await page.getByRole('heading', { name: 'Dashboard', exact: true }).waitFor();
    expect(path(page)).toBe('/');
    expect(s.problems).toEqual([]);
  });
});
