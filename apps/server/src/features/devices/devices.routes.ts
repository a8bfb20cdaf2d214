import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { access, actorOf } from '../../platform/http/access.js';
import { AppError } from '../../platform/http/errors.js';
import { errorResponses, idParams, page, tenantParams } from '../../platform/http/schemas.js';
import { routerosPassword, routerosUsername } from '../credential-profiles/credential-profiles.schema.js';
import {
  bulkBody,
  deviceCreateBody,
  deviceCreatedOut,
  deviceListQuery,
  deviceOut,
  deviceProbeBody,
  deviceUpdateBody,
  host,
  probeOut,
  tlsModes,
} from './devices.schema.js';
import type { DevicesService } from './devices.service.js';
import { importBody, importDevicesCsv } from './import.js';
import { type ScanHit, scanNetwork } from './scan.js';

export type DevicesRouteDeps = {
  devices: DevicesService;
  importDeps: Parameters<typeof importDevicesCsv>[0];
  scanTimeoutMs: number;
  scanPerMinute: number;
};

const scanBody = z.strictObject({
  cidr: z.string().max(43),
  port: z.number().int().min(1).max(65535).default(8728),
  tls_port: z.number().int().min(1).max(65535).default(8729),
  username: routerosUsername.optional(),
  password: routerosPassword.optional(),
  timeout_ms: z.number().int().min(100).max(10_000).optional(),
});
const scanHit = z.object({
  address: z.string(),
  api: z.boolean(),
  api_ssl: z.boolean(),
  routeros: z.boolean(),
  identity: z.string().nullable(),
  model: z.string().nullable(),
  version: z.string().nullable(),
  login: z.string().nullable(),
  detail: z.string().nullable(),
});
const bulkAddBody = z
  .strictObject({
    devices: z
      .array(
        z.strictObject({
          host,
          port: z.number().int().min(1).max(65535).default(8728),
          tls_port: z.number().int().min(1).max(65535).default(8729),
          name: z.string().trim().min(1).max(200).optional(),
        }),
      )
      .min(1)
      .max(4096),
    tls_mode: z.enum(tlsModes).default('auto'),
    username: routerosUsername.optional(),
    password: routerosPassword.optional(),
    credential_profile_id: z.uuid().optional(),
    site_id: z.uuid().nullable().optional(),
    group_ids: z.array(z.uuid()).max(100).optional(),
    tag_ids: z.array(z.uuid()).max(100).optional(),
  })
  .refine(
    (b) => (b.credential_profile_id ? b.username === undefined : b.username !== undefined && b.password !== undefined),
    {
      message: 'give username and password, or credential_profile_id',
    },
  );
const rowOutcome = z.object({
  row: z.number().int(),
  ok: z.boolean(),
  id: z.string().optional(),
  name: z.string().optional(),
  error: z.string().optional(),
});

export function devicesRoutes(app: FastifyInstance, d: DevicesRouteDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['devices'];
  const base = '/api/tenants/:tenant_id/devices';
  const itemParams = idParams('device_id');
  app.addContentTypeParser('text/csv', { parseAs: 'string', bodyLimit: 10 * 1024 * 1024 }, (_req, body, done) =>
    done(null, { csv: body }),
  );

  r.get(base, {
    config: { access: access.can('devices.read') },
    schema: {
      tags,
      description:
        'Devices, paged (limit up to 10,000). `fields=name,status,cpu_load` returns only those fields (and id): a table of 10,000 rows wants that.',
      params: tenantParams,
      querystring: deviceListQuery,
      response: { 200: page(deviceOut.partial().required({ id: true })), ...errorResponses },
    },
    // Rows come from an explicit column list (never a secret), so a 10,000-row page skips per-row schema checks.
    serializerCompiler: () => (data) => JSON.stringify(data),
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
    handler: async (req, reply) =>
      reply.status(201).send(await d.devices.create(actorOf(req), req.body, { probe: req.query.probe === 'true' })),
  });
  r.post(`${base}/probe`, {
    config: { access: access.can('devices.write') },
    schema: { tags, params: tenantParams, body: deviceProbeBody, response: { 200: probeOut, ...errorResponses } },
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
  r.post(`${base}/import`, {
    config: { access: access.can('devices.write') },
    bodyLimit: 10 * 1024 * 1024,
    schema: {
      tags,
      description:
        'CSV with a header line; send text/csv, or JSON {"csv": "..."}. Columns: name, host, port, tls_port, tls_mode, username, password, credential_profile, site, tags, groups, notes, latitude, longitude (tags and groups separated by ;).',
      params: tenantParams,
      body: importBody,
      response: {
        200: z.object({ added: z.number().int(), failed: z.number().int(), rows: z.array(rowOutcome) }),
        ...errorResponses,
      },
    },
    handler: (req) => importDevicesCsv(d.importDeps, actorOf(req), req.body.csv),
  });
  r.post(`${base}/scan`, {
    config: {
      access: access.can('devices.scan'),
      rateLimit: {
        max: d.scanPerMinute,
        timeWindow: 60_000,
        keyGenerator: (req) => `scan:${(req.params as { tenant_id?: string }).tenant_id}`,
      },
    },
    schema: {
      tags,
      description:
        'Probes an IPv4 network (at most /20) for the RouterOS API. With Accept: application/x-ndjson, hits stream one per line as they are found.',
      params: tenantParams,
      body: scanBody,
      response: {
        200: z.object({
          cidr: z.string(),
          scanned: z.number().int(),
          found: z.array(scanHit),
          duration_ms: z.number().int(),
        }),
        ...errorResponses,
      },
    },
    handler: async (req, reply) => {
      const b = req.body;
      if ((b.username === undefined) !== (b.password === undefined))
        throw new AppError('validation_failed', 'give both username and password, or neither');
      const opts = {
        cidr: b.cidr,
        port: b.port,
        tlsPort: b.tls_port,
        timeoutMs: b.timeout_ms ?? d.scanTimeoutMs,
        credentials: b.username !== undefined ? { username: b.username, password: b.password ?? '' } : undefined,
      };
      const started = performance.now();
      if (req.headers.accept?.includes('application/x-ndjson')) {
        reply.raw.writeHead(200, {
          'content-type': 'application/x-ndjson',
          'cache-control': 'no-store',
          'x-request-id': String(req.id),
        });
        const result = await scanNetwork({
          ...opts,
          onHit: (hit: ScanHit) => reply.raw.write(`${JSON.stringify({ type: 'hit', hit })}\n`),
        });
        reply.raw.end(
          `${JSON.stringify({ type: 'done', scanned: result.scanned, found: result.found.length, duration_ms: Math.round(performance.now() - started) })}\n`,
        );
        return reply;
      }
      const result = await scanNetwork(opts);
      return { cidr: b.cidr, ...result, duration_ms: Math.round(performance.now() - started) };
    },
  });
  r.post(`${base}/bulk-add`, {
    config: { access: access.can('devices.write') },
    schema: {
      tags,
      params: tenantParams,
      body: bulkAddBody,
      response: {
        200: z.object({ added: z.number().int(), failed: z.number().int(), rows: z.array(rowOutcome) }),
        ...errorResponses,
      },
    },
    handler: async (req) => {
      const { devices, ...shared } = req.body;
      const rows: z.infer<typeof rowOutcome>[] = [];
      for (const [i, dev] of devices.entries()) {
        try {
          const created = await d.devices.create(
            actorOf(req),
            { ...shared, ...dev, name: dev.name ?? dev.host, notes: '', disabled: false },
            { probe: false },
          );
          rows.push({ row: i, ok: true, id: created.id as string, name: created.name as string });
        } catch (e) {
          rows.push({ row: i, ok: false, name: dev.name ?? dev.host, error: (e as Error).message });
        }
      }
      const added = rows.filter((x) => x.ok).length;
      return { added, failed: rows.length - added, rows };
    },
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
  r.post(`${base}/:device_id/probe`, {
    config: { access: access.can('devices.write') },
    schema: { tags, params: itemParams, response: { 200: probeOut, ...errorResponses } },
    handler: (req) => d.devices.reprobe(actorOf(req), String(req.params.device_id)),
  });
}
