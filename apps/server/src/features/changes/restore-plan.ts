import {
  type ConfigState,
  diffExports,
  diffToCommands,
  diffToJSON,
  type ItemJSON,
  isSecretProperty,
  type PropChange,
  parseExport,
} from '@tod/rsc';
import { countChanges } from '../config-backups/diff.js';
import { cliOf, fromLines, type PlannedCommand, type Where } from './commands.js';
import { type Risk, type RiskContext, type Row, risksOf } from './risks.js';

// What restoring a stored version would do to the device: the semantic diff from its current configuration, the
// minimal commands that get there (items addressed by natural keys, never a whole-export import), what no command
// can do, and the commands that risk cutting TOD off. Pure: both configurations are normalised export texts.

export type SemanticDiff = {
  equal: boolean;
  /** RouterOS version, software id, model or serial changes: a restore changes none of them. */
  header: PropChange[];
  menus: Array<{
    path: string;
    ordered: boolean;
    added: ItemJSON[];
    removed: ItemJSON[];
    changed: Array<{ key: string; a: ItemJSON; b: ItemJSON; changes: PropChange[] }>;
    moved: Array<{ key: string; from: number; to: number }>;
  }>;
};

export type RestorePlan = {
  /** Nothing differs. A header-only difference (another RouterOS version) is not equal, yet needs no command. */
  equal: boolean;
  changes: number;
  semantic: SemanticDiff;
  commands: PlannedCommand[];
  /**
   * What no command here can do, to be done by hand: items nothing but their position tells apart (exact twins;
   * `set 0` built-ins of old exports such as `/queue type`), script lines.
   */
  unsupported: string[];
  risks: Risk[];
};

/** The plan that turns `currentText` into `targetText` (both normalised exports, as config backups store them). */
export function planRestore(
  currentText: string,
  targetText: string,
  ctx: Omit<RiskContext, 'itemsOf'> = {},
): RestorePlan {
  const d = diffExports(currentText, targetText, { normalized: true });
  const { commands, unsupported } = fromLines(diffToCommands(d));
  return {
    equal: d.equal,
    changes: countChanges(d),
    semantic: diffToJSON(d) as SemanticDiff,
    commands,
    unsupported,
    risks: risksOf(commands, { ...ctx, itemsOf: rowsOf(d.a) }),
  };
}

/** The current items of a menu as rows (identity such as `default-name` included), built on first use. */
function rowsOf(state: ConfigState): (path: string) => Row[] {
  const cache = new Map<string, Row[]>();
  return (path) => {
    let rows = cache.get(path);
    if (!rows) {
      rows = (state.get(path)?.items ?? [])
        .filter((i) => i.origin !== 'other')
        .map((i) => ({
          ...Object.fromEntries(i.identity.map((a) => [a.name, a.value ?? ''])),
          ...Object.fromEntries(i.props),
        }));
      cache.set(path, rows);
    }
    return rows;
  };
}

export const REDACTED = '*****';

/**
 * The plan with every secret value (passwords, keys, an SNMP community's name) replaced, for callers who may not
 * see secrets. The engine applies the unredacted plan.
 */
export function redactPlan(plan: RestorePlan, placeholder = REDACTED): RestorePlan {
  return {
    ...plan,
    semantic: {
      ...plan.semantic,
      menus: plan.semantic.menus.map((m) => {
        const item = (i: ItemJSON) => redactItem(m.path, i, placeholder);
        return {
          ...m,
          added: m.added.map(item),
          removed: m.removed.map(item),
          changed: m.changed.map((c) => ({
            key: redactKey(m.path, c.key, placeholder),
            a: item(c.a),
            b: item(c.b),
            changes: c.changes.map((p) => (isSecretProperty(m.path, p.name) ? hide(p, placeholder) : p)),
          })),
          moved: m.moved.map((mv) => ({ ...mv, key: redactKey(m.path, mv.key, placeholder) })),
        };
      }),
    },
    commands: plan.commands.map((c) => redactCommand(c, placeholder)),
    unsupported: plan.unsupported.map((l) => redactLine(l, placeholder)),
  };
}

function hide(p: PropChange, placeholder: string): PropChange {
  const out: PropChange = { name: p.name };
  if (p.old !== undefined) out.old = placeholder;
  if (p.new !== undefined) out.new = placeholder;
  return out;
}

function redactRecord<T extends Record<string, string> | undefined>(path: string, r: T, placeholder: string): T {
  if (!r) return r;
  return Object.fromEntries(Object.entries(r).map(([k, v]) => [k, isSecretProperty(path, k) ? placeholder : v])) as T;
}

function redactItem(path: string, i: ItemJSON, placeholder: string): ItemJSON {
  const out: ItemJSON = {
    ...i,
    key: redactKey(path, i.key, placeholder),
    props: redactRecord(path, i.props, placeholder),
  };
  if (i.identity) out.identity = redactRecord(path, i.identity, placeholder);
  if (i.text !== undefined) out.text = redactText(path, i.text, placeholder);
  return out;
}

function redactCommand(c: PlannedCommand, placeholder: string): PlannedCommand {
  const secret = (r: Where | undefined) => Object.keys(r ?? {}).some((k) => isSecretProperty(c.path, k));
  if (!secret(c.where) && !secret(c.properties) && !secret(c.destination)) return c;
  const out: Omit<PlannedCommand, 'cli'> = { path: c.path, verb: c.verb };
  if (c.where) out.where = redactRecord(c.path, c.where, placeholder);
  if (c.properties) out.properties = redactRecord(c.path, c.properties, placeholder);
  if (c.unset) out.unset = c.unset;
  if (c.destination) out.destination = redactRecord(c.path, c.destination, placeholder);
  return { ...out, cli: cliOf(out) };
}

// `name=value` in free text: a quoted value, or a bare one running to the next `name=` (describe() in rsc writes
// values unquoted, spaces and all).
const ASSIGNMENT = /(^|[\s[])([A-Za-z0-9][\w.-]*)=("(?:[^"\\]|\\.)*"|.*?)(?=\s+[A-Za-z0-9][\w.-]*=|\s*\]|$)/g;

/** Every secret `name=value` in a text about menu `path` (undefined: a menu unknown, so names secret anywhere). */
function redactText(path: string | undefined, text: string, placeholder: string): string {
  const secret = (name: string) => isSecretProperty(path ?? '/ppp', name);
  return text.replace(ASSIGNMENT, (all, pre: string, name: string, value: string) =>
    secret(name) && value !== '' ? `${pre}${name}=${placeholder}` : all,
  );
}

/** Keys are `name=value ...` (values JSON-quoted when needed), possibly followed by ` #2`. */
function redactKey(path: string, key: string, placeholder: string): string {
  const m = /^(.*?)( #\d+)?$/.exec(key);
  return redactText(path, m?.[1] ?? key, placeholder) + (m?.[2] ?? '');
}

/** An unsupported line: `cannot … in /ip ipsec peer: …` (rsc) or a raw command line. */
function redactLine(line: string, placeholder: string): string {
  const cannot = /^(.*? in )(\/[^:]*)(: .*)$/.exec(line);
  if (cannot) {
    const path = `/${(cannot[2] ?? '').slice(1).trim().split(/\s+/).join('/')}`;
    return `${cannot[1]}${cannot[2]}${redactText(path, cannot[3] ?? '', placeholder)}`;
  }
  let path: string | undefined;
  try {
    path = parseExport(line).sections.find((s) => s.commands.length > 0)?.path;
  } catch {
    path = undefined;
  }
  return redactText(path, line, placeholder);
}
