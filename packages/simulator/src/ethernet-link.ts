// What `/interface/ethernet/monitor` shows for a port: link status, negotiated rate, duplex, advertised modes. Field
// names and values as RouterOS prints them: `rate` is `10Mbps` … `100Gbps` and absent without link; `advertising`
// names modes `10M-full`, `1000M-full` before 7.12 and `10M-baseT-full`, `1G-baseT-full` from 7.12; v7 adds
// `supported`. SFP diagnostics (`sfp-*`) are not modelled.
import type { LiveContext } from './live.js';
import type { Row } from './query.js';
import { atLeast, parseVersion } from './version.js';

const RATE_BPS: Record<string, number> = {
  '10Mbps': 1e7,
  '100Mbps': 1e8,
  '1Gbps': 1e9,
  '2.5Gbps': 2.5e9,
  '5Gbps': 5e9,
  '10Gbps': 1e10,
  '25Gbps': 2.5e10,
  '40Gbps': 4e10,
  '50Gbps': 5e10,
  '100Gbps': 1e11,
};

/** Twisted-pair modes, slowest first: the name before 7.12 and from 7.12. */
const COPPER_MODES: Array<{ bps: number; old: string; v712: string }> = [
  { bps: 1e7, old: '10M-half', v712: '10M-baseT-half' },
  { bps: 1e7, old: '10M-full', v712: '10M-baseT-full' },
  { bps: 1e8, old: '100M-half', v712: '100M-baseT-half' },
  { bps: 1e8, old: '100M-full', v712: '100M-baseT-full' },
  { bps: 1e9, old: '1000M-half', v712: '1G-baseT-half' },
  { bps: 1e9, old: '1000M-full', v712: '1G-baseT-full' },
  { bps: 2.5e9, old: '2500M-full', v712: '2.5G-baseT' },
  { bps: 5e9, old: '5000M-full', v712: '5G-baseT' },
  { bps: 1e10, old: '10000M-full', v712: '10G-baseT' },
];

// Boards whose ether ports are Fast Ethernet (hAP, hAP lite/mini, hEX lite, mAP, cAP, RB750r2, RB941, RB951).
const FAST_ETHERNET = [/^hAP( lite| mini)?$/i, /\blite\b/i, /^mAP\b/i, /^cAP( lite)?$/i, /^RB(750r2|941|951)/i];

/** The fastest rate a port can run at, by its default name (SFP cages) and the board (copper ports). */
function portMaxRate(c: LiveContext, defaultName: string): string {
  if (/^qsfp28/.test(defaultName)) return '100Gbps';
  if (/^sfp28/.test(defaultName)) return '25Gbps';
  if (/^sfp-?sfpplus|^sfpplus/.test(defaultName)) return '10Gbps';
  if (/^(sfp|combo)/.test(defaultName)) return '1Gbps';
  return FAST_ETHERNET.some((r) => r.test(c.boardName)) ? '100Mbps' : '1Gbps';
}

/** The rate a port negotiates while it has link: the spec's figure for it, else the port's fastest. */
export function ethernetRate(c: LiveContext, name: string, defaultName: string): string {
  return c.linkRates?.[name] ?? c.linkRates?.[defaultName] ?? portMaxRate(c, defaultName);
}

export interface EthernetPort {
  name: string;
  defaultName: string;
  /** The interface's `running` flag: a port has link exactly when it runs. */
  running: boolean;
}

/** One `/interface/ethernet/monitor` row (API form: booleans `true`/`false`). */
export function ethernetMonitorRow(c: LiveContext, p: EthernetPort): Row {
  const newNames = atLeast(parseVersion(c.version), '7.12');
  const copper = !/^(sfp|qsfp|sfpplus)/.test(p.defaultName);
  const rate = ethernetRate(c, p.name, p.defaultName);
  const max = Math.max(RATE_BPS[portMaxRate(c, p.defaultName)] ?? 0, RATE_BPS[rate] ?? 0);
  const modes = (upTo: number) =>
    copper
      ? COPPER_MODES.filter((m) => m.bps <= upTo)
          .map((m) => (newNames ? m.v712 : m.old))
          .join(',')
      : '';
  const row: Row = { name: p.name, status: p.running ? 'link-ok' : 'no-link', 'auto-negotiation': 'done' };
  if (p.running) {
    Object.assign(row, { rate, 'full-duplex': 'true', 'tx-flow-control': 'false', 'rx-flow-control': 'false' });
  }
  if (c.v7) row.supported = modes(max);
  row.advertising = modes(max);
  // The far end advertises up to the rate they settled on.
  row['link-partner-advertising'] = p.running ? modes(RATE_BPS[rate] ?? 0) : '';
  return row;
}
