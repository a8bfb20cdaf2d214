import { z } from 'zod';
import { defineCatalog } from './catalog.schema.js';

export const sites = defineCatalog({
  table: 'sites',
  segment: 'sites',
  label: 'site',
  fields: {
    address: z.string().max(500).default(''),
    latitude: z.number().min(-90).max(90).nullable().default(null),
    longitude: z.number().min(-180).max(180).nullable().default(null),
  },
  usageSql: 'select count(*) from devices d where d.site_id = $1',
});

export const deviceGroups = defineCatalog({
  table: 'device_groups',
  segment: 'device-groups',
  label: 'device group',
  fields: { description: z.string().max(2000).default('') },
  usageSql: 'select count(*) from device_group_members m where m.group_id = $1',
});

export const deviceTags = defineCatalog({
  table: 'device_tags',
  segment: 'device-tags',
  label: 'device tag',
  fields: {
    color: z
      .string()
      .regex(/^#[0-9a-fA-F]{6}$/, 'a colour like #3b82f6')
      .transform((c) => c.toLowerCase())
      .default('#64748b'),
  },
  usageSql: 'select count(*) from device_tag_links l where l.tag_id = $1',
});
