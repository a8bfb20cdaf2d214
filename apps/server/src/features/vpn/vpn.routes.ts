import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { access, actorOf } from '../../platform/http/access.js';
import { errorResponses, idParams, page, tenantParams } from '../../platform/http/schemas.js';
import { hubBody, hubOut, onboardBody, onboarded, peerBody, peerCreated, peerOut, peersQuery } from './vpn.schema.js';
import type { VpnService } from './vpn.service.js';

const base = '/api/tenants/:tenant_id/vpn';
const tags = ['vpn'];
// Answers that carry a private key are never cached by anyone on the way.
const noStore = { 'cache-control': 'no-store' };

export function vpnRoutes(fastify: FastifyInstance, svc: VpnService) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();

  app.get(base, {
    config: { access: access.can('vpn.read') },
    schema: {
      tags,
      summary: "The organisation's WireGuard hub: settings, public key, block, endpoint, and what the hub host did",
      params: tenantParams,
      response: { 200: hubOut, ...errorResponses },
    },
    handler: (req) => svc.hub(actorOf(req)),
  });

  app.put(base, {
    config: { access: access.can('vpn.write') },
    schema: {
      tags,
      summary: 'Make the hub (key pair, port, block) or change its settings',
      params: tenantParams,
      body: hubBody,
      response: { 200: hubOut, ...errorResponses },
    },
    handler: (req) => svc.putHub(actorOf(req), req.body),
  });

  app.get(`${base}/peers`, {
    config: { access: access.can('vpn.read') },
    schema: {
      tags,
      summary: 'Peers (one per device) with their last handshake and transfer, from the hub',
      params: tenantParams,
      querystring: peersQuery,
      response: { 200: page(peerOut), ...errorResponses },
    },
    handler: (req) => svc.peers(actorOf(req), req.query),
  });

  app.post(`${base}/peers`, {
    config: { access: access.can('vpn.write') },
    schema: {
      tags,
      summary: 'A peer for an existing device: the RouterOS commands (shown once), or applied through safe changes',
      params: tenantParams,
      body: peerBody,
      response: { 201: peerCreated, ...errorResponses },
    },
    handler: async (req, reply) =>
      reply
        .code(201)
        .headers(noStore)
        .send(await svc.createPeer(actorOf(req), req.body)),
  });

  app.delete(`${base}/peers/:peer_id`, {
    config: { access: access.can('vpn.write') },
    schema: {
      tags,
      summary: "Remove a peer from the hub (the router's own WireGuard interface stays until removed there)",
      params: idParams('peer_id'),
      response: { 204: z.null(), ...errorResponses },
    },
    handler: async (req, reply) => {
      await svc.deletePeer(actorOf(req), String(req.params.peer_id));
      return reply.code(204).send(null);
    },
  });

  app.post(`${base}/onboard`, {
    config: { access: access.can('vpn.write') },
    schema: {
      tags,
      summary: 'A new device and its peer in one step: the RouterOS 7 commands that join it to the hub (shown once)',
      params: tenantParams,
      body: onboardBody,
      response: { 201: onboarded, ...errorResponses },
    },
    handler: async (req, reply) =>
      reply
        .code(201)
        .headers(noStore)
        .send(await svc.onboard(actorOf(req), req.body)),
  });
}
