import { queryOptions } from '@tanstack/react-query';
import { api, unwrap } from './client';
import { mutation } from './mutation';
import type { Body, Json } from './types';

// Notification channels: where alerts go (email, webhook, Slack, Teams). Secrets are write-only: the list shows
// only what is safe (`config.url_host`, `config.has_password`), and a webhook's signing secret comes back once, in
// the answer to its creation or to a rotation.

const LIST = '/api/tenants/{tenant_id}/notification-channels';
const ONE = '/api/tenants/{tenant_id}/notification-channels/{channel_id}';
export type Channel = Json<typeof LIST, 'get', 200>['items'][number];
export type ChannelKind = Channel['kind'];
export type ChannelSeverity = Channel['severities'][number];
/** A channel as created or changed: `secret` is the webhook's signing secret, present this once. */
export type ChannelSaved = Json<typeof LIST, 'post', 201>;
export type NewChannel = Body<typeof LIST, 'post'>;
export type ChannelChange = Body<typeof ONE, 'patch'>;
export type ChannelTest = Json<`${typeof ONE}/test`, 'post', 200>;

export const channelKeys = { all: (t: string) => ['notification-channels', t] as const };

export function channelsQuery(tenantId: string) {
  return queryOptions({
    queryKey: channelKeys.all(tenantId),
    queryFn: async () => (await unwrap(api.GET(LIST, { params: { path: { tenant_id: tenantId } } }))).items,
  });
}

const HELP = '/api/tenants/{tenant_id}/notification-channels/template-variables';
export type TemplateHelp = Json<typeof HELP, 'get', 200>;

/** What a message template may say (the server's list): never changes while TOD runs. */
export function templateHelpQuery(tenantId: string) {
  return queryOptions({
    queryKey: ['notification-template-help', tenantId] as const,
    queryFn: () => unwrap(api.GET(HELP, { params: { path: { tenant_id: tenantId } } })),
    staleTime: Number.POSITIVE_INFINITY,
  });
}

const one = (t: string, id: string) => ({ path: { tenant_id: t, channel_id: id } });

export const createChannel = mutation({
  run: (v: { tenantId: string; body: NewChannel }) =>
    unwrap(api.POST(LIST, { params: { path: { tenant_id: v.tenantId } }, body: v.body })),
  invalidates: (v) => [channelKeys.all(v.tenantId)],
});

export const updateChannel = mutation({
  run: (v: { tenantId: string; id: string; body: ChannelChange }) =>
    unwrap(api.PATCH(ONE, { params: one(v.tenantId, v.id), body: v.body })),
  invalidates: (v) => [channelKeys.all(v.tenantId)],
});

export const deleteChannel = mutation({
  run: (v: { tenantId: string; channel: Channel }) =>
    unwrap(api.DELETE(ONE, { params: one(v.tenantId, v.channel.id) })),
  invalidates: (v) => [channelKeys.all(v.tenantId)],
});

/** A test notification sent now; its outcome counts in the channel's last sent, last error and failures. */
export const testChannel = mutation({
  run: (v: { tenantId: string; channel: Channel }) =>
    unwrap(api.POST(`${ONE}/test`, { params: one(v.tenantId, v.channel.id) })),
  invalidates: (v) => [channelKeys.all(v.tenantId)],
});
