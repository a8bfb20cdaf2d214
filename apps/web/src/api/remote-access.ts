import { queryOptions } from '@tanstack/react-query';
import { api, unwrap } from './client';
import { mutation } from './mutation';
import type { Body, Json } from './types';

// A device's remote sessions: terminal tokens (single use, never cached), WinBox tunnels, the sessions list, and the
// organisation's remote-access settings.

const SSH = '/api/tenants/{tenant_id}/devices/{device_id}/ssh-session';
const WINBOX = '/api/tenants/{tenant_id}/devices/{device_id}/winbox-session';
const TUNNEL = '/api/tenants/{tenant_id}/devices/{device_id}/winbox-session/{tunnel_id}';
const SESSIONS = '/api/tenants/{tenant_id}/devices/{device_id}/sessions';
const SESSION = '/api/tenants/{tenant_id}/devices/{device_id}/sessions/{session_id}';
const TRANSCRIPT = '/api/tenants/{tenant_id}/devices/{device_id}/sessions/{session_id}/transcript';
const SETTINGS = '/api/tenants/{tenant_id}/remote-access/settings';
export type SshTicket = Json<typeof SSH, 'post', 201>;
export type WinboxTunnel = Json<typeof WINBOX, 'post', 201>;
export type RemoteSession = Json<typeof SESSIONS, 'get', 200>['items'][number];
export type RemoteSettings = Json<typeof SETTINGS, 'get', 200>;
export type RemoteSettingsBody = Body<typeof SETTINGS, 'put'>;

export const remoteKeys = {
  all: (t: string) => ['remote', t] as const,
  sessions: (t: string, d: string) => ['remote', t, 'sessions', d] as const,
  settings: (t: string) => ['remote', t, 'settings'] as const,
};

// Bytes and states of open sessions change while they run: the list follows every few seconds.
export function remoteSessionsQuery(tenantId: string, deviceId: string) {
  return queryOptions({
    queryKey: remoteKeys.sessions(tenantId, deviceId),
    queryFn: () =>
      unwrap(
        api.GET(SESSIONS, {
          params: { path: { tenant_id: tenantId, device_id: deviceId }, query: { state: 'all', limit: 20 } },
        }),
      ),
    refetchInterval: 5_000,
  });
}

export function remoteSettingsQuery(tenantId: string) {
  return queryOptions({
    queryKey: remoteKeys.settings(tenantId),
    queryFn: () => unwrap(api.GET(SETTINGS, { params: { path: { tenant_id: tenantId } } })),
  });
}

export function transcriptOf(tenantId: string, deviceId: string, sessionId: string) {
  return unwrap(
    api.GET(TRANSCRIPT, { params: { path: { tenant_id: tenantId, device_id: deviceId, session_id: sessionId } } }),
  );
}

export const openSshSession = mutation({
  run: (v: { tenantId: string; deviceId: string }) =>
    unwrap(api.POST(SSH, { params: { path: { tenant_id: v.tenantId, device_id: v.deviceId } } })),
  invalidates: (v) => [remoteKeys.sessions(v.tenantId, v.deviceId)],
});

export const openWinbox = mutation({
  run: (v: { tenantId: string; deviceId: string }) =>
    unwrap(api.POST(WINBOX, { params: { path: { tenant_id: v.tenantId, device_id: v.deviceId } }, body: {} })),
  invalidates: (v) => [remoteKeys.sessions(v.tenantId, v.deviceId)],
});

export const endSession = mutation({
  run: (v: { tenantId: string; deviceId: string; session: RemoteSession }) =>
    v.session.kind === 'winbox'
      ? unwrap(
          api.DELETE(TUNNEL, {
            params: { path: { tenant_id: v.tenantId, device_id: v.deviceId, tunnel_id: v.session.id } },
          }),
        )
      : unwrap(
          api.DELETE(SESSION, {
            params: { path: { tenant_id: v.tenantId, device_id: v.deviceId, session_id: v.session.id } },
          }),
        ),
  invalidates: (v) => [remoteKeys.sessions(v.tenantId, v.deviceId)],
});

export const saveRemoteSettings = mutation({
  run: (v: { tenantId: string; body: RemoteSettingsBody }) =>
    unwrap(api.PUT(SETTINGS, { params: { path: { tenant_id: v.tenantId } }, body: v.body })),
  invalidates: (v) => [remoteKeys.settings(v.tenantId)],
});
