import type { Role } from '../../platform/auth/roles.js';
import type { Db } from '../../platform/db/tx.js';

// A person's own data (GDPR export and erasure), on the system pool: a super_admin's rows span tenants. The export
// reads the tables that hold a user_id or a created_by (grep of the migrations: users, auth_sessions and
// auth_refresh_tokens — through features/auth —, api_keys, device_view_preferences, password_reset_tokens,
// srp_sessions); these are reads only. Everything is removed through its owner: the users row by usersRepo.delete,
// which cascades to sessions, refresh tokens, SRP handshakes, reset links and view preferences; API keys by
// apiKeysRepo.revoke; audit entries by auditRepo.anonymiseUser. The one table written here is this feature's own,
// account_deletion_receipts.

export type AccountRow = {
  id: string;
  tenant_id: string | null;
  email: string;
  name: string;
  role: Role;
  is_active: boolean;
  created_at: Date;
  updated_at: Date;
  last_login_at: Date | null;
  srp_enrolled: boolean;
  has_temporary_password: boolean;
};

export type OwnApiKey = {
  id: string;
  tenant_id: string;
  name: string;
  key_prefix: string;
  role: string;
  created_at: Date;
  expires_at: Date | null;
  revoked_at: Date | null;
  last_used_at: Date | null;
};

export type Receipt = {
  id: string;
  tenantId: string | null;
  deletedAt: Date;
  subjectHash: Buffer;
  removed: Record<string, number>;
  receiptHash: Buffer;
};

const accountCols = `id, tenant_id, email, name, role, is_active, created_at, updated_at, last_login_at,
  srp_verifier is not null as srp_enrolled, (srp_verifier is null and password_hash is not null) as has_temporary_password`;

export const accountRepo = {
  /** `lock`: FOR UPDATE, so two deletions of one account cannot both go ahead. */
  async get(db: Db, userId: string, lock = false): Promise<AccountRow | undefined> {
    const r = await db.query<AccountRow>(`select ${accountCols} from users where id = $1 ${lock ? 'for update' : ''}`, [
      userId,
    ]);
    return r.rows[0];
  },

  /**
   * Locks the accounts that share the user's role in the user's scope (their organisation; every super_admin for a
   * super_admin), in id order so two deletions lock alike and never deadlock, and returns them. A concurrent
   * deletion, demotion or disabling of one of them waits, so "the last one" is decided on settled rows.
   */
  async lockPeers(db: Db, user: { role: Role; tenant_id: string | null }) {
    const r = await db.query<{ id: string; is_active: boolean }>(
      `select id, is_active from users where role = $1 and tenant_id is not distinct from $2 order by id for update`,
      [user.role, user.tenant_id],
    );
    return r.rows;
  },

  async apiKeysCreatedBy(db: Db, userId: string): Promise<OwnApiKey[]> {
    const r = await db.query<OwnApiKey>(
      `select id, tenant_id, name, key_prefix, role, created_at, expires_at, revoked_at, last_used_at
         from api_keys where created_by = $1 order by created_at desc`,
      [userId],
    );
    return r.rows;
  },

  async deviceViews(db: Db, userId: string) {
    const r = await db.query<{ device_id: string; mode: string; updated_at: Date }>(
      'select device_id, mode, updated_at from device_view_preferences where user_id = $1 order by updated_at desc',
      [userId],
    );
    return r.rows;
  },

  async resetLinks(db: Db, userId: string) {
    const r = await db.query<{ created_at: Date; expires_at: Date; used_at: Date | null }>(
      'select created_at, expires_at, used_at from password_reset_tokens where user_id = $1 order by created_at desc',
      [userId],
    );
    return r.rows;
  },

  async insertReceipt(db: Db, r: Receipt) {
    await db.query(
      `insert into account_deletion_receipts (id, tenant_id, deleted_at, subject_hash, removed, receipt_hash)
       values ($1, $2, $3, $4, $5, $6)`,
      [r.id, r.tenantId, r.deletedAt, r.subjectHash, JSON.stringify(r.removed), r.receiptHash],
    );
  },
};
