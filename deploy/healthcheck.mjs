// The container health check (Dockerfile HEALTHCHECK, deploy/compose.yaml): the image has neither curl nor wget, so
// node asks TOD itself. `node deploy/healthcheck.mjs [api|metrics] [path]`:
//   api     (default) GET <path> (default /health) on PORT: the api role's liveness, or /health/ready (PostgreSQL,
//           NATS and Redis when configured answer);
//   metrics GET /health on METRICS_PORT: the listener every process without the api role has (and, in production,
//           every process), on loopback unless METRICS_HOST says otherwise.
// Exit 0 on a 2xx answer within the timeout, 1 otherwise (what Docker reads).
const [which = 'api', path = '/health'] = process.argv.slice(2);
const env = process.env;
const port = which === 'metrics' ? (env.METRICS_PORT ?? '9464') : (env.PORT ?? '3000');
// Where TOD binds (platform/config: METRICS_HOST, else loopback in production, else HOST). A listener on a wildcard
// address answers on loopback; one bound to a single address only there.
const bound =
  which === 'metrics' ? (env.METRICS_HOST ?? (env.ENVIRONMENT === 'production' ? '127.0.0.1' : env.HOST)) : env.HOST;
const host = !bound || bound === '0.0.0.0' || bound === '::' ? '127.0.0.1' : bound;
const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}${path}`;

try {
  const res = await fetch(url, { signal: AbortSignal.timeout(4000) });
  process.exit(res.ok ? 0 : 1);
} catch {
  process.exit(1);
}
