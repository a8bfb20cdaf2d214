import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import { changeKeys } from './changes';
import { api, unwrap } from './client';
import { deviceKeys } from './devices';
import { ApiError } from './errors';
import { type LiveInvalidations, mutation } from './mutation';
import { rolloutKeys } from './rollouts';
import type { Body, Json } from './types';

// Certificates: the organisation's certificate authority and the certificates it signs for routers' api-ssl, each
// deployed as a safe change and proven by a fully verified TLS connection; rotation, revocation and bulk deploys.

const CA = '/api/tenants/{tenant_id}/certificates/ca';
const LIST = '/api/tenants/{tenant_id}/certificates';
const ONE = '/api/tenants/{tenant_id}/certificates/{cert_id}';
const DEPLOY = '/api/tenants/{tenant_id}/devices/{device_id}/certificate';
const BULK = '/api/tenants/{tenant_id}/certificates/bulk-deploy';

export type Authority = Json<typeof CA, 'get', 200>;
export type KeyType = Authority['key_type'];
export type NewAuthority = Body<typeof CA, 'post'>;
export type Certificate = Json<typeof LIST, 'get', 200>['items'][number];
export type CertificateState = Certificate['state'];
export type BulkDeploy = Body<typeof BULK, 'post'>;
export type CertificateFilters = { state?: CertificateState; device_id?: string };

/** The server's deploy operation kind (change operations and their live messages carry it). */
export const DEPLOY_KIND = 'certificate_deploy';

/** On its way to the router: the page polls while one is, since the proof after the change sends no message. */
export const isMoving = (s: CertificateState) => s === 'pending' || s === 'deploying';

export const certificateKeys = {
  all: (t: string) => ['certificates', t] as const,
  ca: (t: string) => ['certificates', t, 'ca'] as const,
  lists: (t: string) => ['certificates', t, 'list'] as const,
  list: (t: string, f: CertificateFilters) => ['certificates', t, 'list', f] as const,
};

const tenant = (t: string) => ({ path: { tenant_id: t } });
const cert = (t: string, id: string) => ({ path: { tenant_id: t, cert_id: id } });

/** The CA certificate as a file (PEM), for other tools that should trust the routers. */
export const caPemUrl = (t: string) => `/api/tenants/${t}/certificates/ca/pem`;

/** The organisation's CA, or null while it has none (the server's 404 `no_ca`). */
export function caQuery(tenantId: string) {
  return queryOptions({
    queryKey: certificateKeys.ca(tenantId),
    queryFn: async (): Promise<Authority | null> => {
      try {
        return await unwrap(api.GET(CA, { params: tenant(tenantId) }));
      } catch (e) {
        if (e instanceof ApiError && e.code === 'no_ca') return null;
        throw e;
      }
    },
  });
}

const PAGE = 500;
/** While a certificate is being deployed: the settle step (a verified connection) ends without a live message. */
const movingPoll = 2000;

/** The organisation's certificates, newest first (500 at most: one per router, plus their history). */
export function certificatesQuery(tenantId: string, f: CertificateFilters) {
  return queryOptions({
    queryKey: certificateKeys.list(tenantId, f),
    queryFn: () => unwrap(api.GET(LIST, { params: { ...tenant(tenantId), query: { ...f, limit: PAGE } } })),
    placeholderData: keepPreviousData,
    refetchInterval: (q) => (q.state.data?.items.some((c) => isMoving(c.state)) ? movingPoll : false),
  });
}

/**
 * A deploy operation moving on (on one device, or each device of a bulk deploy) moves its certificate: pending,
 * deploying, then deployed or failed once the server has proven it (the poll above covers that last step).
 */
export const certificatesLive: LiveInvalidations = {
  'change.operation': (t, m) => (m.kind === DEPLOY_KIND ? [certificateKeys.lists(t)] : []),
};

export const createCa = mutation({
  run: (v: { tenantId: string; body: NewAuthority }) =>
    unwrap(api.POST(CA, { params: tenant(v.tenantId), body: v.body })),
  invalidates: (v) => [certificateKeys.all(v.tenantId)],
});

/** A certificate signed for one device and sent as a safe change (202): follow the operation. */
export const deployCertificate = mutation({
  run: (v: { tenantId: string; deviceId: string; validityDays?: number }) =>
    unwrap(
      api.POST(DEPLOY, {
        params: { path: { tenant_id: v.tenantId, device_id: v.deviceId } },
        body: v.validityDays ? { validity_days: v.validityDays } : {},
      }),
    ),
  invalidates: (v) => [certificateKeys.lists(v.tenantId), changeKeys.operations(v.tenantId)],
});

/** A successor of a deployed certificate, deployed the same way; the old one is superseded once it is proven. */
export const rotateCertificate = mutation({
  run: (v: { tenantId: string; certificate: Certificate }) =>
    unwrap(api.POST(`${ONE}/rotate`, { params: cert(v.tenantId, v.certificate.id) })),
  invalidates: (v) => [certificateKeys.lists(v.tenantId), changeKeys.operations(v.tenantId)],
});

/** Revoked: TOD trusts the router by that certificate's fingerprint (pinned TLS) until a new one is deployed. */
export const revokeCertificate = mutation({
  run: (v: { tenantId: string; certificate: Certificate; reason?: string }) =>
    unwrap(
      api.POST(`${ONE}/revoke`, {
        params: cert(v.tenantId, v.certificate.id),
        body: v.reason ? { reason: v.reason } : {},
      }),
    ),
  invalidates: (v) => [certificateKeys.lists(v.tenantId), deviceKeys.one(v.tenantId, v.certificate.device_id)],
});

/** Deploys (or renews) a certificate on every target as a rollout (202): follow the rollout. */
export const bulkDeployCertificates = mutation({
  run: (v: { tenantId: string; body: BulkDeploy }) =>
    unwrap(api.POST(BULK, { params: tenant(v.tenantId), body: v.body })),
  invalidates: (v) => [certificateKeys.lists(v.tenantId), rolloutKeys.lists(v.tenantId)],
});
