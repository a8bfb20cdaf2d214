import { z } from 'zod';
import type { LiveMessage } from '../../platform/bus/types.js';
import type { PollResult } from '../poller/types.js';

const nullableNumber = z.number().nullable();

/** `device.state`, after every poll: the device's status and latest health figures (never stored). */
export const deviceStateMessage = z.object({
  deviceId: z.string(),
  at: z.string(),
  status: z.enum(['online', 'offline', 'degraded', 'unknown']),
  statusReason: z.string().nullable(),
  health: z
    .object({
      cpuLoad: nullableNumber,
      memoryFree: nullableNumber,
      memoryTotal: nullableNumber,
      diskFree: nullableNumber,
      diskTotal: nullableNumber,
      temperature: nullableNumber,
      voltage: nullableNumber,
      uptimeSeconds: nullableNumber,
    })
    .nullable(),
});

export function stateMessage(r: PollResult): LiveMessage {
  const data: z.infer<typeof deviceStateMessage> = {
    deviceId: r.deviceId,
    at: r.at,
    status: r.status,
    statusReason: r.statusReason,
    health: r.health,
  };
  return { type: 'device.state', tenantId: r.tenantId, ...data };
}
