import { z } from 'zod';

export const auditListQuery = z.strictObject({
  action: z
    .string()
    .regex(/^[a-z][a-z0-9_.]{1,99}$/)
    .optional(),
  user_id: z.uuid().optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  before: z.coerce.bigint().positive().optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  format: z.enum(['json', 'csv']).default('json'),
});

export const auditEntryOut = z.object({
  seq: z.number().int(),
  actor_type: z.string(),
  actor_id: z.string().nullable(),
  actor_label: z.string().nullable(),
  action: z.string(),
  target_type: z.string().nullable(),
  target_id: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
  /** The sealed details did not open as this entry's (altered, or their key went with a deleted organisation). */
  details_unreadable: z.boolean(),
  ip: z.string().nullable(),
  request_id: z.string().nullable(),
  created_at: z.string(),
  /** When the person behind it deleted their account: who (and, for entries about them, the details) was erased. */
  anonymised_at: z.string().nullable(),
  hash: z.string(),
});

export const auditPageOut = z.object({ items: z.array(auditEntryOut), next_before: z.number().int().nullable() });

export const auditVerifyOut = z.object({
  valid: z.boolean(),
  checked: z.number().int(),
  first_broken_seq: z.number().int().nullable(),
  head_hash: z.string().nullable(),
  /** Entries whose person deleted their account (their personal columns erased; still verified). */
  anonymised: z.number().int(),
  /** Of those, entries written before sealing (hash version 1): only their place in the chain can be checked. */
  link_only: z.number().int(),
});
