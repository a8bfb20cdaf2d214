import { z } from 'zod';
import { name, timestamp } from '../../platform/http/schemas.js';

export const tenantCreateBody = z.strictObject({
  name,
  description: z.string().max(2000).default(''),
});
export const tenantUpdateBody = z
  .strictObject({ name: name.optional(), description: z.string().max(2000).optional() })
  .refine((b) => Object.keys(b).length > 0, 'send at least one field');

export const tenantOut = z.object({
  id: z.uuid(),
  name: z.string(),
  description: z.string(),
  created_at: timestamp,
  updated_at: timestamp,
  policies: z.record(z.string(), z.boolean()),
});
