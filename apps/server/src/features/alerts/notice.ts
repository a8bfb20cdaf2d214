import type { Db } from '../../platform/db/tx.js';
import type { Envelope } from '../../platform/kms/envelope.js';
import type { KeyUse } from '../../platform/kms/key-use.js';
import type { ChannelRow } from './channels.repo.js';
import type { EmailConfig } from './channels.schema.js';
import { metricInfo } from './metrics.js';
import type { AlertNotice, ChannelTarget } from './notify/types.js';

// Everything one notification needs, read under the tenant's RLS: the alert with its device, rule and
// organisation, and the channel with its secrets opened for this send only.

export const channelContext = (id: string) => `notification_channel:${id}`;

/** What is sealed per channel kind. */
export type SealedConfig = { url?: string; secret?: string } & Partial<EmailConfig>;

export async function openTarget(envelope: Envelope, ch: ChannelRow, use: KeyUse): Promise<ChannelTarget> {
  const c = JSON.parse(
    (await envelope.decrypt(ch.tenant_id, ch.config_sealed, channelContext(ch.id), use)).toString('utf8'),
  ) as SealedConfig;
  if (ch.kind === 'email')
    return {
      kind: 'email',
      to: c.to ?? [],
      host: c.host,
      port: c.port,
      username: c.username,
      password: c.password,
      use_tls: c.use_tls,
      from: c.from,
      template: ch.template,
    };
  if (ch.kind === 'webhook') return { kind: 'webhook', url: c.url!, secret: c.secret!, template: ch.template };
  return { kind: ch.kind, url: c.url!, template: ch.template };
}

type NoticeRow = {
  id: string;
  rule_id: string | null;
  rule_name: string;
  severity: AlertNotice['severity'];
  device_id: string | null;
  device_name: string;
  device_host: string;
  site_id: string | null;
  site_name: string | null;
  sector_id: string | null;
  sector_name: string | null;
  metric: string;
  target: string;
  operator: string;
  value: number | null;
  last_value: number | null;
  threshold: number;
  started_at: Date;
  resolved_at: Date | null;
  state: string;
  acknowledged_by: { label?: string } | null;
  acknowledged_note: string | null;
  in_maintenance: boolean;
  tenant_id: string;
  tenant_name: string;
};

export async function noticeFor(
  db: Db,
  baseUrl: string,
  deliveryId: string,
  alertId: string,
  transition: 'firing' | 'resolved' | 'acknowledged',
  late: boolean,
): Promise<AlertNotice | null> {
  const r = await db.query<NoticeRow>(
    `select a.id, a.rule_id, a.rule_name, a.severity, a.device_id, coalesce(d.name, '') as device_name,
            coalesce(d.host, '') as device_host, a.metric, a.target, a.operator, a.value, a.last_value, a.threshold,
            a.started_at, a.resolved_at, a.state, a.acknowledged_by, a.acknowledged_note, a.in_maintenance,
            a.tenant_id, t.name as tenant_name, st.id as site_id, st.name as site_name, a.sector_id,
            sc.name as sector_name
       from alert_events a left join devices d on d.id = a.device_id join tenants t on t.id = a.tenant_id
       left join sectors sc on sc.id = a.sector_id
       left join sites st on st.id = coalesce(a.site_id, sc.site_id)
      where a.id = $1`,
    [alertId],
  );
  const a = r.rows[0];
  if (!a) return null;
  return {
    deliveryId,
    event: `alert.${transition}`,
    status: transition,
    alertId: a.id,
    rule: { id: a.rule_id ?? '', name: a.rule_name },
    severity: a.severity,
    device: a.device_id ? { id: a.device_id, name: a.device_name, host: a.device_host } : null,
    site: a.site_id ? { id: a.site_id, name: a.site_name ?? '' } : null,
    sector: a.sector_id ? { id: a.sector_id, name: a.sector_name ?? '' } : null,
    metric: a.metric,
    interface: a.target === '' ? null : a.target,
    operator: a.operator,
    value: transition === 'firing' ? a.value : a.last_value,
    threshold: a.threshold,
    unit: metricInfo(a.metric)?.unit ?? null,
    startedAt: a.started_at.toISOString(),
    resolvedAt: a.resolved_at?.toISOString() ?? null,
    acknowledgedBy: a.acknowledged_by?.label ?? null,
    acknowledgedNote: a.acknowledged_note,
    inMaintenance: late || a.in_maintenance,
    organisation: { id: a.tenant_id, name: a.tenant_name },
    url: `${baseUrl.replace(/\/$/, '')}/alerts?alert=${a.id}`,
    test: false,
  };
}

/** A made-up alert for "Send test": the receiver sees the real shape, marked as a test. */
export function testNotice(org: { id: string; name: string }, baseUrl: string, deliveryId: string): AlertNotice {
  const now = new Date().toISOString();
  return {
    deliveryId,
    event: 'alert.firing',
    status: 'firing',
    alertId: deliveryId,
    rule: { id: '00000000-0000-0000-0000-000000000000', name: 'Test notification' },
    severity: 'info',
    device: { id: '00000000-0000-0000-0000-000000000000', name: 'test-device', host: '192.0.2.1' },
    site: null,
    sector: null,
    metric: 'cpu_load',
    interface: null,
    operator: '>',
    value: 95,
    threshold: 90,
    unit: '%',
    startedAt: now,
    resolvedAt: null,
    acknowledgedBy: null,
    acknowledgedNote: null,
    inMaintenance: false,
    organisation: org,
    url: `${baseUrl.replace(/\/$/, '')}/alerts`,
    test: true,
  };
}
