import { queryOptions } from '@tanstack/react-query';
import { api, unwrap } from './client';
import { type LiveInvalidations, mutation } from './mutation';
import { rolloutKeys } from './rollouts';
import type { Body, Json } from './types';

// Configuration templates: text with typed variables, rendered per device by the server, previewed against each
// device's latest backup, pushed as a rollout, and re-checked for drift on every backup.

const LIST = '/api/tenants/{tenant_id}/templates';
const ONE = '/api/tenants/{tenant_id}/templates/{template_id}';
const STARTERS = '/api/tenants/{tenant_id}/template-starters';
const PREVIEW = '/api/tenants/{tenant_id}/templates/{template_id}/preview';
const PUSH = '/api/tenants/{tenant_id}/templates/{template_id}/push';
const DRIFT = '/api/tenants/{tenant_id}/templates/{template_id}/drift';
const CHECK = '/api/tenants/{tenant_id}/templates/{template_id}/drift/check';

export type Template = Json<typeof ONE, 'get', 200>;
export type NewTemplate = Body<typeof LIST, 'post'>;
export type TemplateChange = Body<typeof ONE, 'patch'>;
/** A declared variable as the API sends it (its type is one of `variableTypes`). */
export type Variable = Template['variables'][number];
export type Starter = Json<typeof STARTERS, 'get', 200>['items'][number];
export type PreviewRequest = Body<typeof PREVIEW, 'post'>;
export type PreviewDevice = Json<typeof PREVIEW, 'post', 200>['devices'][number];
export type PushRequest = Body<typeof PUSH, 'post'>;
export type Targets = PushRequest['targets'];
export type RolloutOptions = NonNullable<PushRequest['rollout']>;
export type Values = NonNullable<PreviewRequest['values']>;
export type Drift = Json<typeof DRIFT, 'get', 200>;
export type DriftDevice = Drift['devices'][number];

export const variableTypes = ['string', 'integer', 'boolean', 'ip', 'cidr', 'list'] as const;
export type VariableType = (typeof variableTypes)[number];
export const listElementTypes = ['string', 'integer', 'ip', 'cidr'] as const;
export type ListElementType = (typeof listElementTypes)[number];

/** How a secret's value comes back to a caller without config.secrets. */
export const REDACTED = '*****';

export const templateKeys = {
  all: (t: string) => ['templates', t] as const,
  list: (t: string) => ['templates', t, 'list'] as const,
  one: (t: string, id: string) => ['templates', t, 'one', id] as const,
  drifts: (t: string) => ['templates', t, 'drift'] as const,
  drift: (t: string, id: string) => ['templates', t, 'drift', id] as const,
  starters: (t: string) => ['templates', t, 'starters'] as const,
};

const tenant = (t: string) => ({ path: { tenant_id: t } });
const one = (t: string, id: string) => ({ path: { tenant_id: t, template_id: id } });

/** Every template of the organisation (an organisation keeps tens, not thousands). */
export function templatesQuery(tenantId: string) {
  return queryOptions({
    queryKey: templateKeys.list(tenantId),
    queryFn: () => unwrap(api.GET(LIST, { params: { ...tenant(tenantId), query: { limit: 500 } } })),
  });
}

export function templateQuery(tenantId: string, id: string) {
  return queryOptions({
    queryKey: templateKeys.one(tenantId, id),
    queryFn: () => unwrap(api.GET(ONE, { params: one(tenantId, id) })),
  });
}

export function startersQuery(tenantId: string) {
  return queryOptions({
    queryKey: templateKeys.starters(tenantId),
    queryFn: async () => (await unwrap(api.GET(STARTERS, { params: tenant(tenantId) }))).items,
    staleTime: Number.POSITIVE_INFINITY,
  });
}

export function driftQuery(tenantId: string, id: string) {
  return queryOptions({
    queryKey: templateKeys.drift(tenantId, id),
    queryFn: () => unwrap(api.GET(DRIFT, { params: one(tenantId, id) })),
  });
}

/**
 * Drift is re-checked when a device is backed up (a new version), and a finished push assigns devices: both move
 * the counts and the drift lists.
 */
export const templatesLive: LiveInvalidations = {
  'config.version': (t) => [templateKeys.all(t)],
  'rollout.progress': (t, m) => (m.device_id === null ? [templateKeys.all(t)] : []),
};

export const createTemplate = mutation({
  run: (v: { tenantId: string; body: NewTemplate }) =>
    unwrap(api.POST(LIST, { params: tenant(v.tenantId), body: v.body })),
  invalidates: (v) => [templateKeys.list(v.tenantId)],
});

export const updateTemplate = mutation({
  run: (v: { tenantId: string; id: string; body: TemplateChange }) =>
    unwrap(api.PATCH(ONE, { params: one(v.tenantId, v.id), body: v.body })),
  invalidates: (v) => [templateKeys.list(v.tenantId), templateKeys.one(v.tenantId, v.id)],
});

export const deleteTemplate = mutation({
  run: (v: { tenantId: string; template: Pick<Template, 'id' | 'name'> }) =>
    unwrap(api.DELETE(ONE, { params: one(v.tenantId, v.template.id) })),
  invalidates: (v) => [templateKeys.all(v.tenantId)],
});

/** Renders for the devices and compares with their latest backups: changes nothing, hence no invalidation. */
export const previewTemplate = mutation({
  run: (v: { tenantId: string; id: string; body: PreviewRequest }) =>
    unwrap(api.POST(PREVIEW, { params: one(v.tenantId, v.id), body: v.body })),
  invalidates: () => [],
});

export const pushTemplate = mutation({
  run: (v: { tenantId: string; id: string; body: PushRequest }) =>
    unwrap(api.POST(PUSH, { params: one(v.tenantId, v.id), body: v.body })),
  invalidates: (v) => [rolloutKeys.lists(v.tenantId), templateKeys.all(v.tenantId)],
});

export const checkDrift = mutation({
  run: (v: { tenantId: string; id: string }) => unwrap(api.POST(CHECK, { params: one(v.tenantId, v.id) })),
  invalidates: (v) => [templateKeys.all(v.tenantId)],
});
