import type pg from 'pg';
import { assertCan } from '../../platform/auth/permissions.js';
import type { Actor } from '../../platform/auth/principal.js';
import { withTenant } from '../../platform/db/tx.js';
import type { Envelope } from '../../platform/kms/envelope.js';
import { type KeyUse, useBy, useByWorker } from '../../platform/kms/key-use.js';
import type { ConfigBackupsService } from '../config-backups/config-backups.service.js';
import { type DeviceContext, deviceContexts } from './device-context.js';
import { compileTemplate } from './render.js';
import { planFor, renderFor, shown, type ValueSet } from './resolve.js';
import { type AssignmentRow, type TemplateRow, templatesRepo } from './templates.repo.js';
import type { ValueMap } from './variables.js';

// Drift: the devices a template was pushed to (assignments, with the values of the push, sealed) re-planned against
// their latest backup — after every new backup version (the handler of config.version_created) and on request. A
// plan with commands means the device no longer matches: drifted, with the (redacted) diff.

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function createDrift(deps: {
  appPool: pg.Pool;
  envelope: Envelope;
  backups: ConfigBackupsService;
  groupValues: (t: TemplateRow, use: KeyUse) => Promise<Record<string, ValueMap>>;
  load: (actor: Actor, id: string) => Promise<TemplateRow>;
}) {
  const { groupValues, load } = deps;
  const inTenant = <T>(actor: Actor, fn: (db: pg.PoolClient) => Promise<T>) =>
    withTenant(deps.appPool, actor.tenantId as string, fn);
  const compiledOf = (t: TemplateRow) => ({ compiled: compileTemplate(t.body), variables: t.variables });

  /** Re-checks one assignment against a device's latest backup. */
  async function driftOf(t: TemplateRow, a: AssignmentRow, ctx: DeviceContext | undefined, use: KeyUse) {
    const base = { drift_revision: t.revision, drift_sha256: null, drift_diff: null, drift_commands: null };
    const latest = await deps.backups.latestOf({ tenantId: t.tenant_id, deviceId: a.device_id }, use);
    if (!latest || !ctx)
      return { ...base, drift: 'unknown' as const, drift_error: latest ? 'device not found' : 'no backup yet' };
    const set = JSON.parse(
      (await deps.envelope.decrypt(t.tenant_id, a.values_sealed, assignmentContext(a), use)).toString('utf8'),
    );
    const r = renderFor(compiledOf(t), ctx, { ...set, groups: await groupValues(t, use) });
    if ('errors' in r)
      return { ...base, drift: 'error' as const, drift_error: r.errors[0]?.message ?? 'render failed' };
    const p = planFor(a.device_id, r.text, latest.text, ctx.device.major);
    if ('errors' in p) return { ...base, drift: 'error' as const, drift_error: p.errors[0]?.message ?? 'plan failed' };
    const view = shown(p, r.text, r.secrets, false);
    return {
      drift: p.inSync ? ('in_sync' as const) : ('drifted' as const),
      drift_revision: t.revision,
      drift_sha256: latest.version.sha256,
      drift_diff: p.inSync ? null : view.diff,
      drift_commands: p.commands.length,
      drift_error: null,
    };
  }
  const assignmentContext = (a: { template_id: string; device_id: string }) =>
    `template:${a.template_id}:device:${a.device_id}:values`;

  async function checkAssignments(actor: Actor, t: TemplateRow, list: AssignmentRow[]) {
    const ctxs = await inTenant(actor, (db) =>
      deviceContexts(
        db,
        list.map((a) => a.device_id),
      ),
    );
    for (const a of list) {
      const d = await driftOf(t, a, ctxs.get(a.device_id), useBy(actor, 'drift'));
      await inTenant(actor, (db) => templatesRepo.setDrift(db, t.id, a.device_id, d));
    }
  }

  async function drift(actor: Actor, id: string) {
    assertCan(actor, 'templates.read');
    const t = await load(actor, id);
    const list = await inTenant(actor, (db) => templatesRepo.assignments(db, id));
    const counts = { in_sync: 0, drifted: 0, unknown: 0, error: 0 };
    for (const a of list) counts[a.drift]++;
    return {
      template_id: id,
      revision: t.revision,
      counts,
      devices: list.map((a) => ({
        device_id: a.device_id,
        device_name: a.device_name ?? '',
        drift: a.drift,
        checked_at: iso(a.drift_checked_at),
        pushed_at: a.pushed_at.toISOString(),
        rollout_id: a.rollout_id,
        revision: a.drift_revision,
        backup_id: a.drift_sha256,
        commands: a.drift_commands,
        // Stored redacted (the full diff is one preview away for config.secrets).
        diff: a.drift_diff,
        error: a.drift_error,
      })),
    };
  }

  /** Per device, the values it was last pushed with (the push's values under its own), for a re-push. */
  async function storedValues(actor: Actor, templateId: string): Promise<Record<string, ValueMap>> {
    const list = await inTenant(actor, (db) => templatesRepo.assignments(db, templateId));
    const out: Record<string, ValueMap> = {};
    for (const a of list) {
      const set = JSON.parse(
        (
          await deps.envelope.decrypt(a.tenant_id, a.values_sealed, assignmentContext(a), useBy(actor, 'render'))
        ).toString('utf8'),
      ) as { values?: ValueMap | null; devices?: Record<string, ValueMap> | null };
      out[a.device_id] = { ...(set.values ?? {}), ...(set.devices?.[a.device_id] ?? {}) };
    }
    return out;
  }

  return {
    drift,
    storedValues,

    /** Re-checks every device the template was pushed to against its latest backup, now. */
    async checkDrift(actor: Actor, id: string) {
      assertCan(actor, 'templates.read');
      const t = await load(actor, id);
      await checkAssignments(actor, t, await inTenant(actor, (db) => templatesRepo.assignments(db, id)));
      return drift(actor, id);
    },

    /** A new backup version of a device: re-check the templates assigned to it (the drift handler). */
    async deviceBackedUp(actor: Actor, deviceId: string) {
      const list = await inTenant(actor, (db) => templatesRepo.assignmentsOfDevice(db, deviceId));
      for (const a of list) {
        const t = await inTenant(actor, (db) => templatesRepo.byId(db, a.template_id));
        if (t) await checkAssignments(actor, t, [a]);
      }
    },

    /** After a push confirmed on a device: it is assigned, in sync with this revision. */
    async assigned(tenantId: string, a: { templateId: string; deviceId: string; rolloutId: string; set: ValueSet }) {
      const sealed = await deps.envelope.encrypt(
        tenantId,
        JSON.stringify({ values: a.set.values ?? null, devices: a.set.devices ?? null }),
        assignmentContext({ template_id: a.templateId, device_id: a.deviceId }),
        useByWorker('rollout', 'seal'),
      );
      await withTenant(deps.appPool, tenantId, async (db) => {
        await templatesRepo.assign(db, {
          template_id: a.templateId,
          tenant_id: tenantId,
          device_id: a.deviceId,
          values_sealed: sealed,
          rollout_id: a.rolloutId,
        });
      });
    },
  };
}
