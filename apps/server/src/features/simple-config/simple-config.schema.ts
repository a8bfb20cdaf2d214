import { z } from 'zod';
import { timestamp } from '../../platform/http/schemas.js';
import { commandItem, modes, risk } from '../changes/changes.schema.js';
import { rolloutOptionsSchema, targetsSchema } from '../rollouts/rollouts.schema.js';
import { tabs } from './forms.js';

export const deviceParams = z.strictObject({ tenant_id: z.uuid(), device_id: z.uuid() });
export const tabParams = deviceParams.extend({ tab: z.enum(tabs) });

export const applyBody = z.strictObject({
  form: z
    .record(z.string(), z.unknown())
    .describe("the tab's form (GET answers it filled from the device); checked strictly against the tab's shape"),
  mode: z.enum(modes).default('safe'),
  confirm_within_seconds: z.number().int().min(10).max(3600).optional().describe('test mode: the Keep window (120 s)'),
  revert: z
    .enum(['auto', 'watchdog'])
    .default('auto')
    .describe('auto: safe mode where the router has it, else the scheduler watchdog'),
  dry_run: z
    .boolean()
    .default(false)
    .describe('answer the exact commands, planned against the device now, and change nothing'),
});

export const tabView = z.object({
  tab: z.enum(tabs),
  version: z.string().describe("the device's RouterOS version"),
  v7: z.boolean(),
  form: z.record(z.string(), z.unknown()).describe('the form as the device has it now (secrets left out)'),
  secrets: z
    .record(z.string(), z.object({ set: z.boolean() }))
    .describe('write-only fields and whether the device has a value (never the value)'),
  options: z.record(z.string(), z.unknown()).describe("what the form's pickers offer"),
  state: z.record(z.string(), z.unknown()).describe('read-only facts shown beside the form'),
  policies: z.object({ apply: z.boolean() }),
});

export const accepted = z.object({ operation_id: z.uuid() });
export const dryRun = z.object({
  operation_id: z.null(),
  commands: z.array(z.string()).describe('the exact commands as terminal lines (secrets hidden)'),
  command_details: z.array(commandItem),
  risks: z.array(risk),
});

export const viewMode = z.enum(['simple', 'standard']);
export const preferenceBody = z.strictObject({ mode: viewMode });
export const preference = z.object({
  mode: viewMode,
  saved: z.boolean().describe('false: nothing chosen yet (standard)'),
  updated_at: timestamp.nullable(),
});

/** The same form on many devices, as a rollout (each device one safe-change operation). */
export const rolloutBody = z.strictObject({
  targets: targetsSchema,
  form: z.record(z.string(), z.unknown()).describe("the tab's form, applied as it is to every target"),
  rollout: rolloutOptionsSchema.default({}),
});
export const tenantTabParams = z.strictObject({ tenant_id: z.uuid(), tab: z.enum(tabs) });
