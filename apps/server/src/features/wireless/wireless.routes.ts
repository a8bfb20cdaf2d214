import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { access, actorOf } from '../../platform/http/access.js';
import { rawJsonSerializer } from '../../platform/http/raw-json.js';
import { errorResponses, idParams, tenantParams } from '../../platform/http/schemas.js';
import {
  historyQuery,
  issueList,
  linkList,
  linksQuery,
  registrationList,
  rfStats,
  signalHistory,
} from './wireless.schema.js';
import type { WirelessService } from './wireless.service.js';

const base = '/api/tenants/:tenant_id';
const tags = ['wireless'];
const read = { access: access.can('wireless.read') };
const device = idParams('device_id');

export function wirelessRoutes(app: FastifyInstance, svc: WirelessService) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(`${base}/links`, {
    config: read,
    schema: {
      tags,
      summary: 'Wireless links: each AP registration that is a managed CPE, with its state and figures',
      params: tenantParams,
      querystring: linksQuery,
      response: { 200: linkList, ...errorResponses },
    },
    handler: (req) => svc.links(actorOf(req), req.query),
  });
  r.get(`${base}/sites/:site_id/links`, {
    config: read,
    schema: {
      tags,
      summary: 'Wireless links with an end in the site',
      params: idParams('site_id'),
      querystring: linksQuery,
      response: { 200: linkList, ...errorResponses },
    },
    handler: (req) => svc.links(actorOf(req), { ...req.query, site_id: req.params.site_id as string }),
  });
  r.get(`${base}/devices/:device_id/links`, {
    config: read,
    schema: {
      tags,
      summary: 'Wireless links of a device (as AP or CPE)',
      params: device,
      response: { 200: linkList, ...errorResponses },
    },
    handler: (req) => svc.deviceLinks(actorOf(req), req.params.device_id as string),
  });
  r.get(`${base}/devices/:device_id/registrations`, {
    config: read,
    schema: {
      tags,
      summary: 'The registration table of a device: its clients, or the AP it is connected to',
      params: device,
      response: { 200: registrationList, ...errorResponses },
    },
    handler: (req) => svc.registrations(actorOf(req), req.params.device_id as string),
  });
  r.get(`${base}/devices/:device_id/unknown-clients`, {
    config: read,
    schema: {
      tags,
      summary: 'Clients registered to the device whose MAC matches no managed device',
      params: device,
      response: { 200: registrationList, ...errorResponses },
    },
    handler: (req) => svc.registrations(actorOf(req), req.params.device_id as string, true),
  });
  r.get(`${base}/devices/:device_id/rf-stats`, {
    config: read,
    schema: {
      tags,
      summary: 'Radios of a device: settings and the last monitor snapshot (noise floor, frequency, CCQ, clients)',
      params: device,
      response: { 200: rfStats, ...errorResponses },
    },
    handler: (req) => svc.rfStats(actorOf(req), req.params.device_id as string),
  });
  r.get(`${base}/devices/:device_id/signal-history`, {
    config: read,
    schema: {
      tags,
      summary: 'Signal, SNR, CCQ and rates of one client over 24 h (raw) or 7 / 30 days (hourly), with its trend',
      params: device,
      querystring: historyQuery,
      response: { 200: signalHistory, ...errorResponses },
    },
    // The samples are JSON built by PostgreSQL, sent as they are (see wireless.read.repo signalJson).
    serializerCompiler: rawJsonSerializer,
    handler: (req) => svc.signalHistory(actorOf(req), req.params.device_id as string, req.query),
  });
  r.get(`${base}/fleet/wireless-issues`, {
    config: read,
    schema: {
      tags,
      summary: 'Access points with degraded signal, low CCQ, dropped or falling clients',
      params: tenantParams,
      response: { 200: issueList, ...errorResponses },
    },
    handler: (req) => svc.issues(actorOf(req)),
  });
  r.get('/api/fleet/wireless-issues', {
    config: { access: access.can('wireless.fleet') },
    schema: {
      tags,
      summary: 'Wireless issues of every organisation (super_admin)',
      params: z.strictObject({}),
      response: { 200: issueList, ...errorResponses },
    },
    handler: (req) => svc.fleetIssues(actorOf(req)),
  });
}
