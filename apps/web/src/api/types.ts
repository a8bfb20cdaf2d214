import type { paths } from './schema';

/** The JSON a path answers with for one status. */
export type Json<P extends keyof paths, M extends keyof paths[P], S extends number> = paths[P][M] extends {
  responses: { [K in S]: { content: { 'application/json': infer T } } };
}
  ? T
  : never;

/** The JSON body a path accepts. */
export type Body<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends {
  requestBody?: { content: { 'application/json': infer B } };
}
  ? B
  : never;

/** One message of the live stream (GET …/stream): its SSE event name and data, as the server's features declare them. */
type StreamMessage = paths['/api/tenants/{tenant_id}/stream']['get']['responses'][200]['content']['text/event-stream'];
export type LiveType = StreamMessage['type'];
export type LiveData<T extends LiveType> = Extract<StreamMessage, { type: T }>['data'];

export type Me = Json<'/api/auth/me', 'get', 200>;
/** A permission name as /api/auth/me lists it (the server's permission table decides which exist). */
export type Permission = keyof Me['permissions'] & string;
export type Tenant = Json<'/api/tenants/{tenant_id}', 'get', 200>;
export type TenantPage = Json<'/api/tenants', 'get', 200>;
export type User = Json<'/api/tenants/{tenant_id}/users/{user_id}', 'get', 200>;
export type ApiKey = Json<'/api/tenants/{tenant_id}/api-keys', 'get', 200>['items'][number];
export type ApiKeyCreated = Json<'/api/tenants/{tenant_id}/api-keys', 'post', 201>;
export type AuditEntry = Json<'/api/tenants/{tenant_id}/audit-logs', 'get', 200>['items'][number];
export type TenantRole = 'admin' | 'operator' | 'viewer';
