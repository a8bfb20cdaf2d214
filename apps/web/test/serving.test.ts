import { describe, expect, inject, it } from 'vitest';

// How `tod start` serves the built app next to the API (apps/server/src/platform/http/static.ts), over real HTTP.
const baseUrl = inject('baseUrl');
const html = { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' };

async function entryScript(): Promise<string> {
  const page = await (await fetch(`${baseUrl}/`, { headers: html })).text();
  const src = page.match(/<script type="module" crossorigin src="([^"]+)"/)?.[1];
  if (!src) throw new Error(`no module script in index.html:\n${page}`);
  return src;
}

describe('serving the web app', () => {
  it('answers / and client-side routes with index.html, never cached, with a fresh style nonce in its CSP', async () => {
    const a = await fetch(`${baseUrl}/`, { headers: html });
    const b = await fetch(`${baseUrl}/users?new=1`, { headers: html });
    for (const res of [a, b]) {
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('text/html');
      expect(res.headers.get('cache-control')).toBe('no-cache');
    }
    const [pageA, pageB] = [await a.text(), await b.text()];
    const nonceA = pageA.match(/tod-style-nonce" content="([^"]+)"/)?.[1];
    const nonceB = pageB.match(/tod-style-nonce" content="([^"]+)"/)?.[1];
    expect(nonceA).toMatch(/^[A-Za-z0-9+/]{22}==$/);
    expect(nonceB).not.toBe(nonceA);
    const csp = a.headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/script-src 'self' 'sha256-[A-Za-z0-9+/]{43}=';/);
    expect(csp).toContain(`'nonce-${nonceA}'`);
    expect(csp).not.toContain('unsafe-inline');
  });

  it('keeps the JSON 404 for unknown API, health and asset paths, even when HTML is accepted', async () => {
    for (const path of ['/api/nope', '/api', '/health/nope', '/metrics/x', '/assets/missing.js']) {
      const res = await fetch(`${baseUrl}${path}`, { headers: path.startsWith('/assets') ? {} : html });
      expect(res.status, path).toBe(404);
      expect(await res.json(), path).toMatchObject({ code: 'not_found' });
    }
  });

  it('does not answer non-HTML requests for unknown paths with the app', async () => {
    const res = await fetch(`${baseUrl}/some/page`, { headers: { accept: 'application/json' } });
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ code: 'not_found' });
  });

  it('serves hashed assets for a year, compressed', async () => {
    const src = await entryScript();
    expect(src).toMatch(/^\/assets\/index-[\w-]+\.js$/);
    const br = await fetch(`${baseUrl}${src}`, { headers: { 'accept-encoding': 'br' } });
    expect(br.status).toBe(200);
    expect(br.headers.get('content-encoding')).toBe('br');
    expect(br.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(br.headers.get('content-type')).toContain('javascript');
    // fetch decodes brotli: the body is the real script.
    expect((await br.text()).length).toBeGreaterThan(10_000);
    const plain = await fetch(`${baseUrl}${src}`, { headers: { 'accept-encoding': 'identity' } });
    expect(plain.headers.get('content-encoding')).toBeNull();
  });

  it('revalidates unhashed files (the theme script, the icon)', async () => {
    for (const path of ['/theme-init.js', '/favicon.svg']) {
      const res = await fetch(`${baseUrl}${path}`);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('cache-control'), path).toBe('no-cache');
    }
  });
});
