import { randomUUID } from 'node:crypto';
import dgram from 'node:dgram';
import pino from 'pino';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deviceLogsFeature } from '../../src/features/device-logs/device-logs.feature.js';
import { devicePasswordContext } from '../../src/features/devices/credentials.js';
import { withSystem } from '../../src/platform/db/tx.js';
import type { FeatureContextOf } from '../../src/platform/feature/feature.js';
import { useByWorker } from '../../src/platform/kms/key-use.js';
import { freePort } from '../global-setup.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { createTenant, waitFor } from '../poller/poller-fixture.js';

// The worker role's part of device logs: today's partitions before ingest writes, and the syslog receiver on
// SYSLOG_PORT, which one process owns (a second worker on the same host runs without it instead of failing).

let ctx: TestContext;
let port: number;
const runner = deviceLogsFeature.runners!.worker!;
const start = () =>
  runner({
    config: ctx.config,
    pools: ctx.pools,
    log: pino({ level: 'silent' }),
    registry: new Registry(),
  } as unknown as FeatureContextOf<never>);

beforeAll(async () => {
  port = await freePort();
  ctx = await createTestContext({
    SYSLOG_PORT: String(port),
    SYSLOG_HOST: '127.0.0.1',
    DEVICE_LOG_RETENTION_DAYS: '3',
  });
});
afterAll(() => ctx?.close());

describe('device logs in the worker role', () => {
  it('makes the partitions, receives syslog on SYSLOG_PORT, and a second worker runs without the port', async () => {
    const tenant = await createTenant(ctx);
    const id = randomUUID();
    const enc = await ctx.services.envelope.encrypt(
      tenant,
      'x',
      devicePasswordContext(id),
      useByWorker('test', 'seal'),
    );
    await withSystem(ctx.pools.system, (db) =>
      db.query(
        `insert into devices (id, tenant_id, name, host, port, tls_port, tls_mode, username, password_enc)
         values ($1, $2, 'r', '127.16.0.1', 1, 2, 'plain', 'admin', $3)`,
        [id, tenant, enc],
      ),
    );
    const first = await start();
    const second = await start();
    try {
      const parts = await ctx.pools.owner.query(
        `select count(*)::int as n from pg_inherits where inhparent = 'device_logs'::regclass`,
      );
      expect(parts.rows[0].n).toBe(6); // 3 days back, today, 2 ahead
      const s = dgram.createSocket('udp4');
      await new Promise<void>((r) => s.bind({ address: '127.16.0.1', port: 0 }, () => r()));
      await new Promise<void>((r) => s.send('<30>system,info hello worker', port, '127.0.0.1', () => r()));
      s.close();
      const row = await waitFor('stored', async () => {
        const r = await ctx.pools.system.query('select message, source from device_logs where device_id = $1', [id]);
        return r.rows[0];
      });
      expect(row).toEqual({ message: 'hello worker', source: 'syslog' });
    } finally {
      await second.stop();
      await first.stop();
    }
  });
});
