import { z } from 'zod';

// The key-access log as the Transparency page reads it: one entry per period (a minute by default) of identical uses
// of an organisation's data keys, with how many there were.

export const keyOps = ['encrypt', 'decrypt', 'unwrap', 'generate', 'rotate', 'rewrap'] as const;
export const keyActorKinds = ['user', 'api_key', 'poller', 'worker', 'system'] as const;

export const transparencyQuery = z.strictObject({
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  /** An actor kind (`poller`, `worker`, `user`, `api_key`, `system`), a user's or API key's id, or a label. */
  actor: z.string().trim().min(1).max(200).optional(),
  /** `transit:v2`, `local`, `v3`: a provider, a data key version, or both. */
  key: z
    .string()
    .regex(/^(?:[a-z][a-z0-9_-]{0,39}(?::v?\d{1,9})?|v?\d{1,9})$/, 'a key like transit:v2, local or v3')
    .optional(),
  /** The start of an object's name: `device:<id>` matches that device's password, `config:` every backup part. */
  object: z.string().min(1).max(200).optional(),
  op: z.enum(keyOps).optional(),
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export type TransparencyQuery = z.infer<typeof transparencyQuery>;

export const keyAccessOut = z.object({
  id: z.number().int(),
  /** The period the uses fall in (a minute unless KEY_ACCESS_PERIOD_SECONDS says otherwise); `first_at` and
   * `last_at` are the first and last of them. */
  period_start: z.string(),
  first_at: z.string(),
  last_at: z.string(),
  count: z.number().int(),
  op: z.enum(keyOps),
  actor_kind: z.enum(keyActorKinds),
  actor_id: z.string().nullable(),
  actor_label: z.string(),
  /** `<provider>:v<data key version>`. */
  key: z.string(),
  provider: z.string(),
  key_version: z.number().int(),
  object: z.string(),
  purpose: z.string(),
});
export type KeyAccessItem = z.infer<typeof keyAccessOut>;

export const transparencyPage = z.object({ items: z.array(keyAccessOut), next_before: z.number().int().nullable() });
export type TransparencyPage = z.infer<typeof transparencyPage>;
