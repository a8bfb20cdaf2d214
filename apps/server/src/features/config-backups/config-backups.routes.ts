import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { access, actorOf } from '../../platform/http/access.js';
import { errorResponses, tenantParams } from '../../platform/http/schemas.js';
import {
  backupNowResult,
  checkpointBody,
  deviceParams,
  deviceScheduleBody,
  diffQuery,
  diffResult,
  exportQuery,
  fleetPage,
  fleetQuery,
  jobItem,
  jobParams,
  pushResult,
  schedule,
  scheduleResult,
  searchQuery,
  searchResult,
  settingsBody,
  settingsResult,
  versionParams,
  versionsPage,
  versionsQuery,
} from './config-backups.schema.js';
import type { ConfigBackupsService } from './config-backups.service.js';

const base = '/api/tenants/:tenant_id';
const dev = `${base}/devices/:device_id`;
const tags = ['config-backups'];
// Each of these reaches a router: bounded per caller like other calls that reach out.
const reachOut = { max: 60, timeWindow: '1 minute' };
const policies = z.object({ backup: z.boolean(), secrets: z.boolean(), schedule: z.boolean() });

export function configBackupsRoutes(fastify: FastifyInstance, svc: ConfigBackupsService) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();

  app.get(`${dev}/config/backups`, {
    config: { access: access.can('config.read') },
    schema: {
      tags,
      summary: 'Versions of the device configuration, newest first',
      params: deviceParams,
      querystring: versionsQuery,
      response: { 200: versionsPage.extend({ policies }), ...errorResponses },
    },
    handler: (req) => svc.versions(actorOf(req), req.params.device_id, req.query),
  });

  /** 200 with the version when the job ended within the request's wait, else 202 with the job. */
  const answer = async (reply: FastifyReply, run: Promise<Awaited<ReturnType<ConfigBackupsService['backupNow']>>>) => {
    const r = await run;
    reply.code(r.finished ? 200 : 202);
    return { job: r.job, version: r.version };
  };
  const nowSchema = { 200: backupNowResult, 202: backupNowResult, ...errorResponses };

  app.post(`${dev}/config/backups`, {
    config: { access: access.can('config.backup'), rateLimit: reachOut },
    schema: {
      tags,
      summary: 'Back up now (200 with the version, or 202 while it runs)',
      params: deviceParams,
      response: nowSchema,
    },
    handler: (req, reply) => answer(reply, svc.backupNow(actorOf(req), req.params.device_id)),
  });
  app.post(`${dev}/config-snapshot/trigger`, {
    config: { access: access.can('config.backup'), rateLimit: reachOut },
    schema: { tags, summary: 'Back up now (the seed’s name for it)', params: deviceParams, response: nowSchema },
    handler: (req, reply) => answer(reply, svc.backupNow(actorOf(req), req.params.device_id)),
  });
  app.post(`${dev}/config/checkpoint`, {
    config: { access: access.can('config.backup'), rateLimit: reachOut },
    schema: {
      tags,
      summary: 'Take a named restore point',
      params: deviceParams,
      body: checkpointBody,
      response: nowSchema,
    },
    handler: (req, reply) => answer(reply, svc.backupNow(actorOf(req), req.params.device_id, req.body.name)),
  });

  app.get(`${dev}/config/jobs`, {
    config: { access: access.can('config.read') },
    schema: { tags, params: deviceParams, response: { 200: z.object({ items: z.array(jobItem) }), ...errorResponses } },
    handler: (req) => svc.jobs(actorOf(req), req.params.device_id),
  });
  app.get(`${base}/config/jobs/:job_id`, {
    config: { access: access.can('config.read') },
    schema: { tags, params: jobParams, response: { 200: backupNowResult, ...errorResponses } },
    handler: (req) => svc.job(actorOf(req), req.params.job_id),
  });

  app.get(`${dev}/config/backups/:id/export`, {
    config: { access: access.can('config.read') },
    schema: {
      tags,
      summary: 'The export (.rsc), redacted unless secrets=true',
      params: versionParams,
      querystring: exportQuery,
      response: { 200: z.string(), ...errorResponses },
    },
    handler: async (req, reply) => {
      const text = await svc.exportText(actorOf(req), req.params.device_id, req.params.id, req.query);
      reply.header('content-type', Buffer.isBuffer(text) ? 'text/plain' : 'text/plain; charset=utf-8');
      reply.header('cache-control', 'no-store');
      reply.header('content-disposition', `attachment; filename="${req.params.id.slice(0, 12)}.rsc"`);
      return reply.send(text as never);
    },
  });

  app.get(`${dev}/config/backups/:id/binary`, {
    config: { access: access.can('config.secrets') },
    schema: { tags, summary: 'The binary backup (.backup)', params: versionParams, response: errorResponses },
    handler: async (req, reply) => {
      const b = await svc.binary(actorOf(req), req.params.device_id, req.params.id);
      reply.header('content-type', 'application/octet-stream');
      reply.header('cache-control', 'no-store');
      reply.header('content-disposition', `attachment; filename="${b.name}"`);
      return reply.send(b.data as never);
    },
  });

  app.get(`${dev}/config/diff`, {
    config: { access: access.can('config.read') },
    schema: {
      tags,
      summary: 'Semantic and line diff of two versions',
      params: deviceParams,
      querystring: diffQuery,
      response: { 200: diffResult, ...errorResponses },
    },
    handler: (req) => svc.diff(actorOf(req), req.params.device_id, req.query),
  });

  app.get(`${dev}/config/schedules`, {
    config: { access: access.can('config.read') },
    schema: {
      tags,
      summary: 'The effective backup schedule and where it comes from',
      params: deviceParams,
      response: { 200: scheduleResult, ...errorResponses },
    },
    handler: (req) => svc.deviceSchedule(actorOf(req), req.params.device_id),
  });
  app.put(`${dev}/config/schedules`, {
    config: { access: access.can('config.schedule') },
    schema: {
      tags,
      summary: 'Override the schedule ({inherit: true} removes the override)',
      params: deviceParams,
      body: deviceScheduleBody,
      response: { 200: scheduleResult, ...errorResponses },
    },
    handler: (req) => svc.setDeviceSchedule(actorOf(req), req.params.device_id, req.body),
  });
  app.get(`${base}/config/schedules`, {
    config: { access: access.can('config.read') },
    schema: {
      tags,
      summary: 'The organisation’s backup schedule',
      params: tenantParams,
      response: { 200: scheduleResult, ...errorResponses },
    },
    handler: (req) => svc.orgSchedule(actorOf(req)),
  });
  app.put(`${base}/config/schedules`, {
    config: { access: access.can('config.schedule') },
    schema: { tags, params: tenantParams, body: schedule, response: { 200: scheduleResult, ...errorResponses } },
    handler: (req) => svc.setOrgSchedule(actorOf(req), req.body),
  });

  app.get(`${base}/config/backups`, {
    config: { access: access.can('config.read') },
    schema: {
      tags,
      summary: 'Every device’s latest backup, failures first',
      params: tenantParams,
      querystring: fleetQuery,
      response: { 200: fleetPage, ...errorResponses },
    },
    handler: (req) => svc.fleet(actorOf(req), req.query),
  });
  app.get(`${base}/config/search`, {
    config: { access: access.can('config.read'), rateLimit: { max: 30, timeWindow: '1 minute' } },
    schema: {
      tags,
      summary: 'Which devices’ latest configs contain a string (optionally under a menu path)',
      params: tenantParams,
      querystring: searchQuery,
      response: { 200: searchResult, ...errorResponses },
    },
    handler: (req) => svc.search(actorOf(req), req.query),
  });

  app.get(`${base}/config/settings`, {
    config: { access: access.can('config.settings') },
    schema: {
      tags,
      summary: 'Retention, the git remote and the mirror’s state',
      params: tenantParams,
      response: { 200: settingsResult, ...errorResponses },
    },
    handler: (req) => svc.settings(actorOf(req)),
  });
  app.put(`${base}/config/settings`, {
    config: { access: access.can('config.settings') },
    schema: { tags, params: tenantParams, body: settingsBody, response: { 200: settingsResult, ...errorResponses } },
    handler: (req) => svc.updateSettings(actorOf(req), req.body),
  });
  app.post(`${base}/config/git/push`, {
    config: { access: access.can('config.settings'), rateLimit: { max: 10, timeWindow: '1 minute' } },
    schema: {
      tags,
      summary: 'Mirror pending versions and push to the remote now',
      params: tenantParams,
      response: { 200: pushResult, ...errorResponses },
    },
    handler: (req) => svc.pushNow(actorOf(req)),
  });
  app.get(`${base}/config/git/bundle`, {
    config: { access: access.can('config.settings'), rateLimit: { max: 10, timeWindow: '1 minute' } },
    schema: {
      tags,
      summary: 'The git mirror as a bundle (git clone tod.bundle); secrets redacted',
      params: tenantParams,
      response: errorResponses,
    },
    handler: async (req, reply) => {
      const b = await svc.bundle(actorOf(req));
      reply.header('content-type', 'application/octet-stream');
      reply.header('content-length', String(b.size));
      reply.header('cache-control', 'no-store');
      reply.header('content-disposition', 'attachment; filename="tod-configs.bundle"');
      return reply.send(b.stream as never);
    },
  });
}
