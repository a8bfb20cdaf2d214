import type { ComponentType } from 'react';
import type { FormBody, Tab, TabView } from '@/api/simple-config';

// What each of the seven forms provides to the panel around it (tab-panel.tsx): the draft it edits, made from what
// the device has (GET), the body POST takes back, its fields, and where its fields show the server's errors.

export type EditorProps<D> = { value: D; onChange: (d: D) => void; view: TabView };

export type TabDef<D> = {
  tab: Tab;
  /** The sub-tab's label. */
  label: string;
  /** One line under the form's title: what it changes and what it leaves alone. */
  description: string;
  fromView: (view: TabView) => D;
  /** The form as POST takes it: nulls and untouched write-only fields left out. */
  toBody: (d: D, view: TabView) => FormBody;
  Editor: ComponentType<EditorProps<D>>;
  /** Error paths a field of the editor shows; others are listed above the form. */
  shown: readonly RegExp[];
  /** Why the form cannot be used on this device (no radios), or null. */
  unusable?: (view: TabView) => string | null;
};

/** Declares a tab with its draft type inferred (the panel works with any). */
export const defineTab = <D>(t: TabDef<D>): TabDef<unknown> => t as unknown as TabDef<unknown>;

/** Readers for the loosely typed GET answer (the server's `form`, `options` and `state` are records). */
export const str = (v: unknown, fallback = ''): string => (typeof v === 'string' ? v : fallback);
export const bool = (v: unknown, fallback = false): boolean => (typeof v === 'boolean' ? v : fallback);
export const strings = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
export const obj = (v: unknown): Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
export const objs = (v: unknown): Record<string, unknown>[] => (Array.isArray(v) ? v.map(obj) : []);

/** Interfaces the device offers (options.interfaces), as picker options. */
export function interfaceOptions(view: TabView, current?: string, withLists = false) {
  const names = objs(view.options.interfaces).map((i) => ({
    value: str(i.name),
    label: `${str(i.name)}${i.type ? ` (${str(i.type)})` : ''}${i.disabled === true ? ', disabled' : ''}`,
  }));
  const lists = withLists
    ? strings(view.options.interface_lists).map((l) => ({ value: l, label: `${l} (interface list)` }))
    : [];
  const all = [...lists, ...names].filter((o) => o.value !== '');
  if (current && !all.some((o) => o.value === current)) all.unshift({ value: current, label: current });
  return all;
}

/**
 * Where a rule's WAN traffic arrives when the device shows none yet: the WAN interface list (RouterOS's defaults
 * have one), else the first Ethernet port; the person can pick another.
 */
export function defaultWan(view: TabView): string {
  if (strings(view.options.interface_lists).includes('WAN')) return 'WAN';
  const ifaces = objs(view.options.interfaces);
  return str((ifaces.find((i) => i.type === 'ether') ?? ifaces[0])?.name);
}
