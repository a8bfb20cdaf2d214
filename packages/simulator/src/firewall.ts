// The input chain of `/ip/firewall/filter` as it applies to a TCP connection to one of the device's own services
// (API, API-SSL, SSH). RouterOS walks the chain in order; the first rule whose matchers all match decides:
// `accept`; `drop` and `tarpit` (silently dropped: the client sees a timeout); `reject` (the client is refused at
// once). Other actions (log, passthrough, jump, return, add-*-to-address-list) let the walk go on — a `jump` to a
// custom chain is not followed. No rule decides: accept (RouterOS's chains accept by default).
//
// Matchers evaluated: protocol, dst-port (a port, a list `8728,8729`, a range `8000-9000`), src-address (address,
// CIDR or range), src-address-list (against `/ip/firewall/address-list`), connection-state (`new` for a connection
// being opened, `established` for one that is open), each with `!` negation. Any other matcher (in-interface,
// in-interface-list, dst-address, src-port, limit, …) makes the rule NOT match: the simulator's clients all come
// from loopback, so it cannot tell which interface or address of the router a real manager would reach.
import { ConfigStore, type Item } from './store.js';

export type Verdict = 'accept' | 'drop' | 'reject';
export type ConnectionState = 'new' | 'established';

export interface Packet {
  /** The client's address, as the router sees it (IPv4; `::ffff:` prefixes are stripped). */
  src: string;
  /** The service's port on the router. */
  dstPort: number;
  state: ConnectionState;
}

const FILTER = '/ip/firewall/filter';
// Properties that say what a rule does, not what it matches.
const NOT_MATCHERS = new Set([
  'chain',
  'action',
  'comment',
  'disabled',
  'log',
  'log-prefix',
  'reject-with',
  'jump-target',
  'address-list',
  'address-list-timeout',
]);
const DECIDING: Record<string, Verdict> = { accept: 'accept', drop: 'drop', tarpit: 'drop', reject: 'reject' };

/** IPv4 text to a number; undefined for anything else (IPv6, names). */
export function ipv4(text: string): number | undefined {
  const t = text.startsWith('::ffff:') ? text.slice(7) : text;
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(t);
  if (!m) return undefined;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return undefined;
  return (
    (((parts[0] as number) << 24) |
      ((parts[1] as number) << 16) |
      ((parts[2] as number) << 8) |
      (parts[3] as number)) >>>
    0
  );
}

/** Whether IPv4 `addr` is in `spec`: an address, `a.b.c.d/n` or `a.b.c.d-e.f.g.h`. IPv6 specs never match. */
export function inAddressSpec(addr: number, spec: string): boolean {
  const s = spec.trim();
  const range = /^([^-]+)-([^-]+)$/.exec(s);
  if (range) {
    const lo = ipv4(range[1] as string);
    const hi = ipv4(range[2] as string);
    return lo !== undefined && hi !== undefined && addr >= lo && addr <= hi;
  }
  const [base, bitsText] = s.split('/');
  const net = ipv4(base ?? '');
  if (net === undefined) return false;
  const bits = bitsText === undefined ? 32 : Number(bitsText);
  if (!Number.isInteger(bits) || bits < 0 || bits > 32) return false;
  const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
  return (addr & mask) >>> 0 === (net & mask) >>> 0;
}

function inPorts(port: number, spec: string): boolean {
  return spec.split(',').some((part) => {
    const [a, b] = part.trim().split('-');
    const lo = Number(a);
    const hi = b === undefined ? lo : Number(b);
    return Number.isInteger(lo) && Number.isInteger(hi) && port >= lo && port <= hi;
  });
}

function inList(store: ConfigStore, addr: number, list: string): boolean {
  return (store.menu('/ip/firewall/address-list', false)?.items ?? []).some(
    (e) =>
      ConfigStore.get(e, 'list') === list &&
      ConfigStore.get(e, 'disabled') !== 'yes' &&
      inAddressSpec(addr, ConfigStore.get(e, 'address') ?? ''),
  );
}

/** Whether one matcher matches; undefined when the simulator cannot tell (the rule then does not match). */
function matcher(store: ConfigStore, name: string, raw: string, p: Packet, src: number): boolean | undefined {
  const negated = raw.startsWith('!');
  const value = negated ? raw.slice(1) : raw;
  let hit: boolean;
  switch (name) {
    case 'protocol':
      hit = value === 'tcp' || value === '6';
      break;
    case 'dst-port':
      hit = inPorts(p.dstPort, value);
      break;
    case 'src-address':
      hit = inAddressSpec(src, value);
      break;
    case 'src-address-list':
      hit = inList(store, src, value);
      break;
    case 'connection-state':
      hit = value.split(',').includes(p.state);
      break;
    default:
      return undefined;
  }
  return negated ? !hit : hit;
}

/** Whether `rule` (an enabled input rule) matches `p`. */
export function ruleMatches(store: ConfigStore, rule: Item, p: Packet, src: number): boolean {
  for (const [name, value] of rule.props) {
    if (name.startsWith('!') || NOT_MATCHERS.has(name)) continue;
    if (matcher(store, name, value, p, src) !== true) return false;
  }
  return true;
}

/** Enabled input-chain rules with a deciding action, in order. */
export function inputRules(store: ConfigStore): Item[] {
  return (store.menu(FILTER, false)?.items ?? []).filter(
    (r) =>
      ConfigStore.get(r, 'chain') === 'input' &&
      ConfigStore.get(r, 'disabled') !== 'yes' &&
      DECIDING[ConfigStore.get(r, 'action') ?? 'accept'] !== undefined,
  );
}

/**
 * The input chain's verdict for `p`. `exempt(rule)` rules are passed over (rules the device started with that the
 * simulator takes not to catch its manager, see reachability.ts). A client that is not IPv4 is not filtered here
 * (`/ipv6/firewall` would be its chain).
 */
export function inputVerdict(store: ConfigStore, p: Packet, exempt: (rule: Item) => boolean = () => false): Verdict {
  const src = ipv4(p.src);
  if (src === undefined) return 'accept';
  for (const rule of inputRules(store)) {
    if (exempt(rule) || !ruleMatches(store, rule, p, src)) continue;
    return DECIDING[ConfigStore.get(rule, 'action') ?? 'accept'] as Verdict;
  }
  return 'accept';
}

/** The rule's matchers and action, to notice when a rule was changed (comments and logging do not count). */
export function ruleSignature(rule: Item): string {
  const keep = [...rule.props].filter(
    ([k]) => k !== 'comment' && k !== 'disabled' && k !== 'log' && k !== 'log-prefix',
  );
  return JSON.stringify(keep.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
