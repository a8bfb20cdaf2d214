import { z } from 'zod';
import { listQuery, name } from '../../platform/http/schemas.js';

// No CR, LF or NUL: RouterOS needs none, and a login sent to a line-based service (probe and scan reach any port)
// would otherwise carry commands of its own.
const noLineBreaks = /^[^\r\n\0]*$/;
const lineBreakMessage = 'must not contain line breaks or NUL';
export const routerosUsername = z.string().regex(noLineBreaks, lineBreakMessage).trim().min(1).max(100);
// RouterOS passwords may be empty (factory default admin); they are write-only everywhere.
export const routerosPassword = z.string().max(256).regex(noLineBreaks, lineBreakMessage);

export const profileCreateBody = z.strictObject({ name, username: routerosUsername, password: routerosPassword });
export const profileUpdateBody = z
  .strictObject({ name: name.optional(), username: routerosUsername.optional(), password: routerosPassword.optional() })
  .refine((b) => Object.keys(b).length > 0, 'send at least one field');
export const profileListQuery = z.strictObject({ ...listQuery });

export const profileOut = z.object({
  id: z.uuid(),
  name: z.string(),
  username: z.string(),
  device_count: z.number().int(),
  created_at: z.string(),
  updated_at: z.string(),
  policies: z.record(z.string(), z.boolean()),
});
