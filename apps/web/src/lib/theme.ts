import { useSyncExternalStore } from 'react';
import { prefs } from './storage';

// The theme: 'system' follows the OS; a choice is remembered. public/theme-init.js applies it before first paint.
export type ThemeChoice = 'system' | 'light' | 'dark';

const media = () => window.matchMedia('(prefers-color-scheme: dark)');
const listeners = new Set<() => void>();

function read(): ThemeChoice {
  const t = prefs.get('theme');
  return t === 'light' || t === 'dark' ? t : 'system';
}

function apply() {
  const t = read();
  const dark = t === 'dark' || (t === 'system' && media().matches);
  document.documentElement.classList.toggle('dark', dark);
}

export function setTheme(t: ThemeChoice) {
  prefs.set('theme', t === 'system' ? null : t);
  apply();
  for (const l of listeners) l();
}

/** The next theme for a one-key toggle: flips whatever is showing now. */
export function toggleTheme() {
  setTheme(document.documentElement.classList.contains('dark') ? 'light' : 'dark');
}

export function watchSystemTheme() {
  media().addEventListener('change', apply);
}

export function useTheme(): ThemeChoice {
  return useSyncExternalStore((l) => {
    listeners.add(l);
    return () => listeners.delete(l);
  }, read);
}
