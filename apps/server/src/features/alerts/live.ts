import { z } from 'zod';
import type { LiveMessage } from '../../platform/bus/types.js';
import type { DomainEvent } from '../../platform/events/types.js';

// `alert.changed`: an alert fired, was acknowledged or resolved; the alerts page and the sidebar badge refetch.

export const alertMessage = z.object({
  deviceId: z.string().nullable(),
  alert_id: z.string(),
  state: z.enum(['firing', 'acknowledged', 'resolved']),
  severity: z.enum(['info', 'warning', 'critical']),
  /** Set for a site or sector alert (which has no device). */
  site_id: z.string().nullable().optional(),
  sector_id: z.string().nullable().optional(),
});

export function alertLive(e: DomainEvent): LiveMessage | null {
  if (e.tenantId === null) return null;
  const data = alertMessage.safeParse({ ...(e.payload as object), deviceId: e.deviceId });
  return data.success ? { type: 'alert.changed', tenantId: e.tenantId, ...data.data } : null;
}
