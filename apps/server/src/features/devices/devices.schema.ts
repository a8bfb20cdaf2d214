import { z } from 'zod';
import { cursorQuery } from '../../platform/http/cursor.js';
import { listQuery, name, page } from '../../platform/http/schemas.js';
import { routerosPassword, routerosUsername } from '../credential-profiles/credential-profiles.schema.js';
import { accessFailureCodes } from '../device-access/taxonomy.js';
import { sortableDeviceFields } from './devices.page.js';

export const tlsModes = ['auto', 'verify', 'insecure', 'plain'] as const;
export const deviceStatuses = ['online', 'offline', 'degraded', 'unknown'] as const;

// A host is an IPv4/IPv6 address or a DNS name; no URLs, ports or spaces.
export const host = z
  .string()
  .trim()
  .min(1)
  .max(253)
  .regex(/^[A-Za-z0-9.:_-]+$/, 'an IP address or host name');
const port = z.number().int().min(1).max(65535);
const lat = z.number().min(-90).max(90).nullable();
const lon = z.number().min(-180).max(180).nullable();
const ids = z.array(z.uuid()).max(100);

const deviceFields = {
  name,
  host,
  port: port.default(8728),
  tls_port: port.default(8729),
  tls_mode: z.enum(tlsModes).default('auto'),
  /** SSH (configuration backups). */
  ssh_port: port.default(22),
  /** WinBox (tunnels from TOD). */
  winbox_port: port.default(8291),
  username: routerosUsername.optional(),
  password: routerosPassword.optional(),
  credential_profile_id: z.uuid().optional(),
  site_id: z.uuid().nullable().optional(),
  group_ids: ids.optional(),
  tag_ids: ids.optional(),
  notes: z.string().max(10_000).default(''),
  latitude: lat.optional(),
  longitude: lon.optional(),
  disabled: z.boolean().default(false),
};

const credentialsRule = (b: { username?: string; password?: string; credential_profile_id?: string }) =>
  b.credential_profile_id
    ? b.username === undefined && b.password === undefined
    : b.username !== undefined && b.password !== undefined;
const credentialsMessage = {
  message: 'give username and password, or credential_profile_id (not both)',
  path: ['credential_profile_id'],
};

export const deviceCreateBody = z.strictObject(deviceFields).refine(credentialsRule, credentialsMessage);

export const deviceUpdateBody = z
  .strictObject({
    name: name.optional(),
    host: host.optional(),
    port: port.optional(),
    tls_port: port.optional(),
    tls_mode: z.enum(tlsModes).optional(),
    ssh_port: port.optional(),
    winbox_port: port.optional(),
    username: routerosUsername.optional(),
    password: routerosPassword.optional(),
    credential_profile_id: z.uuid().nullable().optional(),
    site_id: z.uuid().nullable().optional(),
    group_ids: ids.optional(),
    tag_ids: ids.optional(),
    notes: z.string().max(10_000).optional(),
    latitude: lat.optional(),
    longitude: lon.optional(),
    disabled: z.boolean().optional(),
  })
  .refine((b) => Object.keys(b).length > 0, 'send at least one field')
  .refine(
    (b) => !(b.credential_profile_id && (b.username !== undefined || b.password !== undefined)),
    credentialsMessage,
  );

export const deviceProbeBody = z
  .strictObject({
    host,
    port: port.default(8728),
    tls_port: port.default(8729),
    tls_mode: z.enum(tlsModes).default('auto'),
    username: routerosUsername.optional(),
    password: routerosPassword.optional(),
    credential_profile_id: z.uuid().optional(),
  })
  .refine(credentialsRule, credentialsMessage);

export const deviceListQuery = z.strictObject({
  ...listQuery,
  limit: z.coerce.number().int().min(1).max(10_000).default(100),
  search: z.string().max(200).optional(),
  status: z
    .string()
    .transform((s) => s.split(','))
    .pipe(z.array(z.enum(deviceStatuses)))
    .optional(),
  tag_id: z.uuid().optional(),
  group_id: z.uuid().optional(),
  site_id: z.uuid().optional(),
  model: z.string().max(100).optional(),
  version: z.string().max(50).optional(),
  fields: z
    .string()
    .max(2000)
    .transform((s) =>
      s
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean),
    )
    .optional(),
  sort: z
    .string()
    .regex(
      new RegExp(`^-?(${sortableDeviceFields.join('|')})$`),
      `one of ${sortableDeviceFields.join(', ')}, optionally prefixed with -`,
    )
    .default('name'),
  /** The `next_cursor` of the previous page (same sort and filters); replaces `offset`. */
  cursor: cursorQuery.optional(),
});

export const deviceListOut = <T extends z.ZodType>(item: T) =>
  page(item).extend({
    /** Where the next page starts (`cursor=`), null on the last page. */
    next_cursor: z.string().nullable(),
    /** False when a filtered count stopped at 10,000: the total is then a lower bound. */
    total_exact: z.boolean(),
  });

export const probeOut = z.object({
  ok: z.boolean(),
  /** `ok`, or how reaching the device failed (the device-access taxonomy, shared with the poller's reasons). */
  code: z.enum(['ok', ...accessFailureCodes]),
  detail: z.string(),
  transport: z.string().nullable(),
  identity: z.string().nullable(),
  model: z.string().nullable(),
  board_name: z.string().nullable(),
  version: z.string().nullable(),
  serial_number: z.string().nullable(),
  architecture: z.string().nullable(),
  duration_ms: z.number().int(),
});

export const deviceOut = z.looseObject({
  id: z.uuid(),
  name: z.string(),
  host: z.string(),
  port: z.number().int(),
  tls_port: z.number().int(),
  tls_mode: z.string(),
  ssh_port: z.number().int(),
  winbox_port: z.number().int(),
  username: z.string().nullable(),
  credential_profile_id: z.uuid().nullable(),
  site_id: z.uuid().nullable(),
  /** The sector of its site that serves it (PUT /devices/{device_id}/sector). */
  sector_id: z.uuid().nullable(),
  group_ids: z.array(z.uuid()),
  tag_ids: z.array(z.uuid()),
  status: z.enum(deviceStatuses),
  status_reason: z.string().nullable(),
  policies: z.record(z.string(), z.boolean()),
  // Written by polling; null until the first successful poll.
  notes: z.string(),
  latitude: z.number().nullable(),
  longitude: z.number().nullable(),
  disabled: z.boolean(),
  is_demo: z.boolean(),
  status_since: z.string(),
  last_seen_at: z.string().nullable(),
  last_polled_at: z.string().nullable(),
  transport: z.string().nullable(),
  identity: z.string().nullable(),
  model: z.string().nullable(),
  board_name: z.string().nullable(),
  serial_number: z.string().nullable(),
  architecture: z.string().nullable(),
  version: z.string().nullable(),
  firmware: z.string().nullable(),
  latest_version: z.string().nullable(),
  uptime_seconds: z.number().nullable(),
  booted_at: z.string().nullable(),
  cpu_load: z.number().nullable(),
  cpu_count: z.number().nullable(),
  memory_total: z.number().nullable(),
  memory_free: z.number().nullable(),
  disk_total: z.number().nullable(),
  disk_free: z.number().nullable(),
  temperature: z.number().nullable(),
  voltage: z.number().nullable(),
  last_config_change_at: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
});
export const deviceCreatedOut = deviceOut.extend({ probe: probeOut.nullable() });

export const bulkBody = z.discriminatedUnion('action', [
  z.strictObject({
    action: z.enum(['add_tags', 'remove_tags']),
    device_ids: z.array(z.uuid()).min(1).max(10_000),
    tag_ids: ids.min(1),
  }),
  z.strictObject({
    action: z.enum(['add_groups', 'remove_groups']),
    device_ids: z.array(z.uuid()).min(1).max(10_000),
    group_ids: ids.min(1),
  }),
  z.strictObject({
    action: z.literal('set_site'),
    device_ids: z.array(z.uuid()).min(1).max(10_000),
    site_id: z.uuid().nullable(),
  }),
  z.strictObject({ action: z.enum(['enable', 'disable', 'delete']), device_ids: z.array(z.uuid()).min(1).max(10_000) }),
]);
export type BulkBody = z.infer<typeof bulkBody>;

/** What create and update accept (the fields of a device a person sets). */
export type DeviceInput = z.infer<typeof deviceUpdateBody>;
export type DeviceCreate = z.infer<typeof deviceCreateBody>;
export type DeviceProbe = z.infer<typeof deviceProbeBody>;
export type ProbeResult = z.infer<typeof probeOut> & { fingerprint: string | null };

export const scanBody = z.strictObject({
  cidr: z.string().max(43),
  port: port.default(8728),
  tls_port: port.default(8729),
  username: routerosUsername.optional(),
  password: routerosPassword.optional(),
  timeout_ms: z.number().int().min(100).max(10_000).optional(),
});
export type ScanBody = z.infer<typeof scanBody>;
export const scanHit = z.object({
  address: z.string(),
  api: z.boolean(),
  api_ssl: z.boolean(),
  routeros: z.boolean(),
  identity: z.string().nullable(),
  model: z.string().nullable(),
  version: z.string().nullable(),
  /** With credentials: ok, bad_credentials, timeout… (the device-access taxonomy). */
  login: z.string().nullable(),
  detail: z.string().nullable(),
});
export type ScanHit = z.infer<typeof scanHit>;
export const scanOut = z.object({
  cidr: z.string(),
  scanned: z.number().int(),
  /** Addresses skipped because TOD may not connect to them (DEVICE_NETWORKS_DENY, or TOD's own ports). */
  denied: z.number().int(),
  found: z.array(scanHit),
  duration_ms: z.number().int(),
});

export const bulkAddBody = z
  .strictObject({
    devices: z
      .array(
        z.strictObject({
          host,
          port: port.default(8728),
          tls_port: port.default(8729),
          name: name.optional(),
        }),
      )
      .min(1)
      .max(4096),
    tls_mode: z.enum(tlsModes).default('auto'),
    username: routerosUsername.optional(),
    password: routerosPassword.optional(),
    credential_profile_id: z.uuid().optional(),
    site_id: z.uuid().nullable().optional(),
    group_ids: ids.optional(),
    tag_ids: ids.optional(),
  })
  .refine(credentialsRule, credentialsMessage);
export type BulkAddBody = z.infer<typeof bulkAddBody>;

export const rowOutcome = z.object({
  row: z.number().int(),
  ok: z.boolean(),
  id: z.string().optional(),
  name: z.string().optional(),
  error: z.string().optional(),
});
export type RowOutcome = z.infer<typeof rowOutcome>;
export const rowsOut = z.object({ added: z.number().int(), failed: z.number().int(), rows: z.array(rowOutcome) });

export const importBody = z.strictObject({
  csv: z
    .string()
    .min(1)
    .max(10 * 1024 * 1024),
});
