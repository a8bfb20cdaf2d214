import type { PlannedCommand, Where } from '../../changes/commands.js';
import { type FirewallForm, services } from '../forms.js';
import {
  add,
  inWan,
  isEnabled,
  keyOf,
  listNames,
  type MenuRows,
  move,
  type Row,
  remove,
  rowsOf,
  setIfChanged,
  staticRows,
  unset,
} from '../model.js';
import { interfaceOptions, listOptions, type TabDef } from './tab.js';

// A simplified firewall as rules in `/ip/firewall/filter`, each keyed by its comment (`tod-fw:…`): on the input
// chain accept established/related, drop invalid, accept or drop ping from the WAN, accept the chosen services from
// the WAN, drop the rest from the WAN; on the forward chain (protect LAN) the same for connections through the
// router, dropping new ones from the WAN that were not port-forwarded. TOD's rules keep this order among
// themselves; new ones go before the next of TOD's rules in their chain, or at the end. Other rules are not touched.

const FILTER = '/ip/firewall/filter';
export const FW_PREFIX = 'tod-fw:';
const STATEFUL = 'established,related,untracked';
/** What TOD owns on its rules (a switch between interface and interface list unsets the other). */
const OWNED = [
  'action',
  'protocol',
  'dst-port',
  'connection-state',
  'connection-nat-state',
  'in-interface',
  'in-interface-list',
];
const DEFAULT_PORTS: Record<(typeof services)[number], string> = {
  ssh: '22',
  winbox: '8291',
  api: '8728',
  'api-ssl': '8729',
  www: '80',
  'www-ssl': '443',
  telnet: '23',
  ftp: '21',
};

type Rule = { chain: 'input' | 'forward'; comment: string; props: Row };

/** The rules the form asks for, in order. */
function desired(f: FirewallForm, rows: MenuRows): Rule[] {
  if (!f.enabled) return [];
  const wan = inWan(rows, f.wan_interface, 'wan_interface');
  const port = (s: (typeof services)[number]) =>
    rowsOf(rows, '/ip/service').find((r) => r.name === s)?.port ?? DEFAULT_PORTS[s];
  const rule = (chain: Rule['chain'], name: string, props: Row): Rule => ({
    chain,
    comment: `${FW_PREFIX}${chain} ${name}`,
    props,
  });
  const out: Rule[] = [
    rule('input', 'established', { action: 'accept', 'connection-state': STATEFUL }),
    rule('input', 'invalid', { action: 'drop', 'connection-state': 'invalid' }),
    rule('input', 'ping', { action: f.block_ping ? 'drop' : 'accept', protocol: 'icmp', ...wan }),
    ...services
      .filter((s) => f.allowed_services.includes(s))
      .map((s) => rule('input', `allow ${s}`, { action: 'accept', protocol: 'tcp', 'dst-port': port(s), ...wan })),
    rule('input', 'drop wan', { action: 'drop', ...wan }),
  ];
  if (f.protect_lan)
    out.push(
      rule('forward', 'established', { action: 'accept', 'connection-state': STATEFUL }),
      rule('forward', 'invalid', { action: 'drop', 'connection-state': 'invalid' }),
      rule('forward', 'drop wan', {
        action: 'drop',
        'connection-state': 'new',
        'connection-nat-state': '!dstnat',
        ...wan,
      }),
    );
  return out;
}

const managed = (rows: MenuRows) => staticRows(rows, FILTER).filter((r) => (r.comment ?? '').startsWith(FW_PREFIX));
const byComment = (chain: string, comment: string): Where => ({ chain, comment });

export const firewall: TabDef<'firewall'> = {
  menus: () => ['/interface', '/interface/list', FILTER, '/ip/service'],

  read(rows) {
    const mine = managed(rows);
    const find = (c: string) => mine.find((r) => r.comment === `${FW_PREFIX}${c}`);
    const drop = find('input drop wan');
    const lists = listNames(rows);
    const allowed = services.filter((s) => find(`input allow ${s}`) !== undefined);
    return {
      form: {
        enabled: mine.length > 0,
        wan_interface: drop?.['in-interface-list'] ?? drop?.['in-interface'] ?? (lists.has('WAN') ? 'WAN' : null),
        allowed_services: allowed,
        block_ping: find('input ping')?.action === 'drop',
        protect_lan: find('forward drop wan') !== undefined,
      },
      secrets: {},
      options: {
        interfaces: interfaceOptions(rows),
        interface_lists: listOptions(rows),
        services: services.map((s) => {
          const row = rowsOf(rows, '/ip/service').find((r) => r.name === s);
          return { name: s, port: Number(row?.port ?? DEFAULT_PORTS[s]), enabled: row ? isEnabled(row) : false };
        }),
      },
      state: { other_rules: staticRows(rows, FILTER).length - mine.length },
    };
  },

  plan(f, rows) {
    const want = desired(f, rows);
    const current = managed(rows);
    const wanted = new Set(want.map((w) => w.comment));
    const out: PlannedCommand[] = [];
    // Rules TOD no longer wants, and copies of one it keeps (by their full key: the comment names both).
    const keep = new Map<string, Row>();
    for (const r of current) {
      const c = r.comment ?? '';
      if (wanted.has(c) && !keep.has(c) && want.some((w) => w.comment === c && w.chain === r.chain)) keep.set(c, r);
      else out.push(remove(FILTER, keyOf(rows, FILTER, r)));
    }
    for (const w of want) {
      const r = keep.get(w.comment);
      if (!r) continue;
      const where = byComment(w.chain, w.comment);
      out.push(...setIfChanged(FILTER, where, r, { ...w.props, disabled: 'no' }, { disabled: 'no' }));
      const stale = OWNED.filter((k) => !(k in w.props) && (r[k] ?? '') !== '');
      if (stale.length > 0) out.push(unset(FILTER, where, stale));
    }
    out.push(
      ...order(
        want,
        current.filter((r) => keep.get(r.comment ?? '') === r),
      ),
    );
    // New rules, last first, each before the next of TOD's rules in its chain (present by then) or at the end.
    for (let i = want.length - 1; i >= 0; i--) {
      const w = want[i] as Rule;
      if (keep.has(w.comment)) continue;
      const next = want.slice(i + 1).find((n) => n.chain === w.chain);
      out.push(
        add(FILTER, { chain: w.chain, ...w.props, comment: w.comment }, next && byComment(next.chain, next.comment)),
      );
    }
    return out;
  },
};

/** Moves that put TOD's kept rules of each chain back in the wanted order (none when they are in it). */
function order(want: Rule[], kept: Row[]): PlannedCommand[] {
  const rank = new Map(want.map((w, i) => [w.comment, i]));
  const out: PlannedCommand[] = [];
  for (const chain of ['input', 'forward']) {
    const now = kept.filter((r) => r.chain === chain).map((r) => r.comment ?? '');
    const sorted = [...now].sort((a, b) => (rank.get(a) ?? 0) - (rank.get(b) ?? 0));
    if (now.every((c, i) => c === sorted[i])) continue;
    // From the end: each rule before its successor, which is already where it belongs.
    for (let i = sorted.length - 2; i >= 0; i--)
      out.push(move(FILTER, byComment(chain, sorted[i] as string), byComment(chain, sorted[i + 1] as string)));
  }
  return out;
}
