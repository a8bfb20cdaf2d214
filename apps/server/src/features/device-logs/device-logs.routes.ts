import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { access, actorOf } from '../../platform/http/access.js';
import { errorResponses, idParams, tenantParams } from '../../platform/http/schemas.js';
import { deviceLogsQuery, logsPage, logsQuery } from './device-logs.schema.js';
import type { DeviceLogsService } from './device-logs.service.js';

const tags = ['device-logs'];

export function deviceLogsRoutes(fastify: FastifyInstance, svc: DeviceLogsService) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();

  app.get('/api/tenants/:tenant_id/devices/:device_id/logs', {
    config: { access: access.can('logs.read') },
    schema: {
      tags,
      summary: "The device's log lines (polled and syslog), newest first",
      params: idParams('device_id'),
      querystring: deviceLogsQuery,
      response: { 200: logsPage, ...errorResponses },
    },
    handler: (req) => svc.listForDevice(actorOf(req), req.params.device_id as string, req.query),
  });

  app.get('/api/tenants/:tenant_id/logs', {
    config: { access: access.can('logs.read') },
    schema: {
      tags,
      summary: "Log lines of the organisation's devices, newest first",
      params: tenantParams,
      querystring: logsQuery,
      response: { 200: logsPage, ...errorResponses },
    },
    handler: (req) => svc.list(actorOf(req), req.query),
  });
}
