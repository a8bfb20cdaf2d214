import type { Db } from '../../platform/db/tx.js';
import type { TemplateDevice } from './render.js';

// What a template knows of a device (`device.*`), and the ids of its groups (per-group values), read in one query
// for many devices. Read-only joins of the inventory's tables, for display-like use (see ARCHITECTURE: one repo
// per table; read joins allowed).

export type DeviceContext = { device: TemplateDevice; groupIds: string[] };

export async function deviceContexts(db: Db, ids: readonly string[]): Promise<Map<string, DeviceContext>> {
  const r = await db.query<{
    id: string;
    name: string;
    identity: string | null;
    host: string;
    model: string | null;
    version: string | null;
    site: string | null;
    tags: string[];
    groups: { id: string; name: string }[];
    interfaces: TemplateDevice['interfaces'];
  }>(
    `select d.id, d.name, d.identity, d.host, d.model, d.version, s.name as site,
            coalesce((select array_agg(t.name order by t.name) from device_tag_links l
                        join device_tags t on t.id = l.tag_id where l.device_id = d.id), '{}') as tags,
            coalesce((select json_agg(json_build_object('id', g.id, 'name', g.name) order by g.name)
                        from device_group_members m join device_groups g on g.id = m.group_id
                       where m.device_id = d.id), '[]') as groups,
            coalesce((select json_agg(json_build_object('name', i.name, 'type', coalesce(i.type, ''),
                        'mac_address', i.mac_address, 'running', coalesce(i.running, false)) order by i.name)
                        from device_interfaces i where i.device_id = d.id), '[]') as interfaces
       from devices d left join sites s on s.id = d.site_id
      where d.id = any($1::uuid[])`,
    [ids],
  );
  const out = new Map<string, DeviceContext>();
  for (const x of r.rows) {
    const major = x.version ? Number.parseInt(x.version, 10) : Number.NaN;
    out.set(x.id, {
      groupIds: x.groups.map((g) => g.id),
      device: {
        id: x.id,
        name: x.name,
        identity: x.identity,
        host: x.host,
        model: x.model,
        version: x.version,
        major: Number.isFinite(major) ? major : null,
        site: x.site,
        tags: x.tags,
        groups: x.groups.map((g) => g.name),
        interfaces: x.interfaces,
      },
    });
  }
  return out;
}
