import { useQuery } from '@tanstack/react-query';
import { inventoryQuery } from '@/api/inventory';
import { useCan } from '@/auth/session';
import { Select } from '@/components/ui/select';

// Site, group and tag filters from the organisation's catalogue; 'all' is no filter.

export type CatalogFilter = { site?: string; group?: string; tag?: string };

export function CatalogFilters({
  tenantId,
  value,
  onChange,
}: {
  tenantId: string;
  value: CatalogFilter;
  onChange: (f: CatalogFilter) => void;
}) {
  const canRead = useCan('inventory.read');
  const sites = useQuery({ ...inventoryQuery(tenantId, 'sites'), enabled: canRead });
  const groups = useQuery({ ...inventoryQuery(tenantId, 'device-groups'), enabled: canRead });
  const tags = useQuery({ ...inventoryQuery(tenantId, 'device-tags'), enabled: canRead });
  const one = (key: keyof CatalogFilter, noun: string, data?: { id: string; name: string }[]) =>
    data?.length ? (
      <Select
        key={key}
        aria-label={`Filter by ${noun}`}
        value={value[key] ?? 'all'}
        onValueChange={(v) => onChange({ ...value, [key]: v === 'all' ? undefined : v })}
        options={[{ value: 'all', label: `Any ${noun}` }, ...data.map((d) => ({ value: d.id, label: d.name }))]}
        className="h-8 w-40"
      />
    ) : null;
  return (
    <>
      {one('site', 'site', sites.data)}
      {one('group', 'group', groups.data)}
      {one('tag', 'tag', tags.data)}
    </>
  );
}
