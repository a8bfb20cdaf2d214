import { describe, expect, it } from 'vitest';
import { type Permission, registerPermissions } from '../../src/platform/auth/permissions.js';
import type { Principal } from '../../src/platform/auth/principal.js';
import type { Role } from '../../src/platform/auth/roles.js';
import {
  canReceiveLive,
  checkLivePermissions,
  type LivePermissions,
  liveMessageOf,
} from '../../src/platform/events/live.js';

// Which live messages a subscriber may receive: one permission per message type, unknown types never.

registerPermissions('events-live-test', { 'live_test.read': 'viewer', 'live_test.secret': 'admin' });
const perms: LivePermissions = {
  'device.state': 'live_test.read' as Permission,
  'config.changed': 'live_test.secret' as Permission,
};
const user = (role: Role, scope: 'full' | 'enrol' = 'full'): Principal => ({
  kind: 'user',
  userId: '00000000-0000-4000-8000-000000000001',
  tenantId: '00000000-0000-4000-8000-000000000002',
  role,
  email: 'x@example.com',
  name: 'x',
  sessionId: 's',
  mustUpgradeAuth: false,
  scope,
});
const apiKey: Principal = {
  kind: 'api_key',
  keyId: 'k',
  tenantId: '00000000-0000-4000-8000-000000000002',
  role: 'operator',
  name: 'k',
};

describe('canReceiveLive', () => {
  it('answers by the permission of the message type', () => {
    expect(canReceiveLive(user('viewer'), { type: 'device.state' }, perms)).toBe(true);
    expect(canReceiveLive(user('viewer'), { type: 'config.changed' }, perms)).toBe(false);
    expect(canReceiveLive(user('operator'), { type: 'config.changed' }, perms)).toBe(false);
    expect(canReceiveLive(user('admin'), { type: 'config.changed' }, perms)).toBe(true);
    expect(canReceiveLive(user('super_admin'), { type: 'config.changed' }, perms)).toBe(true);
    // API keys act as operators at most.
    expect(canReceiveLive(apiKey, { type: 'device.state' }, perms)).toBe(true);
    expect(canReceiveLive(apiKey, { type: 'config.changed' }, perms)).toBe(false);
  });

  it('never sends a type nobody declared, whatever its name, nor anything to an enrol-only session', () => {
    for (const type of ['device.unknown', 'constructor', '__proto__', 'toString', 'hasOwnProperty'])
      expect(canReceiveLive(user('super_admin'), { type }, perms), type).toBe(false);
    expect(canReceiveLive(user('admin', 'enrol'), { type: 'device.state' }, perms)).toBe(false);
  });

  it('refuses at startup a map naming a permission no feature registered', () => {
    expect(() => checkLivePermissions(perms)).not.toThrow();
    expect(() => checkLivePermissions({ 'x.y': 'no_such.permission' as Permission })).toThrow(
      'live event x.y needs unknown permission no_such.permission',
    );
  });
});

describe('liveMessageOf', () => {
  it('carries a tenant event as {type, tenantId, id, deviceId, occurredAt, payload}; events of no tenant stay off', () => {
    const e = {
      id: '01900000-0000-7000-8000-000000000000',
      type: 'device.rebooted',
      tenantId: '00000000-0000-4000-8000-000000000002',
      deviceId: null,
      actor: null,
      payload: { uptime: 3 },
      occurredAt: new Date('2026-01-01T00:00:00Z'),
    };
    expect(liveMessageOf(e)).toEqual({
      type: 'device.rebooted',
      tenantId: e.tenantId,
      id: e.id,
      deviceId: null,
      occurredAt: '2026-01-01T00:00:00.000Z',
      payload: { uptime: 3 },
    });
    expect(liveMessageOf({ ...e, tenantId: null })).toBeNull();
  });
});
