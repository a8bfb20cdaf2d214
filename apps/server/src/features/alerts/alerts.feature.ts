import { retryOnDeadlock, withSystem } from '../../platform/db/tx.js';
import { defineFeature } from '../../platform/feature/feature.js';
import { createSmtpMailer, smtpSettingsFrom } from '../../platform/mail/mailer.js';
import { createTargetPolicy, ownEndpointsOf } from '../device-access/target-policy.js';
import type { ResultConsumer } from '../ingest/ingest.batch.js';
import { devicesInMaintenance } from '../maintenance-windows/maintenance-windows.repo.js';
import { alertsRoutes } from './alerts.routes.js';
import { createAlertsService } from './alerts.service.js';
import { channelsRoutes } from './channels.routes.js';
import { createChannelsService } from './channels.service.js';
import { createDeliveryRunner, type DeliveryRunner } from './delivery.js';
import { type EvaluateDeps, evaluateBatch } from './evaluate.js';
import { alertLive, alertMessage } from './live.js';
import { releaseEndedWindows } from './release.js';
import { siteAlertsRoutes } from './site-alerts.routes.js';
import { evaluateSites, type SiteEvaluateDeps } from './site-evaluate.js';
import { createSiteAlertsService, type SiteAlertsService } from './site-rules.service.js';

const permissions = {
  'alerts.read': 'viewer',
  /** Acknowledge, resolve, silence a device. */
  'alerts.respond': 'operator',
  /** Create, change and delete alert rules. */
  'alerts.configure': 'operator',
  'notifications.read': 'viewer',
  /** Channels hold credentials and reach outside TOD. */
  'notifications.write': 'admin',
  'notifications.test': 'operator',
} as const;

const errors = {
  channel_not_found: 422,
  invalid_rule: 422,
  invalid_channel: 422,
  invalid_template: 422,
  channel_exists: 409,
  alert_not_firing: 409,
  alert_resolved: 409,
} as const;

declare module '../../platform/auth/permissions.js' {
  interface PermissionTable extends Record<keyof typeof permissions, true> {}
}
declare module '../../platform/http/errors.js' {
  interface ErrorCodeTable extends Record<keyof typeof errors, true> {}
}
declare module '../../platform/feature/feature.js' {
  interface ServiceRegistry {
    alerts: ReturnType<typeof createAlertsService> & {
      channels: ReturnType<typeof createChannelsService>;
      delivery: DeliveryRunner;
      /** Ingest's consumer: evaluates every batch of poll results in its transaction. */
      evaluator: ResultConsumer;
      /** A site's rules and alerts (the /sites/{site_id}/alert-… routes). */
      sites: SiteAlertsService;
      siteDeps: SiteEvaluateDeps;
    };
  }
}

/** Alerts: rules evaluated from poll results, alert events, notification channels and their durable delivery. */
export const alertsFeature = defineFeature({
  name: 'alerts',
  permissions,
  errors,
  service: ({ config, pools, envelope, log, registry }) => {
    const giveUpSeconds = config.NOTIFY_GIVE_UP_HOURS * 3600;
    const smtp = smtpSettingsFrom(config);
    // Receivers may be on internal networks (an MSP's ticketing), but never TOD's own services on this machine
    // (its database, metrics, Redis, NATS): a tenant's webhook must not become a way in.
    const policy = createTargetPolicy({
      deny: [],
      own: ownEndpointsOf(config, (pools.app.options as { connectionString?: string }).connectionString),
      resolveTimeoutMs: config.NOTIFY_TIMEOUT_SECONDS * 1000,
    });
    const send = {
      systemMailer: smtp ? createSmtpMailer(smtp, log) : undefined,
      systemFrom: config.SMTP_FROM_ADDRESS,
      timeoutMs: config.NOTIFY_TIMEOUT_SECONDS * 1000,
      resolveHost: (host: string, port: number) => policy.resolve(host, [port]),
    };
    const delivery = createDeliveryRunner({
      pools,
      envelope,
      log,
      registry,
      options: {
        concurrency: config.NOTIFY_CONCURRENCY,
        retryBaseSeconds: config.NOTIFY_RETRY_BASE_SECONDS,
        // Longer than any one send (an SMTP exchange is several steps, each with the timeout).
        leaseSeconds: Math.max(10, config.NOTIFY_TIMEOUT_SECONDS * 3 + 5),
        baseUrl: config.APP_BASE_URL,
        send,
      },
    });
    const deps: EvaluateDeps = {
      giveUpSeconds,
      inMaintenance: async (db, tenantId, members, at) =>
        new Set((await devicesInMaintenance(db, members, at, tenantId)).keys()),
    };
    // Clients seen within one wireless collection period are "registered now" (a minute of slack for the schedule);
    // kept under half an hour, so "now" and "an hour ago" never overlap.
    const siteWindowSeconds = Math.min(1800, config.POLL_LINKS_INTERVAL_SECONDS + 60);
    const siteDeps: SiteEvaluateDeps = {
      giveUpSeconds,
      windowSeconds: siteWindowSeconds,
      inMaintenance: deps.inMaintenance,
    };
    const alerts = createAlertsService({ pools, giveUpSeconds, onQueued: () => delivery.kick(), siteWindowSeconds });
    const channels = createChannelsService({ pools, envelope, baseUrl: config.APP_BASE_URL, send });
    const evaluator: ResultConsumer = { name: 'alerts', consume: (db, results) => evaluateBatch(db, results, deps) };
    const sites = createSiteAlertsService({ pools, alerts });
    return Object.assign(alerts, {
      channels,
      delivery,
      evaluator,
      sites,
      siteDeps,
      close: () => send.systemMailer?.close(),
    });
  },
  routes: (app, { service }) => {
    alertsRoutes(app, service);
    channelsRoutes(app, service.channels);
    siteAlertsRoutes(app, service.sites);
  },
  runners: { worker: async ({ service }) => service.delivery.start() },
  schedules: ({ pools, service }) => [
    {
      // Site rules: over whole sites and sectors, once a minute across every worker.
      name: 'alerts.site_evaluation',
      everyMs: 60_000,
      run: async () => {
        const out = await retryOnDeadlock(() => withSystem(pools.system, (db) => evaluateSites(db, service.siteDeps)));
        if (out.queued > 0) service.delivery.kick();
      },
    },
    {
      // Notifications held during a maintenance window go out when it ends (or are dropped if the alert ended).
      name: 'alerts.maintenance_release',
      everyMs: 15_000,
      run: async () => {
        if ((await releaseEndedWindows(pools.system)) > 0) service.delivery.kick();
      },
    },
    {
      name: 'alerts.retention',
      everyMs: 3_600_000,
      run: () =>
        withSystem(pools.system, async (db) => {
          await db.query(`delete from alert_silences where until < now() - interval '30 days'`);
          // A year of history (SLA reports look back that far); open alerts are never deleted.
          await db.query(
            `delete from alert_events where state = 'resolved' and resolved_at < now() - interval '400 days'`,
          );
          await db.query(
            `delete from notification_deliveries where created_at < now() - interval '90 days' and state in ('sent', 'failed', 'cancelled', 'suppressed')`,
          );
        }),
    },
  ],
  live: {
    'alert.changed': { permission: 'alerts.read', events: 'alert.*', message: alertLive, schema: alertMessage },
  },
  close: async (service) => service.close(),
});
