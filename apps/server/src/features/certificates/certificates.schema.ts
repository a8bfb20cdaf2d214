import { z } from 'zod';
import { listQuery, nullableTimestamp, timestamp } from '../../platform/http/schemas.js';
import { rolloutOptionsSchema, targetsSchema } from '../rollouts/rollouts.schema.js';
import { keyTypes } from './ca.js';

export const caBody = z.strictObject({
  common_name: z.string().trim().min(1).max(200).optional().describe('default: "<organisation> routers CA"'),
  key_type: z
    .enum(keyTypes)
    .default('ecdsa-p256')
    .describe('rsa-2048 for routers that cannot use ECDSA; the certificates it signs get the same key type'),
  validity_days: z.number().int().min(30).max(36_500).default(3650),
});

export const caItem = z.object({
  id: z.uuid(),
  common_name: z.string(),
  key_type: z.enum(keyTypes),
  serial: z.string(),
  fingerprint: z.string().describe('SHA-256 of the certificate, colon-separated'),
  not_before: timestamp,
  not_after: timestamp,
  status: z.enum(['active', 'retired']),
  crl_next_update: timestamp,
  created_at: timestamp,
  created_by: z.string().nullable(),
  policies: z.record(z.string(), z.boolean()),
});

// What the API shows: the stored states plus expiring/expired (deployed ones by date).
export const shownStates = [
  'pending',
  'deploying',
  'deployed',
  'expiring',
  'expired',
  'failed',
  'superseded',
  'revoked',
] as const;

export const certItem = z.object({
  id: z.uuid(),
  device_id: z.uuid(),
  device_name: z.string().nullable(),
  ca_id: z.uuid(),
  serial: z.string(),
  name: z.string().describe("the certificate's name on the router"),
  common_name: z.string(),
  sans: z.array(z.string()),
  fingerprint: z.string(),
  not_before: timestamp,
  not_after: timestamp,
  state: z.enum(shownStates),
  operation_id: z.uuid().nullable(),
  rollout_id: z.uuid().nullable(),
  replaces_id: z.uuid().nullable(),
  error_code: z.string().nullable(),
  error_detail: z.string().nullable(),
  deployed_at: nullableTimestamp,
  verified_at: nullableTimestamp.describe('when TOD last connected with the certificate fully verified'),
  revoked_at: nullableTimestamp,
  revoke_reason: z.string().nullable(),
  created_at: timestamp,
  policies: z.record(z.string(), z.boolean()),
});
export type CertItem = z.infer<typeof certItem>;

export const certListQuery = z.strictObject({
  ...listQuery,
  state: z.enum(shownStates).optional(),
  device_id: z.uuid().optional(),
});
export type CertListQuery = z.infer<typeof certListQuery>;

export const deployBody = z
  .strictObject({
    validity_days: z.number().int().min(1).max(3650).optional().describe('default CERT_VALIDITY_DAYS (730)'),
  })
  .default({});

export const revokeBody = z.strictObject({ reason: z.string().trim().max(500).optional() }).default({});

export const deployAccepted = z.object({
  operation_id: z.uuid(),
  certificate_id: z.uuid(),
});

export const bulkBody = z.strictObject({
  targets: targetsSchema,
  validity_days: z.number().int().min(1).max(3650).optional(),
  rollout: rolloutOptionsSchema.default({}),
});

export const certParams = z.strictObject({ tenant_id: z.uuid(), cert_id: z.uuid() });
export const deviceParams = z.strictObject({ tenant_id: z.uuid(), device_id: z.uuid() });
