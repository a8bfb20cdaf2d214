// The hub's nftables rules for every organisation's interface, in a table of TOD's own (replaced as a whole, in one
// nft transaction, so other rules on the host are left alone). What they say:
// - Nothing is forwarded between tunnels: not between two organisations' interfaces, nor between two routers of one
//   organisation (they share an interface). WireGuard's allowed IPs stop a router from using another's address;
//   these rules stop the hub from routing between them, which it otherwise would (it has a route to every block).
// - A router may reach only its own hub address (TOD), and there only with replies to TOD's connections, ping, and
//   syslog when TOD receives it; it opens nothing beyond the hub. Another organisation's hub address is a local
//   address too (Linux answers on any interface), hence the per-interface destination check.
// - With a separate gateway (WIREGUARD_FORWARD_FROM), TOD's hosts may open connections into the tunnels, masqueraded
//   as the hub address, which is what the routers' firewall accepts; nothing else enters a tunnel from outside.

export type FirewallHub = { interface: string; hubAddress: string };
export type FirewallOptions = { syslogPort: number; forwardFrom: readonly string[] };

export const FIREWALL_FILE = 'tod-wireguard.nft';
export const TABLE = 'tod_wireguard';
const ALL = '"todwg*"';

export function renderFirewall(hubs: readonly FirewallHub[], o: FirewallOptions): string {
  const sorted = [...hubs].sort((a, b) => a.interface.localeCompare(b.interface, 'en', { numeric: true }));
  const from = o.forwardFrom.length > 0 ? `{ ${o.forwardFrom.join(', ')} }` : undefined;
  const input = [
    ...sorted.map((h) => `iifname "${h.interface}" ip daddr != ${h.hubAddress} drop`),
    `iifname ${ALL} ct state established,related accept`,
    `iifname ${ALL} icmp type echo-request accept`,
    ...(o.syslogPort > 0 ? [`iifname ${ALL} udp dport ${o.syslogPort} accept`] : []),
    `iifname ${ALL} drop`,
  ];
  const forward = [
    `iifname ${ALL} oifname ${ALL} drop`,
    `iifname ${ALL} ct state established,related accept`,
    `iifname ${ALL} drop`,
    ...(from ? [`oifname ${ALL} ip saddr ${from} accept`] : []),
    `oifname ${ALL} drop`,
  ];
  const chain = (name: string, hook: string, priority: string, rules: string[]) => [
    `  chain ${name} {`,
    `    type ${hook} priority ${priority}; policy accept;`,
    ...rules.map((r) => `    ${r}`),
    '  }',
  ];
  return `${[
    '#!/usr/sbin/nft -f',
    '# Written by TOD (features/vpn): the WireGuard hub of every organisation. TOD rewrites this file.',
    `table inet ${TABLE}`,
    `delete table inet ${TABLE}`,
    `table inet ${TABLE} {`,
    ...chain('input', 'filter hook input', 'filter', input),
    ...chain('forward', 'filter hook forward', 'filter', forward),
    ...(from
      ? chain('postrouting', 'nat hook postrouting', 'srcnat', [`oifname ${ALL} ip saddr ${from} masquerade`])
      : []),
    '}',
  ].join('\n')}\n`;
}
