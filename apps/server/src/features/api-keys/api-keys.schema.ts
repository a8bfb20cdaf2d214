import { z } from 'zod';
import { listQuery, name, nullableTimestamp, timestamp } from '../../platform/http/schemas.js';

export const apiKeyCreateBody = z.strictObject({
  name,
  expires_at: z.iso
    .datetime({ offset: true })
    .transform((s) => new Date(s))
    .refine((d) => d.getTime() > Date.now(), 'must be in the future')
    .optional(),
});

export const apiKeyListQuery = z.strictObject({ ...listQuery, include_revoked: z.enum(['true', 'false']).optional() });

export const apiKeyOut = z.object({
  id: z.uuid(),
  tenant_id: z.uuid(),
  name: z.string(),
  key_prefix: z.string(),
  role: z.string(),
  created_by: z.uuid().nullable(),
  created_at: timestamp,
  expires_at: nullableTimestamp,
  revoked_at: nullableTimestamp,
  last_used_at: nullableTimestamp,
  policies: z.record(z.string(), z.boolean()),
});

export const apiKeyCreatedOut = apiKeyOut.extend({ key: z.string() });
