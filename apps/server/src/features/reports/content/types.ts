import type pg from 'pg';
import type { Actor } from '../../../platform/auth/principal.js';
import type { FeatureContext } from '../../../platform/feature/feature.js';
import type { Envelope } from '../../../platform/kms/envelope.js';
import type { KeyActor } from '../../../platform/kms/key-use.js';
import type { ConfigBackupsService } from '../../config-backups/config-backups.service.js';
import type { FirmwareService } from '../../firmware/firmware.service.js';
import type { MetricsService } from '../../metrics/metrics.service.js';
import type { ScopeDevice } from './scope.queries.js';

export const reportKinds = ['fleet', 'device', 'compliance', 'sla'] as const;
export type ReportKind = (typeof reportKinds)[number];
export type ReportFormat = 'pdf' | 'csv';

export type ReportParams = {
  kind: ReportKind;
  from: Date;
  to: Date;
  format: ReportFormat;
  /** Required for 'device'. */
  deviceId?: string;
  /** Optional scope of fleet, compliance and sla reports. */
  siteId?: string;
  /** SLA target in percent; default 99.9. */
  targetPct?: number;
  /** Who the key-access log names for the compliance report's decryptions; default the worker `reports`. */
  keyActor?: KeyActor;
};

/**
 * What building a report needs. Build it once from the reports feature's context with `reportDepsFrom(ctx)` (the
 * feature must come after metrics, firmware and config-backups in src/features/index.ts). Every read of
 * tenant data runs as the `app` role inside withTenant (RLS); other features' data comes through their services.
 */
export type ReportDeps = {
  appPool: pg.Pool;
  /** Opens device credentials and config backups (KeyUse purpose 'compliance report'). */
  envelope: Envelope;
  /** The latest RouterOS version of each channel (compliance). */
  firmware: Pick<FirmwareService, 'inventory'>;
  /** Each device's latest backup text (compliance). */
  configBackups: Pick<ConfigBackupsService, 'latestOf'>;
  /** Health and traffic series from the rollups (device report). */
  metrics: Pick<MetricsService, 'health' | 'interfaces'>;
  /** The build time: "now" for the period's end and the PDF's CreationDate. Default: the clock. */
  now?: () => Date;
};

export function reportDepsFrom(ctx: FeatureContext): ReportDeps {
  const s = ctx.services;
  return {
    appPool: ctx.pools.app,
    envelope: ctx.envelope,
    firmware: s.firmware,
    configBackups: s.configBackups,
    metrics: s.metrics,
  };
}

export type BuiltReport = { data: Buffer; contentType: string; fileName: string; summary: Record<string, unknown> };

/** What every kind's builder gets: the checked parameters and the devices in scope. */
export type KindContext = {
  deps: ReportDeps;
  tenant: { id: string; name: string };
  params: ReportParams;
  /** The actor the report's service calls run as (TOD itself, in the tenant). */
  actor: Actor;
  now: Date;
  scope: { siteId: string | null; deviceId: string | null };
  siteName: string | null;
  devices: ScopeDevice[];
  inTenant: <T>(fn: (db: pg.PoolClient) => Promise<T>) => Promise<T>;
};
