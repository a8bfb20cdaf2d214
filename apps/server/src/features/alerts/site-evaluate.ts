import type { Db } from '../../platform/db/tx.js';
import { recordEvents } from '../../platform/events/record.js';
import type { NewEvent } from '../../platform/events/types.js';
import { uuidv7 } from '../../platform/events/uuid7.js';
import { alertEventsRepo, type NewAlert } from './alert-events.repo.js';
import { deliveriesRepo, type Transition } from './deliveries.repo.js';
import {
  type EvaluateOutcome,
  eventOfAlert,
  isSilenced,
  type MaintenanceCheck,
  paramsOf,
  transitionOf,
} from './evaluate.js';
import { type RuleRow, rulesRepo } from './rules.repo.js';
import { type SiteMetric, type SiteScopeKind, siteMetricNames } from './site-metrics.js';
import { siteScopesRepo } from './site-scopes.repo.js';
import { type StoredSiteState, siteStateKey, siteStatesRepo } from './site-states.repo.js';
import { readSiteValues, type SiteScope, siteScopeKey } from './site-values.repo.js';
import { breaches, step, worthKeeping } from './state.js';

// Site rules evaluated over whole sites and sectors, every minute by a worker schedule (exactly once across
// workers), in one `system` transaction: the same state machine (state.ts: hysteresis, flapping), alert events,
// outbox deliveries and domain events as device rules, with `at` the evaluation's time. A scope without data this
// time (no devices, no clients) leaves the rule's state as it was.

export type SiteEvaluateDeps = {
  giveUpSeconds: number;
  /** One wireless collection period with slack: clients seen within it are "registered now". */
  windowSeconds: number;
  /** Which of these sites and sectors (keyed `kind:id`) are in a maintenance window now. */
  inMaintenance: MaintenanceCheck;
};

type Opened = { alert: NewAlert; rule: RuleRow };

const scopeOf = (r: RuleRow): SiteScope => ({ kind: r.scope_kind as SiteScopeKind, id: r.scope_id! });

export async function evaluateSites(db: Db, deps: SiteEvaluateDeps, at = new Date()): Promise<EvaluateOutcome> {
  const out: EvaluateOutcome = { evaluated: 0, opened: 0, resolved: 0, queued: 0 };
  const rules = await rulesRepo.enabledSiteRules(db, siteMetricNames);
  if (rules.length === 0) return out;
  const scopes = new Map<string, SiteScope>();
  for (const r of rules) scopes.set(siteScopeKey(scopeOf(r)), scopeOf(r));
  const wanted = new Set(rules.map((r) => r.metric as SiteMetric));
  const values = await readSiteValues(db, [...scopes.values()], wanted, at, deps.windowSeconds);
  const stored = await siteStatesRepo.forRules(
    db,
    rules.map((r) => r.id),
  );
  const states = new Map(stored.map((s) => [siteStateKey(s), s]));

  const changed = new Map<string, StoredSiteState>();
  const dropped: StoredSiteState[] = [];
  const opened: Opened[] = [];
  const toResolve = new Map<string, RuleRow>();
  const latest = new Map<string, { id: string; value: number | null; flapping: boolean }>();
  /** Scopes with a transition this run, and their tenant: the ones whose maintenance matters. */
  const touched = new Map<string, { tenantId: string; scope: SiteScope }>();

  const byId = new Map(rules.map((r) => [r.id, r]));
  // A state whose rule now names another scope (a rule change settles these; this is the safety net).
  for (const s of stored) {
    const rule = byId.get(s.ruleId);
    if (rule && siteScopeKey(scopeOf(rule)) === siteScopeKey(s.scope)) continue;
    if (s.alertId && rule) toResolve.set(s.alertId, rule);
    dropped.push(s);
    states.delete(siteStateKey(s));
  }

  for (const rule of rules) {
    const scope = scopeOf(rule);
    const value = values.get(siteScopeKey(scope))?.[rule.metric as SiteMetric];
    if (value === undefined) continue;
    const key = siteStateKey({ ruleId: rule.id, scope });
    const prev = states.get(key);
    if (!prev && !breaches(rule.operator, value, rule.threshold)) continue;
    const next = step(paramsOf(rule), prev, value, at);
    if (!next) continue;
    out.evaluated++;
    const s: StoredSiteState = { tenantId: rule.tenant_id, ruleId: rule.id, scope, ...next.state };
    switch (next.action) {
      case 'open':
        s.alertId = uuidv7(at.getTime());
        opened.push({ rule, alert: newAlert(s, rule, value) });
        touched.set(siteScopeKey(scope), { tenantId: rule.tenant_id, scope });
        break;
      case 'close':
        toResolve.set(s.alertId!, rule);
        touched.set(siteScopeKey(scope), { tenantId: rule.tenant_id, scope });
        s.alertId = null;
        break;
      case 'value':
      case 'flapping':
      case 'steady':
        latest.set(s.alertId!, { id: s.alertId!, value, flapping: s.flapping });
        break;
    }
    changed.set(key, s);
  }

  const keep = [...changed.values()].filter(worthKeeping);
  const forget = [...changed.values()].filter((s) => !worthKeeping(s) && states.has(siteStateKey(s)));
  const inMaintenance = await maintenanceOf(db, deps, touched, at);
  for (const o of opened) o.alert.in_maintenance = inMaintenance.has(siteScopeKey(ownerOf(o.alert)));
  // Alert rows first: states reference them.
  await alertEventsRepo.insert(
    db,
    opened.map((o) => o.alert),
  );
  await alertEventsRepo.setValues(db, [...latest.values()]);
  const resolved = await alertEventsRepo.resolve(db, [...toResolve.keys()], at, null);
  await siteStatesRepo.upsert(db, keep);
  await siteStatesRepo.remove(db, [...forget, ...dropped]);

  const transitions: Transition[] = [];
  const events: NewEvent[] = [];
  for (const o of opened) {
    const hold = o.alert.silenced ? 'silenced' : o.alert.in_maintenance ? 'maintenance' : null;
    transitions.push(transitionOf(o.alert, o.rule, 'firing', hold));
    events.push(eventOfAlert(o.alert, 'alert.firing', 'firing'));
  }
  for (const a of resolved) {
    const rule = toResolve.get(a.id)!;
    const hold = isSilenced(rule, at) ? 'silenced' : inMaintenance.has(siteScopeKey(ownerOf(a))) ? 'maintenance' : null;
    transitions.push(transitionOf(a, rule, 'resolved', hold));
    events.push(eventOfAlert(a, 'alert.resolved', 'resolved'));
  }
  out.queued = await deliveriesRepo.queue(db, transitions, deps.giveUpSeconds);
  await recordEvents(db, events);
  out.opened = opened.length;
  out.resolved = resolved.length;
  return out;

  function newAlert(s: StoredSiteState, rule: RuleRow, value: number): NewAlert {
    return {
      id: s.alertId!,
      tenant_id: s.tenantId,
      rule_id: rule.id,
      device_id: null,
      site_id: s.scope.kind === 'site' ? s.scope.id : null,
      sector_id: s.scope.kind === 'sector' ? s.scope.id : null,
      target: '',
      rule_name: rule.name,
      metric: rule.metric,
      operator: rule.operator,
      threshold: rule.threshold,
      severity: rule.severity,
      value,
      started_at: at,
      in_maintenance: false,
      silenced: isSilenced(rule, at),
    };
  }
}

const ownerOf = (a: { site_id: string | null; sector_id: string | null }): SiteScope =>
  a.site_id ? { kind: 'site', id: a.site_id } : { kind: 'sector', id: a.sector_id ?? '' };

/** Scopes (keyed `kind:id`) in a maintenance window now, among those with a transition this run. */
async function maintenanceOf(
  db: Db,
  deps: SiteEvaluateDeps,
  touched: Map<string, { tenantId: string; scope: SiteScope }>,
  at: Date,
): Promise<Set<string>> {
  const out = new Set<string>();
  const byTenant = new Map<string, SiteScope[]>();
  for (const { tenantId, scope } of touched.values()) {
    const list = byTenant.get(tenantId);
    if (list) list.push(scope);
    else byTenant.set(tenantId, [scope]);
  }
  for (const [tenantId, list] of byTenant) {
    const members = await siteScopesRepo.memberships(db, list);
    for (const key of await deps.inMaintenance(db, tenantId, members, at)) out.add(key);
  }
  return out;
}
