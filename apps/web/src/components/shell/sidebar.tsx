import { Link } from '@tanstack/react-router';
import { PanelLeftClose, PanelLeftOpen } from 'lucide-react';
import type { Me } from '@/api/types';
import { Tooltip } from '@/components/ui/tooltip';
import type { NavEntry } from '@/features/feature';
import { cn } from '@/lib/cn';
import { Logo } from './logo';
import { TenantSwitcher } from './tenant-switcher';
import { UserMenu } from './user-menu';

export function Sidebar(props: {
  me: Me;
  items: NavEntry[];
  collapsed: boolean;
  onToggle: () => void;
  onSignOut: () => void;
}) {
  const { collapsed } = props;
  const groups = [...new Set(props.items.map((i) => i.group))];
  return (
    <aside
      className={cn(
        'sticky top-0 flex h-dvh shrink-0 flex-col border-r bg-surface transition-[width] duration-200',
        collapsed ? 'w-14' : 'w-60',
      )}
    >
      <div className={cn('flex h-12 items-center gap-2 px-3', collapsed && 'justify-center px-0')}>
        <Logo />
        {collapsed ? null : <span className="text-sm font-semibold tracking-tight">TOD</span>}
      </div>
      <div className="px-2 pb-2">
        <TenantSwitcher collapsed={collapsed} canSwitch={props.me.permissions['tenants.create'] === true} />
      </div>
      <nav aria-label="Main" className="flex-1 overflow-y-auto px-2">
        {groups.map((g) => (
          <div key={g} className="pb-3">
            {collapsed ? (
              <div className="mx-2 mb-2 h-px bg-border" />
            ) : (
              <div className="px-2 pb-1 text-[11px] font-medium tracking-wide text-muted-foreground uppercase">{g}</div>
            )}
            <ul className="grid gap-px">
              {props.items
                .filter((i) => i.group === g)
                .map((i) => (
                  <li key={i.to}>
                    <Tooltip content={i.label} disabled={!collapsed}>
                      <Link
                        to={i.to}
                        activeOptions={{ exact: i.to === '/' }}
                        aria-label={collapsed ? i.label : undefined}
                        className={cn(
                          'relative flex h-8 items-center gap-2.5 rounded-md px-2 text-[13px] text-muted-foreground transition-colors hover:bg-accent hover:text-foreground data-[status=active]:bg-accent data-[status=active]:font-medium data-[status=active]:text-foreground',
                          collapsed && 'justify-center px-0',
                        )}
                      >
                        <i.icon className="size-4 shrink-0" aria-hidden />
                        {collapsed ? null : i.label}
                        {i.badge ? <i.badge collapsed={collapsed} /> : null}
                      </Link>
                    </Tooltip>
                  </li>
                ))}
            </ul>
          </div>
        ))}
      </nav>
      <div className="grid gap-1 border-t p-2">
        <UserMenu me={props.me} collapsed={collapsed} onSignOut={props.onSignOut} />
        <Tooltip content={collapsed ? 'Expand sidebar' : 'Collapse sidebar'} disabled={!collapsed}>
          <button
            type="button"
            onClick={props.onToggle}
            aria-label={collapsed ? 'Expand sidebar' : 'Collapse sidebar'}
            className={cn(
              'flex h-7 items-center gap-2 rounded-md px-2 text-xs text-muted-foreground hover:bg-accent hover:text-foreground',
              collapsed && 'justify-center px-0',
            )}
          >
            {collapsed ? <PanelLeftOpen className="size-4" /> : <PanelLeftClose className="size-4" />}
            {collapsed ? null : 'Collapse'}
          </button>
        </Tooltip>
      </div>
    </aside>
  );
}
