import { ChevronRight } from 'lucide-react';
import { useMemo, useState } from 'react';
import type { MenuEntry } from '@/api/changes';
import { Input } from '@/components/ui/input';
import { cn } from '@/lib/cn';

// The device's configuration tree by RouterOS path: `/ip/firewall/filter` sits under `ip` → `firewall`. Menus the
// device's latest backup configures are marked; a filter narrows a long tree.

type Node = { name: string; path: string; menu?: MenuEntry; children: Node[] };

export function buildTree(menus: MenuEntry[]): Node[] {
  const root: Node = { name: '', path: '', children: [] };
  for (const m of menus) {
    let at = root;
    for (const part of m.path.split('/').filter(Boolean)) {
      const path = `${at.path}/${part}`;
      let next = at.children.find((c) => c.name === part);
      if (!next) {
        next = { name: part, path, children: [] };
        at.children.push(next);
      }
      at = next;
    }
    at.menu = m;
  }
  return root.children;
}

const configured = (n: Node): boolean => !!n.menu?.in_config || n.children.some(configured);

export function MenuTree(props: { menus: MenuEntry[]; chosen: string; onChoose: (path: string) => void }) {
  const [filter, setFilter] = useState('');
  const shown = useMemo(
    () => buildTree(filter ? props.menus.filter((m) => m.path.includes(filter.replaceAll(' ', '/'))) : props.menus),
    [props.menus, filter],
  );
  return (
    <nav aria-label="Configuration menus" className="grid content-start gap-2">
      <Input
        aria-label="Filter menus"
        placeholder="Filter, e.g. firewall"
        value={filter}
        onChange={(e) => setFilter(e.target.value.trim().toLowerCase())}
      />
      <ul className="grid gap-px text-[13px]">
        {shown.map((n) => (
          <Branch key={n.path} node={n} depth={0} open={!!filter} {...props} />
        ))}
      </ul>
      <p className="text-xs text-muted-foreground">
        <span className="mr-1 inline-block size-1.5 rounded-full bg-info align-middle" aria-hidden /> configured on the
        device (from its latest backup)
      </p>
    </nav>
  );
}

function Branch(props: { node: Node; depth: number; open: boolean; chosen: string; onChoose: (p: string) => void }) {
  const { node } = props;
  const [expanded, setExpanded] = useState(props.chosen.startsWith(`${node.path}/`));
  const open = props.open || expanded;
  const inConfig = !!node.menu?.in_config;
  return (
    <li>
      <div className="flex items-center">
        {node.children.length ? (
          <button
            type="button"
            aria-label={`${open ? 'Collapse' : 'Expand'} /${node.path.slice(1).replaceAll('/', ' ')}`}
            aria-expanded={open}
            className="grid size-5 shrink-0 place-items-center rounded text-muted-foreground hover:bg-accent"
            style={{ marginLeft: `${props.depth * 12}px` }}
            onClick={() => setExpanded(!open)}
          >
            <ChevronRight className={cn('size-3.5 transition-transform', open && 'rotate-90')} aria-hidden />
          </button>
        ) : (
          <span className="size-5 shrink-0" style={{ marginLeft: `${props.depth * 12}px` }} />
        )}
        {node.menu ? (
          <button
            type="button"
            data-menu-path={node.path}
            data-in-config={inConfig || undefined}
            aria-current={props.chosen === node.path ? 'true' : undefined}
            className={cn(
              'flex min-w-0 flex-1 items-center gap-1.5 rounded px-1.5 py-0.5 text-left hover:bg-accent',
              props.chosen === node.path && 'bg-accent font-medium',
              !inConfig && 'text-muted-foreground',
            )}
            onClick={() => props.onChoose(node.path)}
          >
            <span className="truncate">{node.name}</span>
            {inConfig ? (
              <>
                <span className="size-1.5 shrink-0 rounded-full bg-info" aria-hidden />
                <span className="sr-only">(configured)</span>
              </>
            ) : null}
          </button>
        ) : (
          <span className={cn('px-1.5 py-0.5', configured(node) ? 'text-foreground' : 'text-muted-foreground')}>
            {node.name}
          </span>
        )}
      </div>
      {open && node.children.length ? (
        <ul className="grid gap-px">
          {node.children.map((c) => (
            <Branch
              key={c.path}
              node={c}
              depth={props.depth + 1}
              open={props.open}
              chosen={props.chosen}
              onChoose={props.onChoose}
            />
          ))}
        </ul>
      ) : null}
    </li>
  );
}
