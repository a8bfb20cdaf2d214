import { z } from 'zod';
import type { LiveMessage } from '../../platform/bus/types.js';
import type { DomainEvent, JsonValue, NewEvent } from '../../platform/events/types.js';
import type { EventRow } from './events.repo.js';

// Every stored device event (status change, reboot, version change, config change, TLS pinning) is also a domain
// event of the same type, recorded in the same transaction, so other features react to it ("a config change was
// seen → take a backup") and the live stream shows it once it has committed.

type DeviceEventPayload = {
  eventId: string;
  severity: string;
  message: string;
  details: Record<string, unknown>;
};

export function domainEventsOf(rows: readonly EventRow[]): NewEvent[] {
  return rows.map((r) => ({
    type: r.type,
    tenantId: r.tenant_id,
    deviceId: r.device_id,
    occurredAt: r.created_at,
    payload: {
      eventId: String(r.id),
      severity: r.severity,
      message: r.message,
      details: r.details as Record<string, JsonValue>,
    } satisfies DeviceEventPayload & Record<string, JsonValue>,
  }));
}

/** `device.event`: a device event once committed (the web app's event feed). */
export const deviceEventMessage = z.object({
  deviceId: z.string(),
  event: z.object({
    id: z.string(),
    type: z.string(),
    severity: z.string(),
    message: z.string(),
    details: z.record(z.string(), z.unknown()),
    createdAt: z.string(),
  }),
});

/** The `device.event` message of a device domain event (its shape is unchanged since the first fleet issue). */
export function deviceEventLive(e: DomainEvent): LiveMessage | null {
  const p = e.payload as DeviceEventPayload | null;
  if (e.tenantId === null || e.deviceId === null || !p || typeof p !== 'object' || typeof p.eventId !== 'string')
    return null;
  const data: z.infer<typeof deviceEventMessage> = {
    deviceId: e.deviceId,
    event: {
      id: p.eventId,
      type: e.type,
      severity: p.severity,
      message: p.message,
      details: p.details,
      createdAt: e.occurredAt.toISOString(),
    },
  };
  return { type: 'device.event', tenantId: e.tenantId, ...data };
}
