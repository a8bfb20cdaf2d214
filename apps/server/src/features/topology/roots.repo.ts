import type { Db } from '../../platform/db/tx.js';

// topology_roots: the devices an organisation names as its core.
export const rootsRepo = {
  async list(db: Db): Promise<string[]> {
    return (await db.query<{ device_id: string }>('select device_id from topology_roots order by device_id')).rows.map(
      (r) => r.device_id,
    );
  },

  async replace(db: Db, tenantId: string, deviceIds: string[]) {
    await db.query('delete from topology_roots');
    if (deviceIds.length > 0)
      await db.query('insert into topology_roots (tenant_id, device_id) select $1, unnest($2::uuid[])', [
        tenantId,
        deviceIds,
      ]);
  },
};
