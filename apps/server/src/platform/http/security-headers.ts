import type { FastifyInstance } from 'fastify';

/**
 * The Content-Security-Policy. Scripts only from TOD itself, never inline code. For the web app's HTML documents,
 * `scripts` adds the hash of its import map (a list of SHA-384s, no code: see static.ts) and `styles` the allowed
 * inline <style> elements (a per-response nonce, or the hash of a fixed one).
 */
export function contentSecurityPolicy(o: { scripts?: string[]; styles?: string[] } = {}): string {
  return [
    "default-src 'self'",
    "base-uri 'none'",
    "object-src 'none'",
    "frame-ancestors 'none'",
    "form-action 'self'",
    ["script-src 'self'", ...(o.scripts ?? [])].join(' '),
    ["style-src 'self'", ...(o.styles ?? [])].join(' '),
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
  ].join('; ');
}
const CSP = contentSecurityPolicy();

/** Security headers on every response; HSTS only in production (where TLS terminates in front of TOD). */
export function registerSecurityHeaders(app: FastifyInstance, opts: { production: boolean }) {
  app.addHook('onSend', async (req, reply, payload) => {
    reply.header('X-Content-Type-Options', 'nosniff');
    reply.header('X-Frame-Options', 'DENY');
    reply.header('Referrer-Policy', 'strict-origin-when-cross-origin');
    reply.header('Cross-Origin-Opener-Policy', 'same-origin');
    reply.header('Permissions-Policy', 'camera=(), microphone=(), geolocation=()');
    if (!reply.hasHeader('Content-Security-Policy')) reply.header('Content-Security-Policy', CSP);
    if (opts.production) reply.header('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
    if (req.url.startsWith('/api/')) reply.header('Cache-Control', 'no-store');
    return payload;
  });
}
