import { Search } from 'lucide-react';
import { useMemo, useState } from 'react';
import type { TopologyNode } from '@/api/topology';
import { Input } from '@/components/ui/input';
import { cn } from '@/lib/cn';
import { toneDot, toneOf } from './words';

// Find a node by name, identity, address or MAC: the matches list under the box, Enter takes the first, and the
// canvas pans to the one picked and opens its details.

const MAX = 8;

export function matches(nodes: TopologyNode[], text: string): TopologyNode[] {
  const q = text.trim().toLowerCase();
  if (!q) return [];
  const out: TopologyNode[] = [];
  for (const n of nodes) {
    const hay = [n.label, n.identity, n.address, n.mac].filter(Boolean).join(' ').toLowerCase();
    if (hay.includes(q)) out.push(n);
    if (out.length >= 50) break;
  }
  // Names that start with the text first.
  return out.sort(
    (a, b) => Number(!a.label.toLowerCase().startsWith(q)) - Number(!b.label.toLowerCase().startsWith(q)),
  );
}

export function NodeSearch({ nodes, onPick }: { nodes: TopologyNode[]; onPick: (n: TopologyNode) => void }) {
  const [text, setText] = useState('');
  const found = useMemo(() => matches(nodes, text).slice(0, MAX), [nodes, text]);
  const pick = (n: TopologyNode) => {
    onPick(n);
    setText('');
  };
  return (
    <div className="relative w-60">
      <Search className="pointer-events-none absolute top-2 left-2.5 size-4 text-muted-foreground" aria-hidden />
      <Input
        type="search"
        aria-label="Find a device"
        placeholder="Find a device…"
        className="h-8 pl-8"
        value={text}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && found[0]) {
            e.preventDefault();
            pick(found[0]);
          }
          if (e.key === 'Escape') setText('');
        }}
      />
      {text.trim() ? (
        <ul
          aria-label="Matching devices"
          className="absolute top-9 z-30 grid w-full gap-0.5 rounded-lg border bg-popover p-1 shadow-lg"
        >
          {found.length ? (
            found.map((n) => (
              <li key={n.id}>
                <button
                  type="button"
                  onClick={() => pick(n)}
                  className="flex w-full items-center gap-2 rounded-md px-2 py-1.5 text-left text-[13px] hover:bg-accent focus-visible:bg-accent"
                >
                  <span aria-hidden className={cn('size-2 shrink-0 rounded-full', toneDot[toneOf(n)])} />
                  <span className="min-w-0 flex-1 truncate">{n.label}</span>
                  {n.address ? <span className="text-xs text-muted-foreground">{n.address}</span> : null}
                </button>
              </li>
            ))
          ) : (
            <li className="px-2 py-1.5 text-[13px] text-muted-foreground">No device matches</li>
          )}
        </ul>
      ) : null}
    </div>
  );
}
