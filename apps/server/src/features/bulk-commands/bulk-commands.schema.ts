import { z } from 'zod';
import { rolloutOptionsSchema, rolloutStatuses, targetsSchema } from '../rollouts/rollouts.schema.js';
import { DENY_IDS } from './classify.js';
import { MAX_COMMANDS, MAX_TEXT_BYTES } from './parse.js';

// Pinned by issue 14: POST …/bulk-commands `{targets, commands, rollout?}` → 202 `{rollout_id}`;
// GET …/bulk-commands/{id}/results → `{groups: [{output, device_ids[]}]}` (more fields added here).

export const denyId = z.enum(DENY_IDS as [string, ...string[]]);

export const bulkCommandBody = z.strictObject({
  targets: targetsSchema,
  commands: z
    .string()
    .min(1)
    // Four times the parser's limit in characters: the parser answers `commands_too_large` with the line.
    .max(MAX_TEXT_BYTES * 4)
    .describe(
      `RouterOS CLI text, one command per line (at most ${MAX_COMMANDS} commands, ${MAX_TEXT_BYTES / 1024} KiB): quoting, escapes, \\ continuations, menu lines, [ find … ] and print where … as the terminal reads them`,
    ),
  allow: z
    .array(denyId)
    .max(DENY_IDS.length)
    .optional()
    .describe('deny-list entries allowed for this run only (admin)'),
  name: z.string().trim().min(1).max(200).optional().describe('default: the first command'),
  rollout: rolloutOptionsSchema.optional(),
});
export type BulkCommandBody = z.infer<typeof bulkCommandBody>;

export const resultsQuery = z.strictObject({
  format: z.enum(['csv', 'json']).optional().describe('a file to download, one row per device'),
});

const deviceStatus = z.enum(['done', 'failed', 'reverted', 'skipped']);

export const outputGroup = z.object({
  output: z.string(),
  device_ids: z.array(z.string()),
  device_names: z.array(z.string()).describe('in the order of device_ids (the name when the run started)'),
  /** How these devices ended; a failed, reverted or skipped device's reason is `error`. */
  status: deviceStatus,
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
});

export const bulkResults = z.object({
  rollout_id: z.string(),
  name: z.string(),
  kind: z.string(),
  status: z.enum(rolloutStatuses),
  /** The commands with secret values masked. */
  commands: z.string(),
  device_count: z.number().int(),
  counts: z.object({
    pending: z.number().int(),
    running: z.number().int(),
    done: z.number().int(),
    failed: z.number().int(),
    reverted: z.number().int(),
    skipped: z.number().int(),
  }),
  groups: z
    .array(outputGroup)
    .describe('identical outputs together, largest group first; failures are their own groups'),
  /** Devices not finished yet (pending or running). */
  waiting: z.array(
    z.object({ device_id: z.string(), device_name: z.string(), status: z.enum(['pending', 'running']) }),
  ),
});
export type BulkResults = z.infer<typeof bulkResults>;
