import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { expectAccessible, screenshot } from './browser';

// Zero-knowledge sign-in (issue 6) the way a person meets it: enrol after the temporary password, save the
// Emergency Kit, then sign in with password (+ Secret Key on a new browser).

/** On /enrol: choose a password, get a Secret Key, download (or confirm) the kit. Returns the Secret Key text. */
export async function enrol(page: Page, email: string, password: string, opts: { checkKit?: boolean } = {}) {
  await page.waitForURL(/\/enrol$/);
  await page.getByRole('heading', { name: 'Set up your sign-in' }).waitFor();
  const create = page.getByRole('button', { name: 'Create my Secret Key' });
  if (opts.checkKit) {
    // A guessable password is explained and refused before anything is sent.
    await page.getByLabel('Password', { exact: true }).fill('password123');
    await page.getByText(/Strength: (Very weak|Weak)\./).waitFor();
    expect(await create.isDisabled()).toBe(true);
    await expectAccessible(page, 'enrolment');
    await screenshot(page, 'enrol-weak-password');
  }
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByLabel('Repeat the password').fill(password);
  await page.getByText(/Strength: (Strong|Very strong)\./).waitFor();
  await create.click();
  await page.getByRole('heading', { name: 'Save your Emergency Kit' }).waitFor({ timeout: 30_000 });
  const secretKey = (await page.getByTestId('secret-key').textContent())?.trim() ?? '';
  expect(secretKey).toMatch(/^A3-[0-9A-Z]{6}(-[0-9A-Z]{5}){4}$/);
  const next = page.getByRole('button', { name: 'Continue to TOD' });
  expect(await next.isDisabled()).toBe(true); // the kit must be saved (or its saving confirmed) first
  if (opts.checkKit) {
    await expectAccessible(page, 'emergency kit');
    await screenshot(page, 'enrol-emergency-kit');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download Emergency Kit (PDF)' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^TOD-Emergency-Kit-.*\.pdf$/);
    const pdf = (await readFile((await download.path())!)).toString('latin1');
    expect(pdf.startsWith('%PDF-')).toBe(true);
    expect(pdf).toContain(secretKey);
    expect(pdf).toContain(email);
  } else {
    await page.getByLabel(/I have saved or printed my Emergency Kit/).check();
  }
  await next.click();
  return secretKey;
}

/** First sign-in with a temporary password (from an admin, or the bootstrap one): it leads to enrolment. */
export async function signInWithTemporaryPassword(page: Page, email: string, temporary: string, passphrase: string) {
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(temporary);
  await page.getByRole('button', { name: 'Sign in' }).click();
  const secretKey = await enrol(page, email, passphrase);
  await page.waitForURL((u) => u.pathname === '/');
  await page.getByRole('heading', { name: 'Dashboard', exact: true }).waitFor();
  return secretKey;
}

/** The sign-in form: email and password, plus the Secret Key when this browser does not know it. */
export async function signInWithKey(page: Page, email: string, password: string, secretKey?: string) {
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  if (secretKey) await page.getByLabel('Secret Key').fill(secretKey.toLowerCase().replaceAll('-', ' '));
  else await page.getByText(/is saved in this browser/).waitFor();
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((u) => u.pathname === '/', { timeout: 30_000 });
  await page.getByRole('heading', { name: 'Dashboard', exact: true }).waitFor();
}
