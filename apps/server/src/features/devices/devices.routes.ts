import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { access, actorOf } from '../../platform/http/access.js';
import { AppError } from '../../platform/http/errors.js';
import { rawJsonSerializer } from '../../platform/http/raw-json.js';
import { errorResponses, idParams, tenantParams } from '../../platform/http/schemas.js';
import {
  bulkAddBody,
  bulkBody,
  deviceCreateBody,
  deviceCreatedOut,
  deviceListOut,
  deviceListQuery,
  deviceOut,
  deviceProbeBody,
  deviceUpdateBody,
  importBody,
  probeOut,
  rowsOut,
  scanBody,
  scanOut,
} from './devices.schema.js';
import type { DevicesService } from './devices.service.js';

export type DevicesRouteDeps = {
  devices: DevicesService;
  scanPerMinute: number;
  probePerMinute: number;
};

const tenantOf = (req: FastifyRequest) => (req.params as { tenant_id?: string }).tenant_id;

export function devicesRoutes(app: FastifyInstance, d: DevicesRouteDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['devices'];
  const base = '/api/tenants/:tenant_id/devices';
  const itemParams = idParams('device_id');
  // Probes reach any host an operator names: one budget per tenant across the three ways to ask for one
  // (the counter is shared between api processes when Redis is configured).
  const probeBudget = app.createRateLimit({
    max: d.probePerMinute,
    timeWindow: 60_000,
    keyGenerator: (req) => `probe:${tenantOf(req)}`,
  });
  const limitProbes = async (req: FastifyRequest) => {
    const r = await probeBudget(req);
    if (!r.isAllowed && r.isExceeded)
      throw new AppError('rate_limited', `too many probes for this organisation; retry in ${r.ttlInSeconds} s`);
  };

  r.get(base, {
    config: { access: access.can('devices.read') },
    schema: {
      tags,
      description:
        'Devices, paged (limit up to 10,000). `fields=name,status,cpu_load` returns only those fields (and id): a table of 10,000 rows wants that. Page on with `cursor=<next_cursor>` (same sort and filters): every page then costs the same. A device without a value for the sort field sorts lowest.',
      params: tenantParams,
      querystring: deviceListQuery,
      response: { 200: deviceListOut(deviceOut.partial().required({ id: true })), ...errorResponses },
    },
    // PostgreSQL builds the items from an explicit column list (never a secret): no per-row schema check.
    serializerCompiler: rawJsonSerializer,
    handler: (req) => d.devices.list(actorOf(req), req.query),
  });
  r.post(base, {
    config: { access: access.can('devices.write') },
    schema: {
      tags,
      params: tenantParams,
      querystring: z.strictObject({ probe: z.enum(['true', 'false']).default('true') }),
      body: deviceCreateBody,
      response: { 201: deviceCreatedOut, ...errorResponses },
    },
    preHandler: async (req) => {
      if (req.query.probe === 'true') await limitProbes(req);
    },
    handler: async (req, reply) =>
      reply.status(201).send(await d.devices.create(actorOf(req), req.body, { probe: req.query.probe === 'true' })),
  });
  r.post(`${base}/probe`, {
    config: { access: access.can('devices.write') },
    schema: { tags, params: tenantParams, body: deviceProbeBody, response: { 200: probeOut, ...errorResponses } },
    preHandler: limitProbes,
    handler: async (req) => ({ ...(await d.devices.probe(actorOf(req), req.body)), fingerprint: undefined }),
  });
  r.post(`${base}/bulk`, {
    config: { access: access.can('devices.write') },
    schema: {
      tags,
      params: tenantParams,
      body: bulkBody,
      response: { 200: z.object({ action: z.string(), affected: z.number().int() }), ...errorResponses },
    },
    handler: (req) => d.devices.bulk(actorOf(req), req.body),
  });
  // The CSV body parser (10 MiB) exists only in this scope: no other route, signed in or not, accepts text/csv.
  app.register(async (scope) => {
    scope.addContentTypeParser('text/csv', { parseAs: 'string', bodyLimit: 10 * 1024 * 1024 }, (_req, body, done) =>
      done(null, { csv: body }),
    );
    scope.withTypeProvider<ZodTypeProvider>().post(`${base}/import`, {
      config: { access: access.can('devices.write') },
      bodyLimit: 10 * 1024 * 1024,
      schema: {
        tags,
        description:
          'CSV with a header line; send text/csv, or JSON {"csv": "..."}. Columns: name, host, port, tls_port, tls_mode, username, password, credential_profile, site, tags, groups, notes, latitude, longitude (tags and groups separated by ;).',
        params: tenantParams,
        body: importBody,
        response: { 200: rowsOut, ...errorResponses },
      },
      handler: (req) => d.devices.importCsv(actorOf(req), req.body.csv),
    });
  });
  r.post(`${base}/scan`, {
    config: {
      access: access.can('devices.scan'),
      rateLimit: { max: d.scanPerMinute, timeWindow: 60_000, keyGenerator: (req) => `scan:${tenantOf(req)}` },
    },
    schema: {
      tags,
      description:
        'Probes an IPv4 network (at most /20) for the RouterOS API. With Accept: application/x-ndjson, hits stream one per line as they are found. Addresses TOD may not connect to are skipped and counted in `denied`.',
      params: tenantParams,
      body: scanBody,
      response: { 200: scanOut, ...errorResponses },
    },
    handler: async (req, reply) => {
      const started = performance.now();
      const took = () => Math.round(performance.now() - started);
      if (!req.headers.accept?.includes('application/x-ndjson')) {
        const result = await d.devices.scan(actorOf(req), req.body);
        return { cidr: req.body.cidr, ...result, duration_ms: took() };
      }
      // Streaming: the status line goes out with the first hit, so refusals (validation, permission) that
      // happen before any hit still answer as JSON errors.
      let open = false;
      const write = (line: object) => {
        if (!open) {
          reply.raw.writeHead(200, {
            'content-type': 'application/x-ndjson',
            'cache-control': 'no-store',
            'x-request-id': String(req.id),
          });
          open = true;
        }
        reply.raw.write(`${JSON.stringify(line)}\n`);
      };
      try {
        const result = await d.devices.scan(actorOf(req), req.body, (hit) => write({ type: 'hit', hit }));
        write({
          type: 'done',
          scanned: result.scanned,
          denied: result.denied,
          found: result.found.length,
          duration_ms: took(),
        });
      } catch (e) {
        if (!open) throw e;
        req.log.error({ err: e }, 'scan failed while streaming');
        write({ type: 'error', code: e instanceof AppError ? e.code : 'internal_error' });
      }
      reply.raw.end();
      return reply;
    },
  });
  r.post(`${base}/bulk-add`, {
    config: { access: access.can('devices.write') },
    schema: { tags, params: tenantParams, body: bulkAddBody, response: { 200: rowsOut, ...errorResponses } },
    handler: (req) => d.devices.bulkAdd(actorOf(req), req.body),
  });
  r.get(`${base}/:device_id`, {
    config: { access: access.can('devices.read') },
    schema: { tags, params: itemParams, response: { 200: deviceOut, ...errorResponses } },
    handler: (req) => d.devices.get(actorOf(req), String(req.params.device_id)),
  });
  r.patch(`${base}/:device_id`, {
    config: { access: access.can('devices.write') },
    schema: { tags, params: itemParams, body: deviceUpdateBody, response: { 200: deviceOut, ...errorResponses } },
    handler: (req) => d.devices.update(actorOf(req), String(req.params.device_id), req.body),
  });
  r.delete(`${base}/:device_id`, {
    config: { access: access.can('devices.delete') },
    schema: { tags, params: itemParams, response: { 204: z.null(), ...errorResponses } },
    handler: async (req, reply) => {
      await d.devices.remove(actorOf(req), String(req.params.device_id));
      return reply.status(204).send(null);
    },
  });
  r.post(`${base}/:device_id/ssh-host-key/reset`, {
    config: { access: access.can('devices.trust') },
    schema: {
      tags,
      description:
        "Forgets the device's pinned SSH host key, so the next SSH session trusts and pins the key the device presents then (after a router was replaced or its key regenerated). Answers the key that was pinned.",
      params: itemParams,
      response: { 200: z.object({ previous: z.string().nullable() }), ...errorResponses },
    },
    handler: (req) => d.devices.resetSshHostKey(actorOf(req), String(req.params.device_id)),
  });
  r.post(`${base}/:device_id/probe`, {
    config: { access: access.can('devices.write') },
    schema: { tags, params: itemParams, response: { 200: probeOut, ...errorResponses } },
    preHandler: limitProbes,
    handler: (req) => d.devices.reprobe(actorOf(req), String(req.params.device_id)),
  });
}
