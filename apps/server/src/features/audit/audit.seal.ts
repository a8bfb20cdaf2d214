import type pg from 'pg';
import type { Db } from '../../platform/db/tx.js';
import type { Envelope } from '../../platform/kms/envelope.js';
import type { KeyActor, KeyUse } from '../../platform/kms/key-use.js';
import { KmsError } from '../../platform/kms/provider.js';

// Audit details sealed with the organisation's data key (migration 065). recordAudit is called from every feature
// with nothing but a transaction's client, so the envelope is found from that client: when the audit feature is
// built it tags every client its pools hand out (pg-pool's `acquire` event) with the envelope of those pools. A
// WeakMap and not a module-wide "current envelope", because one process may hold several databases (tests build a
// second TOD beside the first): a client always seals with the keys of its own database.
//
// A client no audit feature tagged (the `tod create-admin` CLI, which builds no services) writes its details
// unsealed; the row is still a version-2 row whose hash covers a digest of them. The platform's own trail
// (tenant_id null) is never sealed: there is no tenant key, and only super_admin reads it.

const envelopes = new WeakMap<object, Envelope>();

/** Called once per built audit feature: clients of these pools seal with this envelope. */
export function registerAuditSealing(pools: pg.Pool[], envelope: Envelope) {
  for (const pool of pools) pool.on('acquire', (client) => envelopes.set(client, envelope));
}

/**
 * One context for every entry, so the key-access log counts "audit details" once a minute rather than one object
 * per entry (thousands a minute). The binding to the entry is inside the sealed box instead: the plaintext carries
 * the entry id, which AES-GCM authenticates and `openDetails` compares with the row's.
 */
const CONTEXT = 'audit:details';

/** The audit trail sealing its own entries: TOD, not the person whose action is recorded (that is in the entry). */
const SEALER: KeyActor = { kind: 'system', id: null, label: 'audit' };
const sealUse: KeyUse = { actor: SEALER, purpose: 'audit.seal' };

export type SealedDetails = { details: Record<string, unknown> | null; detailsSealed: Buffer | null };

/** The details as they are stored: sealed for a tenant's entry when the client's pool has an envelope. */
export async function sealDetails(
  db: Db,
  tenantId: string | null,
  entryId: string,
  details: Record<string, unknown>,
): Promise<SealedDetails> {
  const envelope = tenantId ? envelopes.get(db) : undefined;
  if (!tenantId || !envelope) return { details, detailsSealed: null };
  const plain = JSON.stringify({ entry: entryId, details });
  try {
    return { details: null, detailsSealed: await envelope.encrypt(tenantId, plain, CONTEXT, sealUse) };
  } catch (err) {
    // The entry recorded in the very transaction that creates its organisation (tenant.create): the organisation's
    // first key is stored in a transaction of its own, which cannot see the new tenant before it commits. That one
    // entry stays unsealed (its details are what its creator typed: name, description); every later one is sealed.
    if (!tenantNotCommitted(err)) throw err;
    return { details, detailsSealed: null };
  }
}

const tenantNotCommitted = (err: unknown) => {
  const e = err as { code?: string; constraint?: string };
  return e.code === '23503' && e.constraint === 'tenant_keys_tenant_id_fkey';
};

export class AuditUnreadable extends Error {}
const UNREADABLE = new Set(['decrypt_failed', 'bad_ciphertext', 'unknown_key_version']);

/** The details of a stored row; throws AuditUnreadable for a sealed box that does not open as this entry's. */
export async function openDetails(
  envelope: Envelope,
  row: { tenant_id: string | null; entry_id: string | null; details: unknown; details_sealed: Buffer | null },
  use: KeyUse,
): Promise<Record<string, unknown>> {
  if (!row.details_sealed) return (row.details as Record<string, unknown> | null) ?? {};
  if (!row.tenant_id) throw new AuditUnreadable('a sealed entry without a tenant');
  let plain: { entry?: unknown; details?: unknown };
  try {
    plain = JSON.parse((await envelope.decrypt(row.tenant_id, row.details_sealed, CONTEXT, use)).toString('utf8'));
  } catch (err) {
    // A box that does not open (altered, moved, its key gone with its tenant) is that entry's problem; a key
    // provider that does not answer is everyone's, and fails the request.
    const broken = err instanceof SyntaxError || (err instanceof KmsError && UNREADABLE.has(err.code));
    if (!broken) throw err;
    throw new AuditUnreadable(`sealed details do not open: ${(err as Error).message}`);
  }
  if (plain.entry !== row.entry_id) throw new AuditUnreadable('sealed details belong to another entry');
  return (plain.details as Record<string, unknown>) ?? {};
}
