import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { sriHash } from '../build/sri';

// Subresource Integrity of the build (build/sri.ts) as global-setup.ts built it, and how `tod start` lets CSP allow
// its import map. test/sri-tampering.test.ts shows Chromium refusing altered files.
const dist = resolve(import.meta.dirname, '../dist');
const html = readFileSync(join(dist, 'index.html'), 'utf8');

/** Every file under dir, relative to it, without the precompressed copies and Vite's manifest. */
function files(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dist, join(e.parentPath, e.name)))
    .filter((f) => !f.startsWith('.vite') && !/\.(br|gz)$/.test(f));
}

const importMapText = () => {
  const maps = [...html.matchAll(/<script type="importmap">([^<]*)<\/script>/g)];
  expect(maps, 'one import map in index.html').toHaveLength(1);
  return maps[0]![1]!;
};
const importMap = () => JSON.parse(importMapText()) as { imports: object; integrity: Record<string, string> };

/** index.html's scripts and stylesheet/modulepreload links: their URL and integrity attribute. */
function tags() {
  return [...html.matchAll(/<(script|link)\b[^>]*>/g)]
    .map(([tag, name]) => {
      const get = (a: string) => tag.match(new RegExp(`\\s${a}="([^"]*)"`))?.[1];
      const url = name === 'script' ? get('src') : /^(stylesheet|modulepreload)$/.test(get('rel') ?? '') && get('href');
      return { tag, url, integrity: get('integrity') };
    })
    .filter((t): t is { tag: string; url: string; integrity: string | undefined } => !!t.url);
}

const sha384 = (file: string) => sriHash(readFileSync(join(dist, file)));

describe('subresource integrity of the build', () => {
  it("lists every JS and CSS file of the bundle in the import map, with its file's SHA-384", () => {
    const bundled = files(join(dist, 'assets')).filter((f) => /\.(js|css)$/.test(f));
    expect(bundled.filter((f) => f.endsWith('.css')).length, 'lazily linked stylesheets exist').toBeGreaterThan(1);
    const expected = Object.fromEntries(bundled.map((f) => [`/${f}`, sha384(f)]));
    expect(importMap().integrity).toEqual(expected);
    for (const hash of Object.values(expected)) expect(hash).toMatch(/^sha384-[A-Za-z0-9+/]{64}$/);
  });

  it('gives every script and stylesheet index.html loads an integrity attribute with its SHA-384', () => {
    const loaded = tags();
    expect(loaded.map((t) => t.url)).toEqual(expect.arrayContaining(['/theme-init.js']));
    expect(loaded.some((t) => t.tag.includes('rel="stylesheet"'))).toBe(true);
    expect(loaded.some((t) => t.tag.includes('type="module"'))).toBe(true);
    for (const t of loaded) expect(t.integrity, t.tag).toBe(sha384(t.url.slice(1)));
    // Nothing loaded goes unchecked: every JS or CSS file of dist is in the import map or on a tag.
    const covered = new Set([...Object.keys(importMap().integrity), ...loaded.map((t) => t.url)]);
    for (const f of files(dist).filter((f) => /\.(js|css)$/.test(f))) expect(covered.has(`/${f}`), f).toBe(true);
  });

  it('puts the import map before the first script, so it applies to every module the page fetches', () => {
    expect(html.indexOf('<script type="importmap">')).toBeLessThan(html.indexOf('<script src='));
    expect(html.indexOf('<script type="importmap">')).toBeLessThan(html.indexOf('<script type="module"'));
  });

  it("makes Vite's preload helper set integrity on the stylesheet and modulepreload links it injects", () => {
    // The helper lives in the entry chunk; it finds each link's hash in the page's import map.
    const helper = files(join(dist, 'assets')).filter((f) =>
      readFileSync(join(dist, f), 'utf8').includes('Unable to preload CSS'),
    );
    expect(helper).toHaveLength(1);
    const code = readFileSync(join(dist, helper[0]!), 'utf8');
    expect(code).toContain('script[type="importmap"]');
    expect(code).toMatch(/\.integrity=[\w$]+\([\w$]+\.href\)/);
  });

  it('is served with a CSP that allows the import map by its hash and keeps every other inline script out', async () => {
    const res = await fetch(`${inject('baseUrl')}/`, { headers: { accept: 'text/html' } });
    const served = await res.text();
    expect(served).toContain(importMapText());
    const hash = createHash('sha256').update(importMapText()).digest('base64');
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain(`script-src 'self' 'sha256-${hash}';`);
    expect(csp).not.toContain('unsafe-inline');
    // Other responses (the API's, assets') keep scripts to 'self' alone.
    const api = await fetch(`${inject('baseUrl')}/health`);
    expect(api.headers.get('content-security-policy')).toContain("script-src 'self';");
  });
});
