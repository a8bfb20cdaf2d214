import { z } from 'zod';
import { listCursor } from '../../platform/http/cursor.js';
import { nullableTimestamp, timestamp } from '../../platform/http/schemas.js';
import { linkStates } from './state.js';

const mac = z
  .string()
  .trim()
  .transform((v) => v.toUpperCase().replaceAll('-', ':'))
  .pipe(z.string().regex(/^[0-9A-F]{2}(:[0-9A-F]{2}){5}$/, 'a MAC address like 4C:5E:0C:12:34:56'));

/** What a link list cursor names as its sort (AP name, interface, CPE name). */
export const LINKS_CURSOR = 'links';
export const linksQuery = z.strictObject({
  state: z.enum(linkStates).optional(),
  device_id: z.uuid().optional(),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(10_000)
    .optional()
    .describe('links per page; without it the whole list (up to 20,000)'),
  cursor: listCursor(LINKS_CURSOR).optional().describe('next_cursor of the previous page (same filters and limit)'),
});
export type LinksQuery = z.infer<typeof linksQuery>;

const figures = {
  ssid: z.string().nullable(),
  signal: z.number().nullable().describe('dBm'),
  snr: z.number().nullable().describe('dB (v6 wireless only)'),
  tx_ccq: z.number().nullable().describe('% (v6 wireless only)'),
  rx_ccq: z.number().nullable(),
  tx_rate: z.string().nullable(),
  rx_rate: z.string().nullable(),
  tx_rate_mbps: z.number().nullable(),
  rx_rate_mbps: z.number().nullable(),
  uptime_seconds: z.number().nullable(),
  last_ip: z.string().nullable(),
  band: z.string().nullable(),
  first_seen: timestamp,
  last_seen: timestamp,
  gone_at: nullableTimestamp,
  missed: z.number().int().describe('Collections in a row that did not list it'),
};

export const link = z.object({
  id: z.string(),
  ap_device_id: z.uuid(),
  ap_name: z.string(),
  ap_status: z.string(),
  interface: z.string(),
  cpe_device_id: z.uuid(),
  cpe_name: z.string(),
  cpe_status: z.string(),
  mac_address: z.string(),
  site_id: z.uuid().nullable(),
  state: z.enum(linkStates),
  ...figures,
});
export const linkList = z.object({
  items: z.array(link),
  total: z.number().int(),
  /** With `limit`: false when the count stopped at 10,000 (the total is then a lower bound). */
  total_exact: z.boolean().optional(),
  /** With `limit`: where the next page starts (`cursor=`), null on the last page. */
  next_cursor: z.string().nullable().optional(),
});

export const registration = z.object({
  interface: z.string(),
  mac_address: z.string(),
  role: z.enum(['client', 'ap']).describe('client: of this router; ap: the AP this router is connected to'),
  peer_device_id: z.uuid().nullable(),
  peer_name: z.string().nullable(),
  radio_name: z.string().nullable(),
  routeros_version: z.string().nullable(),
  state: z.enum(linkStates),
  ...figures,
});
export const registrationList = z.object({ items: z.array(registration) });

export const rfStats = z.object({
  items: z.array(
    z.object({
      interface: z.string(),
      mode: z.string().nullable(),
      ssid: z.string().nullable(),
      frequency: z.string().nullable(),
      band: z.string().nullable(),
      channel_width: z.string().nullable(),
      mac_address: z.string().nullable(),
      running: z.boolean().nullable(),
      disabled: z.boolean().nullable(),
      noise_floor: z.number().nullable(),
      ccq: z.number().nullable(),
      clients: z.number().nullable(),
      tx_rate: z.string().nullable(),
      rx_rate: z.string().nullable(),
      status: z.string().nullable(),
      updated_at: timestamp,
    }),
  ),
});

export const historyQuery = z.strictObject({
  mac_address: mac,
  range: z.enum(['24h', '7d', '30d']).default('24h'),
  format: z
    .enum(['points', 'columns'])
    .default('points')
    .describe('columns: the samples in `series` (one array per figure, `t` in Unix seconds) and `points` empty'),
});

const trend = z.object({
  falling: z.boolean(),
  recent_dbm: z.number(),
  baseline_dbm: z.number(),
  baseline_at: timestamp,
  drop_db: z.number(),
});

export const signalHistory = z.object({
  mac_address: z.string(),
  range: z.enum(['24h', '7d', '30d']),
  resolution: z.enum(['raw', '1h']),
  points: z.array(
    z.object({
      time: timestamp,
      interface: z.string(),
      signal: z.number().nullable(),
      signal_min: z.number().nullable(),
      signal_max: z.number().nullable(),
      snr: z.number().nullable(),
      ccq: z.number().nullable(),
      tx_rate_mbps: z.number().nullable(),
      rx_rate_mbps: z.number().nullable(),
    }),
  ),
  /** Null until two days of history. */
  trend: trend.nullable(),
  /** With `format=columns`: the samples as columns, oldest first (what chart libraries draw from). */
  series: z
    .object({
      t: z.array(z.number()),
      interface: z.array(z.string()),
      signal: z.array(z.number().nullable()),
      signal_min: z.array(z.number().nullable()),
      signal_max: z.array(z.number().nullable()),
      snr: z.array(z.number().nullable()),
      ccq: z.array(z.number().nullable()),
      tx_rate_mbps: z.array(z.number().nullable()),
      rx_rate_mbps: z.array(z.number().nullable()),
    })
    .optional(),
});

export const issue = z.object({
  device_id: z.uuid(),
  name: z.string(),
  status: z.string(),
  site_id: z.uuid().nullable(),
  tenant_id: z.uuid().optional(),
  tenant_name: z.string().optional(),
  clients: z.number().int(),
  degraded_clients: z.number().int(),
  low_ccq_clients: z.number().int(),
  dropped_clients: z.number().int(),
  falling_clients: z.number().int(),
  worst_signal: z.number().nullable(),
  avg_ccq: z.number().nullable(),
  issues: z.array(z.enum(['degraded_signal', 'low_ccq', 'dropped_clients', 'falling_signal'])),
});
export const issueList = z.object({
  items: z.array(issue),
  thresholds: z.object({
    degraded_signal_dbm: z.number(),
    low_ccq_pct: z.number(),
    dropped_window_seconds: z.number(),
    trend_drop_db: z.number(),
    trend_days: z.number(),
  }),
});
