import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Receipt } from './account.repo.js';

// The deletion receipt: what was removed and when, kept by TOD and returned to the person. It names nobody.
//   subject_hash = sha256(salt ‖ user id ‖ "\n" ‖ lower(email)); the 16-byte salt is only in the person's copy, so
//                  TOD's row cannot be matched to a guessed email — but the person can show the receipt is theirs.
//   receipt_hash = sha256 of the JSON array [1, id, organisation id, deleted_at (ISO), subject_hash hex, removed]
//                  with `removed`'s keys sorted (as stored in jsonb they come back in another order); the
//                  `account.deleted` audit entry carries it, so the receipt is anchored in the organisation's chain.

export type Removed = {
  account: number;
  sessions: number;
  refresh_tokens: number;
  api_keys_revoked: number;
  device_view_preferences: number;
  password_reset_links: number;
  audit_entries_anonymised: number;
  audit_entries_about_redacted: number;
};

export const subjectHash = (salt: Buffer, userId: string, email: string) =>
  createHash('sha256').update(salt).update(`${userId}\n${email.toLowerCase()}`, 'utf8').digest();

export const receiptHash = (r: Omit<Receipt, 'receiptHash'>) =>
  createHash('sha256')
    .update(
      JSON.stringify([
        1,
        r.id,
        r.tenantId,
        r.deletedAt.toISOString(),
        r.subjectHash.toString('hex'),
        Object.fromEntries(Object.entries(r.removed).sort(([a], [b]) => (a < b ? -1 : 1))),
      ]),
      'utf8',
    )
    .digest();

export function makeReceipt(subject: { userId: string; email: string; tenantId: string | null }, removed: Removed) {
  const salt = randomBytes(16);
  // Milliseconds only: the time stored is the time hashed, whatever precision the database keeps.
  const deletedAt = new Date(Date.now());
  const body = {
    id: randomUUID(),
    tenantId: subject.tenantId,
    deletedAt,
    subjectHash: subjectHash(salt, subject.userId, subject.email),
    removed,
  };
  return { receipt: { ...body, receiptHash: receiptHash(body) } satisfies Receipt, salt };
}
