// biome-ignore-all lint/a11y/useSemanticElements: a virtualized table positions rows absolutely, which <table> rows cannot be; ARIA table roles keep it a table for assistive tech
// biome-ignore-all lint/a11y/useFocusableInteractive: rows and cells are not interactive widgets; the name link and checkboxes are the focus targets
import { useNavigate } from '@tanstack/react-router';
import { useVirtualizer } from '@tanstack/react-virtual';
import { ArrowDown, ArrowUp } from 'lucide-react';
import { memo, useCallback, useRef } from 'react';
import type { Device } from '@/api/devices';
import { cn } from '@/lib/cn';
import type { Column, Lookups } from './columns';

const ROW = 36;

/**
 * The device table: only the rows in view (plus a few) are in the DOM, so 10,000 devices scroll like 30. A CSS
 * grid rather than <table> keeps every row the same height and lets the header stick inside the scroller.
 */
export function DeviceTable(props: {
  items: Device[];
  columns: Column[];
  lookups: Lookups;
  sort: string;
  onSort: (s: string) => void;
  selected: Set<string>;
  onSelect: (next: Set<string>) => void;
  selectable: boolean;
}) {
  const { items, columns, selected, selectable } = props;
  const scroller = useRef<HTMLDivElement>(null);
  const navigate = useNavigate();
  const virtualizer = useVirtualizer({
    count: items.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW,
    overscan: 12,
  });
  const template = `${selectable ? '40px ' : ''}${columns.map((c) => c.width).join(' ')}`;
  const allSelected = items.length > 0 && items.every((d) => selected.has(d.id));
  const desc = props.sort.startsWith('-');
  // Stable callbacks (reading the latest selection through a ref) keep the memoised rows from re-rendering.
  const latest = useRef(props);
  latest.current = props;
  const toggle = useCallback((id: string) => {
    const next = new Set(latest.current.selected);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    latest.current.onSelect(next);
  }, []);
  const open = useCallback(
    (id: string) => navigate({ to: '/devices/$deviceId', params: { deviceId: id } }),
    [navigate],
  );
  const sortKey = props.sort.replace(/^-/, '');

  return (
    <div
      ref={scroller}
      data-device-scroller
      className="relative h-[calc(100dvh-290px)] min-h-[360px] overflow-auto"
      role="table"
      aria-label="Devices"
      aria-rowcount={items.length + 1}
    >
      <div className="min-w-[960px]">
        <div
          role="row"
          aria-rowindex={1}
          className="sticky top-0 z-10 grid h-9 items-center border-b bg-surface text-xs font-medium text-muted-foreground"
          style={{ gridTemplateColumns: template }}
        >
          {selectable ? (
            <span role="columnheader" className="flex justify-center">
              <input
                type="checkbox"
                aria-label="Select all devices"
                checked={allSelected}
                onChange={() => props.onSelect(allSelected ? new Set() : new Set(items.map((d) => d.id)))}
                className="size-3.5 accent-foreground"
              />
            </span>
          ) : null}
          {columns.map((c) => {
            const active = c.sort && c.sort === sortKey;
            return (
              <span
                key={c.id}
                role="columnheader"
                aria-sort={active ? (desc ? 'descending' : 'ascending') : undefined}
                className="truncate px-3"
              >
                {c.sort ? (
                  <button
                    type="button"
                    className="inline-flex items-center gap-1 hover:text-foreground"
                    onClick={() => props.onSort(active && !desc ? `-${c.sort}` : c.sort!)}
                  >
                    {c.label}
                    {active ? desc ? <ArrowDown className="size-3" /> : <ArrowUp className="size-3" /> : null}
                  </button>
                ) : (
                  c.label
                )}
              </span>
            );
          })}
        </div>
        <div className="relative" style={{ height: virtualizer.getTotalSize() }}>
          {virtualizer.getVirtualItems().map((v) => {
            const d = items[v.index]!;
            return (
              <Row
                key={d.id}
                d={d}
                index={v.index}
                top={v.start}
                template={template}
                columns={columns}
                lookups={props.lookups}
                selectable={selectable}
                checked={selected.has(d.id)}
                onToggle={toggle}
                onOpen={open}
              />
            );
          })}
        </div>
      </div>
    </div>
  );
}

// Memoised on the row object: a live update replaces only the rows it touches, so only they re-render.
const Row = memo(function Row(p: {
  d: Device;
  index: number;
  top: number;
  template: string;
  columns: Column[];
  lookups: Lookups;
  selectable: boolean;
  checked: boolean;
  onToggle: (id: string) => void;
  onOpen: (id: string) => void;
}) {
  return (
    // biome-ignore lint/a11y/useKeyWithClickEvents: the row's name is a link, which is the keyboard path
    <div
      role="row"
      aria-rowindex={p.index + 2}
      aria-selected={p.selectable ? p.checked : undefined}
      data-device={p.d.name}
      onClick={(e) => {
        if ((e.target as HTMLElement).closest('input,a,button')) return;
        p.onOpen(p.d.id);
      }}
      className={cn(
        'absolute inset-x-0 grid cursor-pointer items-center border-b text-[13px] hover:bg-accent/40',
        p.checked && 'bg-accent/60',
      )}
      style={{ height: ROW, transform: `translateY(${p.top}px)`, gridTemplateColumns: p.template }}
    >
      {p.selectable ? (
        <span role="cell" className="flex justify-center">
          <input
            type="checkbox"
            aria-label={`Select ${p.d.name}`}
            checked={p.checked}
            onChange={() => p.onToggle(p.d.id)}
            className="size-3.5 accent-foreground"
          />
        </span>
      ) : null}
      {p.columns.map((c) => (
        <span key={c.id} role="cell" className="flex min-w-0 items-center px-3">
          {c.id === 'name' ? (
            // A plain anchor, not the router's <Link>: a Link per row subscribes to router state and builds its
            // location on mount, work repeated for every row scrolled into view. Measured gain is small (fleet-ui
            // bench, one A/B run: 5 → 1 frames over 50 ms, 16.4 → 15.4 s to scroll 10,000 rows).
            <a
              href={`/devices/${encodeURIComponent(p.d.id)}`}
              onClick={(e) => {
                if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
                e.preventDefault();
                p.onOpen(p.d.id);
              }}
              className="flex min-w-0 items-center gap-2 hover:underline"
            >
              {c.cell(p.d, p.lookups)}
            </a>
          ) : (
            c.cell(p.d, p.lookups)
          )}
        </span>
      ))}
    </div>
  );
});
