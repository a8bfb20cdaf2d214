import { z } from 'zod';
import { auditEntryOut } from '../audit/audit.schema.js';
import { srpVerifyBody } from '../srp/srp.schema.js';

const when = z.string().describe('ISO 8601');

export const deleteAccountBody = z.strictObject({
  proof: srpVerifyBody.describe('a fresh SRP proof of the CURRENT password and Secret Key (from /api/auth/srp/init)'),
  confirm: z.string().min(1).max(320).describe('your email address, typed to confirm'),
});

const ownAuditEntry = auditEntryOut
  .omit({ hash: true })
  .extend({ organisation_id: z.string().nullable().describe("the entry's chain: its organisation, null for TOD's") });

export const accountExportOut = z.object({
  format: z.literal('tod.personal-data/1'),
  exported_at: when,
  account: z.object({
    id: z.string(),
    email: z.string(),
    name: z.string(),
    role: z.string(),
    organisation: z.object({ id: z.string(), name: z.string() }).nullable(),
    is_active: z.boolean(),
    created_at: when,
    updated_at: when,
    last_login_at: when.nullable(),
    srp_enrolled: z.boolean().describe('TOD keeps a salt and an SRP verifier: neither the password nor the key'),
    has_temporary_password: z.boolean(),
  }),
  sessions: z.array(
    z.object({
      id: z.string(),
      created_at: when,
      last_used_at: when,
      expires_at: when,
      revoked_at: when.nullable(),
      revoked_reason: z.string().nullable(),
      ip: z.string().nullable(),
      user_agent: z.string().nullable(),
      scope: z.string(),
      live_refresh_tokens: z.number().int(),
    }),
  ),
  password_reset_links: z.array(z.object({ created_at: when, expires_at: when, used_at: when.nullable() })),
  api_keys: z
    .array(
      z.object({
        id: z.string(),
        organisation_id: z.string(),
        name: z.string(),
        key_prefix: z.string(),
        role: z.string(),
        created_at: when,
        expires_at: when.nullable(),
        revoked_at: when.nullable(),
        last_used_at: when.nullable(),
      }),
    )
    .describe('keys this account created (never their secrets)'),
  preferences: z.object({
    device_views: z.array(z.object({ device_id: z.string(), mode: z.string(), updated_at: when })),
  }),
  audit_entries: z.array(ownAuditEntry).describe('what this account did, newest first, details opened'),
  audit_entries_truncated: z.boolean(),
});

export const deletionReceiptOut = z.object({
  id: z.string(),
  organisation_id: z.string().nullable(),
  deleted_at: when,
  removed: z.record(z.string(), z.number().int()),
  subject_hash: z.string().describe('sha256(salt ‖ user id ‖ "\\n" ‖ lower(email)), hex'),
  subject_salt: z.string().describe('hex; only in this copy: with it the receipt can be shown to be yours'),
  receipt_hash: z.string().describe('sha256 of the receipt, hex; also in the audit chain (account.deleted)'),
});
