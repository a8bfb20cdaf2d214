import type { Logger } from 'pino';
import { z } from 'zod';
import { recordRawAudit } from '../features/audit/audit.service.js';
import type { Config } from '../platform/config/config.js';
import { withSystem } from '../platform/db/tx.js';
import { createKeyAccessLog } from '../platform/kms/access-log.js';
import { createEnvelope } from '../platform/kms/envelope.js';
import { useBySystem } from '../platform/kms/key-use.js';
import { KmsError } from '../platform/kms/provider.js';
import { keyCacheFromConfig, keyProvidersFromConfig } from '../platform/kms/providers.js';
import { withCliDatabase } from './cli-database.js';

const tenantId = z.uuid('--tenant must be an organisation id (uuid)');

/**
 * `tod keys rotate --tenant ID`: a new data key version for an organisation (with Transit, a new Transit key version
 * first); new secrets use it, old ones keep theirs. `tod keys rewrap [--tenant ID]`: every stored data key wrapped
 * again by the configured provider's newest key (local → Transit after switching; old Transit versions → the newest),
 * without re-encrypting any data. Both are audited and logged in the key-access log.
 */
export async function runKeys(
  config: Config,
  log: Logger,
  action: string | undefined,
  args: { tenant?: string | undefined },
): Promise<number> {
  if (action !== 'rotate' && action !== 'rewrap') {
    console.error('tod keys: use `tod keys rotate --tenant ID` or `tod keys rewrap [--tenant ID]`');
    return 2;
  }
  if (action === 'rotate' && !args.tenant) {
    console.error('tod keys rotate: --tenant is required');
    return 2;
  }
  const tenant = args.tenant === undefined ? undefined : tenantId.safeParse(args.tenant);
  if (tenant && !tenant.success) {
    console.error(`tod keys: ${tenant.error.issues[0]?.message}`);
    return 2;
  }
  return withCliDatabase(config, log, async (pools) => {
    const accessLog = createKeyAccessLog({
      systemPool: pools.system,
      log,
      periodMs: config.KEY_ACCESS_PERIOD_SECONDS * 1000,
    });
    try {
      const envelope = createEnvelope({
        systemPool: pools.system,
        ...keyProvidersFromConfig(config),
        accessLog,
        cache: keyCacheFromConfig(config),
      });
      const id = tenant?.data;
      if (id) {
        const found = await pools.system.query('select 1 from tenants where id = $1', [id]);
        if (found.rowCount === 0) {
          console.error(`tod keys: no organisation ${id}`);
          return 1;
        }
      }
      const audit = (tenantOf: string | null, act: string, details: Record<string, unknown>) =>
        withSystem(pools.system, (c) =>
          recordRawAudit(c, {
            tenantId: tenantOf,
            actorType: 'system',
            actorId: null,
            actorLabel: 'cli:keys',
            action: act,
            targetType: 'tenant_key',
            targetId: tenantOf,
            details,
          }),
        );
      if (action === 'rotate') {
        const version = await envelope.rotate(id!, useBySystem('cli', 'rotate'));
        await audit(id!, 'key.rotate', { version, provider: envelope.provider });
        console.log(`organisation ${id}: data key version ${version} (${envelope.provider})`);
        return 0;
      }
      const r = await envelope.rewrap({ ...(id ? { tenantId: id } : {}), use: useBySystem('cli', 'rewrap') });
      await audit(id ?? null, 'key.rewrap', { provider: envelope.provider, ...r });
      console.log(
        `${r.checked} data key(s) checked: ${r.rewrapped} rewrapped with ${envelope.provider}, ${r.unchanged} already current`,
      );
      return 0;
    } catch (err) {
      if (!(err instanceof KmsError)) throw err;
      console.error(`tod keys: ${err.code}: ${err.message}`);
      return 1;
    } finally {
      await accessLog.stop();
    }
  });
}
