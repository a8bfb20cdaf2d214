import { type Arg, type Command, formatValue, isSecretProperty, menuLine, parseExport } from '@tod/rsc';

// The one form of a change TOD sends to a router: a menu, a verb, and the items it addresses by their property
// values (natural keys) — never by `.id`, which differs per device and changes when an item is re-created. The
// engine resolves `where` to ids at the moment it sends the command, over the API, and checks every reply.

export const verbs = ['add', 'set', 'remove', 'enable', 'disable', 'move', 'unset', 'make-static'] as const;
export type Verb = (typeof verbs)[number];
/** What TOD itself may plan beyond the editor's verbs: `import` (`/certificate import file-name=…`). */
export const engineVerbs = [...verbs, 'import'] as const;
export type EngineVerb = (typeof engineVerbs)[number];
/** Items whose properties equal these values. */
export type Where = Record<string, string>;

export type PlannedCommand = {
  /** Menu path with slashes: `/ip/firewall/filter`. */
  path: string;
  verb: EngineVerb;
  /** The items addressed; absent for a menu's single item (`/system/identity set`) or for `add`. */
  where?: Where;
  properties?: Record<string, string>;
  /** Property names to reset (verb `unset`). */
  unset?: string[];
  /** `add` / `move` in an ordered menu: before the item matching this; absent = at the end. */
  destination?: Where;
  /** `import`: the item that must exist afterwards (what the read-back looks for). */
  expect?: Where;
  /** What the user sees: the same command as a RouterOS terminal line. */
  cli: string;
};

const terms = (w: Record<string, string> | undefined) =>
  Object.entries(w ?? {}).map(([name, value]) => `${name}=${formatValue(value)}`);
const find = (w: Where) => `[ ${['find', ...terms(w)].join(' ')} ]`;

/** The terminal line for a command: `/ip firewall filter set [ find chain=input comment=x ] disabled=yes`. */
export function cliOf(c: Omit<PlannedCommand, 'cli'>): string {
  const parts = [menuLine(c.path), c.verb];
  if (c.where) parts.push(find(c.where));
  parts.push(...terms(c.properties));
  if (c.verb === 'unset') parts.push(`value-name=${(c.unset ?? []).join(',')}`);
  if (c.destination) parts.push(`${c.verb === 'move' ? 'destination' : 'place-before'}=${find(c.destination)}`);
  return parts.join(' ');
}

export function planned(c: Omit<PlannedCommand, 'cli'>): PlannedCommand {
  return { ...c, cli: cliOf(c) };
}

const fromConditions = (args: Arg[]): Where => Object.fromEntries(args.map((a) => [a.name, a.value ?? '']));

/**
 * Commands from terminal lines of the form `rsc`'s diffToCommands writes (`/menu verb [ find k=v ] a=b`).
 * Lines it could not express (`# cannot …`) and anything else this form cannot carry come back as `unsupported`.
 */
export function fromLines(lines: readonly string[]): { commands: PlannedCommand[]; unsupported: string[] } {
  const commands: PlannedCommand[] = [];
  const unsupported: string[] = [];
  for (const line of lines) {
    if (line.startsWith('#')) {
      unsupported.push(line.replace(/^#\s*/, ''));
      continue;
    }
    const doc = parseExport(line);
    const section = doc.sections.find((s) => s.commands.length > 0);
    const cmd = section?.commands[0];
    if (!section || !cmd || !(verbs as readonly string[]).includes(cmd.verb)) {
      unsupported.push(line);
      continue;
    }
    const c = toPlanned(section.path, cmd);
    if (c) commands.push({ ...c, cli: line });
    else unsupported.push(line);
  }
  return { commands, unsupported };
}

function toPlanned(path: string, cmd: Command): Omit<PlannedCommand, 'cli'> | undefined {
  const verb = cmd.verb as Verb;
  const out: Omit<PlannedCommand, 'cli'> = { path, verb };
  if (cmd.selector) {
    if (cmd.selector.kind !== 'find') return undefined;
    out.where = fromConditions(cmd.selector.conditions);
  }
  const props: Record<string, string> = {};
  for (const a of cmd.args) {
    if (a.name === 'place-before' || a.name === 'destination') {
      if (!a.expr) return undefined;
      const inner = parseExport(`/x\nset [ ${a.value} ]`).sections[0]?.commands[0]?.selector;
      if (inner?.kind !== 'find') return undefined;
      out.destination = fromConditions(inner.conditions);
    } else if (verb === 'unset' && a.name === 'value-name') out.unset = (a.value ?? '').split(',').filter(Boolean);
    else if (a.value === undefined || a.expr) return undefined;
    else props[a.name] = a.value;
  }
  if (Object.keys(props).length > 0) out.properties = props;
  return out;
}

/** A command as the API shows it: secret values replaced. */
export function displayCommand(c: PlannedCommand): PlannedCommand {
  if (!c.properties) return c;
  const secret = Object.keys(c.properties).filter((k) => isSecretProperty(c.path, k));
  if (secret.length === 0) return c;
  const properties = { ...c.properties };
  let cli = c.cli;
  for (const k of secret) {
    const v = properties[k] as string;
    properties[k] = '********';
    cli = cli.split(`${k}=${v}`).join(`${k}=********`).split(`${k}="${v}"`).join(`${k}=********`);
  }
  return { ...c, properties, cli };
}
