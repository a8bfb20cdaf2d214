import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import type { z } from 'zod';
import { assertCan, policiesFor } from '../../platform/auth/permissions.js';
import type { Actor } from '../../platform/auth/principal.js';
import { readInTenant, withTenant } from '../../platform/db/tx.js';
import { type Cursor, encodeCursor } from '../../platform/http/cursor.js';
import { AppError, notFound } from '../../platform/http/errors.js';
import { rawJson } from '../../platform/http/raw-json.js';
import { jsonDates } from '../../platform/http/schemas.js';
import type { Envelope } from '../../platform/kms/envelope.js';
import { useBy } from '../../platform/kms/key-use.js';
import { recordAudit } from '../audit/audit.service.js';
import type { DeviceAccess } from '../device-access/device-access.service.js';
import { checkReferences, insertDevice, mapWriteError } from './device-insert.js';
import { createProbeActions } from './device-probes.js';
import { deviceWrite } from './device-write.js';
import { createDeviceJsonCache } from './devices.json-cache.js';
import { type DeviceFilter, type DeviceRow, deviceFields, devicesRepo } from './devices.repo.js';
import type {
  BulkAddBody,
  BulkBody,
  DeviceCreate,
  DeviceInput,
  deviceListOut,
  deviceOut,
  ProbeResult,
  RowOutcome,
} from './devices.schema.js';
import { importDevicesCsv } from './import.js';

type DeviceJson = z.infer<typeof deviceOut>;
type DeviceListJson = z.infer<ReturnType<typeof deviceListOut<typeof deviceOut>>>;

export type DevicesDeps = {
  appPool: pg.Pool;
  /** For the list: a read pool (pools.ts), or the app pool. */
  readPool: pg.Pool;
  envelope: Envelope;
  /** How the feature reaches routers (probe, re-probe, scan). */
  access: DeviceAccess;
  scanTimeoutMs: number;
};

export function createDevicesService(deps: DevicesDeps) {
  const inTenant = <T>(actor: Actor, fn: (db: pg.PoolClient) => Promise<T>) =>
    withTenant(deps.appPool, actor.tenantId, fn);
  // Rows come from the full column list (deviceFields), so they have every field of the device JSON.
  const present = (actor: Actor, d: DeviceRow) =>
    ({
      ...jsonDates(d),
      policies: policiesFor(actor.principal, ['devices.write', 'devices.delete']),
    }) as unknown as DeviceJson;

  const toWrite = (actor: Actor, id: string, b: DeviceInput) =>
    deviceWrite(deps.envelope, actor.tenantId!, id, b, useBy(actor, 'seal'));
  // Device JSON by row version, for the list's pages (devices.json-cache.ts).
  const jsonCache = createDeviceJsonCache();
  const probes = createProbeActions({ appPool: deps.appPool, access: deps.access, scanTimeoutMs: deps.scanTimeoutMs });

  async function create(
    actor: Actor,
    b: DeviceInput & Pick<DeviceCreate, 'name' | 'host' | 'port' | 'tls_port'>,
    opts: { probe: boolean; isDemo?: boolean },
  ) {
    assertCan(actor, 'devices.write');
    const id = randomUUID();
    const probe: ProbeResult | null = opts.probe ? await probes.probeEndpoint(actor, b) : null;
    const write = { ...(await toWrite(actor, id, b)), is_demo: opts.isDemo };
    const row = await inTenant(actor, async (db) => {
      await insertDevice(db, actor, id, b, write, {
        name: b.name,
        host: b.host,
        port: b.port,
        probe: probe?.code ?? 'skipped',
      });
      // Trust on first use starts with the probe: the certificate it saw is the one the poller will expect.
      if (probe?.ok) await devicesRepo.setProbeResult(db, id, probe);
      return (await devicesRepo.get(db, id))!;
    });
    return { ...present(actor, row), probe: probe && { ...probe, fingerprint: undefined } };
  }

  return {
    async list(actor: Actor, f: Omit<DeviceFilter, 'cursor'> & { cursor?: Cursor }) {
      assertCan(actor, 'devices.read');
      // Own properties only: `constructor` or `__proto__` are in every object, and must not reach the SQL.
      const unknown = f.fields?.filter((x) => !Object.hasOwn(deviceFields, x));
      if (unknown?.length)
        throw new AppError('validation_failed', `fields: unknown field(s) ${unknown.join(', ')}`, [
          { path: 'querystring.fields', message: 'unknown field' },
        ]);
      if (f.cursor && f.cursor.s !== f.sort)
        throw new AppError('validation_failed', 'cursor: it was made for another sort; start again without it', [
          { path: 'querystring.cursor', message: 'made for another sort' },
        ]);
      const cursor = f.cursor ? { k: f.cursor.k, id: f.cursor.id } : undefined;
      const policies = policiesFor(actor.principal, ['devices.write', 'devices.delete']);
      const filter = { ...f, cursor };
      // Items kept by row version, the changed ones built afresh (devices.repo listJson).
      const r = await readInTenant(deps.readPool, actor.tenantId, (db) =>
        devicesRepo.listJson(db, filter, { policies }, jsonCache),
      );
      const next = r.next ? JSON.stringify(encodeCursor({ s: f.sort, ...r.next })) : 'null';
      return rawJson<DeviceListJson>(
        `{"items":${r.items},"total":${r.total},"total_exact":${r.total_exact},"limit":${f.limit},"offset":${f.cursor ? 0 : f.offset},"next_cursor":${next}}`,
      );
    },

    async get(actor: Actor, id: string) {
      assertCan(actor, 'devices.read');
      const d = await inTenant(actor, (db) => devicesRepo.get(db, id));
      if (!d) throw notFound('device');
      return present(actor, d);
    },

    probe: probes.probe,
    reprobe: probes.reprobe,
    scan: probes.scan,
    create,

    importCsv: (actor: Actor, csv: string) => importDevicesCsv(deps, actor, csv),

    /** Adds many devices that share credentials and placement (e.g. hits of a scan); each row on its own. */
    async bulkAdd(actor: Actor, b: BulkAddBody) {
      assertCan(actor, 'devices.write');
      const { devices, ...shared } = b;
      const rows: RowOutcome[] = [];
      for (const [i, dev] of devices.entries()) {
        try {
          const created = await create(
            actor,
            { ...shared, ...dev, name: dev.name ?? dev.host, notes: '', disabled: false },
            { probe: false },
          );
          rows.push({ row: i, ok: true, id: created.id, name: created.name });
        } catch (e) {
          rows.push({ row: i, ok: false, name: dev.name ?? dev.host, error: (e as Error).message });
        }
      }
      const added = rows.filter((x) => x.ok).length;
      return { added, failed: rows.length - added, rows };
    },

    async update(actor: Actor, id: string, b: DeviceInput) {
      assertCan(actor, 'devices.write');
      const write = await toWrite(actor, id, b);
      const row = await inTenant(actor, async (db) => {
        await checkReferences(db, b);
        if (!(await devicesRepo.update(db, id, write).catch(mapWriteError))) throw notFound('device');
        if (b.group_ids)
          await devicesRepo.setLinks(db, actor.tenantId!, 'device_group_members', [id], b.group_ids, 'replace');
        if (b.tag_ids) await devicesRepo.setLinks(db, actor.tenantId!, 'device_tag_links', [id], b.tag_ids, 'replace');
        const { password: _p, ...shown } = b;
        await recordAudit(db, actor, {
          action: 'device.update',
          targetType: 'device',
          targetId: id,
          details: { ...shown, ...(b.password !== undefined ? { password_changed: true } : {}) },
        });
        return (await devicesRepo.get(db, id))!;
      });
      return present(actor, row);
    },

    /** Forgets the pinned SSH host key (a replaced router, a regenerated key): the next SSH session pins anew. */
    async resetSshHostKey(actor: Actor, id: string) {
      assertCan(actor, 'devices.trust');
      return inTenant(actor, async (db) => {
        const r = await devicesRepo.clearSshHostKey(db, id);
        if (!r) throw notFound('device');
        await recordAudit(db, actor, {
          action: 'device.ssh_host_key_reset',
          targetType: 'device',
          targetId: id,
          details: { previous: r.previous },
        });
        return { previous: r.previous };
      });
    },

    async remove(actor: Actor, id: string) {
      assertCan(actor, 'devices.delete');
      await inTenant(actor, async (db) => {
        const [d] = await devicesRepo.delete(db, [id]);
        if (!d) throw notFound('device');
        await recordAudit(db, actor, {
          action: 'device.delete',
          targetType: 'device',
          targetId: id,
          details: { name: d.name, host: d.host },
        });
      });
    },

    /** One action over many devices, all or nothing. */
    async bulk(actor: Actor, b: BulkBody) {
      assertCan(actor, b.action === 'delete' ? 'devices.delete' : 'devices.write');
      return inTenant(actor, async (db) => {
        const ids = await devicesRepo.existing(db, b.device_ids);
        const missing = b.device_ids.filter((x) => !ids.includes(x));
        if (missing.length)
          throw new AppError(
            'not_found',
            `unknown device id(s): ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ', …' : ''}`,
          );
        const tenant = actor.tenantId!;
        switch (b.action) {
          case 'add_tags':
          case 'remove_tags':
            await checkReferences(db, { tag_ids: b.tag_ids });
            await devicesRepo.setLinks(
              db,
              tenant,
              'device_tag_links',
              ids,
              b.tag_ids,
              b.action === 'add_tags' ? 'add' : 'remove',
            );
            break;
          case 'add_groups':
          case 'remove_groups':
            await checkReferences(db, { group_ids: b.group_ids });
            await devicesRepo.setLinks(
              db,
              tenant,
              'device_group_members',
              ids,
              b.group_ids,
              b.action === 'add_groups' ? 'add' : 'remove',
            );
            break;
          case 'set_site':
            await checkReferences(db, { site_id: b.site_id });
            await devicesRepo.setSite(db, ids, b.site_id);
            break;
          case 'enable':
          case 'disable':
            await devicesRepo.setDisabled(db, ids, b.action === 'disable');
            break;
          case 'delete':
            await devicesRepo.delete(db, ids);
            break;
        }
        const { device_ids: _d, ...rest } = b;
        await recordAudit(db, actor, {
          action: `device.bulk_${b.action}`,
          targetType: 'device',
          details: { ...rest, count: ids.length, device_ids: ids.slice(0, 100) },
        });
        return { action: b.action, affected: ids.length };
      });
    },
  };
}
export type DevicesService = ReturnType<typeof createDevicesService>;
