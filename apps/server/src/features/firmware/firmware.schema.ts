import { z } from 'zod';
import { listQuery, nullableTimestamp, timestamp } from '../../platform/http/schemas.js';
import { rolloutOptionsSchema, targetsSchema } from '../rollouts/rollouts.schema.js';
import { VERSION } from './versions.js';

/** RouterOS's update channels (6.49's `upgrade` is a step of the 6 → 7 path, never chosen). */
export const channels = ['stable', 'long-term', 'testing', 'development'] as const;

export const inventoryQuery = z.strictObject({ ...listQuery });

const packageItem = z.object({ name: z.string(), version: z.string(), disabled: z.boolean() });

export const firmwareDevice = z.object({
  device_id: z.string(),
  name: z.string(),
  status: z.string(),
  version: z.string().nullable(),
  architecture: z.string().nullable(),
  board_name: z.string().nullable(),
  channel: z.string().nullable().describe('null until the first check'),
  packages: z.array(packageItem).nullable().describe('null until the first check'),
  routerboard: z.boolean().nullable().describe('false on x86/CHR (no RouterBOARD firmware); null until checked'),
  current_firmware: z.string().nullable(),
  upgrade_firmware: z.string().nullable(),
  routerboard_upgrade_available: z.boolean(),
  latest_version: z.string().nullable().describe('what the device’s channel offered at the last check'),
  update_available: z.boolean(),
  update_status: z.string().nullable().describe('the router’s own words after the last check'),
  checked_at: nullableTimestamp,
  check_due: z.boolean(),
  check_error: z.object({ code: z.string(), message: z.string(), at: nullableTimestamp }).nullable(),
});

export const latestItem = z.object({
  channel: z.string(),
  major: z.number().int(),
  version: z.string(),
  devices: z.number().int().describe('devices that reported this version as their channel’s latest'),
});

export const inventoryPage = z.object({
  items: z.array(firmwareDevice),
  total: z.number().int(),
  limit: z.number().int(),
  offset: z.number().int(),
  latest: z.array(latestItem).describe('the newest version per channel and major, as the devices report it'),
  policies: z.object({ check: z.boolean(), upgrade: z.boolean(), upload: z.boolean() }),
});

export const checkBody = z
  .strictObject({ device_ids: z.array(z.uuid()).min(1).max(10_000).optional() })
  .describe('the devices to check now (default: every enabled device of the organisation)');
export const checkResult = z.object({
  status: z.enum(['done', 'running']),
  devices: z.number().int(),
  checked: z.number().int(),
  failed: z.number().int(),
});

export const upgradeBody = z
  .strictObject({
    targets: targetsSchema,
    version: z
      .string()
      .regex(VERSION, 'a RouterOS version such as 7.16.2')
      .optional()
      .describe('default: the newest version the devices report for the channel'),
    channel: z.enum(channels).optional().describe('the channel to take the version from and leave the devices on'),
    routerboard: z.boolean().optional().describe('also upgrade RouterBOARD firmware (a second reboot)'),
    source: z
      .enum(['auto', 'device', 'cache'])
      .optional()
      .describe(
        "device: the router's own updater; cache: upload from TOD's package cache over SFTP; auto (default): the updater, or the cache when the router cannot reach MikroTik",
      ),
    confirm_major: z.boolean().optional().describe('required for a major jump (6 → 7, via the newest 6.49.x)'),
    maintenance_window_id: z.uuid().optional().describe('start at the next occurrence of this maintenance window'),
    name: z.string().trim().min(1).max(300).optional(),
    rollout: rolloutOptionsSchema.optional(),
  })
  .refine((b) => !(b.maintenance_window_id && b.rollout?.scheduled_at), {
    message: 'give either maintenance_window_id or rollout.scheduled_at',
    path: ['maintenance_window_id'],
  });
export type UpgradeBody = z.infer<typeof upgradeBody>;

export const cachedPackage = z.object({
  file: z.string(),
  name: z.string(),
  version: z.string(),
  architecture: z.string(),
  size: z.number().int(),
  added_at: timestamp.describe('when it was put in the cache'),
});
export const packageList = z.object({ items: z.array(cachedPackage) });
export const uploadQuery = z.strictObject({
  architecture: z
    .string()
    .regex(/^[a-z0-9_-]{1,16}$/)
    .optional()
    .describe('only for a package that does not name its own'),
});
export const uploadResult = cachedPackage.extend({ sha256: z.string() });

export const downloadBody = z.strictObject({
  version: z.string().regex(VERSION, 'a RouterOS version such as 7.16.2'),
  architecture: z
    .string()
    .regex(/^[a-z0-9_-]{1,16}$/)
    .describe('as the routers report it: arm, arm64, mipsbe, mmips, smips, tile, ppc, x86'),
  packages: z
    .array(z.string().regex(/^[a-z0-9][a-z0-9._-]{0,15}$/))
    .min(1)
    .max(8)
    .optional()
    .describe('package names (routeros, wifi-qcom, container…); RouterOS itself when absent'),
});
export type DownloadBody = z.infer<typeof downloadBody>;
export const downloadResult = z.object({ items: z.array(uploadResult) });
