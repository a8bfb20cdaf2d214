// Writes an ExportDocument back as RouterOS text, one line per command (no 80-column wrapping).
import { formatValue } from './escape.js';
import type { Arg, Command, ExportDocument, Section, Selector, SerializeOptions } from './types.js';

/** `/ip/firewall/filter` → `/ip firewall filter` (how exports spell menus). */
export function menuLine(path: string): string {
  if (path === '/' || path === '') return '/';
  return `/${path.slice(1).split('/').join(' ')}`;
}

export function serializeExport(doc: ExportDocument, options: SerializeOptions = {}): string {
  const style = options.style ?? 'compact';
  const canonical = options.canonicalQuotes === true;
  const out: string[] = [];
  if (!options.omitHeader) for (const c of doc.header.comments) out.push(`#${c}`);
  let prev: Section | undefined;
  for (const section of doc.sections) {
    if (style === 'compact') writeCompact(out, section, canonical);
    else writeTerse(out, section, prev, canonical);
    prev = section;
  }
  for (const c of doc.trailingComments ?? []) out.push(`#${c}`);
  return out.length === 0 ? '' : `${out.join('\n')}\n`;
}

function writeCompact(out: string[], section: Section, canonical: boolean): void {
  for (const c of section.comments ?? []) out.push(`#${c}`);
  if (section.path !== '') out.push(menuLine(section.path));
  for (const cmd of section.commands) {
    for (const c of cmd.comments ?? []) out.push(`#${c}`);
    out.push(serializeCommand(cmd, canonical));
  }
}

function writeTerse(out: string[], section: Section, prev: Section | undefined, canonical: boolean): void {
  for (const c of section.comments ?? []) out.push(`#${c}`);
  const first = section.commands[0];
  // A bare menu line is needed whenever a `/path verb` line alone would not recreate this section on re-parse.
  const bare =
    section.path !== '' &&
    (section.comments !== undefined || first === undefined || first.verb === 'script' || prev?.path === section.path);
  if (bare) out.push(menuLine(section.path));
  const prefix = section.path === '' ? '' : `${menuLine(section.path)} `;
  for (const cmd of section.commands) {
    for (const c of cmd.comments ?? []) out.push(`#${c}`);
    out.push(cmd.verb === 'script' ? serializeCommand(cmd, canonical) : prefix + serializeCommand(cmd, canonical));
  }
}

/** One command without its menu path: `set [ find default-name=ether1 ] name=wan`. */
export function serializeCommand(cmd: Command, canonical = false): string {
  if (cmd.verb === 'script') return cmd.script ?? '';
  let line = cmd.verb;
  if (cmd.selector) line += ` ${serializeSelector(cmd.selector, canonical)}`;
  const args = serializeArgs(cmd.args, canonical);
  return args === '' ? line : `${line} ${args}`;
}

export function serializeSelector(sel: Selector, canonical = false): string {
  if (sel.kind === 'find') return `[ ${sel.raw} ]`;
  if (sel.kind === 'position') return String(sel.index);
  return formatValue(sel.value, canonical ? 'canonical' : sel.quoted ? 'keep-quoted' : 'keep-bare');
}

/** Args joined with spaces; v7 dotted names are abbreviated like RouterOS does (`a.b=1 .c=2`). */
export function serializeArgs(args: Arg[], canonical = false): string {
  const parts: string[] = [];
  let prevPrefix = '';
  for (const a of args) {
    if (a.value === undefined) {
      parts.push(a.name);
      prevPrefix = '';
      continue;
    }
    if (a.expr) {
      parts.push(a.name === '' ? `[ ${a.value} ]` : `${a.name}=[ ${a.value} ]`);
      prevPrefix = '';
      continue;
    }
    if (a.name === '') {
      // A positional value (`:put "x"`-like); always quoted so it cannot be mistaken for a word.
      parts.push(formatValue(a.value, 'keep-quoted'));
      prevPrefix = '';
      continue;
    }
    const value = formatValue(a.value, canonical ? 'canonical' : a.quoted ? 'keep-quoted' : 'keep-bare');
    const dot = a.name.lastIndexOf('.');
    const prefix = dot > 0 ? a.name.slice(0, dot) : '';
    const name = prefix !== '' && prefix === prevPrefix ? a.name.slice(dot) : a.name;
    prevPrefix = prefix;
    parts.push(`${name}=${value}`);
  }
  return parts.join(' ');
}

/** Build a `[ find a=b c=d ]` selector from conditions. */
export function findSelector(conditions: Arg[]): Selector {
  const raw =
    conditions.length === 0
      ? 'find'
      : `find ${conditions.map((c) => `${c.name}=${formatValue(c.value ?? '')}`).join(' ')}`;
  return { kind: 'find', conditions: conditions.map((c) => ({ name: c.name, value: c.value ?? '' })), raw };
}
