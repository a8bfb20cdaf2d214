import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiSession, enrolAccount, passwordSession, signInApi, unwrap } from './support/api';
import { launch, openSession } from './support/browser';
import { FIRST_ADMIN, startTod, type Tod } from './support/tod';

// Subresource Integrity in Chromium: a copy of the build served by a real `tod start` (TOD_WEB_DIST), whose files
// are altered by one byte while it runs, as a compromised disk or proxy would. The browser must refuse each altered
// script or stylesheet (the import map's or the tag's SHA-384 no longer matches) and load the unaltered copy.

type Chunk = { file: string; css?: string[] };
const built = resolve(import.meta.dirname, '../dist');
const manifest = JSON.parse(readFileSync(join(built, '.vite/manifest.json'), 'utf8')) as Record<string, Chunk>;
const entry = manifest['index.html']!.file;
const signInChunk = manifest['src/routes/sign-in.tsx?tsr-split=component']!.file;
const mapCss = manifest['src/routes/_app/map.tsx?tsr-split=component']!.css![0]!;

let copy: string;
let tod: Tod;
let browser: Browser;
let admin: ApiSession;
let orgId: string;

beforeAll(async () => {
  copy = mkdtempSync(join(tmpdir(), 'tod-web-sri-'));
  cpSync(built, copy, { recursive: true });
  tod = await startTod({ TOD_WEB_DIST: copy });
  browser = await launch();
  const session = await passwordSession(tod.baseUrl, FIRST_ADMIN.email, FIRST_ADMIN.password);
  admin = await signInApi(tod.baseUrl, await enrolAccount(session, FIRST_ADMIN.email, 'seven hashes guard one gate'));
  const org = await unwrap(admin.api.POST('/api/tenants', { body: { name: 'Integrity', description: 'e2e' } }));
  orgId = org.id;
});
afterAll(async () => {
  await browser?.close();
  await tod?.stop();
  if (copy) rmSync(copy, { recursive: true, force: true });
});

/**
 * Changes one byte of a served file: its last (a `;` or newline) becomes a space, so the file still parses and only
 * the integrity check can stop it. The .br/.gz copies the server prefers get the same bytes. Returns the undo.
 */
function alter(file: string): () => void {
  const path = join(copy, file);
  const original = readFileSync(path);
  const changed = Buffer.from(original);
  expect([0x3b, 0x0a]).toContain(changed.at(-1));
  changed[changed.length - 1] = 0x20;
  const write = (bytes: Buffer) => {
    writeFileSync(path, bytes);
    writeFileSync(`${path}.br`, brotliCompressSync(bytes));
    writeFileSync(`${path}.gz`, gzipSync(bytes));
  };
  write(changed);
  return () => write(original);
}

/** A fresh browser profile (empty cache), signed in to the organisation or not. */
async function open(signedIn: boolean) {
  return openSession(browser, tod.baseUrl, {
    storageState: signedIn
      ? {
          cookies: admin.cookies(),
          origins: [{ origin: tod.baseUrl, localStorage: [{ name: 'tod.tenant', value: orgId }] }],
        }
      : undefined,
  });
}

const refused = (file: string) =>
  new RegExp(`Failed to find a valid digest in the 'integrity' attribute for resource '[^']*/${file}'`);

describe('subresource integrity in Chromium', () => {
  it('loads the unaltered build: the sign-in page, and the map with its lazily linked stylesheet checked', async () => {
    const visitor = await open(false);
    await visitor.page.goto('/sign-in');
    await visitor.page.getByLabel('Email').waitFor();
    expect(visitor.problems).toEqual([]);
    await visitor.context.close();

    const { page, problems, context } = await open(true);
    await page.goto('/map');
    await page.getByRole('heading', { name: 'Map', exact: true }).waitFor();
    // Vite's preload helper linked the route's stylesheet at run time, with the hash from the import map.
    const link = page.locator(`link[rel="stylesheet"][href$="/${mapCss}"]`);
    const map = JSON.parse((await page.locator('script[type="importmap"]').textContent()) ?? '{}');
    expect(await link.getAttribute('integrity')).toBe(map.integrity[`/${mapCss}`]);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('refuses a lazily loaded route chunk that differs by one byte', async () => {
    const undo = alter(signInChunk);
    const { page, problems, context } = await open(false);
    try {
      await page.goto('/sign-in');
      await expect.poll(() => problems.join('\n'), { timeout: 10_000 }).toMatch(refused(signInChunk));
      await expect(page.getByLabel('Email').waitFor({ timeout: 2_000 })).rejects.toThrow();
    } finally {
      await context.close();
      undo();
    }
  });

  it("refuses a lazy route's stylesheet that differs by one byte, and the route with it", async () => {
    const undo = alter(mapCss);
    const { page, problems, context } = await open(true);
    try {
      await page.goto('/map');
      await expect.poll(() => problems.join('\n'), { timeout: 10_000 }).toMatch(refused(mapCss));
      await expect(
        page.getByRole('heading', { name: 'Map', exact: true }).waitFor({ timeout: 2_000 }),
      ).rejects.toThrow();
    } finally {
      await context.close();
      undo();
    }
  });

  it('refuses the entry bundle that differs by one byte: nothing of the app runs', async () => {
    const undo = alter(entry);
    const { page, problems, context } = await open(false);
    try {
      await page.goto('/sign-in');
      await expect.poll(() => problems.join('\n'), { timeout: 10_000 }).toMatch(refused(entry));
      await page.waitForTimeout(1_000);
      expect(await page.locator('#root').innerHTML()).toBe('');
    } finally {
      await context.close();
      undo();
    }
  });
});
