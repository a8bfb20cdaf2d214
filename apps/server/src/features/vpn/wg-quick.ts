import { ipToInt } from './addressing.js';

// The hub's side of one organisation in wg-quick(8) format: its interface (private key, port, TOD's address in the
// block) and a [Peer] per device, allowed only its own /32. No Endpoint (routers dial in and keep the tunnel alive)
// and no SaveConfig (TOD owns the file). Pure; the file is written by hub-files.ts.

export type HubConfig = {
  tenantId: string;
  interface: string;
  privateKey: string;
  listenPort: number;
  hubAddress: string;
  prefix: number;
  /** What the file was made from (hub-files.ts): a rewrite is skipped while it is the same. */
  fingerprint?: string;
};
export type PeerConfig = { id: string; name: string; publicKey: string; presharedKey: string | null; address: string };

/** A name safe in a comment line: no line breaks or control characters, bounded. */
const commentSafe = (s: string) => s.replace(/[^\p{L}\p{N} ._@()-]/gu, '_').slice(0, 80);

export function renderHubConfig(hub: HubConfig, peers: readonly PeerConfig[]): string {
  const lines = [
    `# Written by TOD for organisation ${hub.tenantId}: TOD rewrites this file whenever its peers change.`,
    ...(hub.fingerprint ? [`# inputs ${hub.fingerprint}`] : []),
    '[Interface]',
    `PrivateKey = ${hub.privateKey}`,
    `ListenPort = ${hub.listenPort}`,
    `Address = ${hub.hubAddress}/${hub.prefix}`,
  ];
  for (const p of [...peers].sort((a, b) => ipToInt(a.address) - ipToInt(b.address))) {
    lines.push('', `# ${commentSafe(p.name)} (peer ${p.id})`, '[Peer]', `PublicKey = ${p.publicKey}`);
    if (p.presharedKey) lines.push(`PresharedKey = ${p.presharedKey}`);
    lines.push(`AllowedIPs = ${p.address}/32`);
  }
  return `${lines.join('\n')}\n`;
}
