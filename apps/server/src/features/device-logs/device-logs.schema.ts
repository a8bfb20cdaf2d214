import { z } from 'zod';
import { logSeverities } from './severity.js';

const severityList = z
  .string()
  .regex(/^[a-z]+(,[a-z]+)*$/)
  .transform((s) => [...new Set(s.split(','))])
  .pipe(z.array(z.enum(logSeverities)).max(logSeverities.length))
  .describe('one severity or several, comma-separated (error,critical)');

const logsFilter = {
  from: z.iso.datetime({ offset: true }).optional().describe('lines logged at or after this time'),
  to: z.iso.datetime({ offset: true }).optional().describe('lines logged before this time'),
  topic: z
    .string()
    .regex(/^[a-z0-9][a-z0-9_.-]{0,31}$/)
    .optional()
    .describe('a RouterOS topic the line has (firewall, dhcp, account, …)'),
  severity: severityList.optional(),
  q: z.string().trim().min(1).max(200).optional().describe('text the message contains (case-insensitive)'),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  cursor: z.string().max(200).optional().describe('next_cursor of the previous page'),
};

export const deviceLogsQuery = z.strictObject(logsFilter);
export const logsQuery = z.strictObject({ ...logsFilter, device_id: z.uuid().optional() });
export type LogsQuery = z.infer<typeof logsQuery>;

export const logItem = z.object({
  id: z.string().describe('unique with time; the tie-breaker of the order'),
  device_id: z.uuid(),
  device_name: z.string(),
  time: z.string().describe('when the device logged it (its clock), or when TOD received it'),
  received_at: z.string(),
  source: z.enum(['poll', 'syslog']),
  topics: z.array(z.string()),
  severity: z.enum(logSeverities),
  message: z.string(),
});
export type LogItem = z.infer<typeof logItem>;
export const logsPage = z.object({ items: z.array(logItem), next_cursor: z.string().nullable() });
export type LogsPage = z.infer<typeof logsPage>;
