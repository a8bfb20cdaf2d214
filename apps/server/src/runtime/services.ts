import type pg from 'pg';
import type { Logger } from 'pino';
import { createApiKeysService } from '../features/api-keys/api-keys.service.js';
import { createAuditService } from '../features/audit/audit.service.js';
import { createAuthService } from '../features/auth/auth.service.js';
import { createTokenSigner } from '../features/auth/tokens.js';
import { deviceGroups, deviceTags, sites } from '../features/catalog/catalogs.js';
import { createCredentialProfilesService } from '../features/credential-profiles/credential-profiles.service.js';
import { createDemoService } from '../features/demo/demo.service.js';
import { createDevicesService } from '../features/devices/devices.service.js';
import { createEventsService } from '../features/events/events.routes.js';
import { createFleetService } from '../features/fleet/fleet.routes.js';
import { createMetricsService } from '../features/metrics/metrics.service.js';
import { createPasswordResetService } from '../features/password-reset/password-reset.service.js';
import { createTenantsService } from '../features/tenants/tenants.service.js';
import { createUsersService } from '../features/users/users.service.js';
import { createMemoryBus } from '../platform/bus/memory.js';
import type { Bus } from '../platform/bus/types.js';
import type { Config } from '../platform/config/config.js';
import { createEnvelope } from '../platform/kms/envelope.js';
import { localKeyProvider } from '../platform/kms/local.js';
import { createSmtpMailer, smtpSettingsFrom } from '../platform/mail/mailer.js';

/** Every feature service, wired once. Tests build the same object against their own database. */
export function createServices(deps: {
  config: Config;
  log: Logger;
  appPool: pg.Pool;
  systemPool: pg.Pool;
  /** Poll results and live updates (platform/bus); in-process when not given. */
  bus?: Bus;
}) {
  const { config, log, appPool, systemPool } = deps;
  const auth = createAuthService({
    systemPool,
    log,
    signer: createTokenSigner(config.jwtSecret, config.JWT_ACCESS_TOKEN_EXPIRE_MINUTES),
    refreshDays: config.JWT_REFRESH_TOKEN_EXPIRE_DAYS,
  });
  const envelope = createEnvelope({ systemPool, provider: localKeyProvider(config.credentialKey) });
  const devices = createDevicesService({
    appPool,
    envelope,
    connectTimeoutMs: config.CONNECTION_TIMEOUT_SECONDS * 1000,
    commandTimeoutMs: config.COMMAND_TIMEOUT_SECONDS * 1000,
  });
  const smtp = smtpSettingsFrom(config);
  const mailer = smtp ? createSmtpMailer(smtp, log) : undefined;
  const passwordReset = createPasswordResetService({
    auth,
    mailer,
    baseUrl: config.APP_BASE_URL,
    minutes: config.PASSWORD_RESET_MINUTES,
    appName: config.APP_NAME,
    log,
  });
  return {
    appPool,
    envelope,
    passwordReset,
    /** Ends what services hold open outside the pools (mails in flight, SMTP connections). */
    async close() {
      await passwordReset.drain();
      mailer?.close();
    },
    bus: deps.bus ?? createMemoryBus({ log }),
    auth,
    audit: createAuditService({ appPool, systemPool }),
    tenants: createTenantsService({ appPool, systemPool }),
    users: createUsersService({ appPool, revokeUserSessions: auth.revokeUserSessions }),
    apiKeys: createApiKeysService({ appPool, systemPool }),
    sites: sites.service(appPool),
    deviceGroups: deviceGroups.service(appPool),
    deviceTags: deviceTags.service(appPool),
    credentialProfiles: createCredentialProfilesService({ appPool, envelope }),
    events: createEventsService({ appPool }),
    fleet: createFleetService({ appPool }),
    metrics: createMetricsService({ appPool }),
    devices,
    demo: createDemoService({ systemPool, devices, basePort: config.DEMO_BASE_PORT, log }),
  };
}
export type Services = ReturnType<typeof createServices>;
