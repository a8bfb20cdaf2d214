import type { PlannedCommand } from '../../changes/commands.js';
import type { PortForwardingForm } from '../forms.js';
import {
  add,
  inWan,
  isEnabled,
  keyOf,
  listNames,
  type MenuRows,
  type Row,
  remove,
  setIfChanged,
  staticRows,
  unset,
  yesNo,
} from '../model.js';
import { interfaceOptions, listOptions, type TabDef } from './tab.js';

// Port forwarding: dst-nat rules in `/ip/firewall/nat`. The rules TOD manages carry the comment `tod-pf:<name>`
// (their natural key with the chain): the form is their whole list, so a rule left out is removed; every other NAT
// rule is shown read-only and never touched. New rules go to the end of the NAT table.

const NAT = '/ip/firewall/nat';
export const PF_PREFIX = 'tod-pf:';
/** What a managed rule matches and where it sends traffic: the properties TOD owns on it. */
const OWNED = ['protocol', 'dst-port', 'in-interface', 'in-interface-list', 'to-addresses', 'to-ports'];

const managed = (rows: MenuRows) =>
  staticRows(rows, NAT).filter((r) => r.chain === 'dstnat' && (r.comment ?? '').startsWith(PF_PREFIX));
const byComment = (r: Row) => ({ chain: 'dstnat', comment: r.comment ?? '' });

function ruleProps(rows: MenuRows, f: PortForwardingForm, i: number): Row {
  const r = f.rules[i] as PortForwardingForm['rules'][number];
  return {
    action: 'dst-nat',
    protocol: r.protocol,
    'dst-port': r.external_port,
    ...inWan(rows, f.wan_interface, 'wan_interface'),
    'to-addresses': r.internal_address,
    ...(r.internal_port !== undefined && r.internal_port !== r.external_port ? { 'to-ports': r.internal_port } : {}),
    disabled: yesNo(!r.enabled),
  };
}

export const portForwarding: TabDef<'port-forwarding'> = {
  menus: () => ['/interface', '/interface/list', NAT],

  read(rows) {
    const mine = managed(rows);
    const lists = listNames(rows);
    const first = mine[0];
    const wan = first?.['in-interface-list'] ?? first?.['in-interface'] ?? (lists.has('WAN') ? 'WAN' : null);
    return {
      form: {
        wan_interface: wan,
        rules: mine.map((r) => ({
          name: (r.comment ?? '').slice(PF_PREFIX.length),
          protocol: r.protocol ?? null,
          external_port: r['dst-port'] ?? null,
          internal_address: r['to-addresses'] ?? null,
          internal_port: r['to-ports'] ?? r['dst-port'] ?? null,
          enabled: isEnabled(r),
        })),
      },
      secrets: {},
      options: { interfaces: interfaceOptions(rows), interface_lists: listOptions(rows) },
      state: {
        other_rules: staticRows(rows, NAT)
          .filter((r) => r.chain === 'dstnat' && !mine.includes(r))
          .map((r) => ({
            comment: r.comment ?? null,
            action: r.action ?? null,
            protocol: r.protocol ?? null,
            dst_port: r['dst-port'] ?? null,
            in_interface: r['in-interface'] ?? r['in-interface-list'] ?? null,
            to_addresses: r['to-addresses'] ?? null,
            to_ports: r['to-ports'] ?? null,
            enabled: isEnabled(r),
          })),
      },
    };
  },

  plan(f, rows) {
    const current = managed(rows);
    const kept = new Map<number, Row>();
    f.rules.forEach((rule, i) => {
      const existing = current.find((r) => r.comment === `${PF_PREFIX}${rule.name}` && ![...kept.values()].includes(r));
      if (existing) kept.set(i, existing);
    });
    // First what goes (left out of the form, or a copy with the same comment), by its full key: a copy's comment
    // alone would name the kept rule too.
    const keptRows = new Set(kept.values());
    const out: PlannedCommand[] = current.filter((r) => !keptRows.has(r)).map((r) => remove(NAT, keyOf(rows, NAT, r)));
    f.rules.forEach((rule, i) => {
      const comment = `${PF_PREFIX}${rule.name}`;
      const want = ruleProps(rows, f, i);
      const existing = kept.get(i);
      if (!existing) {
        out.push(add(NAT, { chain: 'dstnat', ...want, comment }));
        return;
      }
      out.push(...setIfChanged(NAT, byComment(existing), existing, want, { disabled: 'no' }));
      const stale = OWNED.filter((k) => !(k in want) && (existing[k] ?? '') !== '');
      if (stale.length > 0) out.push(unset(NAT, byComment(existing), stale));
    });
    return out;
  },
};
