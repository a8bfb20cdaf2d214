import type { Db } from '../../platform/db/tx.js';
import type { KeyType } from './ca.js';

export type CaRow = {
  id: string;
  tenant_id: string;
  common_name: string;
  key_type: KeyType;
  serial: string;
  fingerprint: string;
  cert_pem: string;
  key_sealed: Buffer;
  not_before: Date;
  not_after: Date;
  crl_pem: string;
  crl_next_update: Date;
  status: 'active' | 'retired';
  created_by: string | null;
  created_at: Date;
};

export const certStates = ['pending', 'deploying', 'deployed', 'failed', 'superseded', 'revoked'] as const;
export type CertState = (typeof certStates)[number];

export type CertRow = {
  id: string;
  tenant_id: string;
  device_id: string;
  device_name: string | null;
  ca_id: string;
  serial: string;
  name: string;
  common_name: string;
  sans: string[];
  fingerprint: string;
  cert_pem: string;
  key_sealed: Buffer;
  not_before: Date;
  not_after: Date;
  state: CertState;
  operation_id: string | null;
  rollout_id: string | null;
  replaces_id: string | null;
  error_code: string | null;
  error_detail: string | null;
  deployed_at: Date | null;
  verified_at: Date | null;
  revoked_at: Date | null;
  revoke_reason: string | null;
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
};

export type NewCa = Omit<CaRow, 'status' | 'created_at'>;
export type NewCert = Pick<
  CertRow,
  | 'id'
  | 'tenant_id'
  | 'device_id'
  | 'ca_id'
  | 'serial'
  | 'name'
  | 'common_name'
  | 'sans'
  | 'fingerprint'
  | 'cert_pem'
  | 'key_sealed'
  | 'not_before'
  | 'not_after'
  | 'replaces_id'
  | 'rollout_id'
  | 'created_by'
>;

// The device's name is read for display (the read-only exception).
const certSelect = `select c.*, d.name as device_name from device_certificates c left join devices d on d.id = c.device_id`;

export const certificatesRepo = {
  async activeCa(db: Db): Promise<CaRow | undefined> {
    return (await db.query<CaRow>(`select * from certificate_authorities where status = 'active'`)).rows[0];
  },

  async caById(db: Db, id: string): Promise<CaRow | undefined> {
    return (await db.query<CaRow>('select * from certificate_authorities where id = $1', [id])).rows[0];
  },

  /** Every CA a router of the organisation may still present a certificate of (active and retired). */
  async trustedCas(db: Db): Promise<Pick<CaRow, 'id' | 'cert_pem' | 'crl_pem'>[]> {
    return (await db.query('select id, cert_pem, crl_pem from certificate_authorities order by created_at')).rows;
  },

  async insertCa(db: Db, ca: NewCa): Promise<CaRow> {
    const r = await db.query<CaRow>(
      `insert into certificate_authorities (id, tenant_id, common_name, key_type, serial, fingerprint, cert_pem,
              key_sealed, not_before, not_after, crl_pem, crl_next_update, created_by)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) returning *`,
      [
        ca.id,
        ca.tenant_id,
        ca.common_name,
        ca.key_type,
        ca.serial,
        ca.fingerprint,
        ca.cert_pem,
        ca.key_sealed,
        ca.not_before,
        ca.not_after,
        ca.crl_pem,
        ca.crl_next_update,
        ca.created_by,
      ],
    );
    return r.rows[0]!;
  },

  async setCrl(db: Db, caId: string, crlPem: string, nextUpdate: Date): Promise<void> {
    await db.query('update certificate_authorities set crl_pem = $2, crl_next_update = $3 where id = $1', [
      caId,
      crlPem,
      nextUpdate,
    ]);
  },

  /** CAs whose revocation list lapses within `days` (read across organisations by the daily job). */
  async lapsingCrls(db: Db, days: number): Promise<CaRow[]> {
    const r = await db.query<CaRow>(
      'select * from certificate_authorities where crl_next_update < now() + make_interval(days => $1)',
      [days],
    );
    return r.rows;
  },

  /** Revoked serials of a CA, for its revocation list. */
  async revokedOf(db: Db, caId: string): Promise<{ serial: string; at: Date }[]> {
    const r = await db.query<{ serial: string; at: Date }>(
      `select serial, revoked_at as at from device_certificates where ca_id = $1 and state = 'revoked' order by revoked_at`,
      [caId],
    );
    return r.rows;
  },

  async insertCert(db: Db, c: NewCert): Promise<CertRow> {
    const r = await db.query<{ id: string }>(
      `insert into device_certificates (id, tenant_id, device_id, ca_id, serial, name, common_name, sans, fingerprint,
              cert_pem, key_sealed, not_before, not_after, replaces_id, rollout_id, created_by)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) returning id`,
      [
        c.id,
        c.tenant_id,
        c.device_id,
        c.ca_id,
        c.serial,
        c.name,
        c.common_name,
        c.sans,
        c.fingerprint,
        c.cert_pem,
        c.key_sealed,
        c.not_before,
        c.not_after,
        c.replaces_id,
        c.rollout_id,
        c.created_by,
      ],
    );
    return (await certificatesRepo.byId(db, r.rows[0]!.id))!;
  },

  async byId(db: Db, id: string): Promise<CertRow | undefined> {
    return (await db.query<CertRow>(`${certSelect} where c.id = $1`, [id])).rows[0];
  },

  async byOperation(db: Db, operationId: string): Promise<CertRow | undefined> {
    return (await db.query<CertRow>(`${certSelect} where c.operation_id = $1`, [operationId])).rows[0];
  },

  /** The certificate in use on a device, if any. */
  async deployedOn(db: Db, deviceId: string): Promise<CertRow | undefined> {
    return (await db.query<CertRow>(`${certSelect} where c.device_id = $1 and c.state = 'deployed'`, [deviceId]))
      .rows[0];
  },

  async inflightOn(db: Db, deviceId: string): Promise<CertRow | undefined> {
    const r = await db.query<CertRow>(`${certSelect} where c.device_id = $1 and c.state in ('pending', 'deploying')`, [
      deviceId,
    ]);
    return r.rows[0];
  },

  async list(
    db: Db,
    q: { state?: string; device_id?: string; expiringDays: number; limit: number; offset: number },
  ): Promise<{ rows: CertRow[]; total: number }> {
    // expiring/expired are views of deployed certificates by date; the stored states are the rest.
    const r = await db.query<CertRow & { total: string }>(
      `${certSelect.replace('select c.*', 'select count(*) over () as total, c.*')}
        where ($1::text is null
               or ($1 = 'expired' and c.state = 'deployed' and c.not_after <= now())
               or ($1 = 'expiring' and c.state = 'deployed' and c.not_after > now()
                   and c.not_after <= now() + make_interval(days => $3))
               or ($1 = 'deployed' and c.state = 'deployed' and c.not_after > now() + make_interval(days => $3))
               or ($1 not in ('expired', 'expiring', 'deployed') and c.state = $1))
          and ($2::uuid is null or c.device_id = $2)
        order by c.created_at desc, c.id limit $4 offset $5`,
      [q.state ?? null, q.device_id ?? null, q.expiringDays, q.limit, q.offset],
    );
    return { rows: r.rows, total: Number(r.rows[0]?.total ?? 0) };
  },

  async update(
    db: Db,
    id: string,
    p: Partial<
      Pick<
        CertRow,
        | 'state'
        | 'operation_id'
        | 'error_code'
        | 'error_detail'
        | 'deployed_at'
        | 'verified_at'
        | 'revoked_at'
        | 'revoke_reason'
      >
    >,
  ): Promise<void> {
    const keys = Object.keys(p) as (keyof typeof p)[];
    if (keys.length === 0) return;
    await db.query(
      `update device_certificates set ${keys.map((k, i) => `${k} = $${i + 2}`).join(', ')} where id = $1`,
      [id, ...keys.map((k) => p[k])],
    );
  },

  /**
   * Claims deployed certificates that end within `days` and have no successor on its way: what the rotation job
   * renews. A claim holds for a day, so two runs never renew one twice and a failed renewal is tried again tomorrow.
   */
  async claimForRotation(db: Db, days: number, limit: number): Promise<CertRow[]> {
    const r = await db.query<{ id: string }>(
      `update device_certificates set rotation_started_at = now()
        where id in (
          select c.id from device_certificates c
           where c.state = 'deployed' and c.not_after <= now() + make_interval(days => $1)
             and (c.rotation_started_at is null or c.rotation_started_at < now() - interval '1 day')
             and not exists (select 1 from device_certificates n where n.device_id = c.device_id
                              and n.state in ('pending', 'deploying'))
           order by c.not_after limit $2 for update skip locked)
        returning id`,
      [days, limit],
    );
    if (r.rows.length === 0) return [];
    return (await db.query<CertRow>(`${certSelect} where c.id = any($1)`, [r.rows.map((x) => x.id)])).rows;
  },
};
