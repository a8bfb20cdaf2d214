import { z } from 'zod';
import type { LiveMessage } from '../../platform/bus/types.js';
import { deviceStatuses } from '../devices/devices.schema.js';
import { healthSample, type PollResult } from '../poller/types.js';

/** `device.state`, after every poll: the device's status and latest health figures (never stored). */
export const deviceStateMessage = z.object({
  deviceId: z.string(),
  at: z.string(),
  status: z.enum(deviceStatuses),
  statusReason: z.string().nullable(),
  health: healthSample.nullable(),
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
