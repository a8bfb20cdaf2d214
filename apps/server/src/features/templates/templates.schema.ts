import { z } from 'zod';
import { listQuery, name, nullableTimestamp, timestamp } from '../../platform/http/schemas.js';
import { rolloutOptionsSchema, targetsSchema } from '../rollouts/rollouts.schema.js';
import { TEMPLATE_LIMITS } from './render.js';
import { variablesSchema, variableValuesSchema } from './variables.js';

// Templates API (pinned: `{name, description, body, variables: [{name, type, default?, description?}]}`, preview
// `{device_ids, values?}` → per device `{rendered, diff, commands, errors[]}`, push `{targets, values?, rollout}`).

export const MAX_PREVIEW_DEVICES = 50;

const groupValues = z
  .record(z.uuid(), variableValuesSchema)
  .describe('values per device group (a device in several groups: the first by name wins)');

const fields = {
  name,
  description: z.string().max(2000),
  body: z.string().min(1).max(TEMPLATE_LIMITS.body),
  variables: variablesSchema,
  group_values: groupValues,
};
export const templateCreate = z.strictObject({
  ...fields,
  description: fields.description.default(''),
  variables: fields.variables.default([]),
  group_values: fields.group_values.optional(),
});
// No defaults here: a field left out of a PATCH stays as it is.
export const templateUpdate = z
  .strictObject(fields)
  .partial()
  .refine((b) => Object.keys(b).length > 0, 'send at least one field');

export const templateListQuery = z.strictObject({ ...listQuery, search: z.string().max(200).optional() });

const variableOut = z.object({
  name: z.string(),
  type: z.string(),
  of: z.string().optional(),
  default: z.unknown().optional(),
  description: z.string().optional(),
  required: z.boolean().optional(),
  secret: z.boolean().optional(),
});

export const templateItem = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  body: z.string(),
  variables: z.array(variableOut),
  group_values: z.record(z.string(), z.record(z.string(), z.unknown())),
  revision: z.number().int(),
  assigned: z.number().int(),
  drifted: z.number().int(),
  created_at: timestamp,
  updated_at: timestamp,
  policies: z.object({ update: z.boolean(), delete: z.boolean(), push: z.boolean() }),
});

export const starterItem = z.object({
  key: z.string(),
  name: z.string(),
  description: z.string(),
  body: z.string(),
  variables: z.array(variableOut),
});

const values = variableValuesSchema.optional().describe('values for every device');
const deviceValues = z.record(z.uuid(), variableValuesSchema).optional().describe('values per device (they win)');

export const previewBody = z.strictObject({
  device_ids: z.array(z.uuid()).min(1).max(MAX_PREVIEW_DEVICES),
  values,
  device_values: deviceValues,
});

const issue = z.object({
  code: z.string(),
  message: z.string(),
  device_id: z.string().optional(),
  variable: z.string().optional(),
  line: z.number().int().optional(),
});

export const previewItem = z.object({
  device_id: z.string(),
  device_name: z.string(),
  rendered: z.string().nullable(),
  diff: z.unknown().nullable(),
  commands: z.array(z.string()),
  unsupported: z.array(z.string()),
  in_sync: z.boolean().nullable(),
  /** The backup the diff was computed against. */
  backup_id: z.string().nullable(),
  errors: z.array(issue),
});
export const previewResult = z.object({ devices: z.array(previewItem) });

export const pushBody = z.strictObject({
  targets: targetsSchema,
  values,
  device_values: deviceValues,
  reuse_values: z
    .boolean()
    .optional()
    .describe("re-push: each device keeps the values of its last push of this template (this push's values win)"),
  rollout: rolloutOptionsSchema.default({}),
});

export const driftItem = z.object({
  device_id: z.string(),
  device_name: z.string(),
  drift: z.enum(['unknown', 'in_sync', 'drifted', 'error']),
  checked_at: nullableTimestamp,
  pushed_at: timestamp,
  rollout_id: z.string().nullable(),
  /** The template revision the check used (older than the template's: re-check or re-push). */
  revision: z.number().int().nullable(),
  backup_id: z.string().nullable(),
  commands: z.number().int().nullable(),
  diff: z.unknown().nullable(),
  error: z.string().nullable(),
});
export const driftResult = z.object({
  template_id: z.string(),
  revision: z.number().int(),
  devices: z.array(driftItem),
  counts: z.object({
    in_sync: z.number().int(),
    drifted: z.number().int(),
    unknown: z.number().int(),
    error: z.number().int(),
  }),
});

export const invalidRender = z.object({ errors: z.array(issue) });
