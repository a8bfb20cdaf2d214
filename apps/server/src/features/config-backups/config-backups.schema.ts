import { z } from 'zod';
import { listCursor, TIME_KEY } from '../../platform/http/cursor.js';
import { nullableTimestamp, timestamp } from '../../platform/http/schemas.js';

export const triggers = ['schedule', 'manual', 'checkpoint', 'config_change', 'pre_change', 'post_change'] as const;
const sha = z.string().regex(/^[0-9a-f]{64}$/, 'a version id (64 hex digits)');

export const deviceParams = z.strictObject({ tenant_id: z.uuid(), device_id: z.uuid() });
export const versionParams = z.strictObject({ tenant_id: z.uuid(), device_id: z.uuid(), id: sha });
export const jobParams = z.strictObject({ tenant_id: z.uuid(), job_id: z.uuid() });

export const versionItem = z.object({
  id: z.string().describe('SHA-256 of the normalised export'),
  version_id: z.uuid(),
  created_at: timestamp,
  unchanged_until: timestamp,
  trigger: z.enum(triggers),
  checkpoint_name: z.string().nullable(),
  changed_by: z.string().nullable(),
  change_log: z
    .array(z.object({ what: z.string(), action: z.string(), user: z.string(), time: z.string().nullable() }).partial())
    .nullable(),
  requested_by: z.string().nullable(),
  size: z.number().int(),
  raw_size: z.number().int(),
  binary_size: z.number().int().nullable(),
  changes: z.number().int().nullable().describe('semantic changes against the previous version (null for the first)'),
  method: z.enum(['ssh', 'api']),
  routeros_version: z.string().nullable(),
  secrets_included: z.boolean(),
});
export type VersionItem = z.infer<typeof versionItem>;

/** What the cursors of the version list and the fleet view name as their sort. */
export const VERSIONS_CURSOR = 'versions';
export const FLEET_CURSOR = 'fleet';
const cursorOf = (list: string, key?: RegExp) =>
  listCursor(list, key).optional().describe('next_cursor of the previous page (same filters)');

export const versionsQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  before: z.iso.datetime().optional().describe('older than this time (prefer cursor: versions can share a time)'),
  cursor: cursorOf(VERSIONS_CURSOR, TIME_KEY),
});
export const versionsPage = z.object({
  items: z.array(versionItem),
  next_before: nullableTimestamp,
  /** Where the next page starts (`cursor=`), null on the last page. */
  next_cursor: z.string().nullable(),
});

export const jobItem = z.object({
  id: z.uuid(),
  device_id: z.uuid(),
  trigger: z.enum(triggers),
  checkpoint_name: z.string().nullable(),
  status: z.enum(['queued', 'running', 'succeeded', 'failed']),
  attempts: z.number().int(),
  max_attempts: z.number().int(),
  created_at: timestamp,
  run_after: timestamp,
  started_at: nullableTimestamp,
  finished_at: nullableTimestamp,
  version: z.string().nullable().describe('the version id (content hash) the job produced or found unchanged'),
  version_id: z.uuid().nullable(),
  unchanged: z.boolean().nullable(),
  error_code: z.string().nullable(),
  error_detail: z.string().nullable(),
});
export type JobItem = z.infer<typeof jobItem>;

export const backupNowResult = z.object({ job: jobItem, version: versionItem.nullable() });
export const checkpointBody = z.strictObject({ name: z.string().trim().min(1).max(120) });

export const exportQuery = z.strictObject({
  secrets: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  raw: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true')
    .describe('the export exactly as the device sent it'),
});

export const diffQuery = z.strictObject({ from: sha, to: sha.optional() });
const propChange = z.object({ name: z.string(), old: z.string().optional(), new: z.string().optional() });
const diffItem = z.object({
  key: z.string(),
  origin: z.string(),
  props: z.record(z.string(), z.string()),
  line: z.number().int(),
  identity: z.record(z.string(), z.string()).optional(),
  text: z.string().optional(),
});
export const diffResult = z.object({
  from: z.string(),
  to: z.string(),
  equal: z.boolean(),
  changes: z.number().int(),
  redacted: z.boolean(),
  semantic: z.object({
    header: z.array(propChange).describe('RouterOS version, software id, model or serial changes'),
    menus: z.array(
      z.object({
        path: z.string(),
        ordered: z.boolean(),
        added: z.array(diffItem),
        removed: z.array(diffItem),
        changed: z.array(z.object({ key: z.string(), a: diffItem, b: diffItem, changes: z.array(propChange) })),
        moved: z.array(z.object({ key: z.string(), from: z.number().int(), to: z.number().int() })),
      }),
    ),
  }),
  unified: z.string(),
});

export const schedule = z.strictObject({
  cron: z.string().trim().min(9).max(100),
  timezone: z.string().trim().min(1).max(64),
  enabled: z.boolean(),
});
export const deviceScheduleBody = z.union([schedule, z.strictObject({ inherit: z.literal(true) })]);
export const scheduleResult = schedule.extend({
  source: z.enum(['device', 'organization', 'default']),
  next_run_at: nullableTimestamp,
});

export const fleetQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  cursor: cursorOf(FLEET_CURSOR),
  failing: z
    .enum(['true', 'false'])
    .optional()
    .transform((v) => (v === undefined ? undefined : v === 'true')),
});
export const fleetItem = z.object({
  device_id: z.uuid(),
  name: z.string(),
  host: z.string(),
  latest: z.string().nullable(),
  latest_created_at: nullableTimestamp,
  latest_unchanged_until: nullableTimestamp,
  last_success_at: nullableTimestamp,
  last_failure_at: nullableTimestamp,
  last_error_code: z.string().nullable(),
  last_error_detail: z.string().nullable(),
  failing: z.boolean(),
  method: z.string().nullable(),
  method_note: z.string().nullable(),
  next_run_at: nullableTimestamp,
});
export const fleetPage = z.object({
  items: z.array(fleetItem),
  total: z.number().int(),
  /** False when the count stopped at 10,000: the total is then a lower bound. */
  total_exact: z.boolean(),
  limit: z.number().int(),
  offset: z.number().int(),
  /** Where the next page starts (`cursor=`, same filters), null on the last page. */
  next_cursor: z.string().nullable(),
});

export const searchQuery = z.strictObject({
  q: z.string().min(2).max(200),
  path: z.string().trim().max(200).optional().describe('menu path, e.g. `/ip dns` or `/ip/dns`'),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export const searchResult = z.object({
  items: z.array(
    z.object({
      device_id: z.uuid(),
      name: z.string(),
      version: z.string(),
      created_at: timestamp,
      matches: z.array(z.object({ path: z.string(), line: z.number().int(), text: z.string() })),
    }),
  ),
  searched: z.number().int(),
  truncated: z.boolean(),
});

export const settingsBody = z.strictObject({
  retention_versions: z.number().int().min(1).max(100_000).nullable().optional(),
  retention_days: z.number().int().min(1).max(36_500).nullable().optional(),
  git_remote_url: z.string().trim().max(2000).nullable().optional(),
  git_remote_branch: z
    .string()
    .regex(/^[A-Za-z0-9._/-]{1,100}$/)
    .optional(),
  /** ssh remotes: the private key TOD pushes with (write-only). */
  git_ssh_key: z.string().max(20_000).nullable().optional(),
});
export const settingsResult = z.object({
  retention_versions: z.number().int().nullable(),
  retention_days: z.number().int().nullable(),
  git_remote: z.string().nullable().describe('the remote URL with any credentials hidden'),
  git_remote_branch: z.string(),
  git_ssh_key_set: z.boolean(),
  git_pushed_sha: z.string().nullable(),
  git_pushed_at: nullableTimestamp,
  git_push_error: z.string().nullable(),
  storage: z.object({ versions: z.number().int(), contents: z.number().int(), bytes: z.number().int() }),
});

export const pushResult = z.object({ pushed: z.boolean(), sha: z.string().optional(), reason: z.string().optional() });
