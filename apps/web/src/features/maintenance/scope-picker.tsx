import { useQuery } from '@tanstack/react-query';
import { X } from 'lucide-react';
import { useState } from 'react';
import { devicesQuery } from '@/api/devices';
import { inventoryQuery } from '@/api/inventory';
import type { WindowScope } from '@/api/maintenance-windows';
import { useCan } from '@/auth/session';
import { Input } from '@/components/ui/input';

// Which devices a window covers when it is not the whole organisation: any mix of sites, groups, tags and devices,
// picked from the organisation's catalog and device list.

type Kind = Exclude<WindowScope['kind'], 'organisation' | 'sector'>;
type Choice = { kind: Kind; id: string; name: string };
const SHOWN = 40;
const kindTitle: Record<Kind, string> = {
  site: 'Sites',
  group: 'Device groups',
  tag: 'Device tags',
  device: 'Devices',
};

/** Names of everything a scope can point at, for the picker and for describing a window's scopes. */
export function useScopeNames(tenantId: string) {
  const canInventory = useCan('inventory.read');
  const sites = useQuery({ ...inventoryQuery(tenantId, 'sites'), enabled: canInventory });
  const groups = useQuery({ ...inventoryQuery(tenantId, 'device-groups'), enabled: canInventory });
  const tags = useQuery({ ...inventoryQuery(tenantId, 'device-tags'), enabled: canInventory });
  const devices = useQuery(devicesQuery(tenantId, { fields: ['name'], sort: 'name' }));
  const choices: Choice[] = [
    ...(sites.data ?? []).map((e) => ({ kind: 'site' as const, id: e.id, name: e.name })),
    ...(groups.data ?? []).map((e) => ({ kind: 'group' as const, id: e.id, name: e.name })),
    ...(tags.data ?? []).map((e) => ({ kind: 'tag' as const, id: e.id, name: e.name })),
    ...(devices.data?.items ?? []).map((d) => ({ kind: 'device' as const, id: d.id, name: d.name ?? d.id })),
  ];
  const byKey = new Map(choices.map((c) => [`${c.kind}:${c.id}`, c.name]));
  return { choices, nameOf: (s: WindowScope) => (s.id ? byKey.get(`${s.kind}:${s.id}`) : undefined) };
}

export function ScopePicker(props: { tenantId: string; value: WindowScope[]; onChange: (v: WindowScope[]) => void }) {
  const { choices, nameOf } = useScopeNames(props.tenantId);
  const [filter, setFilter] = useState('');
  const chosen = new Set(props.value.map((s) => `${s.kind}:${s.id}`));
  const toggle = (c: Choice, on: boolean) =>
    props.onChange(
      on
        ? [...props.value, { kind: c.kind, id: c.id }]
        : props.value.filter((s) => !(s.kind === c.kind && s.id === c.id)),
    );
  const text = filter.trim().toLowerCase();
  const matching = choices.filter((c) => !text || c.name.toLowerCase().includes(text));
  const kinds: Kind[] = ['site', 'group', 'tag', 'device'];

  return (
    <div className="grid gap-2">
      {props.value.length ? (
        <ul className="flex flex-wrap gap-1.5" aria-label="Chosen">
          {props.value.map((s) => {
            const name = nameOf(s) ?? 'unknown';
            return (
              <li
                key={`${s.kind}:${s.id}`}
                className="inline-flex items-center gap-1 rounded-full border bg-surface py-0.5 pr-1 pl-2 text-xs"
              >
                <span className="text-muted-foreground">{s.kind}</span> {name}
                <button
                  type="button"
                  aria-label={`Remove ${s.kind} ${name}`}
                  className="rounded-full p-0.5 text-muted-foreground hover:bg-accent hover:text-foreground"
                  onClick={() => props.onChange(props.value.filter((x) => x !== s))}
                >
                  <X className="size-3" aria-hidden />
                </button>
              </li>
            );
          })}
        </ul>
      ) : (
        <p className="text-xs text-muted-foreground">Choose at least one site, group, tag or device.</p>
      )}
      <Input
        aria-label="Find a site, group, tag or device"
        placeholder="Find a site, group, tag or device"
        value={filter}
        onChange={(e) => setFilter(e.target.value)}
      />
      <div className="grid max-h-52 gap-3 overflow-y-auto rounded-md border p-2">
        {kinds.map((k) => {
          const all = matching.filter((c) => c.kind === k);
          if (!all.length) return null;
          const shown = all.slice(0, SHOWN);
          return (
            <fieldset key={k} className="grid gap-1">
              <legend className="pb-1 text-[11px] font-medium tracking-wide text-muted-foreground uppercase">
                {kindTitle[k]}
              </legend>
              {shown.map((c) => (
                <label key={c.id} className="flex items-center gap-2 text-[13px]">
                  <input
                    type="checkbox"
                    checked={chosen.has(`${c.kind}:${c.id}`)}
                    onChange={(e) => toggle(c, e.target.checked)}
                  />
                  {c.name}
                </label>
              ))}
              {all.length > shown.length ? (
                <p className="text-xs text-muted-foreground">
                  {all.length - shown.length} more: type to narrow the list.
                </p>
              ) : null}
            </fieldset>
          );
        })}
        {matching.length === 0 ? <p className="text-xs text-muted-foreground">Nothing matches.</p> : null}
      </div>
    </div>
  );
}
