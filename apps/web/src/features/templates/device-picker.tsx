import { useQuery } from '@tanstack/react-query';
import { X } from 'lucide-react';
import { useState } from 'react';
import { devicesQuery } from '@/api/devices';
import { Input } from '@/components/ui/input';

// Devices to preview on: found by name or host, ticked, shown as chips. The server previews at most 50 at once.

const SHOWN = 40;
export const MAX_PREVIEW = 50;

export function DevicePicker(props: { tenantId: string; value: string[]; onChange: (ids: string[]) => void }) {
  const devices = useQuery(devicesQuery(props.tenantId, { fields: ['name', 'host'], sort: 'name' }));
  const [filter, setFilter] = useState('');
  const all = devices.data?.items ?? [];
  const nameOf = (id: string) => all.find((d) => d.id === id)?.name ?? id;
  const text = filter.trim().toLowerCase();
  const matching = all.filter(
    (d) => !text || (d.name ?? '').toLowerCase().includes(text) || (d.host ?? '').toLowerCase().includes(text),
  );
  const shown = matching.slice(0, SHOWN);
  const chosen = new Set(props.value);
  const full = props.value.length >= MAX_PREVIEW;
  return (
    <div className="grid gap-2">
      {props.value.length ? (
        <ul className="flex flex-wrap gap-1.5" aria-label="Devices to preview">
          {props.value.map((id) => (
            <li
              key={id}
              className="inline-flex items-center gap-1 rounded-full border bg-surface py-0.5 pr-1 pl-2 text-xs"
            >
              {nameOf(id)}
              <button
                type="button"
                aria-label={`Remove ${nameOf(id)}`}
                className="rounded-full p-0.5 text-muted-foreground hover:bg-accent hover:text-foreground"
                onClick={() => props.onChange(props.value.filter((x) => x !== id))}
              >
                <X className="size-3" aria-hidden />
              </button>
            </li>
          ))}
        </ul>
      ) : (
        <p className="text-xs text-muted-foreground">Choose up to {MAX_PREVIEW} devices.</p>
      )}
      <Input
        aria-label="Find a device"
        placeholder="Find a device by name or host"
        value={filter}
        onChange={(e) => setFilter(e.target.value)}
      />
      <fieldset className="grid max-h-48 gap-1 overflow-y-auto rounded-md border p-2">
        <legend className="sr-only">Devices</legend>
        {devices.isPending ? (
          <p className="text-xs text-muted-foreground">Loading devices…</p>
        ) : all.length === 0 ? (
          <p className="text-xs text-muted-foreground">The organisation has no devices yet.</p>
        ) : matching.length === 0 ? (
          <p className="text-xs text-muted-foreground">Nothing matches.</p>
        ) : (
          shown.map((d) => (
            <label key={d.id} className="flex items-center gap-2 text-[13px]" data-pick-device={d.name}>
              <input
                type="checkbox"
                checked={chosen.has(d.id)}
                disabled={full && !chosen.has(d.id)}
                onChange={(e) =>
                  props.onChange(e.target.checked ? [...props.value, d.id] : props.value.filter((x) => x !== d.id))
                }
              />
              {d.name}
              <span className="text-xs text-muted-foreground">{d.host}</span>
            </label>
          ))
        )}
        {matching.length > shown.length ? (
          <p className="text-xs text-muted-foreground">
            {matching.length - shown.length} more: type to narrow the list.
          </p>
        ) : null}
      </fieldset>
    </div>
  );
}
