// Semantic diff: per menu, items matched by natural key (never `.id`), property-level changes, rule moves.
import { normalizeExport } from '../normalize.js';
import { parseExport } from '../parser.js';
import type { ExportDocument } from '../types.js';
import { buildState, type ConfigState, type Item, type MenuState } from './state.js';

export interface PropChange {
  name: string;
  /** Undefined: the property was not set in A. */
  old?: string;
  /** Undefined: the property is not set in B. */
  new?: string;
}

export interface ItemChange {
  a: Item;
  b: Item;
  changes: PropChange[];
}

export interface ItemMove {
  a: Item;
  b: Item;
  /** Index among the menu's items in A and in B. */
  from: number;
  to: number;
}

export interface MenuDiff {
  path: string;
  ordered: boolean;
  added: Item[];
  removed: Item[];
  changed: ItemChange[];
  moved: ItemMove[];
}

export interface ExportDiff {
  /** softwareId/model/serial/version changes. */
  header: PropChange[];
  /** Menus with at least one difference, in B's order then A-only menus. */
  menus: MenuDiff[];
  /** True when nothing differs. */
  equal: boolean;
  /** The compared states, for callers that need items outside the diff (e.g. diffToCommands anchors). */
  a: ConfigState;
  b: ConfigState;
}

type Input = string | ExportDocument;

function docOf(input: Input, normalized: boolean): ExportDocument {
  if (normalized) return typeof input === 'string' ? parseExport(input) : input;
  return normalizeExport(input).doc;
}

/**
 * The semantic diff of two exports. `normalized`: both are already normalizeExport's output (a stored version),
 * so they are only parsed — normalising a 1 MB export again costs more than the diff itself.
 */
export function diffExports(a: Input, b: Input, opts: { normalized?: boolean } = {}): ExportDiff {
  const da = docOf(a, opts.normalized === true);
  const db = docOf(b, opts.normalized === true);
  const d = diffStates(buildState(da), buildState(db));
  for (const f of ['version', 'softwareId', 'model', 'serial'] as const) {
    if (da.header[f] !== db.header[f]) d.header.push({ name: f, old: da.header[f], new: db.header[f] });
  }
  d.equal = d.equal && d.header.length === 0;
  return d;
}

/** Diff two configuration states (see buildState); header stays empty. */
export function diffStates(sa: ConfigState, sb: ConfigState): ExportDiff {
  const header: PropChange[] = [];
  const menus: MenuDiff[] = [];
  const empty = (path: string): MenuState => ({ path, ordered: false, items: [] });
  const paths = [...sb.keys(), ...[...sa.keys()].filter((p) => !sb.has(p))];
  for (const path of paths) {
    const d = diffMenu(effective(sa.get(path) ?? empty(path)), effective(sb.get(path) ?? empty(path)));
    if (d.added.length + d.removed.length + d.changed.length + d.moved.length > 0) menus.push(d);
  }
  return { header, menus, equal: header.length === 0 && menus.length === 0, a: sa, b: sb };
}

/** A built-in item with no customised property is the same as an item the export does not mention. */
function effective(m: MenuState): MenuState {
  return m.items.some((i) => i.origin !== 'add' && i.origin !== 'other' && i.props.size === 0)
    ? { ...m, items: m.items.filter((i) => i.origin === 'add' || i.origin === 'other' || i.props.size > 0) }
    : m;
}

export function propChanges(a: Map<string, string>, b: Map<string, string>): PropChange[] {
  const out: PropChange[] = [];
  for (const [name, old] of a) {
    const nv = b.get(name);
    if (nv !== old) out.push(nv === undefined ? { name, old } : { name, old, new: nv });
  }
  for (const [name, nv] of b) if (!a.has(name)) out.push({ name, new: nv });
  return out;
}

function signature(item: Item): string {
  return item.origin === 'other'
    ? (item.text ?? '')
    : JSON.stringify([...item.props].sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)));
}

/** Pairs of (index in A, index in B) for matched items. */
export function matchItems(a: MenuState, b: MenuState): Array<[number, number]> {
  // Group by key; duplicates of a key (`... #2`) share a group because their numbering depends on order.
  const groups = new Map<string, { a: number[]; b: number[] }>();
  const group = (key: string): { a: number[]; b: number[] } => {
    let g = groups.get(key);
    if (!g) {
      g = { a: [], b: [] };
      groups.set(key, g);
    }
    return g;
  };
  const groupKey = (it: Item): string =>
    it.keyed ? `k:${it.key.replace(/ #\d+$/, '')}` : it.origin === 'add' ? 'u:' : `o:${it.text ?? ''}`;
  a.items.forEach((it, i) => {
    group(groupKey(it)).a.push(i);
  });
  b.items.forEach((it, j) => {
    group(groupKey(it)).b.push(j);
  });
  const pairs: Array<[number, number]> = [];
  for (const g of groups.values()) {
    if (g.a.length === 1 && g.b.length === 1) {
      pairs.push([g.a[0] as number, g.b[0] as number]);
      continue;
    }
    const sigA = new Map(g.a.map((i) => [i, signature(a.items[i] as Item)]));
    const sigB = new Map(g.b.map((j) => [j, signature(b.items[j] as Item)]));
    const start = pairs.length;
    // Identical content first (in order), then the leftovers by position within the group.
    const bySig = new Map<string, number[]>();
    for (const j of g.b) {
      const sig = sigB.get(j) as string;
      const list = bySig.get(sig);
      if (list) list.push(j);
      else bySig.set(sig, [j]);
    }
    const usedB = new Set<number>();
    const leftA: number[] = [];
    for (const i of g.a) {
      const j = bySig.get(sigA.get(i) as string)?.shift();
      if (j === undefined) leftA.push(i);
      else {
        pairs.push([i, j]);
        usedB.add(j);
      }
    }
    const leftB = g.b.filter((j) => !usedB.has(j));
    const positional = (a.items[leftA[0] ?? -1]?.origin ?? 'other') !== 'other';
    for (let k = 0; positional && k < leftA.length && k < leftB.length; k++)
      pairs.push([leftA[k] as number, leftB[k] as number]);
    // Twins may swap partners without changing any change: pair them in order, or one twin whose content
    // changed would look moved past its look-alike, and a twin's move cannot be addressed.
    const mine = pairs.slice(start);
    inOrder(mine, (p) => sigA.get(p[0]) as string);
    inOrder(mine, (p) => sigB.get(p[1]) as string);
  }
  return pairs.sort((x, y) => x[0] - y[0]);
}

/** Within each class of pairs, the smallest A index gets the smallest B index, and so on. Edits pairs in place. */
function inOrder(pairs: Array<[number, number]>, classOf: (p: [number, number]) => string): void {
  const classes = new Map<string, Array<[number, number]>>();
  for (const p of pairs) {
    const k = classOf(p);
    const list = classes.get(k);
    if (list) list.push(p);
    else classes.set(k, [p]);
  }
  for (const list of classes.values()) {
    if (list.length < 2) continue;
    const as = list.map((p) => p[0]).sort((x, y) => x - y);
    const bs = list.map((p) => p[1]).sort((x, y) => x - y);
    list.forEach((p, k) => {
      p[0] = as[k] as number;
      p[1] = bs[k] as number;
    });
  }
}

function diffMenu(a: MenuState, b: MenuState): MenuDiff {
  const ordered = a.ordered || b.ordered;
  const pairs = matchItems(a, b);
  const matchedA = new Set(pairs.map((p) => p[0]));
  const matchedB = new Set(pairs.map((p) => p[1]));
  const d: MenuDiff = {
    path: b.items.length > 0 || a.items.length === 0 ? b.path : a.path,
    ordered,
    added: b.items.filter((_, j) => !matchedB.has(j)),
    removed: a.items.filter((_, i) => !matchedA.has(i)),
    changed: [],
    moved: [],
  };
  for (const [i, j] of pairs) {
    const ia = a.items[i] as Item;
    const ib = b.items[j] as Item;
    const changes = propChanges(ia.props, ib.props);
    if (changes.length > 0) d.changed.push({ a: ia, b: ib, changes });
  }
  if (ordered) {
    // Items outside the longest run that kept its relative order are the ones that moved.
    const keep = longestIncreasing(pairs.map((p) => p[1]));
    pairs.forEach(([i, j], k) => {
      if (!keep.has(k)) d.moved.push({ a: a.items[i] as Item, b: b.items[j] as Item, from: i, to: j });
    });
  }
  return d;
}

/** Indexes (into `seq`) of one longest strictly increasing subsequence. O(n log n). */
export function longestIncreasing(seq: number[]): Set<number> {
  const tails: number[] = [];
  const prev: number[] = new Array(seq.length).fill(-1);
  for (let k = 0; k < seq.length; k++) {
    const v = seq[k] as number;
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((seq[tails[mid] as number] as number) < v) lo = mid + 1;
      else hi = mid;
    }
    if (lo > 0) prev[k] = tails[lo - 1] as number;
    tails[lo] = k;
  }
  const out = new Set<number>();
  for (let k = tails[tails.length - 1] ?? -1; k >= 0; k = prev[k] as number) out.add(k);
  return out;
}
