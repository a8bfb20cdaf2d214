import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { access, actorOf } from '../../platform/http/access.js';
import { errorResponses } from '../../platform/http/schemas.js';
import {
  accepted,
  browseQuery,
  browseResult,
  changesBody,
  deviceParams,
  dryRun,
  listQuery,
  operationItem,
  operationParams,
  operationsPage,
  previewBody,
  previewResult,
  restoreBody,
  rollbackBody,
  tenantOperationParams,
  tenantParams,
} from './changes.schema.js';
import type { ChangesService } from './changes.service.js';

const base = '/api/tenants/:tenant_id';
const dev = `${base}/devices/:device_id`;
const tags = ['changes'];
// Each reaches a router (or starts something that will): bounded per caller.
const reachOut = { max: 30, timeWindow: '1 minute' };

export function changesRoutes(fastify: FastifyInstance, svc: ChangesService) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();

  app.get(`${dev}/config/browse`, {
    config: { access: access.can('changes.read'), rateLimit: reachOut },
    schema: {
      tags,
      summary: 'The menu tree (no path), or the rows of one menu read from the device',
      params: deviceParams,
      querystring: browseQuery,
      response: { 200: browseResult, ...errorResponses },
    },
    handler: (req) => svc.browse(actorOf(req), req.params.device_id, req.query),
  });

  app.post(`${dev}/config/changes`, {
    config: { access: access.can('changes.apply'), rateLimit: reachOut },
    schema: {
      tags,
      summary: 'Apply edits through the apply-with-revert engine (202 with the operation), or a dry run',
      params: deviceParams,
      body: changesBody,
      response: { 200: dryRun, 202: accepted, ...errorResponses },
    },
    handler: async (req, reply) => {
      const r = await svc.submitChanges(actorOf(req), req.params.device_id, req.body);
      reply.code(r.operation_id === null ? 200 : 202);
      return r;
    },
  });

  app.post(`${dev}/config/preview-restore`, {
    config: { access: access.can('changes.read') },
    schema: {
      tags,
      summary: 'What restoring a version would change: semantic diff, exact commands, risks',
      params: deviceParams,
      body: previewBody,
      response: { 200: previewResult, ...errorResponses },
    },
    handler: (req) => svc.previewRestore(actorOf(req), req.params.device_id, req.body),
  });

  app.post(`${dev}/config/restore`, {
    config: { access: access.can('changes.apply'), rateLimit: reachOut },
    schema: {
      tags,
      summary: 'Restore a version: the minimal diff through the engine',
      params: deviceParams,
      body: restoreBody,
      response: { 202: accepted, ...errorResponses },
    },
    handler: async (req, reply) => {
      reply.code(202);
      return svc.restore(actorOf(req), req.params.device_id, req.body);
    },
  });

  app.post(`${dev}/config/emergency-rollback`, {
    config: { access: access.can('changes.apply'), rateLimit: reachOut },
    schema: {
      tags,
      summary: 'Back to the configuration before the last change TOD kept',
      params: deviceParams,
      body: rollbackBody.optional(),
      response: { 202: accepted, ...errorResponses },
    },
    handler: async (req, reply) => {
      reply.code(202);
      return svc.emergencyRollback(actorOf(req), req.params.device_id, req.body ?? { mode: 'safe' });
    },
  });

  app.get(`${dev}/operations/:operation_id`, {
    config: { access: access.can('changes.read') },
    schema: { tags, params: operationParams, response: { 200: operationItem, ...errorResponses } },
    handler: (req) => svc.operation(actorOf(req), req.params.operation_id, req.params.device_id),
  });
  app.get(`${base}/operations/:operation_id`, {
    config: { access: access.can('changes.read') },
    schema: { tags, params: tenantOperationParams, response: { 200: operationItem, ...errorResponses } },
    handler: (req) => svc.operation(actorOf(req), req.params.operation_id),
  });
  app.post(`${dev}/operations/:operation_id/confirm`, {
    config: { access: access.can('changes.apply') },
    schema: {
      tags,
      summary: 'Keep a change in test mode',
      params: operationParams,
      response: { 200: operationItem, ...errorResponses },
    },
    handler: (req) => svc.confirm(actorOf(req), req.params.device_id, req.params.operation_id),
  });
  app.post(`${dev}/operations/:operation_id/revert`, {
    config: { access: access.can('changes.apply') },
    schema: {
      tags,
      summary: 'Revert a change now',
      params: operationParams,
      response: { 200: operationItem, ...errorResponses },
    },
    handler: (req) => svc.revert(actorOf(req), req.params.device_id, req.params.operation_id),
  });
  app.get(`${base}/operations`, {
    config: { access: access.can('changes.read') },
    schema: {
      tags,
      summary: 'Every operation of the organisation, newest first',
      params: tenantParams,
      querystring: listQuery,
      response: { 200: operationsPage, ...errorResponses },
    },
    handler: (req) => svc.list(actorOf(req), req.query),
  });
}
