import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { access, actorOf } from '../../platform/http/access.js';
import { errorResponses } from '../../platform/http/schemas.js';
import {
  alertsPage,
  eventsQuery,
  ruleItem,
  rulesList,
  siteParams,
  siteRuleBody,
  siteRuleParams,
} from './alerts.schema.js';
import type { SiteAlertsService } from './site-rules.service.js';

const base = '/api/tenants/:tenant_id/sites/:site_id';
const tags = ['alerts'];

/** Site alerts: rules over a site or its sectors (site metrics), and the alerts of the site. */
export function siteAlertsRoutes(fastify: FastifyInstance, svc: SiteAlertsService) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const read = { access: access.can('alerts.read') };
  const configure = { access: access.can('alerts.configure') };

  app.get(`${base}/alert-rules`, {
    config: read,
    schema: {
      tags,
      summary: "A site's alert rules (scoped to the site or one of its sectors)",
      params: siteParams,
      response: { 200: rulesList, ...errorResponses },
    },
    handler: (req) => svc.listRules(actorOf(req), req.params.site_id),
  });
  app.post(`${base}/alert-rules`, {
    config: configure,
    schema: {
      tags,
      summary: 'Create a site alert rule (a site metric; the scope defaults to the site)',
      params: siteParams,
      body: siteRuleBody,
      response: { 201: ruleItem, ...errorResponses },
    },
    handler: async (req, reply) => {
      reply.code(201);
      return svc.createRule(actorOf(req), req.params.site_id, req.body);
    },
  });
  app.get(`${base}/alert-rules/:rule_id`, {
    config: read,
    schema: {
      tags,
      summary: 'One site alert rule',
      params: siteRuleParams,
      response: { 200: ruleItem, ...errorResponses },
    },
    handler: (req) => svc.getRule(actorOf(req), req.params.site_id, req.params.rule_id),
  });
  app.put(`${base}/alert-rules/:rule_id`, {
    config: configure,
    schema: {
      tags,
      summary: 'Replace a site alert rule (what the body leaves out takes its default)',
      params: siteRuleParams,
      body: siteRuleBody,
      response: { 200: ruleItem, ...errorResponses },
    },
    handler: (req) => svc.replaceRule(actorOf(req), req.params.site_id, req.params.rule_id, req.body),
  });
  app.delete(`${base}/alert-rules/:rule_id`, {
    config: configure,
    schema: {
      tags,
      summary: 'Delete a site alert rule (its open alerts are resolved)',
      params: siteRuleParams,
      response: { 204: z.null(), ...errorResponses },
    },
    handler: async (req, reply) => {
      await svc.deleteRule(actorOf(req), req.params.site_id, req.params.rule_id);
      reply.code(204);
      return null;
    },
  });
  app.get(`${base}/alert-events`, {
    config: read,
    schema: {
      tags,
      summary: 'Alerts of the site, its sectors and its devices, newest first (keyset pages)',
      params: siteParams,
      querystring: eventsQuery,
      response: { 200: alertsPage, ...errorResponses },
    },
    handler: (req) => svc.listAlerts(actorOf(req), req.params.site_id, req.query),
  });
}
