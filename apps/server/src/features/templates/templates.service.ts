import type pg from 'pg';
import type { z } from 'zod';
import { assertCan, can } from '../../platform/auth/permissions.js';
import type { Actor } from '../../platform/auth/principal.js';
import { withTenant } from '../../platform/db/tx.js';
import { AppError, conflictFromPg, notFound } from '../../platform/http/errors.js';
import type { Envelope } from '../../platform/kms/envelope.js';
import { type KeyUse, useBy, useByWorker } from '../../platform/kms/key-use.js';
import { recordAudit } from '../audit/audit.service.js';
import { devicesInTargets, missingTargets } from '../catalog/scope.js';
import { REDACTED } from '../changes/restore-plan.js';
import type { ConfigBackupsService } from '../config-backups/config-backups.service.js';
import type { RolloutsService } from '../rollouts/rollouts.service.js';
import { type DeviceContext, deviceContexts } from './device-context.js';
import { createDrift } from './drift.js';
import { TemplateError } from './errors.js';
import { checkSyntax, compileTemplate } from './render.js';
import { planFor, type RenderIssue, renderFor, shown, type ValueSet } from './resolve.js';
import { starterTemplates } from './starters.js';
import { type TemplateRow, templatesRepo } from './templates.repo.js';
import type { previewBody, pushBody, templateCreate, templateListQuery, templateUpdate } from './templates.schema.js';
import type { ValueMap } from './variables.js';

const unique = { config_templates_name_idx: ['template_exists', 'a template with this name exists'] } as const;
const MAX_ISSUES = 50;

export function createTemplatesService(deps: {
  appPool: pg.Pool;
  envelope: Envelope;
  backups: ConfigBackupsService;
  rollouts: RolloutsService;
}) {
  const tenantOf = (a: Actor) => a.tenantId as string;
  const inTenant = <T>(actor: Actor, fn: (db: pg.PoolClient) => Promise<T>) =>
    withTenant(deps.appPool, tenantOf(actor), fn);
  const groupContext = (t: { id: string }) => `template:${t.id}:group-values`;

  async function groupValues(t: TemplateRow, use: KeyUse): Promise<Record<string, ValueMap>> {
    if (!t.group_values_sealed) return {};
    const plain = await deps.envelope.decrypt(t.tenant_id, t.group_values_sealed, groupContext(t), use);
    return JSON.parse(plain.toString('utf8'));
  }

  async function present(actor: Actor, t: TemplateRow, counts = { assigned: 0, drifted: 0 }) {
    const write = can(actor.principal, 'templates.write');
    const secret = new Set(t.variables.filter((v) => v.secret).map((v) => v.name));
    const mayRead = can(actor.principal, 'config.secrets');
    const groups = await groupValues(t, useBy(actor, 'show'));
    return {
      id: t.id,
      name: t.name,
      description: t.description,
      body: t.body,
      variables: t.variables.map((v) =>
        v.secret && !mayRead && v.default !== undefined ? { ...v, default: REDACTED } : v,
      ),
      group_values: Object.fromEntries(
        Object.entries(groups).map(([g, vals]) => [
          g,
          Object.fromEntries(Object.entries(vals).map(([k, v]) => [k, secret.has(k) && !mayRead ? REDACTED : v])),
        ]),
      ),
      revision: t.revision,
      assigned: counts.assigned,
      drifted: counts.drifted,
      created_at: t.created_at.toISOString(),
      updated_at: t.updated_at.toISOString(),
      policies: {
        update: write,
        delete: write,
        push: can(actor.principal, 'changes.apply') && can(actor.principal, 'rollouts.control'),
      },
    };
  }

  async function load(actor: Actor, id: string): Promise<TemplateRow> {
    const t = await inTenant(actor, (db) => templatesRepo.byId(db, id));
    if (!t) throw notFound('template');
    return t;
  }

  /** Saving checks the syntax and that every variable the body reads is declared (or the device's). */
  function check(body: string, variables: readonly { name: string }[]) {
    try {
      checkSyntax(
        body,
        variables.map((v) => v.name),
      );
    } catch (e) {
      if (e instanceof TemplateError)
        throw new AppError('template_invalid', e.message, [
          { path: e.variable ? `body.${e.variable}` : `body:${e.line ?? 1}`, message: e.message },
        ]);
      throw e;
    }
  }

  /**
   * A secret's value shown masked (to callers without config.secrets) and sent back unchanged keeps what is stored:
   * saving a template must never replace a passphrase with the mask.
   */
  async function keepMasked(actor: Actor, old: TemplateRow, b: z.infer<typeof templateUpdate>) {
    const declared = b.variables ?? old.variables;
    const secret = new Set(declared.filter((v) => v.secret).map((v) => v.name));
    const out = { ...b };
    if (b.variables)
      out.variables = b.variables.map((v) => {
        if (!v.secret || v.default !== REDACTED) return v;
        const { default: _, ...rest } = v;
        const before = old.variables.find((o) => o.name === v.name)?.default;
        return before === undefined ? rest : { ...rest, default: before };
      });
    if (b.group_values) {
      const stored = await groupValues(old, useBy(actor, 'edit'));
      out.group_values = Object.fromEntries(
        Object.entries(b.group_values).map(([g, vals]) => [
          g,
          Object.fromEntries(
            Object.entries(vals).flatMap(([k, v]) => {
              if (!secret.has(k) || v !== REDACTED) return [[k, v]];
              const before = stored[g]?.[k];
              return before === undefined ? [] : [[k, before]];
            }),
          ),
        ]),
      ) as typeof b.group_values;
    }
    return out;
  }

  const compiledOf = (t: TemplateRow) => ({ compiled: compileTemplate(t.body), variables: t.variables });

  /** Renders a template for devices (no device I/O): the texts, or every issue. */
  async function renderAll(t: TemplateRow, ctxs: Map<string, DeviceContext>, set: ValueSet) {
    const c = compiledOf(t);
    const texts = new Map<string, { text: string; secrets: string[] }>();
    const issues: RenderIssue[] = [];
    for (const ctx of ctxs.values()) {
      const r = renderFor(c, ctx, set);
      if ('errors' in r) issues.push(...r.errors);
      else texts.set(ctx.device.id, r);
    }
    return { texts, issues };
  }

  const drift = createDrift({ ...deps, groupValues, load });

  return {
    ...drift,

    starters(actor: Actor) {
      assertCan(actor, 'templates.read');
      return starterTemplates.map((s) => ({
        key: s.key,
        name: s.name,
        description: s.description,
        body: s.body,
        variables: s.variables,
      }));
    },

    async list(actor: Actor, q: z.infer<typeof templateListQuery>) {
      assertCan(actor, 'templates.read');
      const { rows, total } = await inTenant(actor, (db) =>
        templatesRepo.list(db, { limit: q.limit, offset: q.offset, ...(q.search ? { search: q.search } : {}) }),
      );
      return {
        items: await Promise.all(rows.map((r) => present(actor, r, r))),
        total,
        limit: q.limit,
        offset: q.offset,
      };
    },

    async get(actor: Actor, id: string) {
      assertCan(actor, 'templates.read');
      const t = await load(actor, id);
      const list = await inTenant(actor, (db) => templatesRepo.assignments(db, id));
      return present(actor, t, { assigned: list.length, drifted: list.filter((a) => a.drift === 'drifted').length });
    },

    async create(actor: Actor, b: z.infer<typeof templateCreate>) {
      assertCan(actor, 'templates.write');
      check(b.body, b.variables);
      return inTenant(actor, async (db) => {
        const row = await templatesRepo
          .insert(db, {
            tenant_id: tenantOf(actor),
            name: b.name,
            description: b.description,
            body: b.body,
            variables: b.variables,
            group_values_sealed: null,
          })
          .catch((e) => conflictFromPg(e, unique));
        const t = b.group_values
          ? ((await templatesRepo.update(db, row.id, {
              group_values_sealed: await deps.envelope.encrypt(
                tenantOf(actor),
                JSON.stringify(b.group_values),
                groupContext(row),
                useBy(actor, 'seal'),
              ),
            })) as TemplateRow)
          : row;
        await recordAudit(db, actor, {
          action: 'template.created',
          targetType: 'template',
          targetId: t.id,
          details: { name: t.name },
        });
        return present(actor, t);
      });
    },

    async update(actor: Actor, id: string, b: z.infer<typeof templateUpdate>) {
      assertCan(actor, 'templates.write');
      const old = await load(actor, id);
      b = await keepMasked(actor, old, b);
      check(b.body ?? old.body, b.variables ?? old.variables);
      return inTenant(actor, async (db) => {
        const t = await templatesRepo
          .update(db, id, {
            ...(b.name !== undefined ? { name: b.name } : {}),
            ...(b.description !== undefined ? { description: b.description } : {}),
            ...(b.body !== undefined ? { body: b.body } : {}),
            ...(b.variables !== undefined ? { variables: b.variables } : {}),
            ...(b.group_values !== undefined
              ? {
                  group_values_sealed: await deps.envelope.encrypt(
                    tenantOf(actor),
                    JSON.stringify(b.group_values),
                    groupContext(old),
                    useBy(actor, 'seal'),
                  ),
                }
              : {}),
          })
          .catch((e) => conflictFromPg(e, unique));
        if (!t) throw notFound('template');
        await recordAudit(db, actor, {
          action: 'template.updated',
          targetType: 'template',
          targetId: id,
          details: { name: t.name, fields: Object.keys(b) },
        });
        return present(actor, t);
      });
    },

    async remove(actor: Actor, id: string) {
      assertCan(actor, 'templates.write');
      await inTenant(actor, async (db) => {
        const t = await templatesRepo.byId(db, id);
        if (!t || !(await templatesRepo.remove(db, id))) throw notFound('template');
        await recordAudit(db, actor, {
          action: 'template.deleted',
          targetType: 'template',
          targetId: id,
          details: { name: t.name },
        });
      });
    },

    /** Per device: the rendered script, the semantic diff against its latest backup, the commands, the problems. */
    async preview(actor: Actor, id: string, b: z.infer<typeof previewBody>) {
      assertCan(actor, 'templates.read');
      assertCan(actor, 'config.read');
      const t = await load(actor, id);
      const ids = [...new Set(b.device_ids)];
      const ctxs = await inTenant(actor, (db) => deviceContexts(db, ids));
      const missing = ids.filter((d) => !ctxs.has(d));
      if (missing.length) throw new AppError('target_not_found', `no such device ${missing.slice(0, 5).join(', ')}`);
      const { texts, issues } = await renderAll(t, ctxs, {
        values: b.values ?? undefined,
        devices: b.device_values,
        groups: await groupValues(t, useBy(actor, 'render')),
      });
      const mayRead = can(actor.principal, 'config.secrets');
      const devices = [];
      for (const deviceId of ids) {
        const ctx = ctxs.get(deviceId) as DeviceContext;
        const errors = issues.filter((i) => i.device_id === deviceId);
        const item = {
          device_id: deviceId,
          device_name: ctx.device.name,
          rendered: null as string | null,
          diff: null as unknown,
          commands: [] as string[],
          unsupported: [] as string[],
          in_sync: null as boolean | null,
          backup_id: null as string | null,
          errors,
        };
        const r = texts.get(deviceId);
        if (r) {
          const latest = await deps.backups.latestOf({ tenantId: t.tenant_id, deviceId }, useBy(actor, 'preview'));
          if (!latest) {
            item.rendered = shown(
              { inSync: false, diff: emptyDiff, commands: [], unsupported: [] },
              r.text,
              r.secrets,
              mayRead,
            ).rendered;
            errors.push({
              code: 'no_backup',
              message: 'the device has no backup yet: back it up first',
              device_id: deviceId,
            });
          } else {
            const p = planFor(deviceId, r.text, latest.text, ctx.device.major);
            if ('errors' in p) errors.push(...p.errors);
            else {
              const view = shown(p, r.text, r.secrets, mayRead);
              Object.assign(item, view, { backup_id: latest.version.sha256 });
            }
          }
        }
        devices.push(item);
      }
      return { devices };
    },

    /** Validates the render for every target (no device I/O), then starts a rollout of kind `template`. */
    async push(actor: Actor, id: string, b: z.infer<typeof pushBody>) {
      assertCan(actor, 'changes.apply');
      assertCan(actor, 'rollouts.control');
      const t = await load(actor, id);
      const ids = {
        deviceIds: b.targets.device_ids ?? [],
        groupIds: b.targets.group_ids ?? [],
        tagIds: b.targets.tag_ids ?? [],
        siteIds: b.targets.site_ids ?? [],
      };
      const ctxs = await inTenant(actor, async (db) => {
        const missing = await missingTargets(db, ids);
        if (missing.length > 0)
          throw new AppError('target_not_found', `no such ${missing.slice(0, 5).join(', ')} in this organisation`);
        return deviceContexts(
          db,
          (await devicesInTargets(db, ids)).map((d) => d.id),
        );
      });
      let devices: Record<string, ValueMap> | undefined = b.device_values;
      if (b.reuse_values) {
        // Each device keeps what it was last pushed with; what this push gives wins over that.
        const stored = await drift.storedValues(actor, t.id);
        const given = Object.fromEntries(Object.entries(b.values ?? {}).filter(([, v]) => v !== null));
        devices = Object.fromEntries(
          [...ctxs.keys()].map((d) => [d, { ...(stored[d] ?? {}), ...given, ...(b.device_values?.[d] ?? {}) }]),
        );
      }
      const set = { values: b.values ?? undefined, devices };
      const { issues } = await renderAll(t, ctxs, { ...set, groups: await groupValues(t, useBy(actor, 'render')) });
      if (issues.length > 0)
        throw new AppError(
          'template_invalid',
          `the template does not render for ${new Set(issues.map((i) => i.device_id)).size} device(s): ${issues[0]?.message}`,
          issues.slice(0, MAX_ISSUES).map((i) => ({
            path: `device:${i.device_id}${i.variable ? `.${i.variable}` : ''}`,
            message: i.message,
          })),
        );
      return deps.rollouts.create(actor, {
        kind: 'template',
        name: `Template “${t.name}”`,
        targets: b.targets,
        options: b.rollout,
        request: {
          template_id: t.id,
          template_name: t.name,
          revision: t.revision,
          body: t.body,
          variables: t.variables,
        },
        payload: set,
        sourceId: t.id,
      });
    },

    /** The planner's half: render for one device at run time (the rollout's snapshot of the template). */
    async renderForDevice(
      tenantId: string,
      snapshot: Pick<TemplateRow, 'id' | 'body' | 'variables'>,
      deviceId: string,
      set: ValueSet,
    ) {
      const ctxs = await withTenant(deps.appPool, tenantId, (db) => deviceContexts(db, [deviceId]));
      const ctx = ctxs.get(deviceId);
      if (!ctx) throw new AppError('not_found', 'device not found');
      const t = await withTenant(deps.appPool, tenantId, (db) => templatesRepo.byId(db, snapshot.id));
      const groups = t ? await groupValues(t, useByWorker('rollout', 'render')) : {};
      const r = renderFor({ compiled: compileTemplate(snapshot.body), variables: snapshot.variables }, ctx, {
        ...set,
        groups,
      });
      return { ctx, result: r };
    },
  };
}

const emptyDiff = { equal: true, header: [], menus: [] };
export type TemplatesService = ReturnType<typeof createTemplatesService>;
