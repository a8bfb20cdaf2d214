import type { LucideIcon } from 'lucide-react';
import type { ComponentType } from 'react';
import type { Device } from '../api/devices';
import type { LiveInvalidations } from '../api/mutation';
import type { Permission } from '../api/types';
import type { FileRoutesByTo } from '../routeTree.gen';

// What a web feature plugs into the shell: its pages in the sidebar, command palette and `g` shortcuts, its
// palette actions, and its tabs on the device page. Each feature folder exports one definition (feature.ts);
// features/index.ts lists them, and the shell and the device page build from that list alone.

/** A page of the app that takes no path parameters (what the sidebar and shortcuts can open). */
export type PagePath = {
  [P in keyof FileRoutesByTo]: P extends `${string}$${string}` ? never : P;
}[keyof FileRoutesByTo];

/** Sidebar sections, in the order they are shown. */
export const navGroups = ['Fleet', 'Inventory', 'Organisation', 'Administration', 'Account'] as const;
export type NavGroup = (typeof navGroups)[number];

export type NavEntry = {
  to: PagePath;
  label: string;
  icon: LucideIcon;
  group: NavGroup;
  /** Shown only when /api/auth/me grants this permission. */
  permission?: Permission;
  /** `g` then this key opens the page. */
  key?: string;
  /**
   * Something live beside the label (a count): rendered inside the sidebar link. Collapsed, the link is named by
   * its label alone, so a badge then shows no text (a dot, say).
   */
  badge?: ComponentType<{ collapsed: boolean }>;
};

/** A palette action that opens a page's create dialog: the page reads `?new=1` (lib/search.ts `newSearch`). */
export type PaletteAction = {
  id: string;
  label: string;
  icon: LucideIcon;
  to: PagePath;
  permission?: Permission;
  /** Offered only while an organisation is current (tenant-scoped writes). */
  needsOrganisation?: boolean;
};

export type DeviceTabProps = { tenantId: string; deviceId: string; device: Device };

export type DeviceTab = {
  /** The URL segment: /devices/<id>/<id of the tab>. The first tab is also the device page's own URL. */
  id: string;
  label: string;
  permission?: Permission;
  /** Usually React.lazy(() => import('./my-tab')), so the tab's code loads when it is opened. */
  component: ComponentType<DeviceTabProps>;
};

export type WebFeature = {
  id: string;
  nav?: NavEntry[];
  actions?: PaletteAction[];
  deviceTabs?: DeviceTab[];
  /** What its live messages make stale (declared in its API module); the fleet stream applies them. */
  live?: LiveInvalidations;
};

export const defineFeature = (f: WebFeature): WebFeature => f;

export type Features = {
  nav: NavEntry[];
  actions: PaletteAction[];
  deviceTabs: DeviceTab[];
  live: LiveInvalidations[];
};

/**
 * Everything the features contribute, in the order of the list. A duplicate feature id, page, shortcut key,
 * action or device tab is a programming error: it throws when the app loads (and in test/features.test.ts).
 */
export function assemble(list: WebFeature[]): Features {
  const seen = new Map<string, string>();
  const claim = (what: string, owner: string) => {
    const prior = seen.get(what);
    if (prior) throw new Error(`${what} is defined by both the ${prior} and the ${owner} feature`);
    seen.set(what, owner);
  };
  for (const f of list) {
    claim(`feature ${f.id}`, f.id);
    for (const n of f.nav ?? []) {
      claim(`page ${n.to}`, f.id);
      if (n.key) claim(`shortcut g ${n.key}`, f.id);
    }
    for (const a of f.actions ?? []) claim(`palette action ${a.id}`, f.id);
    for (const t of f.deviceTabs ?? []) claim(`device tab ${t.id}`, f.id);
  }
  const nav = list.flatMap((f) => f.nav ?? []);
  return {
    nav: navGroups.flatMap((g) => nav.filter((n) => n.group === g)),
    actions: list.flatMap((f) => f.actions ?? []),
    deviceTabs: list.flatMap((f) => f.deviceTabs ?? []),
    live: list.flatMap((f) => (f.live ? [f.live] : [])),
  };
}

/** What this user may see: entries without a permission, or whose permission /api/auth/me grants. */
export const allowed = <T extends { permission?: Permission }>(items: T[], permissions: Record<string, boolean>) =>
  items.filter((i) => !i.permission || permissions[i.permission] === true);
