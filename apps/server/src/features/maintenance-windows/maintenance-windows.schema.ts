import { z } from 'zod';
import { listQuery, name, nullableTimestamp, timestamp } from '../../platform/http/schemas.js';
import { scopeKinds, scopeSchema } from '../catalog/scope.js';
import { weekdays } from './occurrences.js';

// A maintenance window: when (the first occurrence and how it repeats, in a time zone) and where (scopes). The
// rules for occurrences are written down in occurrences.ts.

export const MAX_SCOPES = 100;

const instant = z.iso.datetime({ offset: true });

export const recurrenceSchema = z.strictObject({
  freq: z.enum(['daily', 'weekly']),
  by_day: z
    .array(z.enum(weekdays))
    .min(1)
    .max(7)
    .optional()
    .describe("weekly only: the local weekdays; default the first occurrence's"),
  until: z
    .union([z.iso.date(), instant])
    .optional()
    .describe('last day (local date) or last instant an occurrence may start; none: the series never ends'),
});

const fields = {
  name,
  starts_at: instant.describe('start of the first occurrence (ISO 8601 with offset)'),
  ends_at: instant.describe('end of the first occurrence'),
  recurrence: recurrenceSchema
    .nullable()
    .describe('null: one-time. Later occurrences keep the local wall-clock start and length in `timezone`'),
  timezone: z.string().min(1).max(64).describe('IANA time zone, e.g. Europe/Berlin'),
  scope: scopeSchema.describe('one scope; `scopes` for several (both: all of them)'),
  scopes: z.array(scopeSchema).min(1).max(MAX_SCOPES),
};

export const windowCreate = z
  .strictObject({
    ...fields,
    recurrence: fields.recurrence.default(null),
    scope: fields.scope.optional(),
    scopes: fields.scopes.optional(),
  })
  .refine((b) => b.scope !== undefined || b.scopes !== undefined, {
    message: 'give scope or scopes',
    path: ['scope'],
  });
export type WindowCreate = z.infer<typeof windowCreate>;

export const windowUpdate = z
  .strictObject(fields)
  .partial()
  .refine((b) => Object.keys(b).length > 0, 'send at least one field');
export type WindowUpdate = z.infer<typeof windowUpdate>;

export const windowListQuery = z.strictObject({ ...listQuery, search: z.string().max(200).optional() });
export type WindowListQuery = z.infer<typeof windowListQuery>;

const scopeOut = z.object({ kind: z.enum(scopeKinds), id: z.uuid().optional() });
const occurrenceOut = z.object({ starts_at: timestamp, ends_at: timestamp });

/** How far ahead a window's item lists its occurrences. */
export const UPCOMING_DAYS = 14;

export const windowItem = z.object({
  id: z.uuid(),
  name: z.string(),
  starts_at: timestamp,
  ends_at: timestamp,
  recurrence: z
    .object({
      freq: z.enum(['daily', 'weekly']),
      by_day: z.array(z.enum(weekdays)).optional(),
      until: z.string().optional(),
    })
    .nullable(),
  timezone: z.string(),
  scope: scopeOut.describe('the first of `scopes`'),
  scopes: z.array(scopeOut),
  series_ends_at: nullableTimestamp.describe('end of the last occurrence; null: never'),
  active: z.boolean().describe('open now'),
  current: occurrenceOut.nullable().describe('the occurrence open now'),
  next: occurrenceOut.nullable().describe('the next occurrence to start'),
  upcoming: z
    .array(occurrenceOut)
    .describe(`occurrences starting within the next ${UPCOMING_DAYS} days (the open one aside), for a calendar`),
  created_at: timestamp,
  updated_at: timestamp,
  policies: z.object({ update: z.boolean(), delete: z.boolean() }),
});
export type WindowItem = z.infer<typeof windowItem>;
