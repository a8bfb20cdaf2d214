import { Link } from '@tanstack/react-router';
import { LogOut, Monitor, Moon, Settings, Sun } from 'lucide-react';
import type { Me } from '@/api/types';
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from '@/components/ui/dropdown-menu';
import { cn } from '@/lib/cn';
import { roleLabel } from '@/lib/format';
import { setTheme, useTheme } from '@/lib/theme';

export function UserMenu({ me, collapsed, onSignOut }: { me: Me; collapsed: boolean; onSignOut: () => void }) {
  const theme = useTheme();
  const letter = (me.name || me.email || '?').slice(0, 1).toUpperCase();
  return (
    <DropdownMenu>
      <DropdownMenuTrigger className="flex h-10 w-full items-center gap-2 rounded-md px-1.5 text-left hover:bg-accent">
        <span
          aria-hidden
          className="grid size-6 shrink-0 place-items-center rounded-full bg-muted text-[11px] font-semibold"
        >
          {letter}
        </span>
        {collapsed ? (
          <span className="sr-only">{me.name}</span>
        ) : (
          <span className="grid min-w-0 flex-1 leading-tight">
            <span className="truncate text-[13px] font-medium">{me.name}</span>
            <span className="truncate text-xs text-muted-foreground">{roleLabel[me.role] ?? me.role}</span>
          </span>
        )}
      </DropdownMenuTrigger>
      <DropdownMenuContent side="top" align="start" className="w-60">
        <DropdownMenuLabel className="grid">
          <span className="font-medium text-foreground">{me.name}</span>
          <span>{me.email}</span>
        </DropdownMenuLabel>
        <DropdownMenuSeparator />
        <fieldset className="flex gap-1 border-0 px-1 py-1" aria-label="Theme">
          {(
            [
              ['system', Monitor, 'System'],
              ['light', Sun, 'Light'],
              ['dark', Moon, 'Dark'],
            ] as const
          ).map(([value, Icon, label]) => (
            <button
              key={value}
              type="button"
              aria-pressed={theme === value}
              onClick={() => setTheme(value)}
              className={cn(
                'flex flex-1 items-center justify-center gap-1 rounded-md py-1 text-xs text-muted-foreground hover:bg-accent',
                theme === value && 'bg-accent text-foreground',
              )}
            >
              <Icon className="size-3.5" aria-hidden />
              {label}
            </button>
          ))}
        </fieldset>
        <DropdownMenuSeparator />
        <DropdownMenuItem asChild>
          <Link to="/settings">
            <Settings aria-hidden />
            Settings
          </Link>
        </DropdownMenuItem>
        <DropdownMenuItem onSelect={onSignOut}>
          <LogOut aria-hidden />
          Sign out
        </DropdownMenuItem>
      </DropdownMenuContent>
    </DropdownMenu>
  );
}
