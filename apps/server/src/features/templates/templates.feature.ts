import { systemActor } from '../../platform/auth/principal.js';
import { defineFeature } from '../../platform/feature/feature.js';
import { AppError } from '../../platform/http/errors.js';
import { planFor, type ValueSet } from './resolve.js';
import { templatesRoutes } from './templates.routes.js';
import { createTemplatesService, type TemplatesService } from './templates.service.js';
import type { VariableDeclaration } from './variables.js';

const permissions = { 'templates.read': 'viewer', 'templates.write': 'operator' } as const;
const errors = { template_exists: 409, template_invalid: 422 } as const;

declare module '../../platform/auth/permissions.js' {
  interface PermissionTable extends Record<keyof typeof permissions, true> {}
}
declare module '../../platform/http/errors.js' {
  interface ErrorCodeTable extends Record<keyof typeof errors, true> {}
}
declare module '../../platform/feature/feature.js' {
  interface ServiceRegistry {
    templates: TemplatesService;
  }
}

type Snapshot = { template_id: string; body: string; variables: VariableDeclaration[]; template_name: string };

/** Configuration templates: rendered per device, pushed as rollouts of safe changes, re-checked for drift. */
export const templatesFeature = defineFeature({
  name: 'templates',
  permissions,
  errors,
  service: ({ pools, envelope, services }) => {
    const svc = createTemplatesService({
      appPool: pools.app,
      envelope,
      backups: services.configBackups,
      rollouts: services.rollouts,
    });
    // The change of one device, planned when its operation runs (after the pre-change backup): the template as the
    // rollout captured it, the values from the rollout's sealed payload, laid over the device's configuration now.
    services.changes.registerPlanner('template', async ({ op, ref, preText }) => {
      const { rollout_id } = op.request as { rollout_id: string };
      const { rollout, payload } = await services.rollouts.snapshot(ref.tenantId, rollout_id);
      const snap = rollout.request as Snapshot;
      const { ctx, result } = await svc.renderForDevice(
        ref.tenantId,
        { id: snap.template_id, body: snap.body, variables: snap.variables },
        ref.deviceId,
        payload as ValueSet,
      );
      if ('errors' in result) throw new AppError('template_invalid', result.errors[0]?.message ?? 'render failed');
      const plan = planFor(ref.deviceId, result.text, preText, ctx.device.major);
      if ('errors' in plan) throw new AppError('template_invalid', plan.errors[0]?.message ?? 'plan failed');
      return { commands: plan.commands, ...(plan.unsupported.length ? { unsupported: plan.unsupported } : {}) };
    });
    services.rollouts.registerKind('template', {
      changes: true,
      operation: ({ rollout }) => ({
        kind: 'template',
        request: { rollout_id: rollout.id, template_id: (rollout.request as Snapshot).template_id },
        summary: `template ${(rollout.request as Snapshot).template_name}`,
      }),
      after: async ({ rollout, device, payload }) => {
        await svc.assigned(rollout.tenant_id, {
          templateId: (rollout.request as Snapshot).template_id,
          deviceId: device.device_id,
          rolloutId: rollout.id,
          set: payload as ValueSet,
        });
        return {};
      },
    });
    return svc;
  },
  routes: (app, { service }) => templatesRoutes(app, service),
  handlers: ({ service }) => [
    {
      name: 'templates.drift',
      on: ['config.version_created'],
      async handle(e) {
        if (e.tenantId && e.deviceId) await service.deviceBackedUp(systemActor('templates', e.tenantId), e.deviceId);
      },
    },
  ],
});
