import { useQueryClient } from '@tanstack/react-query';
import { Outlet, useMatches, useNavigate } from '@tanstack/react-router';
import { Search } from 'lucide-react';
import { useCallback, useMemo, useState } from 'react';
import { signOut, useMe } from '@/auth/session';
import { toast } from '@/components/ui/toast';
import { features } from '@/features';
import { allowed } from '@/features/feature';
import { prefs } from '@/lib/storage';
import { CommandPalette } from './command-palette';
import { Kbd } from './page';
import { ShortcutHelp } from './shortcut-help';
import { Sidebar } from './sidebar';
import { useShortcuts } from './use-shortcuts';

/** The signed-in frame: sidebar, top bar with the palette button, the page, and the global keyboard layer. */
export function AppShell() {
  const me = useMe();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  // The page's own route (the first under this layout): switching a device page's tab keeps the page mounted.
  const pageKey = useMatches({ select: (m) => m[2]?.pathname ?? '' });
  const items = useMemo(() => allowed(features.nav, me.permissions), [me.permissions]);
  const actions = useMemo(() => allowed(features.actions, me.permissions), [me.permissions]);
  const [collapsed, setCollapsed] = useState(() => prefs.get('sidebar') === 'collapsed');
  const [palette, setPalette] = useState(false);
  const [help, setHelp] = useState(false);
  const openPalette = useCallback(() => setPalette(true), []);
  const openHelp = useCallback(() => setHelp(true), []);
  useShortcuts({ items, openPalette, openHelp });

  const onSignOut = useCallback(async () => {
    try {
      await signOut();
    } catch {
      // Signing out locally still matters when the server is unreachable.
    }
    // Leave the signed-in layout before forgetting the session, so nothing renders without a principal.
    await navigate({ to: '/sign-in' });
    queryClient.clear();
    toast.success('Signed out');
  }, [queryClient, navigate]);

  return (
    <div className="flex min-h-dvh">
      <Sidebar
        me={me}
        items={items}
        collapsed={collapsed}
        onToggle={() => {
          prefs.set('sidebar', collapsed ? null : 'collapsed');
          setCollapsed(!collapsed);
        }}
        onSignOut={onSignOut}
      />
      <div className="flex min-w-0 flex-1 flex-col">
        <header className="sticky top-0 z-20 flex h-12 items-center justify-end gap-2 border-b bg-background/85 px-6 backdrop-blur">
          <button
            type="button"
            onClick={openPalette}
            className="flex h-8 w-64 items-center gap-2 rounded-md border bg-surface px-2.5 text-[13px] text-muted-foreground hover:bg-accent"
          >
            <Search className="size-4" aria-hidden />
            <span className="flex-1 text-left">Search or jump to…</span>
            <Kbd>⌘K</Kbd>
          </button>
          <button
            type="button"
            onClick={openHelp}
            aria-label="Keyboard shortcuts"
            className="grid size-8 place-items-center rounded-md text-muted-foreground hover:bg-accent hover:text-foreground"
          >
            <Kbd>?</Kbd>
          </button>
        </header>
        <main key={pageKey} className="mx-auto w-full max-w-6xl flex-1 animate-page-in px-6 py-6">
          <Outlet />
        </main>
      </div>
      <CommandPalette
        open={palette}
        onOpenChange={setPalette}
        items={items}
        actions={actions}
        canSwitchOrganisation={me.permissions['tenants.create'] === true}
        onSignOut={onSignOut}
      />
      <ShortcutHelp open={help} onOpenChange={setHelp} items={items} />
    </div>
  );
}
