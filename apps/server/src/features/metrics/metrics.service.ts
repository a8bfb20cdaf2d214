import type pg from 'pg';
import type { z } from 'zod';
import { assertCan } from '../../platform/auth/permissions.js';
import type { Actor } from '../../platform/auth/principal.js';
import { withTenant } from '../../platform/db/tx.js';
import { notFound } from '../../platform/http/errors.js';
import { devicesSharedRepo } from '../devices/devices.shared.repo.js';
import { devicesStateRepo } from '../devices/devices.state.repo.js';
import { metricsRepo } from './metrics.repo.js';
import type { healthOut, interfacesOut, LatestInterface, Series } from './metrics.schema.js';
import type { Resolution } from './resolution.js';

type Window = { from: Date; to: Date; resolution: Resolution };

/** Rows to columns: `{ t: [...], cpu: [...] }` (t already in Unix seconds: parsing thousands of timestamps into Dates was most of the cost), what canvas chart libraries draw from without reshaping. */
function columns(rows: Record<string, unknown>[]): Series {
  const out: Series = {};
  if (!rows.length) return out;
  for (const key of Object.keys(rows[0]!)) out[key] = [];
  for (const row of rows)
    for (const [k, v] of Object.entries(row))
      out[k]!.push(v instanceof Date ? v.getTime() / 1000 : (v as number | null));
  return out;
}

export function createMetricsService(deps: { appPool: pg.Pool }) {
  async function inDevice<T>(actor: Actor, deviceId: string, fn: (db: pg.PoolClient) => Promise<T>) {
    assertCan(actor, 'metrics.read');
    return withTenant(deps.appPool, actor.tenantId, async (db) => {
      // RLS makes another tenant's device simply absent.
      if (!(await devicesSharedRepo.exists(db, deviceId))) throw notFound('device');
      return fn(db);
    });
  }

  return {
    health(actor: Actor, deviceId: string, w: Window): Promise<z.infer<typeof healthOut>> {
      return inDevice(actor, deviceId, async (db) => {
        const rows = await metricsRepo.health(db, deviceId, w);
        return {
          device_id: deviceId,
          from: w.from.toISOString(),
          to: w.to.toISOString(),
          resolution: w.resolution,
          series: columns(rows),
        };
      });
    },

    interfaces(actor: Actor, deviceId: string, w: Window, names?: string[]): Promise<z.infer<typeof interfacesOut>> {
      return inDevice(actor, deviceId, async (db) => {
        const rows = await metricsRepo.traffic(db, deviceId, w, names);
        const byName = new Map<string, Record<string, unknown>[]>();
        for (const { interface: name, ...rest } of rows) {
          if (!byName.has(name)) byName.set(name, []);
          byName.get(name)!.push(rest);
        }
        return {
          device_id: deviceId,
          from: w.from.toISOString(),
          to: w.to.toISOString(),
          resolution: w.resolution,
          interfaces: [...byName].map(([name, r]) => ({ name, series: columns(r) })),
        };
      });
    },

    /** The latest counters and rates of every interface (updated by each poll). */
    latestInterfaces(actor: Actor, deviceId: string): Promise<{ items: LatestInterface[] }> {
      return inDevice(actor, deviceId, async (db) => {
        const rows = await devicesStateRepo.interfaces(db, deviceId);
        return { items: rows.map((x) => ({ ...x, updated_at: x.updated_at.toISOString() })) };
      });
    },
  };
}
export type MetricsService = ReturnType<typeof createMetricsService>;
