import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyRequest } from 'fastify';

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

const wantsHtml = (req: FastifyRequest) =>
  req.method === 'GET' && !SERVER_PATHS.test(req.url) && (req.headers.accept ?? '').includes('text/html');

/**
 * Serves the web app on the API's port: hashed assets (/assets/*) cached for a year, everything else revalidated,
 * and index.html for any other GET that asks for HTML, so client-side routes survive a reload.
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
    index: false,
    decorateReply: false,
    cacheControl: false,
    setHeaders: (reply, path) => {
      reply.header('Cache-Control', path.includes(assets) ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
  const indexHtml = readFileSync(join(root, 'index.html'));
  app.get('/*', { schema: { hide: true } }, async (req, reply) => {
    if (!wantsHtml(req)) return reply.callNotFound();
    return reply.header('Cache-Control', 'no-cache').type('text/html; charset=utf-8').send(indexHtml);
  });
}
