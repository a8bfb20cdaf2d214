import { z } from 'zod';
import type { LiveMessage } from '../../platform/bus/types.js';
import type { DomainEvent, NewEvent } from '../../platform/events/types.js';
import type { ReportRow } from './reports.repo.js';

// `report.updated`: a report was queued, started, finished, failed, emailed or deleted. The web list refreshes on it;
// the message carries no figures (those need a download).

export const reportMessage = z.object({
  report_id: z.string(),
  status: z.enum(['queued', 'running', 'done', 'failed', 'deleted']),
  kind: z.string(),
  schedule_id: z.string().nullable(),
});

/** The domain event of a report's change (recorded in the transaction that makes it). */
export const reportEvent = (r: ReportRow, status: z.infer<typeof reportMessage>['status'] = r.status): NewEvent => ({
  type: 'report.updated',
  tenantId: r.tenant_id,
  payload: { report_id: r.id, status, kind: r.kind, schedule_id: r.schedule_id },
});

export function reportLive(e: DomainEvent): LiveMessage | null {
  if (e.tenantId === null) return null;
  const data = reportMessage.safeParse(e.payload);
  return data.success ? { type: 'report.updated', tenantId: e.tenantId, ...data.data } : null;
}
