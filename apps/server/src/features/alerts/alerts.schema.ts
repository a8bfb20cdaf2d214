import { z } from 'zod';
import { listCursor, TIME_KEY } from '../../platform/http/cursor.js';
import { nullableTimestamp, timestamp } from '../../platform/http/schemas.js';
import { scopeSchema } from '../catalog/scope.js';
import { allMetricNames } from './metrics.js';

export const severities = ['info', 'warning', 'critical'] as const;
export const operators = ['>', '>=', '<', '<=', '==', '!='] as const;
export const alertStates = ['firing', 'acknowledged', 'resolved'] as const;

export const tenantParams = z.strictObject({ tenant_id: z.uuid() });
export const ruleParams = z.strictObject({ tenant_id: z.uuid(), rule_id: z.uuid() });
export const alertParams = z.strictObject({ tenant_id: z.uuid(), alert_id: z.uuid() });
export const deviceParams = z.strictObject({ tenant_id: z.uuid(), device_id: z.uuid() });
export const silenceParams = z.strictObject({ tenant_id: z.uuid(), silence_id: z.uuid() });
export const siteParams = z.strictObject({ tenant_id: z.uuid(), site_id: z.uuid() });
export const siteRuleParams = z.strictObject({ tenant_id: z.uuid(), site_id: z.uuid(), rule_id: z.uuid() });

const ruleFields = {
  name: z.string().trim().min(1).max(120),
  metric: z
    .enum(allMetricNames)
    .describe(
      'what the rule watches (GET …/alert-metrics lists them with units); site metrics only with a site or sector scope',
    ),
  operator: z.enum(operators),
  threshold: z.number().finite(),
  duration_polls: z.number().int().min(1).max(1000).describe('fire after this many breaching polls in a row'),
  duration_seconds: z
    .number()
    .int()
    .min(1)
    .max(604800)
    .nullable()
    .describe('and only after breaching this long (the grace period of device_offline)'),
  clear_polls: z.number().int().min(1).max(1000).describe('resolve after this many clear polls in a row'),
  severity: z.enum(severities),
  scope: scopeSchema,
  interface: z
    .string()
    .min(1)
    .max(64)
    .nullable()
    .describe('per-interface metrics: one interface by name; null = every interface, each its own alert'),
  link_speed_bps: z
    .number()
    .int()
    .positive()
    .nullable()
    .describe('interface_util_pct on links whose speed TOD does not know'),
  channel_ids: z.array(z.uuid()).max(20).describe('empty: every enabled channel that takes the severity'),
  flap_transitions: z.number().int().min(2).max(100),
  flap_window_seconds: z.number().int().min(60).max(86400),
  enabled: z.boolean(),
  silenced_until: nullableTimestamp.describe('notifications of this rule are not sent until then'),
};

export const ruleCreate = z.strictObject({
  ...ruleFields,
  duration_polls: ruleFields.duration_polls.default(1),
  duration_seconds: ruleFields.duration_seconds.default(null),
  clear_polls: ruleFields.clear_polls.default(1),
  severity: ruleFields.severity.default('warning'),
  scope: ruleFields.scope.default({ kind: 'organisation' }),
  interface: ruleFields.interface.default(null),
  link_speed_bps: ruleFields.link_speed_bps.default(null),
  channel_ids: ruleFields.channel_ids.default([]),
  flap_transitions: ruleFields.flap_transitions.default(6),
  flap_window_seconds: ruleFields.flap_window_seconds.default(1800),
  enabled: ruleFields.enabled.default(true),
  silenced_until: ruleFields.silenced_until.default(null),
});
export type RuleCreate = z.infer<typeof ruleCreate>;
export const ruleUpdate = z.strictObject(ruleFields).partial();
export type RuleUpdate = z.infer<typeof ruleUpdate>;
/** A site rule (POST, and PUT as a full replace): the scope is the site unless one of its sectors is named. */
export const siteRuleBody = ruleCreate.extend({
  scope: scopeSchema.optional().describe("the site (default) or one of the site's sectors"),
});
export type SiteRuleBody = z.infer<typeof siteRuleBody>;

export const ruleItem = z.object({
  id: z.uuid(),
  ...ruleFields,
  scope: z.object({ kind: scopeSchema.shape.kind, id: z.uuid().optional() }),
  is_default: z.boolean(),
  active_count: z.number().int().describe('alerts of this rule not yet resolved'),
  created_at: timestamp,
  updated_at: timestamp,
  policies: z.object({ update: z.boolean(), delete: z.boolean() }),
});
export type RuleItem = z.infer<typeof ruleItem>;
export const rulesList = z.object({ items: z.array(ruleItem), total: z.number().int() });

export const previewResult = z.object({
  devices_covered: z.number().int(),
  would_fire: z.number().int().describe('devices (or interfaces) whose latest figures breach the threshold now'),
  sample: z.array(
    z.object({
      device_id: z.uuid(),
      device_name: z.string(),
      target: z.string(),
      value: z.number().nullable(),
      breaching: z.boolean(),
    }),
  ),
  superseded_by: z
    .array(z.object({ id: z.uuid(), name: z.string() }))
    .describe('narrower rules that replace this one on some devices'),
  scope_value: z
    .number()
    .nullable()
    .optional()
    .describe("site metrics: the site's or sector's value now (null: no data); the sample is then empty"),
});

export const metricsList = z.object({
  items: z.array(
    z.object({
      metric: z.string(),
      label: z.string(),
      unit: z.string().nullable(),
      per_interface: z.boolean(),
      scope: z
        .enum(['device', 'site'])
        .describe('device: read from each poll result; site: over a site or sector (site and sector scopes only)'),
    }),
  ),
});

/** What an alert list cursor names as its sort (newest first). */
export const ALERTS_CURSOR = 'alert_events';
export const eventsQuery = z.strictObject({
  state: z
    .enum([...alertStates, 'active'])
    .optional()
    .describe('active = firing or acknowledged'),
  severity: z.enum(severities).optional(),
  device_id: z.uuid().optional(),
  rule_id: z.uuid().optional(),
  since: timestamp.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: listCursor(ALERTS_CURSOR, TIME_KEY).optional().describe('next_cursor of the previous page (same filters)'),
});

export const alertItem = z.object({
  id: z.uuid(),
  rule_id: z.uuid().nullable(),
  rule_name: z.string(),
  owner: z.enum(['device', 'site', 'sector']).describe('what the alert is about: a device, a site or a sector'),
  device_id: z.uuid().nullable().describe('null for a site or sector alert'),
  device_name: z.string().describe("'' for a site or sector alert"),
  site_id: z.uuid().nullable().describe("a site alert's site, or a sector alert's sector's site"),
  site_name: z.string().nullable(),
  sector_id: z.uuid().nullable(),
  sector_name: z.string().nullable(),
  target: z.string().describe("the interface of a per-interface rule; '' otherwise"),
  metric: z.string(),
  unit: z.string().nullable(),
  operator: z.enum(operators),
  threshold: z.number(),
  severity: z.enum(severities),
  state: z.enum(alertStates),
  value: z.number().nullable().describe('the value that fired it'),
  last_value: z.number().nullable(),
  started_at: timestamp,
  resolved_at: nullableTimestamp,
  resolved_by: z.string().nullable(),
  duration_seconds: z.number().int().describe('until resolved, or until now'),
  acknowledged_at: nullableTimestamp,
  acknowledged_by: z.string().nullable(),
  acknowledged_note: z.string().nullable(),
  flapping: z.boolean(),
  in_maintenance: z.boolean(),
  silenced: z.boolean(),
  policies: z.object({ acknowledge: z.boolean(), resolve: z.boolean() }),
});
export type AlertItem = z.infer<typeof alertItem>;
export const alertsPage = z.object({ items: z.array(alertItem), next_cursor: z.string().nullable() });
export const alertDetail = alertItem.extend({
  deliveries: z.array(
    z.object({
      channel_id: z.uuid(),
      channel_name: z.string(),
      transition: z.string(),
      state: z.string(),
      hold_reason: z.string().nullable(),
      attempts: z.number().int(),
      last_error: z.string().nullable(),
      sent_at: nullableTimestamp,
    }),
  ),
});

export const ackBody = z.strictObject({ note: z.string().trim().max(1000).default('') });
export const countResult = z.object({
  active: z.number().int(),
  by_severity: z.object({ info: z.number().int(), warning: z.number().int(), critical: z.number().int() }),
  firing: z.number().int().describe('active and not acknowledged'),
});

export const silenceBody = z.strictObject({
  device_id: z.uuid(),
  until: timestamp,
  note: z.string().trim().max(500).default(''),
});
export const silenceItem = z.object({
  id: z.uuid(),
  device_id: z.uuid(),
  device_name: z.string(),
  until: timestamp,
  note: z.string(),
  created_by: z.string().nullable(),
  created_at: timestamp,
});
export const silencesList = z.object({ items: z.array(silenceItem) });
