import type { z } from 'zod';
import type { Db } from '../../platform/db/tx.js';
import type { previewResult, RuleCreate } from './alerts.schema.js';
import type { SiteMetric, SiteScopeKind } from './site-metrics.js';
import { siteScopesRepo } from './site-scopes.repo.js';
import { readSiteValues, siteScopeKey } from './site-values.repo.js';
import { breaches } from './state.js';

/** The preview of a draft site rule (scope checked by the caller): its scope's devices and its value now. */
export async function previewSiteRule(
  db: Db,
  body: RuleCreate,
  windowSeconds: number,
): Promise<z.infer<typeof previewResult>> {
  const scope = { kind: body.scope.kind as SiteScopeKind, id: body.scope.id! };
  const metric = body.metric as SiteMetric;
  const values = await readSiteValues(db, [scope], new Set([metric]), new Date(), windowSeconds);
  const value = values.get(siteScopeKey(scope))?.[metric] ?? null;
  return {
    devices_covered: await siteScopesRepo.deviceCount(db, scope),
    would_fire: value !== null && breaches(body.operator, value, body.threshold) ? 1 : 0,
    sample: [],
    superseded_by: [],
    scope_value: value,
  };
}
