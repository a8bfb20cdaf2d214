import { useQuery } from '@tanstack/react-query';
import { Command } from 'cmdk';
import { Router as RouterIcon } from 'lucide-react';
import { useEffect, useState } from 'react';
import { type Device, deviceSearchQuery } from '@/api/devices';
import { cn } from '@/lib/cn';

const DEBOUNCE_MS = 200;
const dot = { online: 'bg-success', degraded: 'bg-warning', offline: 'bg-destructive', unknown: 'bg-muted-foreground' };

const itemValue = (d: Device) => `device ${d.id} ${d.name}`;

/** The text after `ms` of no typing: one server search per pause, not per key. */
function useDebounced(value: string, ms: number) {
  const [v, setV] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setV(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return v;
}

/**
 * Devices matching the palette's text by name, host or identity. The server searches (the fleet may be 10,000
 * devices the browser has never loaded); only the 20 best come back, with the four fields the rows show.
 */
export function PaletteDevices(props: {
  tenantId: string;
  query: string;
  itemClass: string;
  onOpen: (id: string) => void;
  /** Called with the first result's item value whenever a new result list arrives. */
  onResults: (firstValue: string) => void;
}) {
  const q = useDebounced(props.query.trim(), DEBOUNCE_MS);
  const found = useQuery(deviceSearchQuery(props.tenantId, q));
  const first = found.data?.[0];
  const { onResults } = props;
  useEffect(() => {
    if (first) onResults(itemValue(first));
  }, [first, onResults]);
  if (!q || !found.data?.length) return null;
  return (
    // forceMount: the server already matched these; cmdk's own fuzzy filter must not hide them.
    <Command.Group heading="Devices" forceMount>
      {found.data.map((d) => (
        <Command.Item
          key={d.id}
          value={itemValue(d)}
          forceMount
          onSelect={() => props.onOpen(d.id)}
          className={props.itemClass}
        >
          <RouterIcon aria-hidden />
          <span className="truncate">{d.name}</span>
          <span className="truncate font-mono text-xs text-muted-foreground">{d.host}</span>
          {d.identity && d.identity !== d.name ? (
            <span className="truncate text-xs text-muted-foreground">{d.identity}</span>
          ) : null}
          <span
            role="img"
            aria-label={d.status ?? 'unknown'}
            className={cn('ml-auto size-1.5 shrink-0 rounded-full', dot[d.status ?? 'unknown'])}
          />
        </Command.Item>
      ))}
    </Command.Group>
  );
}
