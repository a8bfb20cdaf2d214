import * as DialogPrimitive from '@radix-ui/react-dialog';
import { useNavigate } from '@tanstack/react-router';
import { Command } from 'cmdk';
import { Building2, LogOut, Moon, Search } from 'lucide-react';
import type * as React from 'react';
import { useState } from 'react';
import { useTenants } from '@/auth/tenant';
import type { NavEntry, PaletteAction } from '@/features/feature';
import { toggleTheme } from '@/lib/theme';
import { PaletteDevices } from './palette-devices';

type PaletteCommand = { id: string; label: string; icon: React.ElementType; run: () => void; keywords?: string[] };

/** Cmd/Ctrl+K: every page the user may open, the actions they may take, and (super_admin) organisation switching. */
export function CommandPalette(props: {
  open: boolean;
  onOpenChange: (o: boolean) => void;
  items: NavEntry[];
  /** The features' actions this user may take. */
  actions: PaletteAction[];
  canSwitchOrganisation: boolean;
  onSignOut: () => void;
}) {
  const navigate = useNavigate();
  const { tenants, current, select } = useTenants();
  const [text, setText] = useState('');
  // Controlled so that devices arriving from the server take the highlight: Enter then opens the best match.
  const [selected, setSelected] = useState('');
  const close = () => {
    setText('');
    props.onOpenChange(false);
  };
  const actions: PaletteCommand[] = [
    ...props.actions
      .filter((a) => current || !a.needsOrganisation)
      .map((a) => ({ ...a, run: () => void navigate({ to: a.to, search: { new: true } }) })),
    { id: 'theme', label: 'Toggle dark mode', icon: Moon, run: toggleTheme, keywords: ['theme', 'light'] },
    { id: 'sign-out', label: 'Sign out', icon: LogOut, run: props.onSignOut, keywords: ['log out'] },
  ];
  const item =
    'flex cursor-default items-center gap-2.5 rounded-md px-2.5 py-2 text-[13px] select-none data-[selected=true]:bg-accent [&_svg]:size-4 [&_svg]:text-muted-foreground';
  const heading =
    '[&_[cmdk-group-heading]]:px-2.5 [&_[cmdk-group-heading]]:pt-2 [&_[cmdk-group-heading]]:pb-1 [&_[cmdk-group-heading]]:text-xs [&_[cmdk-group-heading]]:text-muted-foreground';

  return (
    <DialogPrimitive.Root
      open={props.open}
      onOpenChange={(o) => {
        if (!o) setText('');
        props.onOpenChange(o);
      }}
    >
      <DialogPrimitive.Portal>
        <DialogPrimitive.Overlay className="fixed inset-0 z-50 bg-black/30 data-[state=open]:animate-fade-in" />
        <DialogPrimitive.Content
          aria-describedby={undefined}
          className="fixed top-[16vh] left-1/2 z-50 w-[calc(100%-2rem)] max-w-xl -translate-x-1/2 overflow-hidden rounded-xl border bg-popover shadow-2xl data-[state=open]:animate-pop-in"
        >
          <DialogPrimitive.Title className="sr-only">Command palette</DialogPrimitive.Title>
          <Command loop className={heading} value={selected} onValueChange={setSelected}>
            <div className="flex items-center gap-2 border-b px-3">
              <Search className="size-4 text-muted-foreground" aria-hidden />
              <Command.Input
                autoFocus
                value={text}
                onValueChange={setText}
                placeholder="Jump to a page or device, or run an action…"
                aria-label="Command"
                className="h-11 flex-1 bg-transparent text-sm outline-none placeholder:text-muted-foreground"
              />
            </div>
            <Command.List className="max-h-80 overflow-y-auto p-1.5">
              <Command.Empty className="px-3 py-6 text-center text-[13px] text-muted-foreground">
                No matches.
              </Command.Empty>
              {current ? (
                <PaletteDevices
                  tenantId={current.id}
                  query={text}
                  itemClass={item}
                  onResults={setSelected}
                  onOpen={(id) => {
                    close();
                    void navigate({ to: '/devices/$deviceId', params: { deviceId: id } });
                  }}
                />
              ) : null}
              <Command.Group heading="Pages">
                {props.items.map((i) => (
                  <Command.Item
                    key={i.to}
                    value={`Go to ${i.label}`}
                    onSelect={() => {
                      close();
                      void navigate({ to: i.to });
                    }}
                    className={item}
                  >
                    <i.icon aria-hidden />
                    {i.label}
                  </Command.Item>
                ))}
              </Command.Group>
              <Command.Group heading="Actions">
                {actions.map((a) => (
                  <Command.Item
                    key={a.id}
                    value={a.label}
                    keywords={a.keywords}
                    onSelect={() => {
                      close();
                      a.run();
                    }}
                    className={item}
                  >
                    <a.icon aria-hidden />
                    {a.label}
                  </Command.Item>
                ))}
              </Command.Group>
              {props.canSwitchOrganisation && tenants.length > 1 ? (
                <Command.Group heading="Switch organisation">
                  {tenants
                    .filter((t) => t.id !== current?.id)
                    .map((t) => (
                      <Command.Item
                        key={t.id}
                        value={`Switch to ${t.name}`}
                        onSelect={() => {
                          close();
                          select(t.id);
                        }}
                        className={item}
                      >
                        <Building2 aria-hidden />
                        {t.name}
                      </Command.Item>
                    ))}
                </Command.Group>
              ) : null}
            </Command.List>
          </Command>
        </DialogPrimitive.Content>
      </DialogPrimitive.Portal>
    </DialogPrimitive.Root>
  );
}
