import { z } from 'zod';
import type { LiveMessage } from '../../platform/bus/types.js';
import type { DomainEvent } from '../../platform/events/types.js';

// `rollout.progress`: a rollout changed state, or one of its devices did (started, done, failed, reverted…).

export const progressMessage = z.object({
  rollout_id: z.string(),
  status: z.string(),
  device_id: z.string().nullable(),
  pause_reason: z.string().nullable().optional(),
  operation_id: z.string().nullable().optional(),
  error_code: z.string().nullable().optional(),
});

export function progressLive(e: DomainEvent): LiveMessage | null {
  if (e.tenantId === null) return null;
  const p = (e.payload ?? {}) as Record<string, unknown>;
  const data = progressMessage.safeParse({ device_id: null, ...p });
  return data.success ? { type: 'rollout.progress', tenantId: e.tenantId, ...data.data } : null;
}
