import type { VpnHub, VpnPeer } from '@/api/vpn';
import { ago } from '@/lib/format';

/** Bytes as people read them: 1.2 MB (powers of 1,000, as RouterOS and wg show them with units). */
export function bytes(n: number | null): string {
  if (n === null) return '—';
  const units = ['B', 'kB', 'MB', 'GB', 'TB', 'PB'];
  let v = n;
  let i = 0;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${i === 0 ? v : v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}

/** A peer's state in words: connected, when it last was, or never. */
export function peerState(p: VpnPeer): { tone: 'success' | 'warning' | 'neutral'; label: string } {
  if (p.status.connected) return { tone: 'success', label: 'Connected' };
  if (p.status.last_handshake_at) return { tone: 'warning', label: `Last seen ${ago(p.status.last_handshake_at)}` };
  return { tone: 'neutral', label: p.status.status_at ? 'Never connected' : 'No status yet' };
}

/** What the hub host did with the configuration. */
export function applied(h: VpnHub): string {
  if (h.status.apply_error) return `The hub host could not apply it: ${h.status.apply_error}`;
  if (h.status.applied_at) return `Applied on this host ${ago(h.status.applied_at)}`;
  return 'Written for the hub host to apply (TOD does not apply it here)';
}
