import { z } from 'zod';
import type { LiveMessage } from '../../platform/bus/types.js';
import type { DomainEvent } from '../../platform/events/types.js';

// The live messages of config backups: a job moving (queued → running → succeeded or failed) and a new version,
// sent under their own names (`config.job`, `config.version`) so the stream's permission filter knows them.

export const jobMessage = z.object({
  deviceId: z.string(),
  job_id: z.string(),
  status: z.enum(['queued', 'running', 'succeeded', 'failed']),
  trigger: z.string(),
  attempts: z.number().int(),
  version_id: z.string().nullable(),
  unchanged: z.boolean().nullable(),
  error_code: z.string().nullable(),
});

export const versionMessage = z.object({
  deviceId: z.string(),
  version_id: z.string(),
  sha256: z.string(),
  trigger: z.string(),
  changes: z.number().int().nullable(),
  checkpoint_name: z.string().nullable(),
  changed_by: z.string().nullable(),
});

/** The domain event's payload under another message type, with the device it is about. */
const relabel =
  <S extends z.ZodType>(type: string, schema: S) =>
  (e: DomainEvent): LiveMessage | null => {
    if (e.tenantId === null || e.deviceId === null) return null;
    const data = schema.safeParse({ ...(e.payload as object), deviceId: e.deviceId });
    return data.success ? { type, tenantId: e.tenantId, ...(data.data as object) } : null;
  };

export const jobLive = relabel('config.job', jobMessage);
export const versionLive = relabel('config.version', versionMessage);
