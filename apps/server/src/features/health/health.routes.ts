import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { access } from '../../platform/http/access.js';
import type { ReadinessCheck } from '../../platform/readiness.js';

const healthOut = z.object({ status: z.literal('ok'), version: z.string(), environment: z.string() });
const readyOut = z.object({
  status: z.enum(['ready', 'not_ready']),
  checks: z.record(z.string(), z.object({ ok: z.boolean(), error: z.string().optional(), ms: z.number() })),
  detail: z.string().optional(),
  code: z.string().optional(),
});

const withTimeout = (p: Promise<void>, ms: number) =>
  Promise.race([
    p,
    new Promise<void>((_, reject) => setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms).unref()),
  ]);

/** Liveness (always 200 while the process runs) and readiness (every dependency answers; else 503 naming it). */
export function healthRoutes(
  app: FastifyInstance,
  opts: { version: string; environment: string; checks: ReadinessCheck[] },
) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const live = async () => ({ status: 'ok' as const, version: opts.version, environment: opts.environment });
  const schema = { tags: ['health'], security: [], response: { 200: healthOut } };
  r.get('/health', { config: { access: access.public }, schema, handler: live });
  r.get('/api/health', { config: { access: access.public }, schema, handler: live });
  r.get('/health/ready', {
    config: { access: access.public },
    schema: { tags: ['health'], security: [], response: { 200: readyOut, 503: readyOut } },
    handler: async (_req, reply) => {
      const checks: Record<string, { ok: boolean; error?: string; ms: number }> = {};
      await Promise.all(
        opts.checks.map(async (c) => {
          const start = performance.now();
          try {
            await withTimeout(c.check(), 2000);
            checks[c.name] = { ok: true, ms: Math.round(performance.now() - start) };
          } catch (err) {
            checks[c.name] = {
              ok: false,
              error: (err as Error).message.slice(0, 200),
              ms: Math.round(performance.now() - start),
            };
          }
        }),
      );
      const down = Object.entries(checks)
        .filter(([, v]) => !v.ok)
        .map(([k]) => k);
      if (down.length === 0) return { status: 'ready' as const, checks };
      return reply
        .status(503)
        .send({ status: 'not_ready', checks, detail: `not ready: ${down.join(', ')} down`, code: 'not_ready' });
    },
  });
}
