import { z } from 'zod';

export const eventsQuery = z.strictObject({
  device_id: z.uuid().optional(),
  type: z
    .string()
    .regex(/^[a-z][a-z0-9_.]{1,63}$/)
    .optional(),
  severity: z.enum(['info', 'warning', 'critical']).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});
export type EventsQuery = z.infer<typeof eventsQuery>;

export const eventOut = z.object({
  id: z.number().int(),
  device_id: z.string().nullable(),
  device_name: z.string().nullable(),
  type: z.string(),
  severity: z.string(),
  message: z.string(),
  details: z.record(z.string(), z.unknown()),
  created_at: z.string(),
});
export type EventItem = z.infer<typeof eventOut>;

export const eventsPage = z.object({ items: z.array(eventOut), next_before: z.number().int().nullable() });
export type EventsPage = z.infer<typeof eventsPage>;
