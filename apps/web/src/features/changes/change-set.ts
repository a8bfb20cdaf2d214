import type { Change, MenuRow, Operation } from '@/api/changes';
import { menuName } from '../backups/words';

// A change set: the edits an operator collected on one device before reviewing and applying them together. Pure
// functions, so the merging rules (a second edit of a row joins the first, enable after disable cancels) are tested
// without a browser (test/change-set.test.ts).

export type Edit = {
  key: string;
  change: Change;
  /** What the list shows: "Change rule 2 in /ip firewall filter: comment=x". */
  text: string;
  /** The router's refusal of this edit (from a review or an apply), and the property it names. */
  error?: EditError;
};
export type EditError = { message: string; property?: string };

let serial = 0;
const nextKey = () => `edit-${++serial}`;

/** A row's configuration as the server tells it apart from state; `disabled` has its own Enable/Disable. */
export const configOf = (row: MenuRow) =>
  Object.fromEntries(Object.entries(row.config).filter(([k]) => k !== 'disabled'));

const NAMES = ['name', 'address', 'mac-address', 'list', 'dst-address', 'user'];

/** How a row is named to a person: "rule 3" in ordered menus, else its name, address or id. */
export function rowLabel(row: MenuRow, index: number, ordered: boolean): string {
  if (ordered) return `rule ${index + 1}`;
  for (const n of NAMES) {
    const v = row.properties[n];
    if (v) return v;
  }
  return row.comment ? `“${row.comment}”` : (row.id ?? 'the settings');
}

const terms = (p: Record<string, string> | undefined) =>
  Object.entries(p ?? {})
    .map(([k, v]) => `${k}=${v === '' || /[\s"]/.test(v) ? JSON.stringify(v) : v}`)
    .join(' ');

export function describe(change: Change, label: string, direction?: 'up' | 'down'): string {
  const menu = menuName(change.path);
  switch (change.action) {
    case 'add':
      return `Add to ${menu}: ${terms(change.properties)}`;
    case 'set':
      return `Change ${label} in ${menu}: ${terms(change.properties)}`;
    case 'remove':
      return `Delete ${label} from ${menu}`;
    case 'enable':
      return `Enable ${label} in ${menu}`;
    case 'disable':
      return `Disable ${label} in ${menu}`;
    case 'move':
      return `Move ${label} ${direction ?? ''} in ${menu}`.replace('  ', ' ');
    case 'make-static':
      return `Make ${label} a static lease`;
  }
}

const sameRow = (a: Change, b: Change) => a.path === b.path && a.id !== undefined && a.id === b.id;

/**
 * Adds an edit to the set: a second change of a row's properties joins the first; enabling a row the set disables
 * (or the reverse) cancels both; deleting a row drops its other edits.
 */
export function addEdit(set: readonly Edit[], change: Change, text: string): Edit[] {
  const rowEdits = set.filter((e) => sameRow(e.change, change));
  if (change.action === 'set') {
    const prior = rowEdits.find((e) => e.change.action === 'set');
    if (prior) {
      const properties = { ...prior.change.properties, ...change.properties };
      const merged = { ...prior.change, properties };
      const label = text.replace(/: .*$/, '');
      return set.map((e) => (e === prior ? { key: e.key, change: merged, text: `${label}: ${terms(properties)}` } : e));
    }
  }
  if (change.action === 'enable' || change.action === 'disable') {
    const opposite = rowEdits.find((e) => e.change.action === (change.action === 'enable' ? 'disable' : 'enable'));
    if (opposite) return set.filter((e) => e !== opposite);
    if (rowEdits.some((e) => e.change.action === change.action)) return [...set];
  }
  if (change.action === 'make-static' && rowEdits.some((e) => e.change.action === 'make-static')) return [...set];
  const rest = change.action === 'remove' ? set.filter((e) => !sameRow(e.change, change)) : [...set];
  return [...rest, { key: nextKey(), change, text }];
}

/** What the set does to one row, for the marker beside it. */
export function pendingFor(set: readonly Edit[], path: string, id: string | null): string[] {
  if (!id) return [];
  const words = {
    set: 'edited',
    remove: 'to delete',
    enable: 'to enable',
    disable: 'to disable',
    move: 'to move',
    'make-static': 'to make static',
  };
  return set
    .filter((e) => e.change.path === path && e.change.id === id && e.change.action !== 'add')
    .map((e) => words[e.change.action as keyof typeof words]);
}

/** The property a router's refusal names: "… (interface): /ip address set …" as the engine reports it. */
export function trapOf(message: string): EditError & { cli?: string } {
  const m = /^(.*?) \(([a-z0-9][a-z0-9.-]*)\): (\/.*)$/s.exec(message);
  if (m) return { message: m[1] ?? message, property: m[2], cli: m[3] };
  const plain = /^(.*?): (\/.*)$/s.exec(message);
  return plain ? { message: plain[1] ?? message, cli: plain[2] } : { message };
}

/**
 * Puts an operation's error on the edit it concerns: the command the router refused is the edit at the same
 * position (an edit becomes exactly one command).
 */
export function withOperationError(set: readonly Edit[], op: Pick<Operation, 'commands' | 'error'>): Edit[] {
  if (!op.error) return [...set];
  const t = trapOf(op.error.message);
  // The server says which command and property; the text is the fallback for operations recorded before it did.
  const index = op.error.command_index ?? (t.cli ? op.commands.indexOf(t.cli) : -1);
  if (index < 0 || index >= set.length) return [...set];
  const property = op.error.property ?? t.property;
  const error: EditError = { message: t.message, ...(property ? { property } : {}) };
  return set.map((e, i) => (i === index ? { ...e, error } : e));
}

/** A review refused with 422 `invalid_change`: "change 2: …" belongs to the second edit. */
export function withReviewError(set: readonly Edit[], detail: string): Edit[] | undefined {
  const m = /^change (\d+): (.*)$/s.exec(detail);
  if (!m) return undefined;
  const index = Number(m[1]) - 1;
  if (!set[index]) return undefined;
  return set.map((e, i) => (i === index ? { ...e, error: { message: m[2] ?? detail } } : e));
}

export const clearErrors = (set: readonly Edit[]) => set.map(({ error: _, ...e }) => e);
