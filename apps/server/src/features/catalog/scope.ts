import { z } from 'zod';
import type { Db } from '../../platform/db/tx.js';

// Which devices a rule, a maintenance window (or later a rollout) applies to. A sector scope covers the devices whose
// sector_id names it (sectors: features/sites, migration 058).

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
  const r = await db.query<{
    id: string;
    site_id: string | null;
    sector_id: string | null;
    group_ids: string[];
    tag_ids: string[];
  }>(
    `select d.id, d.site_id, d.sector_id,
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
      sectorId: row.sector_id,
      groupIds: row.group_ids,
      tagIds: row.tag_ids,
    });
  return out;
}

/** Whether a scope's id names an existing entry of this tenant (run under RLS). */
export async function scopeExists(db: Db, scope: Scope): Promise<boolean> {
  const table = {
    group: 'device_groups',
    tag: 'device_tags',
    site: 'sites',
    sector: 'sectors',
    device: 'devices',
  } as const;
  if (scope.kind === 'organisation') return true;
  const r = await db.query(`select 1 from ${table[scope.kind]} where id = $1`, [scope.id]);
  return r.rowCount === 1;
}

/** A rollout's targets: devices named, and members of groups, tags and sites (the union). */
export type TargetIds = { deviceIds: string[]; groupIds: string[]; tagIds: string[]; siteIds: string[] };

/** Ids among `t` that name nothing in this tenant (run under RLS), as `kind:id`. */
export async function missingTargets(db: Db, t: TargetIds): Promise<string[]> {
  const r = await db.query<{ missing: string }>(
    `select 'device:' || x as missing from unnest($1::uuid[]) x where not exists (select 1 from devices where id = x)
     union all select 'group:' || x from unnest($2::uuid[]) x where not exists (select 1 from device_groups where id = x)
     union all select 'tag:' || x from unnest($3::uuid[]) x where not exists (select 1 from device_tags where id = x)
     union all select 'site:' || x from unnest($4::uuid[]) x where not exists (select 1 from sites where id = x)`,
    [t.deviceIds, t.groupIds, t.tagIds, t.siteIds],
  );
  return r.rows.map((x) => x.missing);
}

/**
 * The devices of a target set, in rollout order: the devices named, in the order given, then the members of the
 * groups, tags and sites by name. Each device once.
 */
export async function devicesInTargets(db: Db, t: TargetIds): Promise<{ id: string; name: string }[]> {
  const r = await db.query<{ id: string; name: string }>(
    `with named as (select x as id, min(o) as o from unnest($1::uuid[]) with ordinality as n(x, o) group by x),
          members as (
            select device_id as id from device_group_members where group_id = any($2::uuid[])
            union select device_id from device_tag_links where tag_id = any($3::uuid[])
            union select id from devices where site_id = any($4::uuid[]))
     select d.id, d.name
       from devices d
       left join named on named.id = d.id
      where named.id is not null or d.id in (select id from members)
      order by named.o nulls last, d.name, d.id`,
    [t.deviceIds, t.groupIds, t.tagIds, t.siteIds],
  );
  return r.rows;
}
