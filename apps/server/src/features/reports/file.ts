import type { Envelope } from '../../platform/kms/envelope.js';
import type { KeyUse } from '../../platform/kms/key-use.js';

// A report's file at rest: sealed with the organisation's data key, the context naming the report, so the bytes
// copied to another report (or organisation) do not open.

const context = (reportId: string) => `report:${reportId}:file`;

export const sealReport = (envelope: Envelope, tenantId: string, reportId: string, data: Buffer, use: KeyUse) =>
  envelope.encrypt(tenantId, data, context(reportId), use);

export const openReport = (envelope: Envelope, tenantId: string, reportId: string, sealed: Buffer, use: KeyUse) =>
  envelope.decrypt(tenantId, sealed, context(reportId), use);

/** `attachment; filename="…"` with an ASCII fallback and the exact name in RFC 5987 form. */
export function attachmentHeader(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}
