import { z } from 'zod';
import { listQuery, name } from '../../platform/http/schemas.js';

// Sites, device groups and device tags are the same thing with different fields: a named, tenant-owned catalog
// entry that devices point at. One definition each (catalogs.ts) drives the schemas, the repo, the service and the
// routes.

export type CatalogTable = 'sites' | 'device_groups' | 'device_tags';

export type CatalogDef<F extends z.ZodRawShape = z.ZodRawShape> = {
  table: CatalogTable;
  /** URL segment under /api/tenants/{tenant_id}/ */
  segment: string;
  label: string;
  /** Editable fields besides `name`, with their zod types (defaults apply on create). */
  fields: F;
  /** How many devices use an entry: SQL with $1 = entry id. */
  usageSql: string;
};

/** Identity function that types a catalog definition. */
export const defineCatalog = <F extends z.ZodRawShape>(def: CatalogDef<F>): CatalogDef<F> => def;

export const catalogListQuery = z.strictObject({ ...listQuery, search: z.string().max(200).optional() });
export type CatalogListQuery = z.infer<typeof catalogListQuery>;

// Loose: the entry's own fields (address, colour…) pass through next to the common ones.
export const catalogItem = z.looseObject({
  id: z.uuid(),
  name: z.string(),
  device_count: z.number().int(),
  created_at: z.string(),
  updated_at: z.string(),
  policies: z.record(z.string(), z.boolean()),
});
export type CatalogItem = z.infer<typeof catalogItem>;

/** Validated create and update bodies: `name` and the definition's own fields. */
export type CatalogBody = Record<string, unknown>;

/** The create and update bodies of one catalog. */
export function catalogBodies(def: CatalogDef) {
  const create = z.strictObject({ name, ...def.fields });
  const update = z
    .strictObject({
      name: name.optional(),
      ...Object.fromEntries(Object.entries(def.fields).map(([f, t]) => [f, (t as z.ZodType).optional()])),
    })
    .refine((b) => Object.keys(b).length > 0, 'send at least one field');
  return { create, update };
}
