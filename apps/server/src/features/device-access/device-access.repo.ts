import type { Db } from '../../platform/db/tx.js';

// device_leases (migration 041): change locks and extra-session slots. Runs in a tenant transaction: RLS keeps
// a tenant to its own devices' leases, and the `exists` guard refuses a device id of another tenant.

export type LeaseRow = { name: string; holder: string; purpose: string; acquired_at: Date; expires_at: Date };

export type LeaseRequest = {
  tenantId: string;
  deviceId: string;
  name: string;
  holder: string;
  purpose: string;
  ttlMs: number;
};

export const leasesRepo = {
  /** Takes the lease when free, expired, or already this holder's (then renews it); undefined when held by another. */
  async take(db: Db, r: LeaseRequest): Promise<LeaseRow | undefined> {
    const res = await db.query<LeaseRow>(
      `insert into device_leases as l (tenant_id, device_id, name, holder, purpose, expires_at)
       select $1, $2, $3, $4, $5, now() + make_interval(secs => $6::float8 / 1000)
        where exists (select 1 from devices d where d.id = $2)
       on conflict (device_id, name) do update
         set holder = excluded.holder, purpose = excluded.purpose, expires_at = excluded.expires_at,
             acquired_at = case when l.holder = excluded.holder then l.acquired_at else now() end
       where l.expires_at <= now() or l.holder = excluded.holder
       returning name, holder, purpose, acquired_at, expires_at`,
      [r.tenantId, r.deviceId, r.name, r.holder, r.purpose, r.ttlMs],
    );
    return res.rows[0];
  },

  /** Extends a lease this holder still has; false when it expired and someone else took it, or it was released. */
  async renew(db: Db, deviceId: string, name: string, holder: string, ttlMs: number): Promise<boolean> {
    const res = await db.query(
      `update device_leases set expires_at = now() + make_interval(secs => $4::float8 / 1000)
        where device_id = $1 and name = $2 and holder = $3`,
      [deviceId, name, holder, ttlMs],
    );
    return (res.rowCount ?? 0) > 0;
  },

  async release(db: Db, deviceId: string, name: string, holder: string): Promise<boolean> {
    const res = await db.query('delete from device_leases where device_id = $1 and name = $2 and holder = $3', [
      deviceId,
      name,
      holder,
    ]);
    return (res.rowCount ?? 0) > 0;
  },

  /** The live lease of that name, if any. */
  async current(db: Db, deviceId: string, name: string): Promise<LeaseRow | undefined> {
    const res = await db.query<LeaseRow>(
      `select name, holder, purpose, acquired_at, expires_at from device_leases
        where device_id = $1 and name = $2 and expires_at > now()`,
      [deviceId, name],
    );
    return res.rows[0];
  },
};
