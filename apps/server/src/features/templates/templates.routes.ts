import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { access, actorOf } from '../../platform/http/access.js';
import { errorResponses, idParams, page, tenantParams } from '../../platform/http/schemas.js';
import { rolloutAccepted } from '../rollouts/rollouts.schema.js';
import {
  driftResult,
  previewBody,
  previewResult,
  pushBody,
  starterItem,
  templateCreate,
  templateItem,
  templateListQuery,
  templateUpdate,
} from './templates.schema.js';
import type { TemplatesService } from './templates.service.js';

/** Configuration templates under /api/tenants/{tenant_id}/templates. */
export function templatesRoutes(app: FastifyInstance, svc: TemplatesService) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['templates'];
  const base = '/api/tenants/:tenant_id/templates';
  const params = idParams('template_id');
  const id = (p: { template_id?: unknown }) => String(p.template_id);
  r.get(base, {
    config: { access: access.can('templates.read') },
    schema: {
      tags,
      params: tenantParams,
      querystring: templateListQuery,
      response: { 200: page(templateItem), ...errorResponses },
    },
    handler: (req) => svc.list(actorOf(req), req.query),
  });
  r.get('/api/tenants/:tenant_id/template-starters', {
    config: { access: access.can('templates.read') },
    schema: {
      tags,
      params: tenantParams,
      response: { 200: z.object({ items: z.array(starterItem) }), ...errorResponses },
    },
    handler: (req) => ({ items: svc.starters(actorOf(req)) }),
  });
  r.post(base, {
    config: { access: access.can('templates.write') },
    schema: { tags, params: tenantParams, body: templateCreate, response: { 201: templateItem, ...errorResponses } },
    handler: async (req, reply) => reply.status(201).send(await svc.create(actorOf(req), req.body)),
  });
  r.get(`${base}/:template_id`, {
    config: { access: access.can('templates.read') },
    schema: { tags, params, response: { 200: templateItem, ...errorResponses } },
    handler: (req) => svc.get(actorOf(req), id(req.params)),
  });
  r.patch(`${base}/:template_id`, {
    config: { access: access.can('templates.write') },
    schema: { tags, params, body: templateUpdate, response: { 200: templateItem, ...errorResponses } },
    handler: (req) => svc.update(actorOf(req), id(req.params), req.body),
  });
  r.delete(`${base}/:template_id`, {
    config: { access: access.can('templates.write') },
    schema: { tags, params, response: { 204: z.null(), ...errorResponses } },
    handler: async (req, reply) => {
      await svc.remove(actorOf(req), id(req.params));
      return reply.status(204).send(null);
    },
  });
  r.post(`${base}/:template_id/preview`, {
    config: { access: access.can('templates.read') },
    schema: {
      tags,
      description:
        'Per device: the rendered script, the semantic diff against its latest backup, the commands a push runs, and every problem (naming the variable and the device).',
      params,
      body: previewBody,
      response: { 200: previewResult, ...errorResponses },
    },
    handler: (req) => svc.preview(actorOf(req), id(req.params), req.body),
  });
  r.post(`${base}/:template_id/push`, {
    config: { access: access.can('changes.apply') },
    schema: {
      tags,
      description:
        'Renders for every target first (422 template_invalid lists the problems), then starts a rollout: each device is a safe change.',
      params,
      body: pushBody,
      response: { 202: rolloutAccepted, ...errorResponses },
    },
    handler: async (req, reply) => reply.status(202).send(await svc.push(actorOf(req), id(req.params), req.body)),
  });
  r.get(`${base}/:template_id/drift`, {
    config: { access: access.can('templates.read') },
    schema: { tags, params, response: { 200: driftResult, ...errorResponses } },
    handler: (req) => svc.drift(actorOf(req), id(req.params)),
  });
  r.post(`${base}/:template_id/drift/check`, {
    config: { access: access.can('templates.read') },
    schema: { tags, params, response: { 200: driftResult, ...errorResponses } },
    handler: (req) => svc.checkDrift(actorOf(req), id(req.params)),
  });
}
