import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { access, actorOf } from '../../platform/http/access.js';
import { errorResponses } from '../../platform/http/schemas.js';
import {
  ackBody,
  alertDetail,
  alertParams,
  alertsPage,
  countResult,
  eventsQuery,
  metricsList,
  previewResult,
  ruleCreate,
  ruleItem,
  ruleParams,
  rulesList,
  ruleUpdate,
  silenceBody,
  silenceParams,
  silencesList,
  tenantParams,
} from './alerts.schema.js';
import type { AlertsService } from './alerts.service.js';

const base = '/api/tenants/:tenant_id';
const tags = ['alerts'];

export function alertsRoutes(fastify: FastifyInstance, svc: AlertsService) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const read = { access: access.can('alerts.read') };
  const configure = { access: access.can('alerts.configure') };
  const respond = { access: access.can('alerts.respond') };

  app.get(`${base}/alert-metrics`, {
    config: read,
    schema: {
      tags,
      summary: 'What alert rules can watch',
      params: tenantParams,
      response: { 200: metricsList, ...errorResponses },
    },
    handler: (req) => svc.metrics(actorOf(req)),
  });

  app.get(`${base}/alert-rules`, {
    config: read,
    schema: { tags, summary: 'Alert rules', params: tenantParams, response: { 200: rulesList, ...errorResponses } },
    handler: (req) => svc.listRules(actorOf(req)),
  });
  app.post(`${base}/alert-rules`, {
    config: configure,
    schema: {
      tags,
      summary: 'Create an alert rule',
      params: tenantParams,
      body: ruleCreate,
      response: { 201: ruleItem, ...errorResponses },
    },
    handler: async (req, reply) => {
      reply.code(201);
      return svc.createRule(actorOf(req), req.body);
    },
  });
  app.post(`${base}/alert-rules/preview`, {
    config: read,
    schema: {
      tags,
      summary: 'Which devices a draft rule covers and how many would fire on their latest figures',
      params: tenantParams,
      body: ruleCreate,
      response: { 200: previewResult, ...errorResponses },
    },
    handler: (req) => svc.previewRule(actorOf(req), req.body),
  });
  app.get(`${base}/alert-rules/:rule_id`, {
    config: read,
    schema: { tags, summary: 'One alert rule', params: ruleParams, response: { 200: ruleItem, ...errorResponses } },
    handler: (req) => svc.getRule(actorOf(req), req.params.rule_id),
  });
  app.patch(`${base}/alert-rules/:rule_id`, {
    config: configure,
    schema: {
      tags,
      summary: 'Change an alert rule',
      params: ruleParams,
      body: ruleUpdate,
      response: { 200: ruleItem, ...errorResponses },
    },
    handler: (req) => svc.updateRule(actorOf(req), req.params.rule_id, req.body),
  });
  app.delete(`${base}/alert-rules/:rule_id`, {
    config: configure,
    schema: {
      tags,
      summary: 'Delete an alert rule (its open alerts are resolved)',
      params: ruleParams,
      response: { 204: z.null(), ...errorResponses },
    },
    handler: async (req, reply) => {
      await svc.deleteRule(actorOf(req), req.params.rule_id);
      reply.code(204);
      return null;
    },
  });

  app.get(`${base}/alert-events`, {
    config: read,
    schema: {
      tags,
      summary: 'Alerts, newest first (keyset pages)',
      params: tenantParams,
      querystring: eventsQuery,
      response: { 200: alertsPage, ...errorResponses },
    },
    handler: (req) => svc.listAlerts(actorOf(req), req.query),
  });
  app.get(`${base}/alert-events/count`, {
    config: read,
    schema: {
      tags,
      summary: 'Active alerts by severity (the sidebar badge)',
      params: tenantParams,
      response: { 200: countResult, ...errorResponses },
    },
    handler: (req) => svc.count(actorOf(req)),
  });
  app.get(`${base}/alert-events/:alert_id`, {
    config: read,
    schema: {
      tags,
      summary: 'One alert with its notifications',
      params: alertParams,
      response: { 200: alertDetail, ...errorResponses },
    },
    handler: (req) => svc.getAlert(actorOf(req), req.params.alert_id),
  });
  app.post(`${base}/alert-events/:alert_id/acknowledge`, {
    config: respond,
    schema: {
      tags,
      summary: 'Acknowledge a firing alert',
      params: alertParams,
      body: ackBody,
      response: { 200: alertDetail, ...errorResponses },
    },
    handler: (req) => svc.acknowledge(actorOf(req), req.params.alert_id, req.body.note),
  });
  app.post(`${base}/alert-events/:alert_id/resolve`, {
    config: respond,
    schema: {
      tags,
      summary: 'Resolve an alert by hand',
      params: alertParams,
      response: { 200: alertDetail, ...errorResponses },
    },
    handler: (req) => svc.resolve(actorOf(req), req.params.alert_id),
  });

  app.get(`${base}/alert-silences`, {
    config: read,
    schema: {
      tags,
      summary: 'Devices whose alerts are not sent until a time',
      params: tenantParams,
      response: { 200: silencesList, ...errorResponses },
    },
    handler: (req) => svc.listSilences(actorOf(req)),
  });
  app.post(`${base}/alert-silences`, {
    config: respond,
    schema: {
      tags,
      summary: 'Silence a device until a time',
      params: tenantParams,
      body: silenceBody,
      response: { 201: z.object({ id: z.uuid() }), ...errorResponses },
    },
    handler: async (req, reply) => {
      reply.code(201);
      return svc.silence(actorOf(req), req.body);
    },
  });
  app.delete(`${base}/alert-silences/:silence_id`, {
    config: respond,
    schema: { tags, summary: 'End a silence', params: silenceParams, response: { 204: z.null(), ...errorResponses } },
    handler: async (req, reply) => {
      await svc.unsilence(actorOf(req), req.params.silence_id);
      reply.code(204);
      return null;
    },
  });
}
