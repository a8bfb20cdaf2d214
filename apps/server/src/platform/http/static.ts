import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { contentSecurityPolicy } from './security-headers.js';

/**
 * The built web app (apps/web/dist), looked for upwards from this file so it is found both from sources
 * (apps/server/src/platform/http) and from the bundle (apps/server/dist/tod.js). TOD_WEB_DIST overrides.
 */
export function webDistDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.TOD_WEB_DIST) return existsSync(join(env.TOD_WEB_DIST, 'index.html')) ? env.TOD_WEB_DIST : undefined;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 7; i++) {
    const candidate = join(dir, 'apps', 'web', 'dist');
    if (existsSync(join(candidate, 'index.html'))) return candidate;
    dir = dirname(dir);
  }
  return undefined;
}

// Paths that belong to the server: never answered with the app's HTML, so unknown ones keep the JSON 404.
const SERVER_PATHS = /^\/(api|health|metrics|docs)(\/|$|\?)/;
// index.html carries this placeholder; each response replaces it with a fresh nonce.
const NONCE_PLACEHOLDER = '__TOD_STYLE_NONCE__';
// The one fixed <style> element a UI library renders (Radix Select hides its viewport's scrollbar with it).
const SELECT_STYLE_HASH = "'sha256-441zG27rExd4/il+NvIqyL8zFx5XmyNQtE381kSkUJk='";

// The web build's import map (apps/web/build/sri.ts) lists the SHA-384 of every module and stylesheet, which the
// browser checks (Subresource Integrity). Browsers read import maps only inline, so CSP must allow this one inline
// script: by its hash, computed here from the file served, so it always matches the build and allows nothing else.
const IMPORT_MAP = /<script type="importmap">([^<]*)<\/script>/g;
const importMapHashes = (html: string) =>
  [...html.matchAll(IMPORT_MAP)].map(
    (m) =>
      `'sha256-${createHash('sha256')
        .update(m[1] ?? '')
        .digest('base64')}'`,
  );

// Deep links fall back to the app only for clients asking for HTML (so an unknown asset stays a 404); the root
// itself is the app for everyone (`curl localhost:3000/`).
const wantsHtml = (req: FastifyRequest) =>
  req.method === 'GET' &&
  !SERVER_PATHS.test(req.url) &&
  ((req.headers.accept ?? '').includes('text/html') || req.url === '/' || req.url.startsWith('/?'));

/**
 * Serves the web app on the API's port: hashed assets (/assets/*) cached for a year, other files revalidated,
 * and index.html for any other GET that asks for HTML, so client-side routes survive a reload. The HTML gets a
 * per-response style nonce: dialogs' scroll lock injects <style> elements, and CSP allows exactly those (no
 * 'unsafe-inline'); scripts stay 'self' only, plus the import map by its hash.
 */
export async function registerWebApp(app: FastifyInstance, opts: { root?: string } = {}) {
  const root = opts.root ?? webDistDir();
  if (!root) {
    app.log.warn('web app not built (apps/web/dist missing): serving the API only; run npm run build');
    return;
  }
  const assets = `${sep}assets${sep}`;
  await app.register(fastifyStatic, {
    root,
    prefix: '/',
    wildcard: false, // one route per built file; anything else falls through to the handler below
    globIgnore: ['**/index.html'],
    index: false,
    decorateReply: false,
    cacheControl: false,
    preCompressed: true, // .br/.gz written by scripts/build.mjs
    setHeaders: (reply, path) => {
      reply.header('Cache-Control', path.includes(assets) ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
  const template = readFileSync(join(root, 'index.html'), 'utf8');
  const scripts = importMapHashes(template);
  const sendIndex = (reply: FastifyReply) => {
    const nonce = randomBytes(16).toString('base64');
    const csp = contentSecurityPolicy({ scripts, styles: [`'nonce-${nonce}'`, SELECT_STYLE_HASH] });
    return reply
      .header('Cache-Control', 'no-cache')
      .header('Content-Security-Policy', csp)
      .type('text/html; charset=utf-8')
      .send(template.replaceAll(NONCE_PLACEHOLDER, nonce));
  };
  app.get('/index.html', { schema: { hide: true } }, async (_req, reply) => sendIndex(reply));
  app.get('/*', { schema: { hide: true } }, async (req, reply) =>
    wantsHtml(req) ? sendIndex(reply) : reply.callNotFound(),
  );
}
