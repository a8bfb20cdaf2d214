import { z } from 'zod';
import { tenantRoles } from '../../platform/auth/roles.js';
import { email, listQuery, name, nullableTimestamp, password, timestamp } from '../../platform/http/schemas.js';

export const userCreateBody = z.strictObject({
  email,
  name,
  role: z.enum(tenantRoles),
  password: password.describe(
    'a temporary password: the user signs in with it once, then enrols (password + Secret Key)',
  ),
});
export const userUpdateBody = z
  .strictObject({
    name: name.optional(),
    role: z.enum(tenantRoles).optional(),
    is_active: z.boolean().optional(),
    password: password
      .optional()
      .describe('admin reset: a new temporary password; the user must enrol again and every session ends'),
  })
  .refine((b) => Object.keys(b).length > 0, 'send at least one field');

export const userListQuery = z.strictObject({
  ...listQuery,
  search: z.string().max(200).optional(),
  role: z.enum(tenantRoles).optional(),
});

export const userOut = z.object({
  id: z.uuid(),
  tenant_id: z.uuid().nullable(),
  email: z.string(),
  name: z.string(),
  role: z.string(),
  is_active: z.boolean(),
  must_upgrade_auth: z.boolean(),
  last_login_at: nullableTimestamp,
  created_at: timestamp,
  updated_at: timestamp,
  policies: z.record(z.string(), z.boolean()),
});
