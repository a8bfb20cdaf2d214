/** "3d 4h", "5h 12m", "42m": how long a router has been up. */
export function duration(seconds: number | null): string {
  if (seconds === null) return '—';
  const d = Math.floor(seconds / 86400);
  const h = Math.floor((seconds % 86400) / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  if (d > 0) return `${d}d ${h}h`;
  if (h > 0) return `${h}h ${m}m`;
  return `${m}m`;
}

const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
export function bytes(n: number | null): string {
  if (n === null) return '—';
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v >= 100 || i === 0 ? Math.round(v) : v.toFixed(1)} ${units[i]}`;
}

const rateUnits = ['bps', 'kbps', 'Mbps', 'Gbps', 'Tbps'];
/** Bits per second, in decimal units as network people read them. */
export function bps(n: number | null | undefined): string {
  if (n === null || n === undefined) return '—';
  let v = n;
  let i = 0;
  while (v >= 1000 && i < rateUnits.length - 1) {
    v /= 1000;
    i++;
  }
  return `${v >= 100 || i === 0 ? Math.round(v) : v.toFixed(1)} ${rateUnits[i]}`;
}

export function percent(n: number | null): string {
  return n === null ? '—' : `${Math.round(n)}%`;
}

/** What each offline/probe code means, in words an engineer can act on. */
export const reasonText: Record<string, string> = {
  refused: 'Connection refused: the API service is off or the port is wrong',
  timeout: 'No answer in time: a firewall may drop the traffic, or the host is down',
  unreachable: 'No route to the host',
  dns: 'The host name does not resolve',
  tls: 'TLS handshake failed',
  tls_fingerprint_mismatch: 'The TLS certificate changed since it was pinned',
  bad_credentials: 'The router refused the username or password',
  not_routeros: 'Something answered, but it is not the RouterOS API',
  connection_lost: 'The connection dropped during the poll',
  reply_too_large: 'A reply was larger than TOD accepts; the session was closed',
  credentials_unavailable: 'The stored credentials could not be decrypted',
  target_denied: 'TOD may not connect to this address and port (a denied network, or one of its own services)',
  partial: 'Some commands failed',
  slow: 'The poll took longer than expected',
  error: 'The poll failed',
};
