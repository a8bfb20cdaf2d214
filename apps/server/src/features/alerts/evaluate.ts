import type { Db } from '../../platform/db/tx.js';
import { recordEvents } from '../../platform/events/record.js';
import type { NewEvent } from '../../platform/events/types.js';
import { uuidv7 } from '../../platform/events/uuid7.js';
import { loadMemberships, type Membership } from '../catalog/scope.js';
import type { PollResult } from '../poller/types.js';
import { type AlertRow, alertEventsRepo, type NewAlert } from './alert-events.repo.js';
import { applicableRules } from './applicable.js';
import { deliveriesRepo, type Transition } from './deliveries.repo.js';
import { metrics, type Sample } from './metrics.js';
import { type RuleRow, rulesRepo } from './rules.repo.js';
import { silencesRepo } from './silences.repo.js';
import { isSiteMetric } from './site-metrics.js';
import { breaches, type RuleParams, step, worthKeeping } from './state.js';
import { type StateKey, type StoredState, stateKey, statesRepo } from './states.repo.js';

// Evaluation of a batch of poll results, in ingest's transaction (worker role, `system`): rules, memberships and
// states are read in one query each for the whole batch, and every write is one statement. A result already
// evaluated (a redelivered batch) changes nothing: each state remembers the time of the last result it saw.

export type MaintenanceCheck = (
  db: Db,
  tenantId: string,
  members: Map<string, Membership>,
  at: Date,
) => Promise<Set<string>>;
export type EvaluateDeps = { giveUpSeconds: number; inMaintenance: MaintenanceCheck };
export type EvaluateOutcome = { evaluated: number; opened: number; resolved: number; queued: number };

export const paramsOf = (r: RuleRow): RuleParams => ({
  operator: r.operator,
  threshold: r.threshold,
  durationPolls: r.duration_polls,
  durationSeconds: r.duration_seconds,
  clearPolls: r.clear_polls,
  flapTransitions: r.flap_transitions,
  flapWindowSeconds: r.flap_window_seconds,
});

type Opened = { alert: NewAlert; rule: RuleRow };

export async function evaluateBatch(
  db: Db,
  results: readonly PollResult[],
  deps: EvaluateDeps,
): Promise<EvaluateOutcome> {
  const out: EvaluateOutcome = { evaluated: 0, opened: 0, resolved: 0, queued: 0 };
  if (results.length === 0) return out;
  const tenantIds = [...new Set(results.map((r) => r.tenantId))];
  const rules = await rulesOf(db, tenantIds);
  if (rules.size === 0) return out;
  const deviceIds = [...new Set(results.map((r) => r.deviceId))];
  const members = await loadMemberships(db, deviceIds);
  const stored = await statesRepo.forDevices(db, deviceIds);
  const states = new Map(stored.map((s) => [stateKey(s), s]));
  const statesOfDevice = new Map<string, StoredState[]>();
  for (const s of stored) {
    const list = statesOfDevice.get(s.deviceId);
    if (list) list.push(s);
    else statesOfDevice.set(s.deviceId, [s]);
  }
  const silenced = await silencesRepo.activeFor(db, deviceIds);

  const changed = new Map<string, StoredState>();
  const dropped: StateKey[] = [];
  const opened: Opened[] = [];
  const toResolve = new Map<string, RuleRow>();
  const values = new Map<string, { id: string; value: number | null; flapping: boolean }>();
  const ordered = [...results].sort((a, b) => a.at.localeCompare(b.at));
  const lastAt = new Map<string, Date>();
  /** Devices with a transition in this batch, and their tenant: the ones whose maintenance matters. */
  const touched = new Map<string, string>();

  for (const r of ordered) {
    const m = members.get(r.deviceId);
    const tenantRules = rules.get(r.tenantId);
    if (!m || !tenantRules) continue;
    const at = new Date(r.at);
    lastAt.set(r.deviceId, at);
    const applicable = applicableRules(tenantRules, m);
    const applies = new Set(applicable.map((x) => x.id));
    // Several rules often watch one metric: each metric is read once per result.
    const read = new Map<string, Sample[] | null>();
    for (const rule of applicable) {
      const speed = rule.link_speed_bps ? Number(rule.link_speed_bps) : null;
      const cacheKey = `${rule.metric}|${speed}`;
      if (!read.has(cacheKey)) read.set(cacheKey, metrics[rule.metric]?.read(r, { linkSpeedBps: speed }) ?? null);
      const samples = read.get(cacheKey);
      if (!samples) continue;
      for (const sample of samples) {
        if (rule.interface !== null && sample.target !== rule.interface) continue;
        const key = stateKey({ ruleId: rule.id, deviceId: r.deviceId, target: sample.target });
        const prev = changed.get(key) ?? states.get(key);
        // The common case, a clear value with nothing remembered, needs no state at all.
        if (!prev && !breaches(rule.operator, sample.value, rule.threshold)) continue;
        const next = step(paramsOf(rule), prev, sample.value, at);
        if (!next) continue;
        out.evaluated++;
        const s: StoredState = {
          tenantId: r.tenantId,
          ruleId: rule.id,
          deviceId: r.deviceId,
          target: sample.target,
          ...next.state,
        };
        switch (next.action) {
          case 'open': {
            s.alertId = uuidv7(at.getTime());
            opened.push({ rule, alert: newAlert(s, rule, sample.value, at) });
            touched.set(r.deviceId, r.tenantId);
            break;
          }
          case 'close':
            toResolve.set(s.alertId!, rule);
            touched.set(r.deviceId, r.tenantId);
            s.alertId = null;
            break;
          case 'value':
          case 'flapping':
          case 'steady':
            values.set(s.alertId!, { id: s.alertId!, value: sample.value, flapping: s.flapping });
            break;
        }
        changed.set(key, s);
      }
    }
    // States of rules that no longer apply to this device (scope or membership changed, a narrower rule arrived):
    // their alerts are resolved and the states forgotten.
    for (const s of statesOfDevice.get(r.deviceId) ?? []) {
      if (applies.has(s.ruleId) || !states.has(stateKey(s))) continue;
      if (s.alertId) {
        toResolve.set(s.alertId, tenantRules.find((x) => x.id === s.ruleId) ?? ruleless(s));
        touched.set(r.deviceId, r.tenantId);
      }
      dropped.push(s);
      states.delete(stateKey(s));
    }
  }

  const keep = [...changed.values()].filter(worthKeeping);
  const forget = [...changed.values()].filter((s) => !worthKeeping(s) && states.has(stateKey(s)));
  // Alert rows first: states reference them.
  const inMaintenance = await maintenanceOf(db, deps, touched, members, lastAt);
  for (const o of opened) o.alert.in_maintenance = inMaintenance.has(o.alert.device_id!);
  await alertEventsRepo.insert(
    db,
    opened.map((o) => o.alert),
  );
  await alertEventsRepo.setValues(db, [...values.values()]);
  const resolved = await alertEventsRepo.resolve(db, [...toResolve.keys()], new Date(ordered.at(-1)!.at), null);
  await statesRepo.upsert(db, keep);
  await statesRepo.remove(db, [...forget, ...dropped]);

  const transitions: Transition[] = [];
  const events: NewEvent[] = [];
  for (const o of opened) {
    const hold = o.alert.silenced ? 'silenced' : o.alert.in_maintenance ? 'maintenance' : null;
    transitions.push(transitionOf(o.alert, o.rule, 'firing', hold));
    events.push(eventOfAlert(o.alert, 'alert.firing', 'firing'));
  }
  for (const a of resolved) {
    const rule = toResolve.get(a.id)!;
    const device = a.device_id ?? '';
    const hold =
      silenced.has(device) || isSilenced(rule) ? 'silenced' : inMaintenance.has(device) ? 'maintenance' : null;
    transitions.push(transitionOf(a, rule, 'resolved', hold));
    events.push(eventOfAlert(a, 'alert.resolved', 'resolved'));
  }
  out.queued = await deliveriesRepo.queue(db, transitions, deps.giveUpSeconds);
  await recordEvents(db, events);
  out.opened = opened.length;
  out.resolved = resolved.length;
  return out;

  function newAlert(s: StoredState, rule: RuleRow, value: number, at: Date): NewAlert {
    return {
      id: s.alertId!,
      tenant_id: s.tenantId,
      rule_id: rule.id,
      device_id: s.deviceId,
      site_id: null,
      sector_id: null,
      target: s.target,
      rule_name: rule.name,
      metric: rule.metric,
      operator: rule.operator,
      threshold: rule.threshold,
      severity: rule.severity,
      value,
      started_at: at,
      in_maintenance: false,
      silenced: silenced.has(s.deviceId) || isSilenced(rule, at),
    };
  }
}

export const isSilenced = (rule: Pick<RuleRow, 'silenced_until'>, at = new Date()) =>
  rule.silenced_until !== null && rule.silenced_until.getTime() > at.getTime();

/** A stand-in for a rule that is gone, so its alert can still be resolved and notified. */
const ruleless = (s: StoredState) =>
  ({ id: s.ruleId, channel_ids: [] as string[], silenced_until: null }) as unknown as RuleRow;

async function rulesOf(db: Db, tenantIds: string[]): Promise<Map<string, RuleRow[]>> {
  const by = new Map<string, RuleRow[]>();
  for (const r of await rulesRepo.enabledOf(db, tenantIds)) {
    // Site rules are evaluated over whole sites by their schedule (site-evaluate.ts), never per poll result.
    if (isSiteMetric(r.metric)) continue;
    const list = by.get(r.tenant_id);
    if (list) list.push(r);
    else by.set(r.tenant_id, [r]);
  }
  return by;
}

/** Devices in a maintenance window now, among those with a transition in this batch (checked per tenant). */
async function maintenanceOf(
  db: Db,
  deps: EvaluateDeps,
  touched: Map<string, string>,
  members: Map<string, Membership>,
  lastAt: Map<string, Date>,
): Promise<Set<string>> {
  const out = new Set<string>();
  const byTenant = new Map<string, Map<string, Membership>>();
  for (const [deviceId, tenantId] of touched) {
    const m = members.get(deviceId);
    if (!m) continue;
    if (!byTenant.has(tenantId)) byTenant.set(tenantId, new Map());
    byTenant.get(tenantId)!.set(deviceId, m);
  }
  for (const [tenantId, ms] of byTenant) {
    const at = new Date(Math.max(...[...ms.keys()].map((d) => lastAt.get(d)?.getTime() ?? Date.now())));
    for (const d of await deps.inMaintenance(db, tenantId, ms, at)) out.add(d);
  }
  return out;
}

export function transitionOf(
  a: Pick<NewAlert | AlertRow, 'id' | 'tenant_id' | 'severity'>,
  rule: Pick<RuleRow, 'channel_ids'> | null,
  transition: Transition['transition'],
  hold: Transition['hold'],
): Transition {
  return {
    alert_id: a.id,
    tenant_id: a.tenant_id,
    severity: a.severity,
    channel_ids: rule?.channel_ids ?? [],
    transition,
    hold,
  };
}

export function alertEvent(
  tenantId: string,
  deviceId: string | null,
  type: 'alert.firing' | 'alert.resolved' | 'alert.acknowledged',
  alertId: string,
  severity: string,
  state: string,
  owner: { site_id: string | null; sector_id: string | null } = { site_id: null, sector_id: null },
): NewEvent {
  const payload: Record<string, string | null> = { alert_id: alertId, severity, state };
  if (owner.site_id || owner.sector_id) Object.assign(payload, { site_id: owner.site_id, sector_id: owner.sector_id });
  return { type, tenantId, deviceId, payload };
}

/** The domain event of an alert's transition, whoever owns it (a device, a site or a sector). */
export const eventOfAlert = (
  a: Pick<NewAlert, 'id' | 'tenant_id' | 'device_id' | 'site_id' | 'sector_id' | 'severity'>,
  type: 'alert.firing' | 'alert.resolved' | 'alert.acknowledged',
  state: string,
) => alertEvent(a.tenant_id, a.device_id, type, a.id, a.severity, state, a);
