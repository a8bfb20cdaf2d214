import type pg from 'pg';
import type { z } from 'zod';
import { assertCan } from '../../platform/auth/permissions.js';
import type { Actor } from '../../platform/auth/principal.js';
import { withTenant } from '../../platform/db/tx.js';
import { AppError, notFound } from '../../platform/http/errors.js';
import type { eventsQuery, RuleCreate, SiteRuleBody } from './alerts.schema.js';
import type { AlertsService } from './alerts.service.js';
import { rulesRepo } from './rules.repo.js';
import { ruleItem } from './rules.service.js';
import { isSiteMetric, siteMetricNames } from './site-metrics.js';
import { siteScopesRepo } from './site-scopes.repo.js';

// A site's alert rules and alerts (GET|POST /sites/{site_id}/alert-rules, …): the rules whose scope is the site or
// one of its sectors and whose metric is a site metric, written through the rules service with a guard that checks,
// in the same transaction, that the site is the caller's and the rule is the site's. Another organisation's site,
// or a rule of another site, is 404.

export function createSiteAlertsService(deps: { pools: { app: pg.Pool }; alerts: AlertsService }) {
  const { alerts } = deps;

  async function siteGuard(db: pg.PoolClient, siteId: string) {
    if (!(await siteScopesRepo.siteExists(db, siteId))) throw notFound('site');
  }

  async function ruleGuard(db: pg.PoolClient, siteId: string, ruleId: string) {
    await siteGuard(db, siteId);
    if (!(await rulesRepo.isOfSite(db, ruleId, siteId, siteMetricNames))) throw notFound('alert rule');
  }

  /** The rule body with its scope: the site unless a sector of it is named; a site metric. */
  function ruleOf(siteId: string, body: SiteRuleBody): RuleCreate {
    if (!isSiteMetric(body.metric))
      throw new AppError('invalid_rule', `${body.metric} is a device metric: a site rule watches a site metric`, [
        { path: 'metric', message: `one of ${siteMetricNames.join(', ')}` },
      ]);
    const scope = body.scope ?? { kind: 'site', id: siteId };
    if (scope.kind !== 'site' && scope.kind !== 'sector')
      throw new AppError('invalid_rule', 'a site rule is scoped to the site or one of its sectors', [
        { path: 'scope.kind', message: 'site or sector' },
      ]);
    if (scope.kind === 'site' && scope.id !== siteId)
      throw new AppError('invalid_rule', 'a site rule is scoped to the site of its path', [
        { path: 'scope.id', message: 'this site' },
      ]);
    return { ...body, scope };
  }

  async function checkSector(db: pg.PoolClient, siteId: string, rule: RuleCreate) {
    if (rule.scope.kind !== 'sector') return;
    if ((await siteScopesRepo.siteOfSector(db, rule.scope.id!)) !== siteId)
      throw new AppError('scope_not_found', `no sector with id ${rule.scope.id} in this site`);
  }

  return {
    async listRules(actor: Actor, siteId: string) {
      assertCan(actor, 'alerts.read');
      const rows = await withTenant(deps.pools.app, actor.tenantId!, async (db) => {
        await siteGuard(db, siteId);
        return rulesRepo.listOfSite(db, siteId, siteMetricNames);
      });
      return { items: rows.map((r) => ruleItem(r, actor)), total: rows.length };
    },

    getRule: (actor: Actor, siteId: string, ruleId: string) =>
      alerts.getRule(actor, ruleId, (db) => ruleGuard(db, siteId, ruleId)),

    async createRule(actor: Actor, siteId: string, body: SiteRuleBody) {
      assertCan(actor, 'alerts.configure');
      const rule = ruleOf(siteId, body);
      return alerts.createRule(actor, rule, async (db) => {
        await siteGuard(db, siteId);
        await checkSector(db, siteId, rule);
      });
    },

    /** A full replace: what the body leaves out takes its default. */
    async replaceRule(actor: Actor, siteId: string, ruleId: string, body: SiteRuleBody) {
      assertCan(actor, 'alerts.configure');
      const rule = ruleOf(siteId, body);
      return alerts.updateRule(actor, ruleId, rule, async (db) => {
        await ruleGuard(db, siteId, ruleId);
        await checkSector(db, siteId, rule);
      });
    },

    deleteRule: (actor: Actor, siteId: string, ruleId: string) =>
      alerts.deleteRule(actor, ruleId, (db) => ruleGuard(db, siteId, ruleId)),

    /** Alerts of the site, of its sectors and of its devices (keyset pages, as GET /alert-events). */
    listAlerts: (actor: Actor, siteId: string, q: z.infer<typeof eventsQuery>) =>
      alerts.listAlerts(actor, { ...q, site_id: siteId }, (db) => siteGuard(db, siteId)),
  };
}
export type SiteAlertsService = ReturnType<typeof createSiteAlertsService>;
