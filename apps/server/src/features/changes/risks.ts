import type { PlannedCommand } from './commands.js';
import { acceptsManagement, blocksManagement, isInput } from './firewall-match.js';

// Risk flags for planned commands: the ones that touch how TOD (or a person) reaches the router — its services,
// input firewall rules, addresses, routes, users and interfaces. Pure: the caller supplies what it knows of the
// device (ports, host, login and, for commands that name only natural keys, the device's current items).

export type RiskCode = 'service' | 'input_firewall' | 'address' | 'route' | 'user' | 'interface';
export type Severity = 'warning' | 'danger';

export type Risk = {
  code: RiskCode;
  severity: Severity;
  /** Index of the command in the list given to risksOf. */
  command_index: number;
  path: string;
  message: string;
};

/** An item's properties by name (identity fields such as `default-name` included). */
export type Row = Readonly<Record<string, string>>;

export type RiskContext = {
  /** Ports TOD (or people) use to manage this device, besides the defaults (API, API-SSL, SSH, WinBox, web). */
  managementPorts?: number[];
  /** The address TOD connects to: an address, interface or route carrying it is a danger, not a warning. */
  host?: string;
  /** TOD's login on the device. */
  username?: string;
  /** The device's current items of a menu, to judge commands whose `where` names only natural keys. */
  itemsOf?: (path: string) => readonly Row[];
};

export const DEFAULT_MANAGEMENT_PORTS = [8728, 8729, 22, 8291, 80, 443];

/** Properties whose change never affects who reaches the device. */
const COSMETIC = new Set(['comment', 'log', 'log-prefix']);

export function risksOf(commands: readonly PlannedCommand[], ctx: RiskContext = {}): Risk[] {
  const ports = [...new Set([...DEFAULT_MANAGEMENT_PORTS, ...(ctx.managementPorts ?? [])])];
  const out: Risk[] = [];
  commands.forEach((c, i) => {
    const found = check(new Step(c, ctx), ports, ctx);
    if (found) out.push({ code: found[0], severity: found[1], command_index: i, path: c.path, message: found[2] });
  });
  return out;
}

type Found = [RiskCode, Severity, string] | undefined;

/** One command and what it does to the items it addresses. */
class Step {
  readonly props: Record<string, string>;
  /** The items addressed as they are now; undefined when unknown (no current items, or none matched). */
  readonly before: Row[] | undefined;
  constructor(
    readonly c: PlannedCommand,
    ctx: RiskContext,
  ) {
    this.props = c.properties ?? {};
    const rows = c.where && ctx.itemsOf ? ctx.itemsOf(c.path).filter((r) => matches(r, c.where ?? {})) : [];
    this.before = c.verb === 'add' ? [] : rows.length > 0 ? rows : undefined;
  }
  get removes(): boolean {
    return this.c.verb === 'remove';
  }
  get disables(): boolean {
    return this.c.verb === 'disable' || (this.c.verb === 'set' && this.props.disabled === 'yes');
  }
  get enables(): boolean {
    const c = this.c;
    return c.verb === 'enable' || (c.verb === 'set' && this.props.disabled === 'no') || !!c.unset?.includes('disabled');
  }
  /** Property names the command sets or resets. */
  get touched(): string[] {
    return [...Object.keys(this.props), ...(this.c.unset ?? [])];
  }
  /** A set/unset that changes only comments or logging. */
  get cosmetic(): boolean {
    const v = this.c.verb;
    return (v === 'set' || v === 'unset') && this.touched.every((n) => COSMETIC.has(n));
  }
  changes(name: string): boolean {
    return this.touched.includes(name);
  }
  /** What the items look like afterwards: known items, else what the command itself names. */
  after(): Row[] {
    const { verb, unset } = this.c;
    if (verb === 'remove') return [];
    if (verb === 'add') return [this.props];
    return (this.before ?? [this.c.where ?? {}]).map((r): Row => {
      if (verb === 'enable') return { ...r, disabled: 'no' };
      if (verb === 'disable') return { ...r, disabled: 'yes' };
      if (verb === 'unset') return Object.fromEntries(Object.entries(r).filter(([k]) => !unset?.includes(k)));
      return { ...r, ...this.props };
    });
  }
  /** A property of the addressed item as it is now (its `where`, the current item), else as the command sets it. */
  value(name: string): string | undefined {
    return this.c.where?.[name] ?? this.before?.[0]?.[name] ?? this.props[name];
  }
  /** A short name for the addressed item: the first of `names` it has (`ether1`, `10.0.0.1/24`). */
  label(...names: string[]): string {
    for (const n of names) {
      const v = this.value(n);
      if (v) return v;
    }
    return 'an item';
  }
}

function matches(r: Row, where: Row): boolean {
  return Object.entries(where).every(([k, v]) => (r[k] ?? '') === v);
}

function check(s: Step, ports: number[], ctx: RiskContext): Found {
  const p = s.c.path;
  if (p === '/ip/service') return service(s, ctx);
  if (p === '/ip/firewall/filter' || p === '/ipv6/firewall/filter') return inputFirewall(s, ports);
  if (p === '/ip/address' || p === '/ipv6/address') return address(s, ctx);
  if (p === '/ip/dhcp-client' || p === '/ipv6/dhcp-client') return dhcpClient(s);
  if (p === '/ip/route' || p === '/ipv6/route') return route(s);
  if (p === '/user' || p === '/user/group') return user(s, ctx);
  if (p === '/interface' || p.startsWith('/interface/')) return iface(s, ctx);
  return undefined;
}

const SERVICES: Record<string, { label: string; use: string; tod: boolean; port: number }> = {
  api: { label: 'API', use: 'TOD uses to reach this router', tod: true, port: 8728 },
  'api-ssl': { label: 'API-SSL', use: 'TOD uses to reach this router', tod: true, port: 8729 },
  ssh: { label: 'SSH', use: 'TOD uses for backups and the remote terminal', tod: false, port: 22 },
  winbox: { label: 'WinBox', use: 'people use to manage this router', tod: false, port: 8291 },
  www: { label: 'web (HTTP)', use: 'people use to manage this router', tod: false, port: 80 },
  'www-ssl': { label: 'web (HTTPS)', use: 'people use to manage this router', tod: false, port: 443 },
};

function service(s: Step, ctx: RiskContext): Found {
  const svc = SERVICES[s.value('name') ?? ''];
  if (!svc) return undefined;
  const what = `the ${svc.label} service`;
  if (s.disables) return ['service', svc.tod ? 'danger' : 'warning', `disables ${what} ${svc.use}`];
  if (s.changes('port')) {
    // Unset: back to the service's default port.
    const to = s.props.port === undefined ? svc.port : Number(s.props.port);
    const known = (ctx.managementPorts ?? []).includes(to);
    return [
      'service',
      svc.tod && !known ? 'danger' : 'warning',
      `moves ${what} ${svc.use} to port ${to}: connections to the old port stop working`,
    ];
  }
  const allowed = s.props.address;
  if (allowed) {
    return [
      'service',
      'warning',
      `limits ${what} ${svc.use} to ${allowed}: connections from any other address (TOD's included) are refused`,
    ];
  }
  return undefined;
}

const PORT_NAMES: Record<number, string> = {
  8728: 'API',
  8729: 'API-SSL',
  22: 'SSH',
  8291: 'WinBox',
  80: 'web',
  443: 'web',
};

/** `8291 (WinBox), 8728 (API)`. */
const portNames = (ports: number[]): string =>
  ports.map((p) => (PORT_NAMES[p] ? `${p} (${PORT_NAMES[p]})` : String(p))).join(', ');

function inputFirewall(s: Step, ports: number[]): Found {
  if (s.cosmetic) return undefined;
  const before = s.before ?? [s.c.where ?? {}];
  const after = s.after();
  // Only the input chain guards the router itself; a rule moved out of (or into) it counts.
  if (!before.some(isInput) && !after.some(isInput)) return undefined;
  const comment = s.value('comment');
  const name = comment ? `the input rule "${comment}"` : 'an input rule';
  const v = s.c.verb;
  const rule = v === 'add' ? `a new input rule${comment ? ` "${comment}"` : ''}` : name;
  const known = s.before !== undefined;
  const opens = (rows: Row[], p: number) => rows.some((r) => acceptsManagement(r, [p]));
  const openAfter = (known || v === 'add') && ports.some((p) => opens(after, p));
  const dropped = ports.filter((p) => after.some((r) => blocksManagement(r, [p])));
  if (dropped.length > 0 && v !== 'remove' && !s.disables) {
    const how = v === 'move' ? 'moves' : v === 'add' ? 'adds' : s.enables ? 'enables' : 'changes';
    const which = dropped.length === ports.length ? "the router's management ports" : portNames(dropped);
    return ['input_firewall', 'danger', `${how} ${rule}, which drops connections to ${which}; it may cut TOD off`];
  }
  // Management ports this rule let in and no longer does.
  const closed = known ? ports.filter((p) => opens(before, p) && !opens(after, p)) : [];
  if (closed.length > 0) {
    const how = v === 'remove' ? 'removes' : s.disables ? 'disables' : 'changes';
    return [
      'input_firewall',
      'warning',
      `${how} ${rule}, which lets connections to ${portNames(closed)} reach the router`,
    ];
  }
  if (v === 'move' && openAfter) {
    const open = ports.filter((p) => opens(after, p));
    const which = open.length === ports.length ? "the router's management ports" : portNames(open);
    return ['input_firewall', 'warning', `moves ${rule}, which lets connections to ${which} reach the router`];
  }
  if (known || v === 'add') return undefined;
  // The rule's other properties are not in the command: it may be the one that lets TOD in.
  const how = s.removes
    ? 'removes'
    : v === 'move'
      ? 'moves'
      : s.disables
        ? 'disables'
        : s.enables
          ? 'enables'
          : 'changes';
  return [
    'input_firewall',
    'warning',
    `${how} ${name}; whether it affects access to the router's management ports cannot be told from the command`,
  ];
}

/** Whether an address (`10.0.0.1/24`, `10.0.0.1`) is the one TOD connects to. */
const isHost = (address: string | undefined, host: string | undefined): boolean =>
  !!address && !!host && address.replace(/\/\d+$/, '') === host;

function address(s: Step, ctx: RiskContext): Found {
  if (s.c.verb === 'add' || s.cosmetic || s.enables) return undefined;
  const addr = s.label('address');
  const on = s.value('interface');
  const what = on ? `the address ${addr} on ${on}` : `the address ${addr}`;
  const how = s.removes ? 'removes' : s.disables ? 'disables' : 'changes';
  if (isHost(s.before?.[0]?.address ?? s.c.where?.address, ctx.host))
    return ['address', 'danger', `${how} ${what}, the address TOD uses to reach this router`];
  return ['address', 'warning', `${how} ${what}: anyone reaching the router through it loses access`];
}

function dhcpClient(s: Step): Found {
  if (!s.removes && !s.disables) return undefined;
  const how = s.removes ? 'removes' : 'disables';
  const on = s.label('interface');
  return ['address', 'warning', `${how} the DHCP client on ${on}: the router loses the address it gets there`];
}

function route(s: Step): Found {
  const v = s.c.verb;
  if (s.cosmetic || s.enables || v === 'move') return undefined;
  const dst = (r: Row | undefined) => r?.['dst-address'];
  // A full item without dst-address is a default route (exports omit it in v6).
  const isDefault = (d: string | undefined, full: boolean) =>
    d === '0.0.0.0/0' || d === '::/0' || (full && d === undefined);
  const gw = s.value('gateway');
  const via = gw ? ` via ${gw}` : '';
  if (v === 'add') {
    if (!isDefault(dst(s.props), true)) return undefined;
    return ['route', 'warning', `adds a default route${via}: traffic, TOD's included, may take a new path`];
  }
  const how = s.removes ? 'removes' : s.disables ? 'disables' : 'changes';
  const rows = s.before ?? [s.c.where ?? {}];
  if (rows.some((r) => isDefault(dst(r), s.before !== undefined)))
    return ['route', 'danger', `${how} the default route${via}: the router may no longer reach TOD`];
  return ['route', 'warning', `${how} the route to ${s.label('dst-address')}${via}: traffic that used it may be cut`];
}

const USER_KEYS = ['group', 'password', 'address', 'name', 'policy'];

function user(s: Step, ctx: RiskContext): Found {
  const v = s.c.verb;
  if (v === 'add' || v === 'move' || s.enables || s.cosmetic) return undefined;
  if (!s.removes && !s.disables && !s.touched.some((n) => USER_KEYS.includes(n))) return undefined;
  const name = s.label('name');
  const how = s.removes ? 'removes' : s.disables ? 'disables' : `changes the ${s.touched.join(', ')} of`;
  if (s.c.path === '/user/group') {
    const tods = ctx.username && ctx.itemsOf?.('/user').find((u) => u.name === ctx.username)?.group;
    if (tods && tods === name) return ['user', 'danger', `${how} the user group ${name}, which TOD's login belongs to`];
    return ['user', 'warning', `${how} the user group ${name}: its users may lose rights`];
  }
  if (ctx.username && name === ctx.username)
    return ['user', 'danger', `${how} the user ${name}, the login TOD uses on this router`];
  return ['user', 'warning', `${how} the user ${name}: whoever logs in as ${name} may lose access`];
}

function iface(s: Step, ctx: RiskContext): Found {
  if (!s.removes && !s.disables) return undefined;
  const how = s.removes ? 'removes' : 'disables';
  const name = s.label('name', 'default-name', 'interface');
  // `/interface/vlan` → "vlan interface", `/interface/bridge/port` → "bridge port".
  const sub = s.c.path.split('/').slice(2);
  const kind = sub.length === 0 ? 'interface' : sub.length === 1 ? `${sub[0]} interface` : sub.join(' ');
  const carriers = new Set(
    (ctx.itemsOf?.('/ip/address') ?? []).filter((a) => isHost(a.address, ctx.host)).map((a) => a.interface),
  );
  if (carriers.has(name)) return ['interface', 'danger', `${how} ${kind} ${name}, which carries the address TOD uses`];
  const effect = sub.length < 2 ? 'traffic through it stops' : 'access that depends on it may be lost';
  return ['interface', 'warning', `${how} ${kind} ${name}: ${effect}`];
}
