import { useQuery } from '@tanstack/react-query';
import type { ScopeKind } from '@/api/alerts';
import { devicesQuery } from '@/api/devices';
import { type InventoryKindId, inventoryQuery } from '@/api/inventory';
import { Field } from '@/components/ui/field';
import { type Option, Select } from '@/components/ui/select';

export type Scope = { kind: ScopeKind; id?: string };

export const scopeKindLabel: Record<ScopeKind, string> = {
  organisation: 'Every device',
  site: 'A site',
  group: 'A device group',
  tag: 'Devices with a tag',
  sector: 'A sector',
  device: 'One device',
};

export const entryLabel: Record<ScopeKind, string> = {
  organisation: 'Organisation',
  site: 'Site',
  group: 'Group',
  tag: 'Tag',
  sector: 'Sector',
  device: 'Device',
};

const catalog: Partial<Record<ScopeKind, InventoryKindId>> = {
  site: 'sites',
  group: 'device-groups',
  tag: 'device-tags',
};

/** The entries a scope kind can name (the catalog's sites, groups and tags, or the devices). */
export function useScopeOptions(tenantId: string, kind: ScopeKind): Option[] {
  const inv = catalog[kind];
  const entries = useQuery({ ...inventoryQuery(tenantId, inv ?? 'sites'), enabled: inv !== undefined });
  const devices = useQuery({
    ...devicesQuery(tenantId, { fields: ['name'], sort: 'name' }),
    enabled: kind === 'device',
  });
  if (kind === 'device') return (devices.data?.items ?? []).map((d) => ({ value: d.id, label: d.name ?? d.id }));
  if (inv) return (entries.data ?? []).map((e) => ({ value: e.id, label: e.name }));
  return [];
}

/** Which devices a rule applies to: the organisation, or one site, group, tag or device. */
export function ScopePicker(props: { tenantId: string; value: Scope; onChange: (s: Scope) => void; error?: string }) {
  const { kind, id } = props.value;
  const options = useScopeOptions(props.tenantId, kind);
  // Sectors arrive with the wireless work: offered only to show a rule that already has one.
  const kinds = (Object.keys(scopeKindLabel) as ScopeKind[]).filter((k) => k !== 'sector' || kind === 'sector');
  return (
    <div className="grid gap-3 sm:grid-cols-2">
      <Field id="rule-scope-kind" label="Applies to">
        <Select
          id="rule-scope-kind"
          value={kind}
          onValueChange={(k) =>
            props.onChange(k === 'organisation' ? { kind: 'organisation' } : { kind: k as ScopeKind })
          }
          options={kinds.map((k) => ({ value: k, label: scopeKindLabel[k] }))}
        />
      </Field>
      {kind !== 'organisation' ? (
        <Field id="rule-scope-id" label={entryLabel[kind]} error={props.error}>
          <Select
            id="rule-scope-id"
            value={id ?? ''}
            placeholder={options.length ? 'Choose…' : 'None yet'}
            onValueChange={(v) => props.onChange({ kind, id: v })}
            options={options}
          />
        </Field>
      ) : null}
    </div>
  );
}
