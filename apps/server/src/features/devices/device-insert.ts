import type pg from 'pg';
import type { Actor } from '../../platform/auth/principal.js';
import { AppError, conflictFromPg } from '../../platform/http/errors.js';
import { recordAudit } from '../audit/audit.service.js';
import { type DeviceWrite, devicesRepo } from './devices.repo.js';
import type { DeviceInput } from './devices.schema.js';

// Adding a device inside a caller's transaction: the one way a device row is created, whether from the devices API
// or by a feature that makes one together with something of its own (WireGuard onboarding: device and peer at once).

const unique = { devices_endpoint_key: ['device_exists', 'a device with this host and port exists'] } as const;

export function mapWriteError(e: unknown): never {
  const err = e as { code?: string; constraint?: string };
  if (err.code === '23514' && err.constraint === 'devices_credentials')
    throw new AppError('validation_failed', 'a device needs username and password, or a credential profile');
  return conflictFromPg(e, unique);
}

/** Every referenced site, group, tag and profile must belong to the tenant; RLS makes others look missing. */
export async function checkReferences(db: pg.PoolClient, b: DeviceInput) {
  const checks: [Parameters<typeof devicesRepo.knownIds>[1], string[], string][] = [
    ['device_groups', b.group_ids ?? [], 'group_ids'],
    ['device_tags', b.tag_ids ?? [], 'tag_ids'],
    ['sites', b.site_id ? [b.site_id] : [], 'site_id'],
    ['credential_profiles', b.credential_profile_id ? [b.credential_profile_id] : [], 'credential_profile_id'],
  ];
  for (const [table, ids, field] of checks) {
    if (!ids.length) continue;
    const known = await devicesRepo.knownIds(db, table, ids);
    const missing = ids.filter((id) => !known.has(id));
    if (missing.length)
      throw new AppError('validation_failed', `${field}: unknown id(s) ${missing.join(', ')}`, [
        { path: `body.${field}`, message: 'unknown id' },
      ]);
  }
}

/** The device row (its references checked), its groups and tags, and its `device.create` audit entry. */
export async function insertDevice(
  db: pg.PoolClient,
  actor: Actor,
  id: string,
  b: DeviceInput,
  write: DeviceWrite,
  audit: Record<string, unknown>,
) {
  const tenantId = actor.tenantId!;
  await checkReferences(db, b);
  await devicesRepo.insert(db, tenantId, id, write).catch(mapWriteError);
  if (b.group_ids?.length)
    await devicesRepo.setLinks(db, tenantId, 'device_group_members', [id], b.group_ids, 'replace');
  if (b.tag_ids?.length) await devicesRepo.setLinks(db, tenantId, 'device_tag_links', [id], b.tag_ids, 'replace');
  await recordAudit(db, actor, { action: 'device.create', targetType: 'device', targetId: id, details: audit });
}
