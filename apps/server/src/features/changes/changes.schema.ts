import { z } from 'zod';
import { listCursor, TIME_KEY } from '../../platform/http/cursor.js';
import { nullableTimestamp, timestamp } from '../../platform/http/schemas.js';
import { diffResult } from '../config-backups/config-backups.schema.js';
import { engineVerbs } from './commands.js';
import { operationStatuses } from './operations.repo.js';

const menuPath = z
  .string()
  .max(200)
  .regex(/^(\/[a-z0-9][a-z0-9-]*)+$/, 'a RouterOS menu path such as /ip/firewall/filter');
const itemId = z.string().regex(/^\*[0-9A-Fa-f]{1,8}$/, 'a RouterOS item id such as *1A');
const propName = z.string().regex(/^[a-z0-9][a-z0-9.-]*$/, 'a property name');
const props = z.record(propName, z.string().max(4096));
const sha = z.string().regex(/^[0-9a-f]{64}$/, 'a backup id (64 hex digits)');

export const tenantParams = z.strictObject({ tenant_id: z.uuid() });
export const deviceParams = z.strictObject({ tenant_id: z.uuid(), device_id: z.uuid() });
export const operationParams = z.strictObject({ tenant_id: z.uuid(), device_id: z.uuid(), operation_id: z.uuid() });
export const tenantOperationParams = z.strictObject({ tenant_id: z.uuid(), operation_id: z.uuid() });

export const change = z
  .strictObject({
    path: menuPath,
    action: z
      .enum(['add', 'set', 'remove', 'enable', 'disable', 'move', 'make-static'])
      .describe('make-static: a dynamic DHCP lease (/ip/dhcp-server/lease) becomes static'),
    id: itemId.optional().describe('the row, as browse listed it (TOD turns it into its natural key)'),
    where: props.optional().describe('rows whose properties equal these, instead of id'),
    properties: props.optional(),
    destination: z
      .union([itemId, props])
      .optional()
      .describe('move/add in an ordered menu: before this row (id or properties); absent = to the end'),
  })
  .refine((c) => c.action === 'add' || c.id !== undefined || c.where !== undefined || c.action === 'set', {
    message: 'remove, enable, disable and move need the row: id or where',
  })
  .refine((c) => !(c.id && c.where), { message: 'give id or where, not both' })
  .refine((c) => c.action !== 'make-static' || c.path === '/ip/dhcp-server/lease', {
    message: 'make-static is for /ip/dhcp-server/lease',
  })
  .refine((c) => c.action !== 'add' || (c.properties && Object.keys(c.properties).length > 0), {
    message: 'add needs properties',
  });
export type ChangeInput = z.infer<typeof change>;

export const modes = ['safe', 'test', 'standard'] as const;
export const changesBody = z.strictObject({
  changes: z.array(change).min(1).max(500),
  mode: z.enum(modes).default('safe'),
  confirm_within_seconds: z.number().int().min(10).max(3600).optional().describe('test mode: the Keep window (120 s)'),
  revert: z
    .enum(['auto', 'watchdog'])
    .default('auto')
    .describe('auto: safe mode where the router has it, else the scheduler watchdog'),
  dry_run: z.boolean().default(false).describe('answer the exact commands without changing anything'),
});
export const restoreBody = z.strictObject({
  backup_id: sha,
  mode: z.enum(modes).default('safe'),
  confirm_within_seconds: z.number().int().min(10).max(3600).optional(),
  method: z
    .enum(['minimal', 'binary'])
    .default('minimal')
    .describe(
      'minimal: the diff as commands, through the engine; binary: load the binary backup (a reset or replaced router; no revert)',
    ),
  confirm_device_name: z.string().max(200).optional().describe('binary: the device name, typed by the user'),
});
export const previewBody = z.strictObject({ backup_id: sha });
export const rollbackBody = z
  .strictObject({
    mode: z.enum(modes).default('safe'),
    confirm_within_seconds: z.number().int().min(10).max(3600).optional(),
  })
  .default({ mode: 'safe' });

export const browseQuery = z.strictObject({ path: menuPath.optional() });
/** What an operations cursor names as its sort (newest first). */
export const OPERATIONS_CURSOR = 'operations';
export const listQuery = z.strictObject({
  device_id: z.uuid().optional(),
  status: z.enum(operationStatuses).optional(),
  kind: z.string().max(40).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  before: z.iso.datetime().optional().describe('older than this time (prefer cursor: operations can share a time)'),
  cursor: listCursor(OPERATIONS_CURSOR, TIME_KEY)
    .optional()
    .describe('next_cursor of the previous page (same filters); replaces before'),
});

export const commandItem = z.object({
  cli: z.string(),
  path: z.string(),
  verb: z.enum(engineVerbs),
  where: z.record(z.string(), z.string()).optional(),
  properties: z.record(z.string(), z.string()).optional(),
  unset: z.array(z.string()).optional(),
  destination: z.record(z.string(), z.string()).optional(),
});
export const risk = z.object({
  code: z.string(),
  severity: z.enum(['warning', 'danger']),
  command_index: z.number().int(),
  path: z.string(),
  message: z.string(),
});

export const operationItem = z.object({
  id: z.uuid(),
  device_id: z.uuid(),
  device_name: z.string().nullable(),
  kind: z.string(),
  mode: z.enum(modes),
  status: z.enum(operationStatuses),
  strategy: z.enum(['safe_mode', 'watchdog', 'none']).nullable(),
  summary: z.string(),
  steps: z.array(z.object({ status: z.enum(operationStatuses), at: z.string(), note: z.string().optional() })),
  deadline: nullableTimestamp,
  device_deadline: nullableTimestamp,
  confirm_within_seconds: z.number().int().nullable(),
  commands: z.array(z.string()).describe('the exact commands, as RouterOS terminal lines (secrets hidden)'),
  command_details: z.array(commandItem),
  applied_count: z.number().int(),
  error: z
    .object({
      code: z.string(),
      message: z.string(),
      command_index: z.number().int().nullable().describe('the command the router refused (0-based)'),
      property: z.string().nullable().describe('the property the router named in its refusal'),
    })
    .nullable(),
  revert_reason: z.string().nullable(),
  reverted_verified: z.boolean().nullable(),
  pre_backup_id: z.string().nullable(),
  target_backup_id: z.string().nullable(),
  round_trips: z.number().int(),
  requested_by: z.string().nullable(),
  created_at: timestamp,
  finished_at: nullableTimestamp,
  policies: z.object({ confirm: z.boolean(), revert: z.boolean() }),
});
export type OperationItem = z.infer<typeof operationItem>;

export const accepted = z.object({ operation_id: z.uuid() });
export const dryRun = z.object({
  operation_id: z.null(),
  commands: z.array(z.string()),
  command_details: z.array(commandItem),
  risks: z.array(risk),
});
export const previewResult = z.object({
  equal: z.boolean(),
  changes: z.number().int(),
  semantic: diffResult.shape.semantic,
  commands: z.array(z.string()),
  command_details: z.array(commandItem),
  unsupported: z.array(z.string()),
  risks: z.array(risk),
  current_backup_id: z.string(),
  current_backup_at: timestamp,
});

export const browseRow = z.object({
  id: z.string().nullable(),
  properties: z.record(z.string(), z.string()),
  config: z.record(z.string(), z.string()).describe('the properties that are configuration (what an edit may change)'),
  flags: z.object({ dynamic: z.boolean(), disabled: z.boolean(), invalid: z.boolean(), builtin: z.boolean() }),
  comment: z.string().nullable(),
});
export const browseResult = z.object({
  path: z.string().nullable(),
  menus: z.array(z.object({ path: z.string(), in_config: z.boolean() })).describe('the tree (when no path is given)'),
  rows: z.array(browseRow),
  ordered: z.boolean(),
  policies: z.object({ change: z.boolean() }),
});
export const operationsPage = z.object({
  items: z.array(operationItem),
  next_before: nullableTimestamp,
  /** Where the next page starts (`cursor=`), null on the last page. */
  next_cursor: z.string().nullable(),
});
