import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devicePasswordContext } from '../../../src/features/devices/credentials.js';
import { useByWorker } from '../../../src/platform/kms/key-use.js';
import { transitKeyName } from '../../../src/platform/kms/transit.js';
import { createServices } from '../../../src/runtime/services.js';
import { contextEnv, runTod } from '../../helpers/cli.js';
import { createTestContext, type TestContext } from '../../helpers/context.js';
import { startTransitServer, type TransitServer } from '../../helpers/transit-server.js';

// `tod keys rotate` and `tod keys rewrap`, the real program in a child process, on the test database: an organisation
// whose keys `local` wrapped is moved to Transit (the test server), its secrets still readable.

let ctx: TestContext;
let bao: TransitServer;
let tenant: string;
const use = useByWorker('test');

beforeAll(async () => {
  ctx = await createTestContext();
  bao = await startTransitServer();
  tenant = (await ctx.pools.owner.query("insert into tenants (name) values ('cli') returning id")).rows[0].id;
});
afterAll(async () => {
  await bao?.close();
  await ctx?.close();
});

const env = (extra: Record<string, string> = {}) => ({ ...contextEnv(ctx), ...extra });
const withBao = () => env({ OPENBAO_ADDR: bao.url, OPENBAO_TOKEN: bao.token });
/** TOD's services as a process configured for Transit would build them. */
function transitServices() {
  const config = { ...ctx.config, OPENBAO_ADDR: bao.url, OPENBAO_TOKEN: bao.token };
  return createServices({
    config,
    log: pino({ level: 'silent' }),
    appPool: ctx.pools.app,
    systemPool: ctx.pools.system,
  });
}

describe('tod keys', () => {
  // Each run starts the program from sources (several seconds on a busy machine).
  it('refuses what it cannot do', { timeout: 120_000 }, async () => {
    const usage = await runTod(['keys', 'rotate'], env());
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('--tenant is required');
    const none = await runTod(['keys', 'rotate', '--tenant', '00000000-0000-4000-8000-000000000000'], env());
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('no organisation');
  });

  it('rewrap moves local keys to Transit; rotate adds a Transit-made version; secrets stay readable', {
    timeout: 180_000,
  }, async () => {
    const sealed = await ctx.services.envelope.encrypt(tenant, 'router-pw', devicePasswordContext('d1'), use);
    const r1 = await runTod(['keys', 'rewrap'], withBao());
    expect(r1.stderr).toBe('');
    expect(r1.stdout).toContain('1 rewrapped with transit');
    const rows = async () =>
      (
        await ctx.pools.owner.query(
          "select version, provider, key_ref, convert_from(wrapped_key, 'utf8') as w from tenant_keys where tenant_id = $1 and provider = 'transit' order by version",
          [tenant],
        )
      ).rows;
    expect(await rows()).toMatchObject([{ version: 1, key_ref: `transit/${transitKeyName(tenant)}`, w: /^vault:v1:/ }]);

    const r2 = await runTod(['keys', 'rotate', '--tenant', tenant], withBao());
    expect(r2.stdout).toContain('data key version 2 (transit)');
    expect((await rows()).map((r) => r.w.slice(0, 9))).toEqual(['vault:v1:', 'vault:v2:']);
    const r3 = await runTod(['keys', 'rewrap', '--tenant', tenant], withBao());
    expect(r3.stdout).toContain('2 data key(s) checked: 1 rewrapped with transit, 1 already current');

    const services = transitServices();
    try {
      expect((await services.envelope.decrypt(tenant, sealed, devicePasswordContext('d1'), use)).toString()).toBe(
        'router-pw',
      );
      const fresh = await services.envelope.encrypt(tenant, 'new-pw', devicePasswordContext('d2'), use);
      expect(fresh.readUInt32BE(2)).toBe(2);
    } finally {
      await services.close();
    }

    const audit = await ctx.pools.owner.query(
      "select action, tenant_id, actor_label from audit_logs where action like 'key.%' order by seq",
    );
    expect(audit.rows.map((r) => [r.action, r.actor_label])).toEqual([
      ['key.rewrap', 'cli:keys'],
      ['key.rotate', 'cli:keys'],
      ['key.rewrap', 'cli:keys'],
    ]);
    const logged = await ctx.pools.owner.query(
      `select distinct op, actor_kind, actor_label, purpose from key_access_log
        where tenant_id = $1 and actor_label = 'system:cli' order by op`,
      [tenant],
    );
    expect(logged.rows).toEqual([
      { op: 'rewrap', actor_kind: 'system', actor_label: 'system:cli', purpose: 'rewrap' },
      { op: 'rotate', actor_kind: 'system', actor_label: 'system:cli', purpose: 'rotate' },
    ]);
  });

  it('a Transit that refuses the token fails with its code, not a stack trace', { timeout: 120_000 }, async () => {
    const r = await runTod(
      ['keys', 'rotate', '--tenant', tenant],
      env({ OPENBAO_ADDR: bao.url, OPENBAO_TOKEN: 'wrong' }),
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^tod keys: provider_denied: OpenBao at http:\/\/127\.0\.0\.1:\d+ refused the token/);
    expect(r.stderr).not.toContain('wrong');
  });
});
