// `/export` from the store, in the text the device's version writes (header date format, secrets policy, styles).
import { type Arg, type Command, type ExportDocument, isSecretProperty, type Section, serializeExport } from '@tod/rsc';
import type { ConfigStore, Item, Menu } from './store.js';
import { formatDateTime } from './values.js';
import type { Behaviour } from './version.js';

export interface ExportOptions {
  style: 'compact' | 'terse' | 'verbose';
  /** Include secret properties. */
  showSensitive: boolean;
  /** Only menus under this path (`/ip/firewall`). */
  under?: string;
}

export interface ExportHeaderInfo {
  version: string;
  behaviour: Behaviour;
  now: Date;
  softwareId: string;
  model: string;
  serial: string;
  modelLines: boolean;
}

// Menus that hold state rather than configuration (RouterOS never exports users' passwords, nor certificates).
const NOT_EXPORTED = new Set([
  '/certificate',
  '/user',
  '/user/active',
  '/file',
  '/log',
  '/ip/neighbor',
  '/ip/dhcp-server/lease-dynamic',
]);

// Menus the simulator fills in itself (defaults, generated keys), so the client's order says nothing: written in
// RouterOS's alphabetical order whatever order the properties were set in.
const ALPHABETICAL = new Set(['/interface/wireguard', '/interface/wireguard/peers']);
const bareName = (name: string) => (name.startsWith('!') ? name.slice(1) : name);

function propsToArgs(path: string, props: Map<string, string>, showSensitive: boolean): Arg[] {
  const args: Arg[] = [];
  const entries = ALPHABETICAL.has(path)
    ? [...props].sort(([a], [b]) => (bareName(a) < bareName(b) ? -1 : bareName(a) > bareName(b) ? 1 : 0))
    : props;
  for (const [name, value] of entries) {
    if (!showSensitive && isSecretProperty(path, name)) continue;
    // An unset property: RouterOS writes a bare `!name`, never `!name=""`.
    if (name.startsWith('!')) {
      args.push({ name });
      continue;
    }
    if (value.length >= 2 && value.startsWith('[') && value.endsWith(']')) {
      args.push({ name, value: value.slice(1, -1), expr: true });
    } else {
      args.push({ name, value });
    }
  }
  return args;
}

function builtinCommand(menu: Menu, item: Item, index: number, args: Arg[]): Command {
  const sel = item.selector;
  const cmd: Command = { verb: 'set', args, line: 0 };
  if (sel?.kind === 'position' || (!sel && !item.fixed)) cmd.selector = { kind: 'position', index };
  else if (sel) cmd.selector = sel;
  else {
    const defName = item.fixed?.get('default-name');
    const name = item.fixed?.get('name');
    if (defName !== undefined) {
      cmd.selector = {
        kind: 'find',
        conditions: [{ name: 'default-name', value: defName }],
        raw: `find default-name=${defName}`,
      };
    } else if (name !== undefined) cmd.selector = { kind: 'name', value: name };
    else cmd.selector = { kind: 'position', index };
  }
  if (menu.singleton && !item.selector) delete cmd.selector;
  return cmd;
}

export function exportDocument(store: ConfigStore, header: ExportHeaderInfo, opts: ExportOptions): ExportDocument {
  const sections: Section[] = [];
  for (const menu of store.menus.values()) {
    if (opts.under && menu.path !== opts.under && !menu.path.startsWith(`${opts.under}/`)) continue;
    if (NOT_EXPORTED.has(menu.path)) continue;
    const commands: Command[] = [];
    menu.items.forEach((item, index) => {
      if (item.dynamic) return;
      const args = propsToArgs(menu.path, item.props, opts.showSensitive);
      if (menu.singleton || item.builtin) {
        const mentioned = item.selector !== undefined || item.props.size > 0;
        if (!mentioned && opts.style !== 'verbose') return;
        commands.push(builtinCommand(menu, item, index, args));
      } else {
        if (opts.style === 'verbose' && !item.props.has('disabled')) args.push({ name: 'disabled', value: 'no' });
        commands.push({ verb: 'add', args, line: 0 });
      }
    });
    if (commands.length > 0) sections.push({ path: menu.path, commands, line: 0 });
  }
  const b = header.behaviour;
  const comments = [
    ` ${formatDateTime(header.now, b.isoDates)} by RouterOS ${header.version}`,
    ` software id = ${header.softwareId}`,
    '',
  ];
  // Older releases printed no model/serial lines.
  if (header.modelLines) comments.push(` model = ${header.model}`, ` serial number = ${header.serial}`);
  return { header: { comments }, sections };
}

export function exportText(store: ConfigStore, header: ExportHeaderInfo, opts: ExportOptions): string {
  const doc = exportDocument(store, header, opts);
  return serializeExport(doc, { style: opts.style === 'terse' ? 'terse' : 'compact', canonicalQuotes: true });
}
