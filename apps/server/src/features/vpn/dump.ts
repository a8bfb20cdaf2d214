import { isKey } from './keys.js';

// `wg show <interface> dump` and `wg show all dump` (wg(8)): tab-separated lines, the interface's first (private key,
// public key, listen port, fwmark), then one per peer (public key, preshared key, endpoint, allowed IPs, latest
// handshake in Unix seconds — 0: never, bytes received, bytes sent, persistent keepalive — `off` or seconds). With
// `all`, every line starts with the interface name. Keys of the interface line (its private key!) are never kept.

export type DumpInterface = { interface: string; publicKey: string | null; listenPort: number };
export type DumpPeer = {
  interface: string;
  publicKey: string;
  endpoint: string | null;
  allowedIps: string[];
  latestHandshake: Date | null;
  rxBytes: bigint;
  txBytes: bigint;
  keepaliveSeconds: number | null;
};
export type Dump = { interfaces: DumpInterface[]; peers: DumpPeer[]; skipped: number };

const COUNT = /^\d{1,20}$/;
const none = (s: string) => (s === '(none)' ? null : s);

/** Parses dump text; `iface` names the interface of a single-interface dump (`wg show <iface> dump`). */
export function parseDump(text: string, iface?: string): Dump {
  const out: Dump = { interfaces: [], peers: [], skipped: 0 };
  let current = iface;
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '') continue;
    const f = line.split('\t');
    // 4 or 5 fields: an interface line (5 with the name first); 8 or 9: a peer line.
    const named = f.length === 5 || f.length === 9;
    const name = named ? f.shift() : current;
    if (f.length === 4 && name) {
      const port = Number(f[2]);
      if (!COUNT.test(f[2] ?? '') || port > 65535) {
        out.skipped++;
        continue;
      }
      current = name;
      const pub = none(f[1] ?? '');
      out.interfaces.push({ interface: name, publicKey: pub && isKey(pub) ? pub : null, listenPort: port });
      continue;
    }
    if (f.length === 8 && name) {
      const [pub = '', , endpoint = '', allowed = '', handshake = '', rx = '', tx = '', keepalive = ''] = f;
      if (!isKey(pub) || ![handshake, rx, tx].every((x) => COUNT.test(x))) {
        out.skipped++;
        continue;
      }
      const seconds = Number(handshake);
      out.peers.push({
        interface: name,
        publicKey: pub,
        endpoint: none(endpoint),
        allowedIps: allowed === '(none)' ? [] : allowed.split(','),
        latestHandshake: seconds === 0 ? null : new Date(seconds * 1000),
        rxBytes: BigInt(rx),
        txBytes: BigInt(tx),
        keepaliveSeconds: keepalive === 'off' || !COUNT.test(keepalive) ? null : Number(keepalive),
      });
      continue;
    }
    out.skipped++;
  }
  return out;
}
