// Requests/s and latency of the API under load: GET /api/auth/me (JWT and API key) and a list endpoint with an API
// key. The server is the real bundled `tod` in its own process (embedded PostgreSQL, LOG_LEVEL=info as shipped);
// load comes from this process with autocannon. Prints one JSON object on the last line.
import { enrolledToken, json, load, startTodProcess } from './lib.js';

async function main() {
  const tod = await startTodProcess({
    FIRST_ADMIN_EMAIL: 'bench@tod.test',
    FIRST_ADMIN_PASSWORD: 'bench-password-123',
    AUTH_RATE_LIMIT_PER_MINUTE: '1000',
  });
  const base = tod.base;
  try {
    const access_token = await enrolledToken(base, 'bench@tod.test', 'bench-password-123');
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
    console.log(JSON.stringify({ bench: 'http', results }));
  } finally {
    await tod.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
