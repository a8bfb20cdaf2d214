import http from 'node:http';
import type { Registry } from 'prom-client';
import { bearerMatches } from './metrics.js';

/**
 * For processes without the api role (poller, worker), and every process in production: a bare listener with
 * `/metrics` (Prometheus) and `/health`, so every process of a large install can be scraped. With `token`, /metrics
 * asks for it as a bearer token.
 */
export async function startMetricsServer(o: {
  registry: Registry;
  port: number;
  host: string;
  version: string;
  token?: string;
}) {
  const server = http.createServer(async (req, res) => {
    if (req.method === 'GET' && req.url === '/metrics') {
      if (o.token !== undefined && !bearerMatches(req.headers.authorization, o.token)) {
        res.writeHead(401, { 'content-type': 'application/json', 'www-authenticate': 'Bearer' });
        res.end(
          JSON.stringify({ detail: '/metrics needs its bearer token (METRICS_TOKEN)', code: 'not_authenticated' }),
        );
        return;
      }
      res.writeHead(200, { 'content-type': o.registry.contentType });
      res.end(await o.registry.metrics());
    } else if (req.method === 'GET' && req.url === '/health') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ status: 'ok', version: o.version }));
    } else {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ detail: 'only /metrics and /health here', code: 'not_found' }));
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, resolve);
  });
  return {
    port: (server.address() as { port: number }).port,
    stop: () => new Promise<void>((r) => server.close(() => r())),
  };
}
