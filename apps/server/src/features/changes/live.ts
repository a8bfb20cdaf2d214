import { z } from 'zod';
import type { LiveMessage } from '../../platform/bus/types.js';
import type { DomainEvent } from '../../platform/events/types.js';
import { operationStatuses } from './operations.repo.js';

// `change.operation`: an operation moved (every transition), so the device page's progress and countdown follow it.

export const operationMessage = z.object({
  deviceId: z.string(),
  operation_id: z.string(),
  status: z.enum(operationStatuses),
  kind: z.string(),
  mode: z.string(),
  deadline: z.string().nullable(),
  applied_count: z.number().int(),
  command_count: z.number().int(),
});

export function operationLive(e: DomainEvent): LiveMessage | null {
  if (e.tenantId === null || e.deviceId === null) return null;
  const data = operationMessage.safeParse({ ...(e.payload as object), deviceId: e.deviceId });
  return data.success ? { type: 'change.operation', tenantId: e.tenantId, ...data.data } : null;
}
