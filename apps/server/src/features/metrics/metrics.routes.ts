import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { access, actorOf } from '../../platform/http/access.js';
import { errorResponses, idParams } from '../../platform/http/schemas.js';
import type { MetricsService } from './metrics.service.js';
import { pickWindow, ranges } from './resolution.js';

const windowQuery = {
  range: z.enum(Object.keys(ranges) as [keyof typeof ranges, ...(keyof typeof ranges)[]]).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  resolution: z.enum(['raw', '5m', '1h']).optional(),
};
const series = z.record(z.string(), z.array(z.number().nullable()));
const windowOut = { device_id: z.string(), from: z.string(), to: z.string(), resolution: z.string() };

// Series are numbers from our own SQL; checking tens of thousands of them against the schema per response bought
// nothing, so these routes serialise directly (the schema still documents them).
const plainJson = () => (data: unknown) => JSON.stringify(data);

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
      querystring: z.strictObject(windowQuery),
      response: { 200: z.object({ ...windowOut, series }), ...errorResponses },
    },
    serializerCompiler: plainJson,
    handler: (req) => metrics.health(actorOf(req), String(req.params.device_id), pickWindow(req.query)),
  });
  r.get(`${base}/metrics/interfaces`, {
    config: { access: access.can('metrics.read') },
    schema: {
      tags,
      description:
        'Traffic (bits/s, packets/s) per interface over a window; `interface` (repeatable or comma-separated) narrows it.',
      params,
      querystring: z.strictObject({ ...windowQuery, interface: z.union([z.string(), z.array(z.string())]).optional() }),
      response: {
        200: z.object({ ...windowOut, interfaces: z.array(z.object({ name: z.string(), series })) }),
        ...errorResponses,
      },
    },
    serializerCompiler: plainJson,
    handler: (req) => {
      const raw = req.query.interface;
      const names =
        raw === undefined ? undefined : (Array.isArray(raw) ? raw : [raw]).flatMap((x) => x.split(',')).filter(Boolean);
      return metrics.interfaces(actorOf(req), String(req.params.device_id), pickWindow(req.query), names);
    },
  });
  r.get(`${base}/interfaces`, {
    config: { access: access.can('metrics.read') },
    schema: {
      tags,
      params,
      response: {
        200: z.object({
          items: z.array(
            z.object({
              name: z.string(),
              type: z.string().nullable(),
              mac_address: z.string().nullable(),
              running: z.boolean().nullable(),
              disabled: z.boolean().nullable(),
              rx_bytes: z.string().nullable(),
              tx_bytes: z.string().nullable(),
              rx_packets: z.string().nullable(),
              tx_packets: z.string().nullable(),
              rx_bps: z.number().nullable(),
              tx_bps: z.number().nullable(),
              rx_pps: z.number().nullable(),
              tx_pps: z.number().nullable(),
              updated_at: z.string(),
            }),
          ),
        }),
        ...errorResponses,
      },
    },
    handler: (req) => metrics.latestInterfaces(actorOf(req), String(req.params.device_id)) as never,
  });
}
