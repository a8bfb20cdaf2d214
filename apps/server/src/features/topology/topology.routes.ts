import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { access, actorOf } from '../../platform/http/access.js';
import { errorResponses, idParams, tenantParams } from '../../platform/http/schemas.js';
import { coresBody, coresResult, graph, graphQuery, upstream } from './topology.schema.js';
import type { TopologyService } from './topology.service.js';

const base = '/api/tenants/:tenant_id';
const tags = ['topology'];

export function topologyRoutes(app: FastifyInstance, svc: TopologyService) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(`${base}/topology`, {
    config: { access: access.can('topology.read') },
    schema: {
      tags,
      summary: 'The network as routers see it: devices, unmanaged neighbours, and the links between them with evidence',
      params: tenantParams,
      querystring: graphQuery,
      response: { 200: graph, ...errorResponses },
    },
    handler: (req) => svc.graph(actorOf(req), req.query),
  });
  r.get(`${base}/devices/:device_id/upstream`, {
    config: { access: access.can('topology.read') },
    schema: {
      tags,
      summary: 'The path from the core of its network to the device',
      params: idParams('device_id'),
      response: { 200: upstream, ...errorResponses },
    },
    handler: (req) => svc.upstream(actorOf(req), req.params.device_id as string),
  });
  r.get(`${base}/topology/cores`, {
    config: { access: access.can('topology.read') },
    schema: {
      tags,
      summary: 'The devices named as core (upstream paths start at them)',
      params: tenantParams,
      response: { 200: coresResult, ...errorResponses },
    },
    handler: (req) => svc.cores(actorOf(req)),
  });
  r.put(`${base}/topology/cores`, {
    config: { access: access.can('topology.write') },
    schema: {
      tags,
      summary: 'Name the core devices (replaces the list; empty: TOD infers a core per part of the network)',
      params: tenantParams,
      body: coresBody,
      response: { 200: coresResult, ...errorResponses },
    },
    handler: (req) => svc.setCores(actorOf(req), req.body.device_ids),
  });
}
