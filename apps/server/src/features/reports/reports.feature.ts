import { systemActor } from '../../platform/auth/principal.js';
import { withSystem } from '../../platform/db/tx.js';
import { defineFeature } from '../../platform/feature/feature.js';
import { AppError } from '../../platform/http/errors.js';
import { createSmtpMailer, smtpSettingsFrom } from '../../platform/mail/mailer.js';
import { buildReport, reportContentErrors, reportDepsFrom } from './content/index.js';
import { reportLive, reportMessage } from './live.js';
import { createReportMailer, type ReportMailer } from './mail.js';
import { createReportSchedulesService, type ReportSchedulesService } from './report-schedules.service.js';
import { reportsRepo } from './reports.repo.js';
import { reportsRoutes } from './reports.routes.js';
import { createReportsService, type ReportRefs, type ReportsService } from './reports.service.js';
import { type BuildReport, createReportRunner, type ReportRunner } from './runner.js';
import { schedulePass } from './schedule-pass.js';

const permissions = {
  'reports.read': 'viewer',
  'reports.create': 'operator',
  /** Operators delete the reports they asked for; admins any (the service checks who asked). */
  'reports.delete': 'operator',
  /** Schedules list people's email addresses. */
  'report_schedules.read': 'operator',
  /** A schedule sends the organisation's data outside TOD by email. */
  'report_schedules.write': 'admin',
} as const;

const errors = {
  ...reportContentErrors,
  report_not_ready: 409,
  report_queue_full: 429,
  /** Stored on a report that rendered too long (never an HTTP answer). */
  report_timeout: 504,
} as const;

/** Reports an organisation may have waiting or rendering at once: each costs a worker's CPU. */
export const REPORT_QUEUE_CAP = 10;

declare module '../../platform/auth/permissions.js' {
  interface PermissionTable extends Record<keyof typeof permissions, true> {}
}
declare module '../../platform/http/errors.js' {
  interface ErrorCodeTable extends Record<keyof typeof errors, true> {}
}
declare module '../../platform/feature/feature.js' {
  interface ServiceRegistry {
    reports: ReportsService & {
      schedules: ReportSchedulesService;
      runner: ReportRunner;
      mail: ReportMailer;
      build: BuildReport;
      tenantName: (tenantId: string) => Promise<string>;
      close: () => Promise<void>;
    };
  }
}

const exists = (p: Promise<unknown>) =>
  p.then(
    () => true,
    (err) => {
      if (err instanceof AppError && err.code === 'not_found') return false;
      throw err;
    },
  );

/** Reports: fleet, device, compliance and SLA reports as PDF or CSV, on request or on a schedule, emailed. */
export const reportsFeature = defineFeature({
  name: 'reports',
  permissions,
  errors,
  service: (ctx) => {
    const { config, pools, envelope, services, log } = ctx;
    const smtp = smtpSettingsFrom(config);
    const mailer = smtp ? createSmtpMailer(smtp, log) : undefined;
    const tenantName = async (tenantId: string) =>
      (await services.tenants.get(systemActor('reports', tenantId), tenantId)).name;
    const refs: ReportRefs = {
      deviceExists: (actor, id) => exists(services.devices.get(actor, id)),
      siteExists: (actor, id) => exists(services.sites.get(actor, id)),
    };
    const contentDeps = reportDepsFrom(ctx);
    const mail = createReportMailer({
      appPool: pools.app,
      systemPool: pools.system,
      envelope,
      mailer,
      appName: config.APP_NAME,
      baseUrl: config.APP_BASE_URL,
      tenantName,
      log,
    });
    const build: BuildReport = (tenant, p) => buildReport(contentDeps, tenant, p);
    const runner = createReportRunner({
      appPool: pools.app,
      systemPool: pools.system,
      envelope,
      build,
      tenantName,
      log,
      onDone: (r) => {
        if (r.email_to.length > 0) mail.kick();
      },
    });
    const reports = createReportsService({
      appPool: pools.app,
      envelope,
      refs,
      queueCap: REPORT_QUEUE_CAP,
      onQueued: () => runner.kick(),
    });
    const schedules = createReportSchedulesService({ appPool: pools.app, refs });
    return Object.assign(reports, {
      schedules,
      runner,
      mail,
      /** What the runner renders with, and the organisation's name (more runners and senders: tests, the CLI). */
      build,
      tenantName,
      // Mails in flight finished with the worker role; then the SMTP connections close.
      close: async () => mailer?.close(),
    });
  },
  routes: (app, { service }) => reportsRoutes(app, service, service.schedules),
  runners: {
    worker: async ({ service }) => {
      const rendering = service.runner.start();
      const mailing = service.mail.start();
      return {
        async stop() {
          await rendering.stop();
          await mailing.stop();
        },
      };
    },
  },
  schedules: ({ pools, log, config }) => [
    { name: 'reports.schedule', everyMs: 60_000, run: () => schedulePass(pools.system, log) },
    {
      name: 'reports.retention',
      everyMs: 86_400_000,
      run: () => withSystem(pools.system, (db) => reportsRepo.deleteOlderThan(db, config.REPORT_RETENTION_DAYS)),
    },
  ],
  live: {
    'report.updated': {
      permission: 'reports.read',
      events: 'report.updated',
      message: reportLive,
      schema: reportMessage,
    },
  },
  close: (service) => service.close(),
});
