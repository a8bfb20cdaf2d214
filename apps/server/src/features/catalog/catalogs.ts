import { z } from 'zod';
import { catalog } from './catalog.js';

export const sites = catalog({
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

export const deviceGroups = catalog({
  table: 'device_groups',
  segment: 'device-groups',
  label: 'device group',
  fields: { description: z.string().max(2000).default('') },
  usageSql: 'select count(*) from device_group_members m where m.group_id = $1',
});

export const deviceTags = catalog({
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
