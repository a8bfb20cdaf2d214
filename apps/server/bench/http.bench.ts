// Requests/s and latency of the API under load: GET /api/auth/me (JWT and API key) and a list endpoint with an API
// key. The server is the real bundled `tod` in its own process (embedded PostgreSQL, LOG_LEVEL=info as shipped);
// load comes from this process with autocannon. Prints one JSON object on the last line.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';

const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });

async function waitUp(base: string, child: ChildProcess) {
  for (let i = 0; i < 300 && child.exitCode === null; i++) {
    try {
      if ((await fetch(`${base}/health`)).ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('tod did not start');
}

// biome-ignore lint/suspicious/noExplicitAny: bench glue reads a few known fields
async function json(
  base: string,
  path: string,
  init: RequestInit & { headers?: Record<string, string> } = {},
): Promise<any> {
  const r = await fetch(`${base}${path}`, {
    ...init,
    headers: { 'content-type': 'application/json', ...init.headers },
  });
  if (!r.ok) throw new Error(`${path}: ${r.status} ${await r.text()}`);
  return r.json();
}

async function load(name: string, url: string, headers: Record<string, string>) {
  const r = await autocannon({ url, headers, connections: CONNECTIONS, duration: DURATION, pipelining: 1 });
  const out = {
    name,
    requests_per_second: Math.round(r.requests.average),
    latency_ms: { p50: r.latency.p50, p90: r.latency.p90, p99: r.latency.p99, max: r.latency.max },
    non_2xx: r.non2xx,
    errors: r.errors,
  };
  console.error(JSON.stringify(out));
  return out;
}

async function main() {
  execFileSync(process.execPath, ['scripts/build.mjs', '--quiet'], { stdio: 'inherit' });
  const dataDir = mkdtempSync(join(tmpdir(), 'tod-bench-'));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(process.execPath, ['apps/server/dist/tod.js', 'start', '--roles', 'api'], {
    env: {
      ...process.env,
      TOD_DATA_DIR: dataDir,
      EMBEDDED_PG_PORT: String(await freePort()),
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      FIRST_ADMIN_EMAIL: 'bench@tod.test',
      FIRST_ADMIN_PASSWORD: 'bench-password-123',
      AUTH_RATE_LIMIT_PER_MINUTE: '1000',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    await waitUp(base, child);
    const { access_token } = await json(base, '/api/auth/login', {
      method: 'POST',
      body: JSON.stringify({ email: 'bench@tod.test', password: 'bench-password-123' }),
    });
    const auth = { authorization: `Bearer ${access_token}` };
    const tenant = await json(base, '/api/tenants', {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ name: 'Bench MSP' }),
    });
    for (let i = 0; i < 20; i++)
      await json(base, '/api/tenants', {
        method: 'POST',
        headers: auth,
        body: JSON.stringify({ name: `Customer ${i}` }),
      });
    const { key } = await json(base, `/api/tenants/${tenant.id}/api-keys`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ name: 'bench' }),
    });
    const results = [
      await load('GET /api/auth/me (JWT)', `${base}/api/auth/me`, auth),
      await load('GET /api/auth/me (API key)', `${base}/api/auth/me`, { 'x-api-key': key }),
      await load('GET /api/tenants (list, API key)', `${base}/api/tenants`, { 'x-api-key': key }),
      await load('GET /api/tenants (list, super_admin JWT, 21 rows)', `${base}/api/tenants`, auth),
    ];
    console.log(JSON.stringify({ bench: 'http', duration_s: DURATION, connections: CONNECTIONS, results }));
  } finally {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((r) => child.on('exit', r));
    }
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
