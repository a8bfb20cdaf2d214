import { type KeyboardEvent, useState } from 'react';
import { cn } from '@/lib/cn';
import { TabPanel } from './tab-panel';
import { tabDefs } from './tabs';

// Simple Config: the seven forms as sub-tabs (Linksys/Ubiquiti style). Only the open form reads the router.

export function SimpleView(props: { tenantId: string; deviceId: string }) {
  const [open, setOpen] = useState(tabDefs[0]?.tab ?? 'internet');
  const def = tabDefs.find((d) => d.tab === open) ?? tabDefs[0];
  // Arrow keys move between the sub-tabs, as in any tab list.
  const onKey = (e: KeyboardEvent) => {
    const i = tabDefs.findIndex((d) => d.tab === open);
    const step = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
    if (!step) return;
    e.preventDefault();
    const next = tabDefs[(i + step + tabDefs.length) % tabDefs.length];
    if (!next) return;
    setOpen(next.tab);
    document.getElementById(`sc-tab-${next.tab}`)?.focus();
  };
  return (
    <div className="grid gap-4 md:grid-cols-[180px_minmax(0,1fr)]">
      <div
        role="tablist"
        aria-label="Simple config sections"
        aria-orientation="vertical"
        className="flex gap-1 overflow-x-auto md:flex-col"
        onKeyDown={onKey}
      >
        {tabDefs.map((d) => (
          <button
            key={d.tab}
            id={`sc-tab-${d.tab}`}
            type="button"
            role="tab"
            aria-selected={d.tab === open}
            aria-controls={`sc-panel-${d.tab}`}
            tabIndex={d.tab === open ? 0 : -1}
            data-section={d.tab}
            onClick={() => setOpen(d.tab)}
            className={cn(
              'rounded-md px-3 py-1.5 text-left text-[13px] whitespace-nowrap text-muted-foreground hover:bg-accent hover:text-foreground',
              d.tab === open && 'bg-accent font-medium text-foreground',
            )}
          >
            {d.label}
          </button>
        ))}
      </div>
      {def ? (
        <div role="tabpanel" id={`sc-panel-${def.tab}`} aria-labelledby={`sc-tab-${def.tab}`} className="min-w-0">
          <TabPanel key={def.tab} tenantId={props.tenantId} deviceId={props.deviceId} def={def} />
        </div>
      ) : null}
    </div>
  );
}
