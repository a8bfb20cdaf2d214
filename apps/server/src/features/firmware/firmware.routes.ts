import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { access, actorOf } from '../../platform/http/access.js';
import { AppError } from '../../platform/http/errors.js';
import { errorResponses, tenantParams } from '../../platform/http/schemas.js';
import { rolloutAccepted } from '../rollouts/rollouts.schema.js';
import {
  checkBody,
  checkResult,
  downloadBody,
  downloadResult,
  inventoryPage,
  inventoryQuery,
  packageList,
  upgradeBody,
  uploadQuery,
  uploadResult,
} from './firmware.schema.js';
import type { FirmwareService } from './firmware.service.js';

const base = '/api/tenants/:tenant_id/firmware';
const tags = ['firmware'];
const tenantOf = (req: FastifyRequest) => (req.params as { tenant_id?: string }).tenant_id;
/** RouterOS packages are 10–25 MiB; a little room above the largest. */
export const MAX_PACKAGE_BYTES = 64 * 1024 * 1024;

export function firmwareRoutes(app: FastifyInstance, svc: FirmwareService) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(base, {
    config: { access: access.can('firmware.read') },
    schema: {
      tags,
      summary: 'Firmware inventory: what each device runs, and the latest version per channel',
      params: tenantParams,
      querystring: inventoryQuery,
      response: { 200: inventoryPage, ...errorResponses },
    },
    handler: (req) => svc.inventory(actorOf(req), req.query),
  });

  r.post(`${base}/check`, {
    config: {
      access: access.can('firmware.check'),
      // Each check asks every router to ask MikroTik: a few per organisation per minute.
      rateLimit: { max: 4, timeWindow: 60_000, keyGenerator: (req) => `firmware-check:${tenantOf(req)}` },
    },
    schema: {
      tags,
      summary: 'Check now (200 when every device answered, 202 while some are still being checked)',
      params: tenantParams,
      body: checkBody.nullish(),
      response: { 200: checkResult, 202: checkResult, ...errorResponses },
    },
    handler: async (req, reply) => {
      const r = await svc.check(actorOf(req), req.body ?? {});
      return reply.status(r.status === 'done' ? 200 : 202).send(r);
    },
  });

  r.post(`${base}/upgrades`, {
    config: { access: access.can('firmware.upgrade') },
    schema: {
      tags,
      summary: 'Upgrade RouterOS (and optionally RouterBOARD firmware) on many devices as a rollout',
      params: tenantParams,
      body: upgradeBody,
      response: { 202: rolloutAccepted, ...errorResponses },
    },
    handler: async (req, reply) => reply.status(202).send(await svc.upgrade(actorOf(req), req.body)),
  });

  r.get(`${base}/packages`, {
    config: { access: access.can('firmware.read') },
    schema: {
      tags,
      summary: "The organisation's package cache (RouterOS packages for routers without internet)",
      params: tenantParams,
      response: { 200: packageList, ...errorResponses },
    },
    handler: (req) => svc.packages(actorOf(req)),
  });

  r.post(`${base}/packages/download`, {
    // Each call reaches out to MikroTik and moves tens of MiB.
    config: {
      access: access.can('firmware.packages'),
      rateLimit: { max: 20, timeWindow: 60_000, keyGenerator: (req) => `firmware-download:${tenantOf(req)}` },
    },
    schema: {
      tags,
      summary: "Download RouterOS packages from MikroTik's server into the cache",
      description:
        'Fetches `<FIRMWARE_DOWNLOAD_URL>/<version>/<file>` for each package (RouterOS itself when `packages` is absent), checks each is the package, version and architecture asked for, and keeps them only if all arrived.',
      params: tenantParams,
      body: downloadBody,
      response: { 201: downloadResult, ...errorResponses },
    },
    handler: async (req, reply) => reply.status(201).send(await svc.download(actorOf(req), req.body)),
  });

  // The package body parser (64 MiB of application/octet-stream) exists only in this scope.
  app.register(async (scope) => {
    scope.addContentTypeParser(
      'application/octet-stream',
      { parseAs: 'buffer', bodyLimit: MAX_PACKAGE_BYTES },
      (_req, body, done) => done(null, body),
    );
    scope.withTypeProvider<ZodTypeProvider>().post(`${base}/packages`, {
      config: { access: access.can('firmware.packages') },
      bodyLimit: MAX_PACKAGE_BYTES,
      schema: {
        tags,
        summary: 'Upload a RouterOS package (.npk) into the cache',
        description:
          'The body is the .npk file itself (Content-Type: application/octet-stream). Its header is checked (NPK magic, length, parts, name, version, architecture); the file is kept under a name made from them.',
        params: tenantParams,
        querystring: uploadQuery,
        response: { 201: uploadResult, ...errorResponses },
      },
      handler: async (req, reply) => {
        if (!Buffer.isBuffer(req.body))
          throw new AppError('unsupported_media_type', 'send the .npk file as application/octet-stream');
        return reply.status(201).send(await svc.upload(actorOf(req), req.body, req.query.architecture));
      },
    });
  });
}
