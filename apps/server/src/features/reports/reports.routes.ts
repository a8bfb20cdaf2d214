import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { access, actorOf } from '../../platform/http/access.js';
import { errorResponses, idParams, page, tenantParams } from '../../platform/http/schemas.js';
import { attachmentHeader } from './file.js';
import type { ReportSchedulesService } from './report-schedules.service.js';
import {
  reportAccepted,
  reportCreate,
  reportItem,
  reportListQuery,
  reportPage,
  scheduleCreate,
  scheduleItem,
  scheduleListQuery,
  scheduleUpdate,
} from './reports.schema.js';
import type { ReportsService } from './reports.service.js';

const base = '/api/tenants/:tenant_id';
const tags = ['reports'];

/** Reports (…/reports) and their schedules (…/report-schedules). */
export function reportsRoutes(fastify: FastifyInstance, svc: ReportsService, schedules: ReportSchedulesService) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const reportParams = idParams('report_id');
  const scheduleParams = idParams('schedule_id');

  app.get(`${base}/reports`, {
    config: { access: access.can('reports.read') },
    schema: {
      tags,
      summary: 'Reports, newest first',
      params: tenantParams,
      querystring: reportListQuery,
      response: { 200: reportPage, ...errorResponses },
    },
    handler: (req) => svc.list(actorOf(req), req.query),
  });
  app.post(`${base}/reports`, {
    config: { access: access.can('reports.create') },
    schema: {
      tags,
      summary: 'Ask for a report (202: it is rendered in the background; follow GET …/reports/{report_id})',
      params: tenantParams,
      body: reportCreate,
      response: { 202: reportAccepted, ...errorResponses },
    },
    handler: async (req, reply) => reply.status(202).send(await svc.create(actorOf(req), req.body)),
  });
  app.get(`${base}/reports/:report_id`, {
    config: { access: access.can('reports.read') },
    schema: { tags, params: reportParams, response: { 200: reportItem, ...errorResponses } },
    handler: (req) => svc.get(actorOf(req), String(req.params.report_id)),
  });
  app.get(`${base}/reports/:report_id/file`, {
    config: { access: access.can('reports.read') },
    schema: {
      tags,
      summary: 'The report file (PDF or CSV); 409 report_not_ready until it is done',
      params: reportParams,
      response: errorResponses,
    },
    handler: async (req, reply) => {
      const f = await svc.file(actorOf(req), String(req.params.report_id));
      reply.header('content-type', f.contentType);
      reply.header('cache-control', 'no-store');
      reply.header('content-disposition', attachmentHeader(f.fileName));
      return reply.send(f.data as never);
    },
  });
  app.delete(`${base}/reports/:report_id`, {
    config: { access: access.can('reports.delete') },
    schema: {
      tags,
      summary: 'Delete a report (operators: their own; admins: any)',
      params: reportParams,
      response: { 204: z.null(), ...errorResponses },
    },
    handler: async (req, reply) => {
      await svc.remove(actorOf(req), String(req.params.report_id));
      return reply.status(204).send(null);
    },
  });

  app.get(`${base}/report-schedules`, {
    config: { access: access.can('report_schedules.read') },
    schema: {
      tags,
      params: tenantParams,
      querystring: scheduleListQuery,
      response: { 200: page(scheduleItem), ...errorResponses },
    },
    handler: (req) => schedules.list(actorOf(req), req.query),
  });
  app.post(`${base}/report-schedules`, {
    config: { access: access.can('report_schedules.write') },
    schema: {
      tags,
      summary: 'Schedule a report, emailed to its recipients after each run',
      params: tenantParams,
      body: scheduleCreate,
      response: { 201: scheduleItem, ...errorResponses },
    },
    handler: async (req, reply) => reply.status(201).send(await schedules.create(actorOf(req), req.body)),
  });
  app.get(`${base}/report-schedules/:schedule_id`, {
    config: { access: access.can('report_schedules.read') },
    schema: { tags, params: scheduleParams, response: { 200: scheduleItem, ...errorResponses } },
    handler: (req) => schedules.get(actorOf(req), String(req.params.schedule_id)),
  });
  app.patch(`${base}/report-schedules/:schedule_id`, {
    config: { access: access.can('report_schedules.write') },
    schema: { tags, params: scheduleParams, body: scheduleUpdate, response: { 200: scheduleItem, ...errorResponses } },
    handler: (req) => schedules.update(actorOf(req), String(req.params.schedule_id), req.body),
  });
  app.delete(`${base}/report-schedules/:schedule_id`, {
    config: { access: access.can('report_schedules.write') },
    schema: { tags, params: scheduleParams, response: { 204: z.null(), ...errorResponses } },
    handler: async (req, reply) => {
      await schedules.remove(actorOf(req), String(req.params.schedule_id));
      return reply.status(204).send(null);
    },
  });
}
