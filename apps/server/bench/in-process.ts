// TOD's services in the bench process (migrated database, pools, the feature services), for benches that measure
// TOD's own work against simulated routers: simulated devices inserted directly, and an actor of any role.
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { devicePasswordContext } from '../src/features/devices/credentials.js';
import type { Actor } from '../src/platform/auth/principal.js';
import type { Role } from '../src/platform/auth/roles.js';
import { loadConfig } from '../src/platform/config/config.js';
import { migrate } from '../src/platform/db/migrate.js';
import { createPools } from '../src/platform/db/pools.js';
import { useByWorker } from '../src/platform/kms/key-use.js';
import { createServices } from '../src/runtime/services.js';
import type { SimDevice } from './lib.js';

const APP_PW = 'bench-app-password-0123456789';
const SYS_PW = 'bench-system-password-0123456789';

export async function inProcessTod(dbUrl: string, log: Logger, env: Record<string, string> = {}, appMax = 40) {
  await migrate({ ownerUrl: dbUrl, appPassword: APP_PW, systemPassword: SYS_PW, log });
  const config = loadConfig({
    ENVIRONMENT: 'dev',
    DATABASE_URL: dbUrl,
    DB_APP_PASSWORD: APP_PW,
    DB_SYSTEM_PASSWORD: SYS_PW,
    JWT_SECRET_KEY: 'bench-jwt-secret-that-is-long-enough-0123456789',
    CREDENTIAL_ENCRYPTION_KEY: Buffer.alloc(32, 9).toString('base64'),
    LOG_LEVEL: 'warn',
    ...env,
  });
  const pools = createPools({
    ownerUrl: dbUrl,
    appPassword: APP_PW,
    systemPassword: SYS_PW,
    appMax,
    systemMax: 20,
    statementTimeoutMs: 60_000,
  });
  const services = createServices({ config, log, appPool: pools.app, systemPool: pools.system });
  const tenant = (await pools.system.query(`insert into tenants (name) values ('bench') returning id`)).rows[0]
    .id as string;

  /** A simulated router as a device of the bench tenant (plain API, its SSH port). */
  async function addDevice(d: SimDevice, name: string): Promise<string> {
    const id = randomUUID();
    const enc = await services.envelope.encrypt(
      tenant,
      d.password,
      devicePasswordContext(id),
      useByWorker('bench', 'seal'),
    );
    await pools.system.query(
      `insert into devices (id, tenant_id, name, host, port, tls_mode, ssh_port, winbox_port, username, password_enc)
       values ($1, $2, $3, $4, $5, 'plain', $6, $7, $8, $9)`,
      [id, tenant, name, d.address, d.port, d.sshPort, d.winboxPort ?? 8291, d.username, enc],
    );
    return id;
  }

  const actor = (role: Role, email = 'bench@tod.test'): Actor => ({
    principal: {
      kind: 'user',
      userId: randomUUID(),
      tenantId: tenant,
      role,
      email,
      name: 'bench',
      sessionId: 'bench',
      mustUpgradeAuth: false,
      scope: 'full',
    },
    tenantId: tenant,
    ip: null,
    requestId: null,
  });

  /** `count` devices of the bench tenant with no router behind them (for ingest and alerts), in one statement. */
  async function addBareDevices(count: number): Promise<string[]> {
    const r = await pools.system.query<{ id: string }>(
      `insert into devices (id, tenant_id, name, host, username, password_enc)
       select gen_random_uuid(), $1, 'r' || g, '10.' || (g / 65536) || '.' || (g / 256 % 256) || '.' || (g % 256), 'a', '\\x00'
         from generate_series(1, $2) g returning id`,
      [tenant, count],
    );
    return r.rows.map((x) => x.id);
  }

  return {
    config,
    pools,
    services,
    tenant,
    addDevice,
    addBareDevices,
    actor,
    close: async () => {
      await services.close();
      await pools.end();
    },
  };
}
export type InProcessTod = Awaited<ReturnType<typeof inProcessTod>>;
