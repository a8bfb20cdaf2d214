import { z } from 'zod';
import type { Db } from '../../platform/db/tx.js';

// Which devices a rule, a maintenance window (or later a rollout) applies to. Sectors arrive with the wireless
// issue: the kind exists so stored scopes and the API need no change then; until devices carry a sector, a sector
// scope covers no device.

export const scopeKinds = ['organisation', 'group', 'tag', 'site', 'sector', 'device'] as const;
export type ScopeKind = (typeof scopeKinds)[number];

export const scopeSchema = z
  .strictObject({
    kind: z.enum(scopeKinds),
    id: z.uuid().optional(),
  })
  .refine((s) => (s.kind === 'organisation') === (s.id === undefined), {
    message: 'an organisation scope has no id; every other scope names one',
    path: ['id'],
  });
export type Scope = z.infer<typeof scopeSchema>;

/** What a device belongs to, for matching scopes. */
export type Membership = {
  deviceId: string;
  siteId: string | null;
  sectorId: string | null;
  groupIds: readonly string[];
  tagIds: readonly string[];
};

/** Precedence of a scope: a narrower scope replaces a wider one for the same metric (device > group/tag > site > organisation). */
export const scopeRank: Record<ScopeKind, number> = {
  device: 4,
  group: 3,
  tag: 3,
  sector: 2,
  site: 1,
  organisation: 0,
};

export function scopeCovers(scope: { kind: ScopeKind; id?: string | null }, m: Membership): boolean {
  switch (scope.kind) {
    case 'organisation':
      return true;
    case 'device':
      return scope.id === m.deviceId;
    case 'site':
      return scope.id != null && scope.id === m.siteId;
    case 'sector':
      return scope.id != null && scope.id === m.sectorId;
    case 'group':
      return scope.id != null && m.groupIds.includes(scope.id);
    case 'tag':
      return scope.id != null && m.tagIds.includes(scope.id);
  }
}

/** Memberships of the given devices (or all of the tenant's when `deviceIds` is null), in one query. */
export async function loadMemberships(db: Db, deviceIds: readonly string[] | null): Promise<Map<string, Membership>> {
  const r = await db.query<{ id: string; site_id: string | null; group_ids: string[]; tag_ids: string[] }>(
    `select d.id, d.site_id,
            coalesce((select array_agg(g.group_id) from device_group_members g where g.device_id = d.id), '{}') as group_ids,
            coalesce((select array_agg(t.tag_id) from device_tag_links t where t.device_id = d.id), '{}') as tag_ids
       from devices d
      where ($1::uuid[] is null or d.id = any($1::uuid[]))`,
    [deviceIds],
  );
  const out = new Map<string, Membership>();
  for (const row of r.rows)
    out.set(row.id, {
      deviceId: row.id,
      siteId: row.site_id,
      sectorId: null,
      groupIds: row.group_ids,
      tagIds: row.tag_ids,
    });
  return out;
}

/** Whether a scope's id names an existing entry of this tenant (run under RLS). */
export async function scopeExists(db: Db, scope: Scope): Promise<boolean> {
  const table = { group: 'device_groups', tag: 'device_tags', site: 'sites', device: 'devices' } as const;
  if (scope.kind === 'organisation') return true;
  // Sectors have no table yet: accepted, and cover nothing until they exist.
  if (scope.kind === 'sector') return true;
  const r = await db.query(`select 1 from ${table[scope.kind]} where id = $1`, [scope.id]);
  return r.rowCount === 1;
}
