import { z } from 'zod';
import { listCursor, TIME_KEY } from '../../platform/http/cursor.js';
import { listQuery, nullableTimestamp, page, timestamp } from '../../platform/http/schemas.js';

// A rollout's request pieces every feature that starts one shares (templates, bulk commands, Simple Config,
// firmware): the targets and the wave options. Pinned by the issue: `targets` and `rollout` keep these names.

export const MAX_TARGET_IDS = 10_000;
const ids = z.array(z.uuid()).max(MAX_TARGET_IDS);

export const targetsSchema = z
  .strictObject({
    device_ids: ids.optional().describe('in this order (first in, first changed), before the others'),
    group_ids: ids.optional(),
    tag_ids: ids.optional(),
    site_ids: ids.optional(),
  })
  .describe('the union of the devices named and the members of the groups, tags and sites');
export type Targets = z.infer<typeof targetsSchema>;

export const modes = ['safe', 'test', 'standard'] as const;

export const rolloutOptionsSchema = z
  .strictObject({
    canary: z.number().int().min(0).max(1000).optional().describe('devices in the first wave (default 1; 0: none)'),
    batch_size: z.number().int().min(1).max(10_000).optional().describe('devices per later wave (default 10)'),
    concurrency: z
      .number()
      .int()
      .min(1)
      .max(500)
      .optional()
      .describe('devices changed at once across all workers (default 10)'),
    max_failures: z
      .number()
      .int()
      .min(0)
      .max(10_000)
      .nullable()
      .optional()
      .describe(
        'pause when more devices than this failed or were reverted (default 0: the first one pauses; null: never)',
      ),
    device_timeout_seconds: z
      .number()
      .int()
      .min(30)
      .max(86_400)
      .optional()
      .describe('a device not finished by then is failed (`device_timeout`) and never blocks the others'),
    mode: z.enum(modes).optional().describe('how each change is guarded (default safe)'),
    scheduled_at: z.iso.datetime({ offset: true }).optional().describe('start then rather than now'),
    backup_after: z.boolean().optional().describe('back up every changed device when the rollout ends (default on)'),
    stop_at: z.iso
      .datetime({ offset: true })
      .optional()
      .describe(
        'start no device after this time (a maintenance window’s end): the rollout pauses (window_closed), devices already running finish',
      ),
  })
  .refine((o) => !(o.scheduled_at && o.stop_at) || Date.parse(o.stop_at) > Date.parse(o.scheduled_at), {
    message: 'stop_at must be after scheduled_at',
    path: ['stop_at'],
  })
  .describe('waves, limits and the failure threshold');
export type RolloutOptionsInput = z.infer<typeof rolloutOptionsSchema>;

/** Options with every default filled in, as stored. */
export type RolloutOptions = {
  canary: number;
  batch_size: number;
  concurrency: number;
  max_failures: number | null;
  device_timeout_seconds: number;
  mode: (typeof modes)[number];
  backup_after: boolean;
  /** ISO time after which no device starts; absent: none. */
  stop_at?: string | null;
};

export const rolloutStatuses = ['scheduled', 'running', 'paused', 'completed', 'cancelled'] as const;
export const pauseReasons = ['manual', 'failure_threshold', 'window_closed'] as const;
export type RolloutStatus = (typeof rolloutStatuses)[number];
export const deviceStatuses = ['pending', 'running', 'done', 'failed', 'reverted', 'skipped'] as const;
export type DeviceStatus = (typeof deviceStatuses)[number];

const counts = z.object({
  pending: z.number().int(),
  running: z.number().int(),
  done: z.number().int(),
  failed: z.number().int(),
  reverted: z.number().int(),
  skipped: z.number().int(),
});

export const waveItem = z.object({
  index: z.number().int(),
  canary: z.boolean(),
  size: z.number().int(),
  status: z.enum(['pending', 'running', 'finished']),
  counts,
});

export const rolloutDeviceItem = z.object({
  device_id: z.string(),
  device_name: z.string(),
  wave: z.number().int(),
  position: z.number().int(),
  status: z.enum(deviceStatuses),
  operation_id: z.string().nullable().optional(),
  /** The change operation's own state while it runs (e.g. awaiting_confirmation in test mode). */
  operation_status: z.string().nullable(),
  attempts: z.number().int(),
  error: z.object({ code: z.string(), message: z.string() }).nullable().optional(),
  started_at: nullableTimestamp,
  finished_at: nullableTimestamp,
});

const rolloutFields = {
  id: z.string(),
  kind: z.string(),
  name: z.string(),
  status: z.enum(rolloutStatuses),
  pause_reason: z.enum(pauseReasons).nullable(),
  options: z.object({
    canary: z.number().int(),
    batch_size: z.number().int(),
    concurrency: z.number().int(),
    max_failures: z.number().int().nullable(),
    device_timeout_seconds: z.number().int(),
    mode: z.enum(modes),
    backup_after: z.boolean(),
    stop_at: z.string().nullable().optional(),
  }),
  source_id: z.string().nullable(),
  device_count: z.number().int(),
  counts,
  scheduled_at: nullableTimestamp,
  created_at: timestamp,
  started_at: nullableTimestamp,
  finished_at: nullableTimestamp,
  requested_by: z.string().nullable(),
  policies: z.object({
    pause: z.boolean(),
    resume: z.boolean(),
    cancel: z.boolean(),
    retry_failed: z.boolean(),
    backup: z.boolean(),
    /** Detail only: test-mode changes await confirmation and the caller may Keep them. */
    keep: z.boolean().optional(),
  }),
};

export const rolloutListItem = z.object(rolloutFields);
export const rolloutDetail = z.object({
  ...rolloutFields,
  request: z.record(z.string(), z.unknown()),
  waves: z.array(waveItem),
  devices: z.array(rolloutDeviceItem),
  /** With `limit`: where the next page of devices starts (`cursor=`), null on the last page. */
  devices_next_cursor: z.string().nullable(),
});
export type RolloutDetail = z.infer<typeof rolloutDetail>;

/** What the cursors of the rollout list and of a rollout's devices name as their sort. */
export const ROLLOUTS_CURSOR = 'rollouts';
export const ROLLOUT_DEVICES_CURSOR = 'rollout_devices';
const cursorOf = (list: string, key?: RegExp) =>
  listCursor(list, key).optional().describe('next_cursor of the previous page (same filters); replaces offset');

export const rolloutListQuery = z.strictObject({
  ...listQuery,
  kind: z.string().max(40).optional(),
  status: z.enum(rolloutStatuses).optional(),
  source_id: z.uuid().optional(),
  cursor: cursorOf(ROLLOUTS_CURSOR, TIME_KEY),
});
export const rolloutListPage = page(rolloutListItem).extend({
  /** False when the count stopped at 10,000: the total is then a lower bound. */
  total_exact: z.boolean(),
  /** Where the next page starts (`cursor=`, same filters), null on the last page. */
  next_cursor: z.string().nullable(),
});
export const rolloutDevicesQuery = z.strictObject({
  status: z.enum(deviceStatuses).optional(),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(10_000)
    .optional()
    .describe('devices per page (in order of position); all of them without it'),
  cursor: cursorOf(ROLLOUT_DEVICES_CURSOR, /^\d{1,9}$/).describe(
    'devices_next_cursor of the previous page (same status)',
  ),
});

export const rolloutAccepted = z.object({ rollout_id: z.string() });
export const backupQueued = z.object({ queued: z.number().int(), device_ids: z.array(z.string()) });
export const keptResult = z.object({ kept: z.number().int(), device_ids: z.array(z.string()) });

/** `POST …/rollouts/{id}/resume`: a new failure threshold and stop time, each optional. */
export const resumeBody = z.strictObject({
  max_failures: z
    .number()
    .int()
    .min(0)
    .nullable()
    .optional()
    .describe('the new threshold; absent: the failures so far (the next new one pauses again)'),
  stop_at: z.iso
    .datetime({ offset: true })
    .nullable()
    .optional()
    .describe('a new time after which no device starts (null: none); absent: a stop time that passed is cleared'),
});
export type ResumeBody = z.infer<typeof resumeBody>;
