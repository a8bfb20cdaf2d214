import { defineFeature } from '../../platform/feature/feature.js';
import { certificatesRoutes } from './certificates.routes.js';
import { BULK_KIND, type CertificatesService, createCertificatesService } from './certificates.service.js';
import { DEPLOY_KIND, deployPlanner } from './deploy-plan.js';
import { createTrust } from './trust.js';

const permissions = {
  'certificates.read': 'viewer',
  'certificates.deploy': 'operator',
  'certificates.admin': 'admin',
} as const;

const errors = {
  /** The organisation has no certificate authority yet. */
  no_ca: 404,
  ca_exists: 409,
  /** A certificate is already on its way to this device. */
  certificate_in_progress: 409,
  certificate_not_deployed: 409,
} as const;

declare module '../../platform/auth/permissions.js' {
  interface PermissionTable extends Record<keyof typeof permissions, true> {}
}
declare module '../../platform/http/errors.js' {
  interface ErrorCodeTable extends Record<keyof typeof errors, true> {}
}
declare module '../../platform/feature/feature.js' {
  interface ServiceRegistry {
    certificates: CertificatesService;
  }
}

/**
 * An internal CA per organisation whose certificates TOD deploys to routers' api-ssl through the safe-change engine,
 * then verifies every connection against (the first tier of TLS); rotation before expiry, revocation, bulk deploy.
 */
export const certificatesFeature = defineFeature({
  name: 'certificates',
  permissions,
  errors,
  service: ({ config, log, pools, envelope, services }) => {
    const trust = createTrust(pools.app);
    services.deviceAccess.registerTrust((tenantId) => trust.of(tenantId));
    services.changes.registerPlanner(DEPLOY_KIND, deployPlanner({ envelope, access: services.deviceAccess }));
    const svc = createCertificatesService({
      appPool: pools.app,
      systemPool: pools.system,
      envelope,
      access: services.deviceAccess,
      changes: services.changes,
      rollouts: services.rollouts,
      trust,
      options: { deviceDays: config.CERT_VALIDITY_DAYS, rotateBeforeDays: config.CERT_ROTATE_BEFORE_DAYS },
      log: log.child({ feature: 'certificates' }),
    });
    services.rollouts.registerKind(BULK_KIND, {
      changes: true,
      operation: ({ actor, device, rollout }) =>
        svc.operationFor(
          actor,
          device.device_id,
          rollout.id,
          (rollout.request as { validity_days?: number | null }).validity_days ?? null,
        ),
      // The rollout counts a device done only once TOD has connected to it with the certificate verified.
      after: async ({ rollout }, op) => {
        await svc.settle(rollout.tenant_id, op.id, op.status);
        return {};
      },
    });
    return svc;
  },
  routes: (app, { service }) => certificatesRoutes(app, service),
  schedules: ({ service }) => [
    { name: 'certificates.rotate', everyMs: 86_400_000, run: () => service.rotateDue().then(() => undefined) },
  ],
  handlers: ({ service }) => [
    {
      name: 'certificates.settle',
      on: ['change.operation_updated'],
      async handle(e) {
        const p = e.payload as { operation_id?: string; status?: string; kind?: string };
        if (p.kind !== DEPLOY_KIND || !e.tenantId || !p.operation_id) return;
        if (p.status === 'confirmed' || p.status === 'reverted' || p.status === 'failed')
          await service.settle(e.tenantId, p.operation_id, p.status);
      },
    },
  ],
});
