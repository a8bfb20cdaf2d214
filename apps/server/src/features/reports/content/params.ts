import type { Db } from '../../../platform/db/tx.js';
import { AppError } from '../../../platform/http/errors.js';
import type { ReportParams } from './index.js';
import { scopeQueries } from './scope.queries.js';

const DAY = 86_400_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const MAX_PERIOD_DAYS = 366;

/** The checks that need no database: the period, the kind's own parameters. */
export function checkParams(p: ReportParams): void {
  if (!(p.from instanceof Date) || !(p.to instanceof Date) || Number.isNaN(+p.from) || Number.isNaN(+p.to))
    throw new AppError('report_period_invalid', 'from and to must be dates');
  if (!(p.from < p.to)) throw new AppError('report_period_invalid', 'from must be before to');
  if (p.to.getTime() - p.from.getTime() > MAX_PERIOD_DAYS * DAY)
    throw new AppError('report_period_invalid', `a report covers at most ${MAX_PERIOD_DAYS} days`);
  if (p.kind === 'device' && !p.deviceId) throw new AppError('validation_failed', 'a device report needs device_id');
  if (p.targetPct !== undefined && !(p.targetPct > 0 && p.targetPct <= 100))
    throw new AppError('validation_failed', 'target_pct must be above 0 and at most 100');
}

/** The scope's names, checked against the tenant (RLS hides another organisation's site or device: 404). */
export async function resolveScope(db: Db, p: ReportParams) {
  // A malformed id names nothing (and must not reach a uuid cast as a 500).
  if (p.siteId && p.kind !== 'device' && !UUID.test(p.siteId))
    throw new AppError('report_site_not_found', 'site not found');
  if (p.kind === 'device' && !UUID.test(p.deviceId ?? ''))
    throw new AppError('report_device_not_found', 'device not found');
  const siteName = p.siteId && p.kind !== 'device' ? await scopeQueries.siteName(db, p.siteId) : undefined;
  if (p.siteId && p.kind !== 'device' && siteName === undefined)
    throw new AppError('report_site_not_found', 'site not found');
  const scope = { siteId: p.kind === 'device' ? null : (p.siteId ?? null), deviceId: p.deviceId ?? null };
  if (p.kind !== 'device') scope.deviceId = null;
  const devices = await scopeQueries.devices(db, scope);
  if (p.kind === 'device' && devices.length === 0) throw new AppError('report_device_not_found', 'device not found');
  return { scope, siteName: siteName ?? null, devices };
}
