import type pg from 'pg';
import type { z } from 'zod';
import { assertCan, can } from '../../platform/auth/permissions.js';
import type { Actor } from '../../platform/auth/principal.js';
import { type Db, retryOnDeadlock, withTenant } from '../../platform/db/tx.js';
import { eventActor, recordEvent } from '../../platform/events/index.js';
import { AppError, notFound } from '../../platform/http/errors.js';
import { recordAudit } from '../audit/audit.service.js';
import { loadMemberships, type Scope, scopeExists } from '../catalog/scope.js';
import { alertEventsRepo } from './alert-events.repo.js';
import type { metricsList, previewResult, RuleCreate, RuleItem, RuleUpdate } from './alerts.schema.js';
import { applicableRules } from './applicable.js';
import { channelsRepo } from './channels.repo.js';
import { deliveriesRepo } from './deliveries.repo.js';
import { eventOfAlert, transitionOf } from './evaluate.js';
import { latestResults } from './latest.js';
import { metrics } from './metrics.js';
import { type RuleRow, rulesRepo } from './rules.repo.js';
import { isSiteMetric, siteMetrics, siteScopeKinds } from './site-metrics.js';
import { previewSiteRule } from './site-preview.js';
import { siteStatesRepo } from './site-states.repo.js';
import { breaches } from './state.js';
import { statesRepo } from './states.repo.js';

export type Deps = {
  pools: { app: pg.Pool };
  giveUpSeconds: number;
  onQueued: () => void;
  /** One wireless collection period with slack: site rules' "clients registered now" (site-values.repo.ts). */
  siteWindowSeconds: number;
};
/** Runs first in a rule write's transaction: the site routes check that the rule is the site's there. */
export type Guard = (db: pg.PoolClient) => Promise<void>;

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function ruleItem(r: RuleRow & { active_count: number }, actor: Actor): RuleItem {
  const write = can(actor.principal, 'alerts.configure');
  return {
    id: r.id,
    name: r.name,
    metric: r.metric,
    operator: r.operator,
    threshold: r.threshold,
    duration_polls: r.duration_polls,
    duration_seconds: r.duration_seconds,
    clear_polls: r.clear_polls,
    severity: r.severity,
    scope: r.scope_id ? { kind: r.scope_kind, id: r.scope_id } : { kind: r.scope_kind },
    interface: r.interface,
    link_speed_bps: r.link_speed_bps === null ? null : Number(r.link_speed_bps),
    channel_ids: r.channel_ids,
    flap_transitions: r.flap_transitions,
    flap_window_seconds: r.flap_window_seconds,
    enabled: r.enabled,
    silenced_until: iso(r.silenced_until),
    is_default: r.is_default,
    active_count: r.active_count,
    created_at: r.created_at.toISOString(),
    updated_at: r.updated_at.toISOString(),
    policies: { update: write, delete: write },
  };
}

const by = (actor: Actor) => eventActor(actor) as object;

/** Alert rules: CRUD, the preview, and settling a rule's alerts when what it watches changes. */
export function createRulesService(deps: Deps) {
  // Rule writes settle alerts that ingest's evaluation may be locking at the same moment: a deadlock is retried.
  const tx = <T>(actor: Actor, fn: (db: pg.PoolClient) => Promise<T>) =>
    retryOnDeadlock(() => withTenant(deps.pools.app, actor.tenantId!, fn));

  async function checkRule(
    db: Db,
    body: {
      scope?: Scope;
      channel_ids?: string[];
      metric?: string;
      interface?: string | null;
      link_speed_bps?: number | null;
      /** The scope the rule will have (a partial update may not name it). */
      scopeKind?: Scope['kind'];
    },
  ) {
    if (body.scope && !(await scopeExists(db, body.scope)))
      throw new AppError('scope_not_found', `no ${body.scope.kind} with id ${body.scope.id} in this organisation`);
    if (body.channel_ids?.length) {
      const found = new Set(await channelsRepo.existing(db, body.channel_ids));
      const missing = body.channel_ids.filter((id) => !found.has(id));
      if (missing.length) throw new AppError('channel_not_found', `no notification channel ${missing[0]}`);
    }
    const kind = body.scopeKind ?? body.scope?.kind;
    if (body.metric && kind && isSiteMetric(body.metric) && !(siteScopeKinds as readonly string[]).includes(kind))
      throw new AppError('invalid_rule', `${body.metric} is over a site or a sector: scope it to one`, [
        { path: 'scope', message: 'a site or sector scope' },
      ]);
    if (body.metric && body.interface && metrics[body.metric]?.scope !== 'interface')
      throw new AppError('invalid_rule', `${body.metric} is not per interface: leave interface empty`, [
        { path: 'interface', message: 'only for per-interface metrics' },
      ]);
  }

  /** Resolves a rule's open alerts (its definition changed, it was disabled or deleted) and forgets its states. */
  async function closeRule(db: Db, actor: Actor, rule: RuleRow, reason: string) {
    const ids = await alertEventsRepo.openOfRule(db, rule.id);
    const resolved = await alertEventsRepo.resolve(db, ids, new Date(), { ...by(actor), label: reason });
    await statesRepo.clearRule(db, rule.id);
    await siteStatesRepo.clearRule(db, rule.id);
    await deliveriesRepo.queue(
      db,
      resolved.map((a) => transitionOf(a, rule, 'resolved', null)),
      deps.giveUpSeconds,
    );
    for (const a of resolved) await recordEvent(db, eventOfAlert(a, 'alert.resolved', 'resolved'));
    if (resolved.length) deps.onQueued();
  }

  const service = {
    metrics(actor: Actor): z.infer<typeof metricsList> {
      assertCan(actor, 'alerts.read');
      return {
        items: [
          ...Object.entries(metrics).map(([metric, d]) => ({
            metric,
            label: d.label,
            unit: d.unit,
            per_interface: d.scope === 'interface',
            scope: 'device' as const,
          })),
          ...Object.entries(siteMetrics).map(([metric, d]) => ({
            metric,
            label: d.label,
            unit: d.unit,
            per_interface: false,
            scope: 'site' as const,
          })),
        ],
      };
    },

    async listRules(actor: Actor) {
      assertCan(actor, 'alerts.read');
      const rows = await tx(actor, (db) => rulesRepo.list(db));
      return { items: rows.map((r) => ruleItem(r, actor)), total: rows.length };
    },

    async getRule(actor: Actor, id: string, guard?: Guard) {
      assertCan(actor, 'alerts.read');
      const r = await tx(actor, async (db) => {
        await guard?.(db);
        return rulesRepo.get(db, id);
      });
      if (!r) throw notFound('alert rule');
      return ruleItem(r, actor);
    },

    async createRule(actor: Actor, body: RuleCreate, guard?: Guard) {
      assertCan(actor, 'alerts.configure');
      const id = await tx(actor, async (db) => {
        await guard?.(db);
        await checkRule(db, body);
        const id = await rulesRepo.insert(db, actor.tenantId!, body);
        await recordAudit(db, actor, {
          action: 'alert_rule.create',
          targetType: 'alert_rule',
          targetId: id,
          details: { name: body.name, metric: body.metric },
        });
        return id;
      });
      return service.getRule(actor, id);
    },

    async updateRule(actor: Actor, id: string, body: RuleUpdate, guard?: Guard) {
      assertCan(actor, 'alerts.configure');
      await tx(actor, async (db) => {
        await guard?.(db);
        const before = await rulesRepo.get(db, id);
        if (!before) throw notFound('alert rule');
        await checkRule(db, {
          ...body,
          metric: body.metric ?? before.metric,
          interface: body.interface === undefined ? before.interface : body.interface,
          scopeKind: body.scope?.kind ?? before.scope_kind,
        });
        await rulesRepo.update(db, id, body);
        // What the rule watches changed (or it stopped): its alerts are settled rather than left open forever.
        const redefined =
          (body.metric !== undefined && body.metric !== before.metric) ||
          (body.operator !== undefined && body.operator !== before.operator) ||
          (body.interface !== undefined && body.interface !== before.interface) ||
          (body.scope !== undefined &&
            (body.scope.kind !== before.scope_kind || (body.scope.id ?? null) !== before.scope_id)) ||
          body.enabled === false;
        if (redefined) await closeRule(db, actor, before, body.enabled === false ? 'rule disabled' : 'rule changed');
        await recordAudit(db, actor, {
          action: 'alert_rule.update',
          targetType: 'alert_rule',
          targetId: id,
          details: { fields: Object.keys(body) },
        });
      });
      return service.getRule(actor, id);
    },

    async deleteRule(actor: Actor, id: string, guard?: Guard) {
      assertCan(actor, 'alerts.configure');
      await tx(actor, async (db) => {
        await guard?.(db);
        const before = await rulesRepo.get(db, id);
        if (!before) throw notFound('alert rule');
        await closeRule(db, actor, before, 'rule deleted');
        await rulesRepo.remove(db, id);
        await recordAudit(db, actor, {
          action: 'alert_rule.delete',
          targetType: 'alert_rule',
          targetId: id,
          details: { name: before.name },
        });
      });
    },

    /** Which devices a draft rule covers and how many would breach on their latest figures. */
    async previewRule(actor: Actor, body: RuleCreate): Promise<z.infer<typeof previewResult>> {
      assertCan(actor, 'alerts.read');
      return tx(actor, async (db) => {
        await checkRule(db, body);
        if (isSiteMetric(body.metric)) return previewSiteRule(db, body, deps.siteWindowSeconds);
        const [members, latest, rules] = await Promise.all([
          loadMemberships(db, null),
          latestResults(db),
          rulesRepo.enabledOf(db, [actor.tenantId!]),
        ]);
        const draft = {
          ...({} as RuleRow),
          ...body,
          id: 'draft',
          scope_kind: body.scope.kind,
          scope_id: body.scope.id ?? null,
          tenant_id: actor.tenantId!,
          link_speed_bps: body.link_speed_bps === null ? null : String(body.link_speed_bps),
        } as RuleRow;
        let covered = 0;
        let fire = 0;
        const sample: z.infer<typeof previewResult>['sample'] = [];
        const superseded = new Map<string, string>();
        for (const [deviceId, m] of members) {
          const applicable = applicableRules([...rules, draft], m);
          if (!applicable.includes(draft)) {
            const wins = applicable.filter((r) => r.metric === draft.metric);
            if (wins.length && applicableRules([draft], m).length) for (const w of wins) superseded.set(w.id, w.name);
            continue;
          }
          covered++;
          const l = latest.get(deviceId);
          const samples = l ? (metrics[draft.metric]?.read(l.result, { linkSpeedBps: body.link_speed_bps }) ?? []) : [];
          for (const s of samples) {
            if (draft.interface !== null && s.target !== draft.interface) continue;
            const breaching = breaches(draft.operator, s.value, draft.threshold);
            if (breaching) fire++;
            if (sample.length < 50 && (breaching || sample.length < 10))
              sample.push({ device_id: deviceId, device_name: l!.name, target: s.target, value: s.value, breaching });
          }
        }
        return {
          devices_covered: covered,
          would_fire: fire,
          sample: sample.sort((a, b) => Number(b.breaching) - Number(a.breaching)),
          superseded_by: [...superseded].map(([id, name]) => ({ id, name })),
        };
      });
    },
  };
  return service;
}
export type RulesService = ReturnType<typeof createRulesService>;
