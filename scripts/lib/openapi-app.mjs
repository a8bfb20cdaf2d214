// Builds the server's real HTTP app without a database (pg pools connect lazily and nothing here queries) and
// returns its OpenAPI document. Needs the server's TypeScript sources: run under tsx with the `source` condition.
import pino from 'pino';
import { loadConfig } from '../../apps/server/src/platform/config/config.ts';
import { createPools } from '../../apps/server/src/platform/db/pools.ts';
import { createHttpServer } from '../../apps/server/src/runtime/http.ts';
import { createServices } from '../../apps/server/src/runtime/services.ts';

export async function serverOpenApi() {
  // An unreachable database URL and throwaway secrets: given explicitly, so nothing is generated on disk.
  const config = loadConfig({
    ENVIRONMENT: 'dev',
    LOG_LEVEL: 'silent',
    DATABASE_URL: 'postgres://openapi:openapi@127.0.0.1:9/openapi',
    DB_APP_PASSWORD: 'openapi-generation-only',
    DB_SYSTEM_PASSWORD: 'openapi-generation-only',
    JWT_SECRET_KEY: 'openapi-generation-only-not-a-real-secret-0123456789',
    CREDENTIAL_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString('base64'),
  });
  const log = pino({ level: 'silent' });
  const pools = createPools({
    ownerUrl: config.DATABASE_URL,
    appPassword: config.dbAppPassword,
    systemPassword: config.dbSystemPassword,
    appMax: 1,
    systemMax: 1,
    statementTimeoutMs: 1000,
  });
  try {
    const services = createServices({ config, log, appPool: pools.app, systemPool: pools.system });
    const app = await createHttpServer({ config, log, services, readiness: [] });
    await app.ready();
    const res = await app.inject({ method: 'GET', url: '/api/openapi.json' });
    await app.close();
    if (res.statusCode !== 200) throw new Error(`GET /api/openapi.json answered ${res.statusCode}: ${res.body}`);
    return res.json();
  } finally {
    await pools.end();
  }
}
