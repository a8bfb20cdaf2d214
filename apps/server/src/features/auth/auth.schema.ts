import { z } from 'zod';

export const loginBody = z.strictObject({
  email: z.string().min(1).max(320),
  password: z.string().min(1).max(1024),
});
export const refreshBody = z.strictObject({ refresh_token: z.string().min(1).max(200).optional() }).nullish();

export const tokenOut = z.object({
  access_token: z.string(),
  token_type: z.literal('bearer'),
  expires_in: z.number().int(),
});

/** /me; `permissions` lists every permission of the running TOD (see platform/auth/permissions.ts). */
export const meOutWith = (permissions: readonly string[]) =>
  z.object({
    kind: z.enum(['user', 'api_key']),
    id: z.string(),
    email: z.string().nullable(),
    name: z.string(),
    role: z.string(),
    tenant_id: z.string().nullable(),
    must_upgrade_auth: z.boolean(),
    /** 'enrol' after a password or reset-link sign-in: only enrolment is allowed until a verifier is registered. */
    session_scope: z.enum(['full', 'enrol']),
    permissions: z.strictObject(Object.fromEntries(permissions.map((p) => [p, z.boolean()]))),
  });
