import { Link } from '@tanstack/react-router';
import { Building2, Check, ChevronsUpDown, Plus } from 'lucide-react';
import { useTenants } from '@/auth/tenant';
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from '@/components/ui/dropdown-menu';
import { Tooltip } from '@/components/ui/tooltip';
import { cn } from '@/lib/cn';

const initials = (name: string) =>
  name
    .split(/\s+/)
    .slice(0, 2)
    .map((w) => w[0]?.toUpperCase() ?? '')
    .join('');

function Avatar({ name }: { name: string }) {
  return (
    <span
      aria-hidden
      className="grid size-6 shrink-0 place-items-center rounded-md bg-primary text-[11px] font-semibold text-primary-foreground"
    >
      {initials(name) || <Building2 className="size-3.5" />}
    </span>
  );
}

/** The organisation pages act in. A super_admin can switch between all of them; everyone else sees their own. */
export function TenantSwitcher({ collapsed, canSwitch }: { collapsed: boolean; canSwitch: boolean }) {
  const { tenants, current, select } = useTenants();
  const label = current?.name ?? 'No organisation';
  const body = (
    <>
      <Avatar name={label} />
      {/* The name is always the element's text (visually hidden when collapsed), so its accessible name matches. */}
      <span className={collapsed ? 'sr-only' : 'flex-1 truncate text-left text-[13px] font-medium'}>{label}</span>
      {canSwitch && !collapsed ? <ChevronsUpDown className="size-3.5 text-muted-foreground" aria-hidden /> : null}
    </>
  );
  const cls = cn('flex h-9 w-full items-center gap-2 rounded-md px-1.5', canSwitch && 'hover:bg-accent');
  if (!canSwitch)
    return (
      <div className={cls} title={label}>
        {body}
      </div>
    );
  return (
    <DropdownMenu>
      <Tooltip content={label} disabled={!collapsed}>
        <DropdownMenuTrigger className={cls}>{body}</DropdownMenuTrigger>
      </Tooltip>
      <DropdownMenuContent align="start" className="w-60">
        <DropdownMenuLabel>Organisations</DropdownMenuLabel>
        {tenants.map((t) => (
          <DropdownMenuItem key={t.id} onSelect={() => select(t.id)}>
            <Avatar name={t.name} />
            <span className="flex-1 truncate">{t.name}</span>
            {t.id === current?.id ? <Check aria-hidden /> : null}
          </DropdownMenuItem>
        ))}
        <DropdownMenuSeparator />
        <DropdownMenuItem asChild>
          <Link to="/organisations" search={{ new: true }}>
            <Plus aria-hidden />
            New organisation
          </Link>
        </DropdownMenuItem>
      </DropdownMenuContent>
    </DropdownMenu>
  );
}
