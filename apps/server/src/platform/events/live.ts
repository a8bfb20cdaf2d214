import { can, type Permission, permissionTable } from '../auth/permissions.js';
import type { Principal } from '../auth/principal.js';
import type { LiveMessage } from '../bus/types.js';
import type { DomainEvent } from './types.js';

// Live updates (SSE) carry two kinds of message, both through `bus.publishLive`: domain events, published once by
// the worker after they commit (the dispatcher does it), and ephemeral notifications that are never stored
// (`device.state` after every poll). Every message type needs a permission to be seen; a type with no entry in the
// map is never sent to anyone.

/** Live message type → the permission a subscriber needs to receive it. Assembled by the runtime. */
export type LivePermissions = Readonly<Record<string, Permission>>;

/** Whether `principal` may receive `msg` on a live stream. Unknown types: no. */
export function canReceiveLive(principal: Principal, msg: Pick<LiveMessage, 'type'>, permissions: LivePermissions) {
  const permission = Object.hasOwn(permissions, msg.type) ? permissions[msg.type] : undefined;
  return permission !== undefined && can(principal, permission);
}

/** Refuses (at startup) a map that names a permission no feature registered. */
export function checkLivePermissions(permissions: LivePermissions): void {
  const known = permissionTable();
  for (const [type, permission] of Object.entries(permissions))
    if (!known.has(permission)) throw new Error(`live event ${type} needs unknown permission ${permission}`);
}

/** The live message of a domain event (events of no tenant are not sent live). */
export function liveMessageOf(e: DomainEvent): LiveMessage | null {
  if (e.tenantId === null) return null;
  return {
    type: e.type,
    tenantId: e.tenantId,
    id: e.id,
    deviceId: e.deviceId,
    occurredAt: e.occurredAt.toISOString(),
    payload: e.payload,
  };
}
