import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import { AppError } from './errors.js';

export function createMetricsRegistry() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return registry;
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Whether an Authorization header carries the token, compared in constant time (hashes hide the length too). */
export function bearerMatches(authorization: string | undefined, token: string): boolean {
  const given = authorization?.match(/^Bearer\s+(\S+)$/i)?.[1];
  return given !== undefined && timingSafeEqual(digest(given), digest(token));
}

/** Who may read /metrics on the public port: everyone (dev), bearer `token` holders, or nobody (production). */
export type PublicMetrics = { production: boolean; token?: string };

/**
 * http_requests_total and http_request_duration_seconds, labelled by route pattern (never raw URLs: bounded), and
 * /metrics on this port unless production without a token (then it lives on METRICS_PORT only, loopback).
 */
export function registerHttpMetrics(
  app: FastifyInstance,
  registry: Registry,
  pub: PublicMetrics = { production: false },
) {
  const labelNames = ['method', 'route', 'status'] as const;
  const total = new Counter({ name: 'http_requests_total', help: 'HTTP requests', labelNames, registers: [registry] });
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request latency',
    labelNames,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  app.addHook('onResponse', async (req, reply) => {
    const labels = { method: req.method, route: req.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) };
    total.inc(labels);
    duration.observe(labels, reply.elapsedTime / 1000);
  });
  if (pub.production && !pub.token) return;
  const { token } = pub;
  app.get('/metrics', { schema: { hide: true } }, async (req, reply) => {
    if (token !== undefined && !bearerMatches(req.headers.authorization, token)) {
      reply.header('WWW-Authenticate', 'Bearer');
      throw new AppError('not_authenticated', '/metrics needs its bearer token (METRICS_TOKEN)');
    }
    reply.header('Content-Type', registry.contentType);
    return registry.metrics();
  });
}
