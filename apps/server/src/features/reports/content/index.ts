import { systemActor } from '../../../platform/auth/principal.js';
import { withTenant } from '../../../platform/db/tx.js';
import { complianceReport } from './compliance.js';
import { renderCsv } from './csv.js';
import { deviceReport } from './device.js';
import { fleetReport } from './fleet.js';
import type { ReportDoc } from './model.js';
import { checkParams, resolveScope } from './params.js';
import { renderPdf } from './pdf/render.js';
import { slaReport } from './sla.js';
import type { BuiltReport, KindContext, ReportDeps, ReportKind, ReportParams } from './types.js';

// The content of TOD's reports: each kind gathers its data into one model (model.ts), rendered as a PDF (pdfkit,
// vector charts, no browser) or one CSV. Called by the reports feature's runner; the caller stores and sends the bytes.

export { reportContentErrors } from './errors.js';
export {
  type BuiltReport,
  type ReportDeps,
  type ReportFormat,
  type ReportKind,
  type ReportParams,
  reportDepsFrom,
  reportKinds,
} from './types.js';

const builders: Record<ReportKind, (k: KindContext) => Promise<ReportDoc>> = {
  fleet: fleetReport,
  device: deviceReport,
  compliance: complianceReport,
  sla: slaReport,
};

const day = (d: Date) => d.toISOString().slice(0, 10);
const slug = (s: string) =>
  s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .toLowerCase()
    .slice(0, 40) || 'organisation';

/**
 * Builds one report of `tenant`. Throws AppError for bad parameters: `report_period_invalid` (422),
 * `report_device_not_found` / `report_site_not_found` (404), `validation_failed` (422: a device report without a
 * device, a target outside (0, 100]).
 */
export async function buildReport(
  deps: ReportDeps,
  tenant: { id: string; name: string },
  p: ReportParams,
): Promise<BuiltReport> {
  checkParams(p);
  const now = deps.now?.() ?? new Date();
  const inTenant: KindContext['inTenant'] = (fn) => withTenant(deps.appPool, tenant.id, fn);
  const resolved = await inTenant((db) => resolveScope(db, p));
  const doc = await builders[p.kind]({
    deps,
    tenant,
    params: p,
    actor: systemActor('reports', tenant.id),
    now,
    ...resolved,
    inTenant,
  });
  const base = `${p.kind}-report-${slug(tenant.name)}-${day(p.from)}_${day(p.to)}`;
  const summary = {
    kind: p.kind,
    format: p.format,
    from: p.from.toISOString(),
    to: p.to.toISOString(),
    ...doc.summary,
  };
  if (p.format === 'csv')
    return {
      data: renderCsv(doc, { organisation: tenant.name, from: p.from, to: p.to }),
      contentType: 'text/csv; charset=utf-8',
      fileName: `${base}.csv`,
      summary,
    };
  const pdf = await renderPdf(doc, { organisation: tenant.name, from: p.from, to: p.to, builtAt: now });
  return {
    data: pdf.data,
    contentType: 'application/pdf',
    fileName: `${base}.pdf`,
    summary: { ...summary, pages: pdf.pages },
  };
}
