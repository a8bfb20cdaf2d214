import type { PlannedCommand } from '../../changes/commands.js';
import { add, isTrue, keyOf, list, type Row, remove, rowsOf, setIfChanged, staticRows, yesNo } from '../model.js';
import type { TabDef } from './tab.js';

// DNS: the servers the router asks, whether it answers others, and its plain static entries (a name to an address).
// Entries of other kinds (regexp, CNAME, forwarders…) are shown as a count and never touched.

const DNS = '/ip/dns';
const STATIC = '/ip/dns/static';

/** A static entry the form manages: a name (no regexp) to an address (A or AAAA). */
const plain = (r: Row) =>
  (r.name ?? '') !== '' &&
  (r.address ?? '') !== '' &&
  r.regexp === undefined &&
  ['A', 'AAAA', undefined].includes(r.type);
const entryKey = (name: string, address: string) => `${name.toLowerCase()} ${address}`;

export const dns: TabDef<'dns'> = {
  menus: () => [DNS, STATIC],

  read(rows) {
    const s = rowsOf(rows, DNS)[0] ?? {};
    const entries = staticRows(rows, STATIC);
    return {
      form: {
        servers: list(s.servers),
        allow_remote_requests: isTrue(s['allow-remote-requests']),
        static: entries.filter(plain).map((r) => ({ name: r.name ?? '', address: r.address ?? '' })),
      },
      secrets: {},
      options: {},
      state: { dynamic_servers: list(s['dynamic-servers']), other_static: entries.filter((r) => !plain(r)).length },
    };
  },

  plan(f, rows) {
    const out: PlannedCommand[] = [];
    const want: Row = {};
    if (f.servers !== undefined) want.servers = f.servers.join(',');
    if (f.allow_remote_requests !== undefined) want['allow-remote-requests'] = yesNo(f.allow_remote_requests);
    out.push(
      ...setIfChanged(DNS, undefined, rowsOf(rows, DNS)[0] ?? {}, want, { servers: '', 'allow-remote-requests': 'no' }),
    );
    if (f.static === undefined) return out;
    const wanted = new Set(f.static.map((e) => entryKey(e.name, e.address)));
    const current = staticRows(rows, STATIC).filter(plain);
    const have = new Set<string>();
    for (const r of current) {
      const k = entryKey(r.name ?? '', r.address ?? '');
      if (wanted.has(k) && !have.has(k)) have.add(k);
      else out.push(remove(STATIC, keyOf(rows, STATIC, r)));
    }
    for (const e of f.static)
      if (!have.has(entryKey(e.name, e.address))) out.push(add(STATIC, { name: e.name, address: e.address }));
    return out;
  },
};
