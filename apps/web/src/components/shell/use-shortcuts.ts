import { useNavigate } from '@tanstack/react-router';
import { useEffect } from 'react';
import type { NavEntry } from '@/features/feature';

const typing = (t: EventTarget | null) =>
  t instanceof HTMLElement && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName));

/**
 * Global keys: Cmd/Ctrl+K palette, `?` help, `/` search, `g` then a page key. Ignored while typing in a field
 * (except Cmd/Ctrl+K) and while a dialog is open (it owns the keyboard).
 */
export function useShortcuts(o: { items: NavEntry[]; openPalette: () => void; openHelp: () => void }) {
  const navigate = useNavigate();
  useEffect(() => {
    let pendingG = 0;
    const onKey = (e: KeyboardEvent) => {
      if ((e.metaKey || e.ctrlKey) && e.key.toLowerCase() === 'k') {
        e.preventDefault();
        o.openPalette();
        return;
      }
      if (e.metaKey || e.ctrlKey || e.altKey || typing(e.target) || document.querySelector('[role="dialog"]')) return;
      if (e.key === '?') {
        e.preventDefault();
        o.openHelp();
      } else if (e.key === '/') {
        e.preventDefault();
        const search = document.querySelector<HTMLInputElement>('[data-page-search]');
        if (search) search.focus();
        else o.openPalette();
      } else if (e.key === 'g') {
        pendingG = Date.now();
      } else if (Date.now() - pendingG < 1200) {
        pendingG = 0;
        const item = o.items.find((i) => i.key === e.key);
        if (item) {
          e.preventDefault();
          void navigate({ to: item.to });
        }
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [o.items, o.openPalette, o.openHelp, navigate]);
}
