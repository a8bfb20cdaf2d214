import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { expect } from 'vitest';

// Debian's Chromium driven by playwright-core (no browser download). A missing /usr/bin/chromium fails the run.
const repo = resolve(import.meta.dirname, '../../../..');
export const screenshotDir = resolve(repo, '.tmp/screenshots');
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export function launch(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      ...extraArgs,
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export type Session = {
  context: BrowserContext;
  page: Page;
  /** Console errors, page errors, CSP violations and requests that left the server: all must stay empty. */
  problems: string[];
};

type StorageState = Exclude<NonNullable<Parameters<Browser['newContext']>[0]>['storageState'], string | undefined>;

/** A fresh browser profile on `baseUrl`; `storageState` starts it signed in (cookies) with local preferences. */
export async function openSession(
  browser: Browser,
  baseUrl: string,
  o: { colorScheme?: 'light' | 'dark'; storageState?: StorageState } = {},
) {
  // Reduced motion: page transitions finish at once, so screenshots and contrast checks see the settled page.
  const context = await browser.newContext({
    baseURL: baseUrl,
    viewport: { width: 1360, height: 860 },
    colorScheme: o.colorScheme ?? 'light',
    reducedMotion: 'reduce',
    storageState: o.storageState,
  });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseUrl });
  // Fail a step in seconds, not the 30 s default, so one broken step does not stall the suite.
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (m) => {
    // The browser logs every 4xx fetch as an error; those are answers the UI handles (401 before sign-in, the
    // 422 a test provokes), as are 502 and 504: an upstream (a router, MikroTik's server) failed, and TOD says so.
    // Everything else logged as an error counts, a 500 and CSP violations included.
    if (m.type() === 'error' && !/Failed to load resource: .*status of (4\d\d|502|504)/.test(m.text()))
      problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  // The console line for a failed fetch does not name it; this does, so a failure says which request it was.
  page.on('response', (r) => {
    if (r.status() >= 500 && r.status() !== 502 && r.status() !== 504)
      problems.push(`HTTP ${r.status()}: ${r.request().method()} ${r.url().replace(baseUrl, '')}`);
  });
  page.on('request', (r) => {
    if (!r.url().startsWith(baseUrl) && !r.url().startsWith('data:')) problems.push(`external request: ${r.url()}`);
  });
  return { context, page, problems } satisfies Session;
}

let shotNo = 0;
export async function screenshot(page: Page, name: string) {
  mkdirSync(screenshotDir, { recursive: true });
  shotNo++;
  await page.screenshot({ path: resolve(screenshotDir, `${String(shotNo).padStart(2, '0')}-${name}.png`) });
}

type AxeResult = { violations: { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }[] };

/** axe-core on the page as it is now: no serious or critical violations allowed. */
export async function expectAccessible(page: Page, what: string) {
  // Evaluated through DevTools, not a <script> tag, so the app's CSP (script-src 'self') stays in force.
  await page.evaluate(axeSource);
  const result = (await page.evaluate('axe.run(document, { resultTypes: ["violations"] })')) as AxeResult;
  const bad = result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(bad, `accessibility of ${what}`).toEqual([]);
}
