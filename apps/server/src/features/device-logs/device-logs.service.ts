import type pg from 'pg';
import { assertCan } from '../../platform/auth/permissions.js';
import { type Actor, systemActor } from '../../platform/auth/principal.js';
import { withTenant } from '../../platform/db/tx.js';
import { AppError } from '../../platform/http/errors.js';
import type { DevicesService } from '../devices/devices.service.js';
import { deviceLogsRepo, type LogRow } from './device-logs.repo.js';
import type { LogItem, LogsPage, LogsQuery } from './device-logs.schema.js';

/** Keyset cursor: time and id of the last line of a page. */
export const encodeCursor = (r: { time: Date; id: string }) =>
  Buffer.from(`${r.time.toISOString()}|${r.id}`).toString('base64url');

export function decodeCursor(s: string): { time: string; id: string } {
  const [time, id, extra] = Buffer.from(s, 'base64url').toString('utf8').split('|');
  if (extra !== undefined || !time || !id || Number.isNaN(Date.parse(time)) || !/^\d{1,19}$/.test(id))
    throw new AppError('invalid_cursor', 'The cursor is not one this list gave.');
  return { time, id };
}

const itemOf = (r: LogRow): LogItem => ({
  id: String(r.id),
  device_id: r.device_id,
  device_name: r.device_name,
  time: r.time.toISOString(),
  received_at: r.received_at.toISOString(),
  source: r.source,
  topics: r.topics,
  severity: r.severity,
  message: r.message,
});

export function createDeviceLogsService(deps: { appPool: pg.Pool; devices: DevicesService }) {
  async function page(actor: Actor, q: LogsQuery): Promise<LogsPage> {
    const after = q.cursor ? decodeCursor(q.cursor) : null;
    const rows = await withTenant(deps.appPool, actor.tenantId, (db) =>
      deviceLogsRepo.list(db, {
        device_id: q.device_id,
        from: q.from,
        to: q.to,
        topic: q.topic,
        severities: q.severity,
        q: q.q,
        after,
        limit: q.limit,
      }),
    );
    const items = rows.map(itemOf);
    const last = rows.at(-1);
    return { items, next_cursor: rows.length === q.limit && last ? encodeCursor(last) : null };
  }

  return {
    /** The organisation's lines (or one device's with `device_id`), newest first. */
    list(actor: Actor, q: LogsQuery): Promise<LogsPage> {
      assertCan(actor, 'logs.read');
      return page(actor, q);
    },

    /** One device's lines, newest first; 404 unless the device is in the caller's organisation. */
    async listForDevice(actor: Actor, deviceId: string, q: Omit<LogsQuery, 'device_id'>): Promise<LogsPage> {
      assertCan(actor, 'logs.read');
      await deps.devices.get(systemActor('device-logs', actor.tenantId), deviceId);
      return page(actor, { ...q, device_id: deviceId });
    },
  };
}
export type DeviceLogsService = ReturnType<typeof createDeviceLogsService>;
