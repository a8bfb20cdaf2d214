import type pg from 'pg';
import type { z } from 'zod';
import { assertCan, can } from '../../platform/auth/permissions.js';
import type { Actor } from '../../platform/auth/principal.js';
import { retryOnDeadlock, withTenant } from '../../platform/db/tx.js';
import { eventActor, recordEvent } from '../../platform/events/index.js';
import { encodeCursor } from '../../platform/http/cursor.js';
import { AppError, notFound } from '../../platform/http/errors.js';
import { recordAudit } from '../audit/audit.service.js';
import { scopeExists } from '../catalog/scope.js';
import { type AlertRow, alertEventsRepo } from './alert-events.repo.js';
import {
  ALERTS_CURSOR,
  type AlertItem,
  type alertDetail,
  type countResult,
  type eventsQuery,
  type silenceBody,
} from './alerts.schema.js';
import { deliveriesRepo } from './deliveries.repo.js';
import { eventOfAlert, transitionOf } from './evaluate.js';
import { metricInfo } from './metrics.js';
import { rulesRepo } from './rules.repo.js';
import { createRulesService, type Deps } from './rules.service.js';
import { silencesRepo } from './silences.repo.js';
import { siteStatesRepo } from './site-states.repo.js';
import { statesRepo } from './states.repo.js';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function alertItem(a: AlertRow, actor: Actor): AlertItem {
  const respond = can(actor.principal, 'alerts.respond');
  const end = a.resolved_at ?? new Date();
  return {
    id: a.id,
    rule_id: a.rule_id,
    rule_name: a.rule_name,
    owner: a.device_id ? 'device' : a.sector_id ? 'sector' : 'site',
    device_id: a.device_id,
    device_name: a.device_name,
    site_id: a.owner_site_id,
    site_name: a.site_name,
    sector_id: a.sector_id,
    sector_name: a.sector_name,
    target: a.target,
    metric: a.metric,
    unit: metricInfo(a.metric)?.unit ?? null,
    operator: a.operator,
    threshold: a.threshold,
    severity: a.severity,
    state: a.state,
    value: a.value,
    last_value: a.last_value,
    started_at: a.started_at.toISOString(),
    resolved_at: iso(a.resolved_at),
    resolved_by: a.resolved_at ? (a.resolved_by?.label ?? 'automatically') : null,
    duration_seconds: Math.max(0, Math.round((end.getTime() - a.started_at.getTime()) / 1000)),
    acknowledged_at: iso(a.acknowledged_at),
    acknowledged_by: a.acknowledged_by?.label ?? null,
    acknowledged_note: a.acknowledged_note,
    flapping: a.flapping,
    in_maintenance: a.in_maintenance,
    silenced: a.silenced,
    policies: { acknowledge: respond && a.state === 'firing', resolve: respond && a.state !== 'resolved' },
  };
}

const by = (actor: Actor) => eventActor(actor) as object;

/** Alerts: the list and history, acknowledge and resolve, silences; with the rules' service in one object. */
export function createAlertsService(deps: Deps) {
  // Acknowledging and resolving race ingest's evaluation on the same alert: a deadlock is retried.
  const tx = <T>(actor: Actor, fn: (db: pg.PoolClient) => Promise<T>) =>
    retryOnDeadlock(() => withTenant(deps.pools.app, actor.tenantId!, fn));

  const service = {
    ...createRulesService(deps),
    /** `guard` runs first in the same transaction (the site route checks its site there). */
    async listAlerts(
      actor: Actor,
      q: z.infer<typeof eventsQuery> & { site_id?: string },
      guard?: (db: pg.PoolClient) => Promise<void>,
    ) {
      assertCan(actor, 'alerts.read');
      const after = q.cursor ? { k: q.cursor.k, id: q.cursor.id } : null;
      const rows = await tx(actor, async (db) => {
        await guard?.(db);
        return alertEventsRepo.page(db, { ...q, limit: q.limit + 1, after });
      });
      const items = rows.slice(0, q.limit);
      return {
        items: items.map((a) => alertItem(a, actor)),
        next_cursor:
          rows.length > q.limit
            ? encodeCursor({ s: ALERTS_CURSOR, k: items.at(-1)!.cursor_k!, id: items.at(-1)!.id })
            : null,
      };
    },

    async getAlert(actor: Actor, id: string): Promise<z.infer<typeof alertDetail>> {
      assertCan(actor, 'alerts.read');
      return tx(actor, async (db) => {
        const a = await alertEventsRepo.get(db, id);
        if (!a) throw notFound('alert');
        const deliveries = await deliveriesRepo.forAlert(db, id);
        return { ...alertItem(a, actor), deliveries: deliveries.map((d) => ({ ...d, sent_at: iso(d.sent_at) })) };
      });
    },

    async acknowledge(actor: Actor, id: string, note: string) {
      assertCan(actor, 'alerts.respond');
      await tx(actor, async (db) => {
        const a = await alertEventsRepo.get(db, id);
        if (!a) throw notFound('alert');
        if (a.state !== 'firing') throw new AppError('alert_not_firing', `the alert is ${a.state}`);
        await alertEventsRepo.acknowledge(db, id, by(actor), note);
        const rule = a.rule_id ? await rulesRepo.get(db, a.rule_id) : undefined;
        await deliveriesRepo.queue(db, [transitionOf(a, rule ?? null, 'acknowledged', null)], deps.giveUpSeconds);
        await recordEvent(db, eventOfAlert(a, 'alert.acknowledged', 'acknowledged'));
        await recordAudit(db, actor, {
          action: 'alert.acknowledge',
          targetType: 'alert',
          targetId: id,
          details: { note },
        });
      });
      deps.onQueued();
      return service.getAlert(actor, id);
    },

    async resolve(actor: Actor, id: string) {
      assertCan(actor, 'alerts.respond');
      await tx(actor, async (db) => {
        const a = await alertEventsRepo.get(db, id);
        if (!a) throw notFound('alert');
        if (a.state === 'resolved') throw new AppError('alert_resolved', 'the alert is already resolved');
        const [r] = await alertEventsRepo.resolve(db, [id], new Date(), by(actor));
        // A condition that persists fires again after its polls: the state starts afresh.
        await statesRepo.clearAlert(db, id);
        await siteStatesRepo.clearAlert(db, id);
        const rule = a.rule_id ? await rulesRepo.get(db, a.rule_id) : undefined;
        await deliveriesRepo.queue(db, [transitionOf(r!, rule ?? null, 'resolved', null)], deps.giveUpSeconds);
        await recordEvent(db, eventOfAlert(a, 'alert.resolved', 'resolved'));
        await recordAudit(db, actor, { action: 'alert.resolve', targetType: 'alert', targetId: id });
      });
      deps.onQueued();
      return service.getAlert(actor, id);
    },

    async count(actor: Actor): Promise<z.infer<typeof countResult>> {
      assertCan(actor, 'alerts.read');
      const rows = await tx(actor, (db) => alertEventsRepo.count(db));
      const out = { active: 0, firing: 0, by_severity: { info: 0, warning: 0, critical: 0 } };
      for (const r of rows) {
        out.active += r.n;
        if (r.state === 'firing') out.firing += r.n;
        out.by_severity[r.severity as 'info'] += r.n;
      }
      return out;
    },

    async listSilences(actor: Actor) {
      assertCan(actor, 'alerts.read');
      const rows = await tx(actor, (db) => silencesRepo.list(db));
      return {
        items: rows.map((s) => ({
          ...s,
          until: s.until.toISOString(),
          created_at: s.created_at.toISOString(),
          created_by: s.created_by?.label ?? null,
        })),
      };
    },

    async silence(actor: Actor, body: z.infer<typeof silenceBody>) {
      assertCan(actor, 'alerts.respond');
      if (Date.parse(body.until) <= Date.now())
        throw new AppError('validation_failed', 'until must be in the future', [
          { path: 'until', message: 'in the past' },
        ]);
      return tx(actor, async (db) => {
        if (!(await scopeExists(db, { kind: 'device', id: body.device_id }))) throw notFound('device');
        const id = await silencesRepo.insert(db, {
          tenantId: actor.tenantId!,
          deviceId: body.device_id,
          until: body.until,
          note: body.note,
          createdBy: by(actor),
        });
        await recordAudit(db, actor, {
          action: 'alert_silence.create',
          targetType: 'device',
          targetId: body.device_id,
          details: { until: body.until, note: body.note },
        });
        return { id };
      });
    },

    async unsilence(actor: Actor, id: string) {
      assertCan(actor, 'alerts.respond');
      await tx(actor, async (db) => {
        const gone = await silencesRepo.remove(db, id);
        if (!gone) throw notFound('silence');
        await recordAudit(db, actor, {
          action: 'alert_silence.delete',
          targetType: 'device',
          targetId: gone.device_id,
        });
      });
    },
  };
  return service;
}
export type AlertsService = ReturnType<typeof createAlertsService>;
