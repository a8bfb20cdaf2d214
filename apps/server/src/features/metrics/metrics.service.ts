import type pg from 'pg';
import type { z } from 'zod';
import { assertCan } from '../../platform/auth/permissions.js';
import type { Actor } from '../../platform/auth/principal.js';
import { type Db, readInTenant } from '../../platform/db/tx.js';
import { notFound } from '../../platform/http/errors.js';
import { rawJson } from '../../platform/http/raw-json.js';
import { devicesSharedRepo } from '../devices/devices.shared.repo.js';
import { devicesStateRepo } from '../devices/devices.state.repo.js';
import { metricsRepo } from './metrics.repo.js';
import type { healthOut, interfacesOut, LatestInterface } from './metrics.schema.js';
import type { Resolution } from './resolution.js';

type Window = { from: Date; to: Date; resolution: Resolution };
type HealthOut = z.infer<typeof healthOut>;
type InterfacesOut = z.infer<typeof interfacesOut>;

/** The window's part of a series response, as JSON text to put in front of the columns. */
const head = (deviceId: string, w: Window) =>
  `"device_id":${JSON.stringify(deviceId)},"from":"${w.from.toISOString()}","to":"${w.to.toISOString()}","resolution":${JSON.stringify(w.resolution)}`;

/** `readPool`: a read pool (pools.ts) or the app pool. */
export function createMetricsService(deps: { readPool: pg.Pool }) {
  async function inDevice<T>(actor: Actor, deviceId: string, fn: (db: Db) => Promise<T>) {
    assertCan(actor, 'metrics.read');
    return readInTenant(deps.readPool, actor.tenantId, async (db) => {
      // RLS makes another tenant's device simply absent.
      if (!(await devicesSharedRepo.exists(db, deviceId))) throw notFound('device');
      return fn(db);
    });
  }

  const healthText = (actor: Actor, deviceId: string, w: Window) =>
    inDevice(actor, deviceId, async (db) => {
      const series = await metricsRepo.healthColumns(db, deviceId, w);
      return `{${head(deviceId, w)},"series":${series}}`;
    });
  const interfacesText = (actor: Actor, deviceId: string, w: Window, names?: string[]) =>
    inDevice(actor, deviceId, async (db) => {
      const rows = await metricsRepo.trafficColumns(db, deviceId, w, names);
      const list = rows.map((r) => `{"name":${JSON.stringify(r.name)},"series":${r.series}}`).join(',');
      return `{${head(deviceId, w)},"interfaces":[${list}]}`;
    });

  return {
    /** Health figures as columns (`{"t": [...], "cpu": [...]}`), as the API sends them: JSON text PostgreSQL built. */
    healthJson: async (actor: Actor, deviceId: string, w: Window) =>
      rawJson<HealthOut>(await healthText(actor, deviceId, w)),
    /** The same, as an object (reports). */
    health: async (actor: Actor, deviceId: string, w: Window): Promise<HealthOut> =>
      JSON.parse(await healthText(actor, deviceId, w)),

    /** Traffic per interface as columns, as the API sends them. */
    interfacesJson: async (actor: Actor, deviceId: string, w: Window, names?: string[]) =>
      rawJson<InterfacesOut>(await interfacesText(actor, deviceId, w, names)),
    /** The same, as an object (reports). */
    interfaces: async (actor: Actor, deviceId: string, w: Window, names?: string[]): Promise<InterfacesOut> =>
      JSON.parse(await interfacesText(actor, deviceId, w, names)),

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
