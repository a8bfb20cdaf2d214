// What one notification says (AlertNotice), where it goes (ChannelTarget), and how sending it went
// (DeliveryOutcome). The delivery outbox builds the notice and the target; `deliver()` sends one to one.

export type NoticeEvent = 'alert.firing' | 'alert.resolved' | 'alert.acknowledged';

export type AlertNotice = {
  /** Stable per (alert event, transition, channel); sent as X-TOD-Delivery so a receiver can drop a retry. */
  deliveryId: string;
  event: NoticeEvent;
  status: 'firing' | 'resolved' | 'acknowledged';
  /** The alert event's id. */
  alertId: string;
  rule: { id: string; name: string };
  severity: 'info' | 'warning' | 'critical';
  /** The device the alert is about; null for a site or sector alert (site rules). */
  device: { id: string; name: string; host: string } | null;
  /** A site alert's site, or a sector alert's sector's site; absent or null for a device alert. */
  site?: { id: string; name: string } | null;
  /** A sector alert's sector. */
  sector?: { id: string; name: string } | null;
  /** e.g. cpu_load, device_offline, interface_rx_bps */
  metric: string;
  /** The interface (or other target) when the rule is per interface. */
  interface: string | null;
  /** '>' '>=' '<' '<=' '==' '!=' */
  operator: string;
  value: number | null;
  threshold: number;
  /** '%', '°C', 'V', 'bps', 'dBm', 's', '/s', null */
  unit: string | null;
  /** ISO 8601 */
  startedAt: string;
  resolvedAt: string | null;
  acknowledgedBy: string | null;
  acknowledgedNote: string | null;
  /** Sent late because a maintenance window ended. */
  inMaintenance: boolean;
  organisation: { id: string; name: string };
  /** Link to the alert in TOD's web app. */
  url: string;
  /** A "Send test" notification. */
  test: boolean;
};

export type ChannelTarget =
  | { kind: 'webhook'; url: string; secret: string; template: string | null }
  | { kind: 'slack'; url: string; template: string | null }
  | { kind: 'teams'; url: string; template: string | null }
  | {
      kind: 'email';
      to: string[];
      host?: string;
      port?: number;
      username?: string;
      password?: string;
      use_tls?: boolean;
      from?: string;
      template: string | null;
    };

/** `reason` is a short code (http_500, timeout, smtp_550, …): never a URL, a password or a secret. */
export type DeliveryOutcome =
  | { ok: true; status?: number }
  | { ok: false; retryable: boolean; reason: string; status?: number };
