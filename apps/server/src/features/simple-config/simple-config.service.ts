import type pg from 'pg';
import type { z } from 'zod';
import { assertCan, can } from '../../platform/auth/permissions.js';
import { type Actor, systemActor } from '../../platform/auth/principal.js';
import { withTenant } from '../../platform/db/tx.js';
import { AppError, forbidden } from '../../platform/http/errors.js';
import type { Envelope } from '../../platform/kms/envelope.js';
import { useBy } from '../../platform/kms/key-use.js';
import type { ChangesService } from '../changes/changes.service.js';
import { displayCommand } from '../changes/commands.js';
import { risksOf } from '../changes/risks.js';
import type { CredentialProfilesService } from '../credential-profiles/credential-profiles.service.js';
import type { DeviceAccess } from '../device-access/device-access.service.js';
import type { DeviceRef } from '../device-access/leases.js';
import type { DevicesService } from '../devices/devices.service.js';
import { type FormOf, forms, type Tab } from './forms.js';
import { PlanError } from './model.js';
import { checkSimpleConfig, planSimpleConfig, readDevice, viewOf } from './plan.js';
import { preferencesRepo, type ViewMode } from './preferences.repo.js';
import { buildRequest, KIND, tabTitles } from './request.js';
import type { applyBody } from './simple-config.schema.js';

type Deps = {
  appPool: pg.Pool;
  envelope: Envelope;
  devices: DevicesService;
  credentialProfiles: CredentialProfilesService;
  access: DeviceAccess;
  changes: Pick<ChangesService, 'submitOperation'>;
};

/** A form checked against its tab's shape: 422 naming each field (`body.form.static.gateway`). */
export function parseForm<T extends Tab>(tab: T, form: unknown): FormOf[T] {
  const r = forms[tab].safeParse(form);
  if (r.success) return r.data as FormOf[T];
  const errors = r.error.issues.map((i) => ({
    path: ['body', 'form', ...i.path.map(String)].join('.'),
    message: i.message,
  }));
  throw new AppError(
    'validation_failed',
    `validation failed: ${errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`.slice(0, 1000),
    errors,
  );
}

export const planFailed = (e: unknown): never => {
  if (e instanceof PlanError)
    throw new AppError('invalid_simple_config', e.message, [{ path: `body.form.${e.field}`, message: e.message }]);
  throw e;
};

export function createSimpleConfigService(deps: Deps) {
  const tenantOf = (a: Actor) => a.tenantId as string;
  const refOf = (actor: Actor, deviceId: string): DeviceRef => ({ tenantId: tenantOf(actor), deviceId });
  const asSystem = (actor: Actor) => systemActor('simple-config', actor.tenantId);
  const device = (actor: Actor, id: string) => deps.devices.get(asSystem(actor), id);

  type DeviceInfo = {
    host?: string;
    port?: number;
    tls_port?: number;
    ssh_port?: number;
    username?: string | null;
    credential_profile_id?: string | null;
  };
  /** The device, and the RouterOS user TOD logs in as on it (its own, or its credential profile's). */
  async function target(actor: Actor, deviceId: string): Promise<{ dev: DeviceInfo; user: string | undefined }> {
    const dev = (await device(actor, deviceId)) as DeviceInfo;
    if (dev.username || !dev.credential_profile_id) return { dev, user: dev.username ?? undefined };
    const p = await deps.credentialProfiles.get(asSystem(actor), dev.credential_profile_id);
    return { dev, user: (p as { username?: string }).username };
  }

  const read = (actor: Actor, deviceId: string, tab: Tab) =>
    deps.access.withApi(refOf(actor, deviceId), 'change', (client) => readDevice({ client, trips: { n: 0 } }, tab), {
      use: useBy(actor, 'read'),
    });

  return {
    /** The tab's form as the device has it now, read over the API. */
    async get(actor: Actor, deviceId: string, tab: Tab) {
      assertCan(actor, 'changes.read');
      const { user } = await target(actor, deviceId);
      const d = await read(actor, deviceId, tab);
      const view = viewOf(tab, d.rows, { v7: d.v7, ...(user ? { loginUser: user } : {}) });
      return { tab, version: d.version, v7: d.v7, ...view, policies: { apply: can(actor.principal, 'changes.apply') } };
    },

    /** One operation through the safe-change engine (202), or the commands it would run now (dry run). */
    async apply(actor: Actor, deviceId: string, tab: Tab, body: z.infer<typeof applyBody>) {
      assertCan(actor, 'changes.apply');
      const form = parseForm(tab, body.form);
      const { dev, user } = await target(actor, deviceId);
      if (body.dry_run) {
        const d = await read(actor, deviceId, tab);
        let commands: ReturnType<typeof planSimpleConfig>;
        try {
          commands = planSimpleConfig(tab, form, d.rows, { v7: d.v7, ...(user ? { loginUser: user } : {}) });
        } catch (e) {
          return planFailed(e);
        }
        const risks = risksOf(commands, {
          managementPorts: [dev.port, dev.tls_port, dev.ssh_port].filter((p): p is number => typeof p === 'number'),
          ...(dev.host ? { host: dev.host } : {}),
          ...(user ? { username: user } : {}),
          itemsOf: (path) => d.rows[path] ?? [],
        });
        const shown = commands.map(displayCommand);
        return { operation_id: null, commands: shown.map((c) => c.cli), command_details: shown, risks };
      }
      try {
        checkSimpleConfig(tab, form, user ? { loginUser: user } : {});
      } catch (e) {
        planFailed(e);
      }
      const request = await buildRequest(deps.envelope, tenantOf(actor), tab, form, useBy(actor, 'seal'), {
        loginUser: user,
        revert: body.revert,
      });
      return deps.changes.submitOperation(actor, deviceId, {
        kind: KIND,
        mode: body.mode,
        ...(body.confirm_within_seconds ? { confirm: body.confirm_within_seconds } : {}),
        request,
        summary: `Simple Config: ${tabTitles[tab]}`,
      });
    },

    /**
     * What a rollout submits for one device to apply a form to many (its StepContext's actor and device): the
     * operation's kind, request (secrets sealed) and summary. The form is checked here — a 422 before the device is
     * touched — and the planner plans it against the device's own rows when the operation runs.
     */
    async operationSpec(actor: Actor, deviceId: string, tab: Tab, form: unknown) {
      assertCan(actor, 'changes.apply');
      const valid = parseForm(tab, form);
      const { user } = await target(actor, deviceId);
      try {
        checkSimpleConfig(tab, valid, user ? { loginUser: user } : {});
      } catch (e) {
        planFailed(e);
      }
      const request = await buildRequest(deps.envelope, tenantOf(actor), tab, valid, useBy(actor, 'seal'), {
        loginUser: user,
      });
      return { kind: KIND, request: request as Record<string, unknown>, summary: `Simple Config: ${tabTitles[tab]}` };
    },

    async viewPreference(actor: Actor, deviceId: string) {
      assertCan(actor, 'changes.read');
      const userId = personOf(actor);
      await device(actor, deviceId);
      const row = await withTenant(deps.appPool, tenantOf(actor), (db) => preferencesRepo.get(db, userId, deviceId));
      return {
        mode: row?.mode ?? 'standard',
        saved: row !== undefined,
        updated_at: row?.updated_at.toISOString() ?? null,
      };
    },

    async setViewPreference(actor: Actor, deviceId: string, mode: ViewMode) {
      assertCan(actor, 'changes.read');
      const userId = personOf(actor);
      await device(actor, deviceId);
      const row = await withTenant(deps.appPool, tenantOf(actor), (db) =>
        preferencesRepo.put(db, { tenantId: tenantOf(actor), userId, deviceId, mode }),
      );
      return { mode: row.mode, saved: true, updated_at: row.updated_at.toISOString() };
    },
  };
}

/** The person a preference belongs to: API keys have none (a 403, as for other user-only routes). */
function personOf(actor: Actor): string {
  if (actor.principal.kind !== 'user') throw forbidden('a view preference belongs to a person: API keys have none');
  return actor.principal.userId;
}

export type SimpleConfigService = ReturnType<typeof createSimpleConfigService>;
