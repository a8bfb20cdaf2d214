// Human and JSON renderings of a semantic diff.
import { formatValue } from '../escape.js';
import { menuLine } from '../serialize.js';
import type { ExportDiff, PropChange } from './semantic.js';
import type { Item } from './state.js';

export interface ItemJSON {
  key: string;
  origin: Item['origin'];
  props: Record<string, string>;
  line: number;
  identity?: Record<string, string>;
  text?: string;
}

function itemJSON(item: Item): ItemJSON {
  const out: ItemJSON = { key: item.key, origin: item.origin, props: Object.fromEntries(item.props), line: item.line };
  if (item.identity.length > 0) out.identity = Object.fromEntries(item.identity.map((a) => [a.name, a.value ?? '']));
  if (item.text !== undefined) out.text = item.text;
  return out;
}

/** Plain-object form of a diff (Maps flattened, states left out) for `JSON.stringify`. */
export function diffToJSON(diff: ExportDiff): unknown {
  return {
    equal: diff.equal,
    header: diff.header,
    menus: diff.menus.map((m) => ({
      path: m.path,
      ordered: m.ordered,
      added: m.added.map(itemJSON),
      removed: m.removed.map(itemJSON),
      changed: m.changed.map((c) => ({ key: c.a.key, a: itemJSON(c.a), b: itemJSON(c.b), changes: c.changes })),
      moved: m.moved.map((mv) => ({ key: mv.b.key, from: mv.from, to: mv.to })),
    })),
  };
}

function label(item: Item): string {
  if (item.origin === 'singleton') return '(settings)';
  if (item.origin === 'other') return item.text ?? '';
  return item.keyed ? item.key : `unkeyed ${item.key}`;
}

/** Properties not already shown in the label. */
function props(item: Item): string {
  const shown = new Set(item.keyed ? item.key.split(' ').map((p) => p.split('=')[0]) : []);
  return [...item.props]
    .filter(([k]) => !shown.has(k))
    .map(([k, v]) => `${k}=${formatValue(v)}`)
    .join(' ');
}

function change(c: PropChange): string {
  const show = (v: string | undefined): string => (v === undefined ? '(unset)' : formatValue(v));
  return `${c.name}: ${show(c.old)} -> ${show(c.new)}`;
}

/** A readable report: one block per menu, `+` added, `-` removed, `~` changed, `>` moved. */
export function formatDiff(diff: ExportDiff): string {
  if (diff.equal) return 'no differences\n';
  const out: string[] = [];
  if (diff.header.length > 0) {
    out.push('header');
    for (const c of diff.header) out.push(`  ~ ${change(c)}`);
  }
  for (const m of diff.menus) {
    out.push(menuLine(m.path));
    for (const i of m.removed) out.push(`  - ${label(i)}${i.origin === 'other' ? '' : `  ${props(i)}`}`.trimEnd());
    for (const i of m.added) out.push(`  + ${label(i)}${i.origin === 'other' ? '' : `  ${props(i)}`}`.trimEnd());
    for (const c of m.changed) {
      out.push(`  ~ ${label(c.a)}`);
      for (const p of c.changes) out.push(`      ${change(p)}`);
    }
    for (const mv of m.moved) out.push(`  > ${label(mv.b)}  position ${mv.from} -> ${mv.to}`);
  }
  return `${out.join('\n')}\n`;
}
