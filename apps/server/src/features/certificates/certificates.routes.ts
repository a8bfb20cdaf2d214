import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { access, actorOf } from '../../platform/http/access.js';
import { errorResponses, page, tenantParams } from '../../platform/http/schemas.js';
import {
  bulkBody,
  caBody,
  caItem,
  certItem,
  certListQuery,
  certParams,
  deployAccepted,
  deployBody,
  deviceParams,
  revokeBody,
} from './certificates.schema.js';
import type { CertificatesService } from './certificates.service.js';

/** The organisation's CA and its routers' certificates, under /api/tenants/{tenant_id}. */
export function certificatesRoutes(app: FastifyInstance, svc: CertificatesService) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['certificates'];
  const base = '/api/tenants/:tenant_id';
  r.get(`${base}/certificates/ca`, {
    config: { access: access.can('certificates.read') },
    schema: { tags, params: tenantParams, response: { 200: caItem, ...errorResponses } },
    handler: (req) => svc.getCa(actorOf(req)),
  });
  r.post(`${base}/certificates/ca`, {
    config: { access: access.can('certificates.admin') },
    schema: {
      tags,
      description: 'Creates the organisation’s certificate authority (one per organisation; its key never leaves TOD).',
      params: tenantParams,
      body: caBody,
      response: { 201: caItem, ...errorResponses },
    },
    handler: async (req, reply) => reply.status(201).send(await svc.createCa(actorOf(req), req.body)),
  });
  r.get(`${base}/certificates/ca/pem`, {
    config: { access: access.can('certificates.read') },
    schema: {
      tags,
      description: 'The CA certificate (PEM), for other tools that should trust the routers.',
      params: tenantParams,
      response: { 200: z.string(), ...errorResponses },
    },
    handler: async (req, reply) => {
      const pem = await svc.caPem(actorOf(req));
      return reply
        .header('content-type', 'application/x-pem-file')
        .header('content-disposition', 'attachment; filename="tod-ca.pem"')
        .send(pem);
    },
  });
  r.get(`${base}/certificates`, {
    config: { access: access.can('certificates.read') },
    schema: {
      tags,
      params: tenantParams,
      querystring: certListQuery,
      response: { 200: page(certItem), ...errorResponses },
    },
    handler: (req) => svc.list(actorOf(req), req.query),
  });
  r.get(`${base}/certificates/:cert_id`, {
    config: { access: access.can('certificates.read') },
    schema: { tags, params: certParams, response: { 200: certItem, ...errorResponses } },
    handler: (req) => svc.get(actorOf(req), req.params.cert_id),
  });
  r.post(`${base}/devices/:device_id/certificate`, {
    config: { access: access.can('certificates.deploy') },
    schema: {
      tags,
      description:
        'Signs a certificate for the device with the organisation’s CA and deploys it to api-ssl as a safe change ' +
        '(replacing the one it has). Follow the operation; the certificate is `deployed` once TOD has connected ' +
        'with it fully verified.',
      params: deviceParams,
      body: deployBody,
      response: { 202: deployAccepted, ...errorResponses },
    },
    handler: async (req, reply) =>
      reply.status(202).send(await svc.deploy(actorOf(req), req.params.device_id, req.body ?? {})),
  });
  r.post(`${base}/certificates/:cert_id/rotate`, {
    config: { access: access.can('certificates.deploy') },
    schema: { tags, params: certParams, response: { 202: deployAccepted, ...errorResponses } },
    handler: async (req, reply) => reply.status(202).send(await svc.rotate(actorOf(req), req.params.cert_id)),
  });
  r.post(`${base}/certificates/:cert_id/revoke`, {
    config: { access: access.can('certificates.admin') },
    schema: {
      tags,
      description:
        'Revokes a certificate: TOD no longer accepts it as verified, and trusts the router by that certificate’s ' +
        'fingerprint (pinned TLS) until a new one is deployed.',
      params: certParams,
      body: revokeBody,
      response: { 200: certItem, ...errorResponses },
    },
    handler: (req) => svc.revoke(actorOf(req), req.params.cert_id, req.body ?? {}),
  });
  r.post(`${base}/certificates/bulk-deploy`, {
    config: { access: access.can('certificates.deploy') },
    schema: {
      tags,
      description: 'Deploys (or renews) a certificate on every target as a rollout.',
      params: tenantParams,
      body: bulkBody,
      response: { 202: z.object({ rollout_id: z.uuid() }), ...errorResponses },
    },
    handler: async (req, reply) => reply.status(202).send(await svc.bulkDeploy(actorOf(req), req.body)),
  });
}
