import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { access, actorOf } from '../../platform/http/access.js';
import { rawJsonSerializer } from '../../platform/http/raw-json.js';
import { errorResponses, idParams } from '../../platform/http/schemas.js';
import { healthOut, healthQuery, interfacesOut, interfacesQuery, latestInterfacesOut } from './metrics.schema.js';
import type { MetricsService } from './metrics.service.js';
import { pickWindow } from './resolution.js';

// Series are numbers from our own SQL; checking tens of thousands of them against the schema per response bought
// nothing, so these routes serialise directly (the schema still documents them).

export function metricsRoutes(app: FastifyInstance, metrics: MetricsService) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['metrics'];
  const params = idParams('device_id');
  const base = '/api/tenants/:tenant_id/devices/:device_id';
  r.get(`${base}/metrics/health`, {
    config: { access: access.can('metrics.read') },
    schema: {
      tags,
      description:
        'CPU, memory, disk, temperature, voltage and uptime over a window, as columns (t in Unix seconds). Resolution follows the range: raw ≤ 6 h, 5-minute ≤ 3 d, hourly beyond.',
      params,
      querystring: healthQuery,
      response: { 200: healthOut, ...errorResponses },
    },
    serializerCompiler: rawJsonSerializer,
    handler: (req) => metrics.healthJson(actorOf(req), String(req.params.device_id), pickWindow(req.query)),
  });
  r.get(`${base}/metrics/interfaces`, {
    config: { access: access.can('metrics.read') },
    schema: {
      tags,
      description:
        'Traffic (bits/s, packets/s) per interface over a window; `interface` (repeatable or comma-separated) narrows it.',
      params,
      querystring: interfacesQuery,
      response: { 200: interfacesOut, ...errorResponses },
    },
    serializerCompiler: rawJsonSerializer,
    handler: (req) => {
      const raw = req.query.interface;
      const names =
        raw === undefined ? undefined : (Array.isArray(raw) ? raw : [raw]).flatMap((x) => x.split(',')).filter(Boolean);
      return metrics.interfacesJson(actorOf(req), String(req.params.device_id), pickWindow(req.query), names);
    },
  });
  r.get(`${base}/interfaces`, {
    config: { access: access.can('metrics.read') },
    schema: { tags, params, response: { 200: latestInterfacesOut, ...errorResponses } },
    handler: (req) => metrics.latestInterfaces(actorOf(req), String(req.params.device_id)),
  });
}
