// WireGuard (RouterOS 7; RouterOS 6 has no such menu): keys (x25519, 32 bytes, base64), the values RouterOS
// checks on add/set of `/interface/wireguard` and its `peers`, the defaults it fills in, and the read-only fields
// it prints. No tunnel runs: peers never shake hands, their counters stay at zero.

import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import net from 'node:net';
import { CommandError } from './commands/context.js';
import type { Device } from './device.js';
import type { Row } from './query.js';
import { ConfigStore, type Item } from './store.js';
import { formatDuration, parseDuration } from './values.js';
import { atLeast } from './version.js';

export const WG_MENU = '/interface/wireguard';
export const WG_PEERS = '/interface/wireguard/peers';
const DEFAULT_PORT = 13231;
const DEFAULT_MTU = '1420';

/** A WireGuard key as RouterOS takes it: 32 bytes in base64 (44 characters, one `=`). */
export function validKey(text: string): boolean {
  return /^[A-Za-z0-9+/]{43}=$/.test(text) && Buffer.from(text, 'base64').length === 32;
}

/** A new private key (what RouterOS makes when `add` gives none). */
export function generatePrivateKey(): string {
  const { privateKey } = generateKeyPairSync('x25519');
  const jwk = privateKey.export({ format: 'jwk' });
  return Buffer.from(jwk.d as string, 'base64url').toString('base64');
}

// PKCS#8 wrapping of a raw x25519 private key (RFC 8410), so Node derives its public key.
const PKCS8_X25519 = Buffer.from('302e020100300506032b656e04220420', 'hex');
const publicKeys = new Map<string, string>();

/** The public key of a base64 private key (cached: printed on every row). */
export function publicKeyOf(privateKey: string): string {
  let pub = publicKeys.get(privateKey);
  if (pub === undefined) {
    const key = createPrivateKey({
      key: Buffer.concat([PKCS8_X25519, Buffer.from(privateKey, 'base64')]),
      format: 'der',
      type: 'pkcs8',
    });
    const jwk = createPublicKey(key).export({ format: 'jwk' });
    pub = Buffer.from(jwk.x as string, 'base64url').toString('base64');
    if (publicKeys.size > 10_000) publicKeys.clear();
    publicKeys.set(privateKey, pub);
  }
  return pub;
}

const invalid = (name: string) => new CommandError(`invalid value for argument ${name}`, 1);
const unknown = (name: string) => new CommandError(`unknown parameter ${name}`, 1);
const missing = (name: string) => new CommandError(`missing value(s) of argument(s) ${name}`, 1);

function items(device: Device, path: string): Item[] {
  return device.store.menu(path, false)?.items ?? [];
}

function port(props: Map<string, string>, name: string, min: number): void {
  const v = props.get(name);
  if (v === undefined) return;
  const n = Number(v);
  if (v === '' || !Number.isInteger(n) || n < min || n > 65535) throw invalid(name);
}

function key(props: Map<string, string>, name: string, emptyOk: boolean): void {
  const v = props.get(name);
  if (v === undefined || (emptyOk && v === '')) return;
  if (!validKey(v)) throw invalid(name);
}

function smallestFree(taken: Set<string>, make: (n: number) => string, from: number): string {
  for (let n = from; ; n++) if (!taken.has(make(n))) return make(n);
}

/** `/interface/wireguard` add/set: keys, port and MTU checked; add fills in name, port, MTU and a private key. */
export function prepareInterface(device: Device, props: Map<string, string>, self: Item | undefined): void {
  if (props.has('public-key')) throw new CommandError('failure: public-key is read-only', 1);
  key(props, 'private-key', false);
  port(props, 'listen-port', 1);
  const mtu = props.get('mtu');
  if (mtu !== undefined && !(/^\d+$/.test(mtu) && Number(mtu) <= 65536)) throw invalid('mtu');
  if (self) return;
  const names = new Set(items(device, WG_MENU).map((i) => ConfigStore.get(i, 'name') ?? ''));
  if (!props.has('name'))
    props.set(
      'name',
      smallestFree(names, (n) => `wireguard${n}`, 1),
    );
  if (!props.has('listen-port')) {
    const ports = new Set(items(device, WG_MENU).map((i) => ConfigStore.get(i, 'listen-port') ?? ''));
    props.set('listen-port', smallestFree(ports, String, DEFAULT_PORT));
  }
  if (!props.has('mtu')) props.set('mtu', DEFAULT_MTU);
  if (!props.has('private-key')) props.set('private-key', generatePrivateKey());
}

/** Peer properties by the version that has them (7.15 added names and client settings, 7.17 renamed the flag). */
function peerPropertyKnown(device: Device, name: string): boolean {
  const v = device.version;
  if (name === 'is-responder') return atLeast(v, '7.15') && !atLeast(v, '7.17');
  if (name === 'responder') return atLeast(v, '7.17');
  if (name === 'client-allowed-address') return atLeast(v, '7.21');
  if (name === 'name' || name === 'private-key' || name.startsWith('client-')) return atLeast(v, '7.15');
  return true;
}

/** `10.0.0.2` → `10.0.0.2/32`; a list of IPv4/IPv6 prefixes, or undefined when one is not. */
function prefixes(text: string): string | undefined {
  if (text === '') return '';
  const out: string[] = [];
  for (const part of text.split(',')) {
    const [addr, len, extra] = part.split('/');
    const family = net.isIP(addr ?? '');
    if (family === 0 || extra !== undefined) return undefined;
    const max = family === 4 ? 32 : 128;
    if (len !== undefined && !(/^\d+$/.test(len) && Number(len) <= max)) return undefined;
    out.push(`${addr}/${len ?? max}`);
  }
  return out.join(',');
}

/** `/interface/wireguard/peers` add/set: what RouterOS checks and fills in. */
export function preparePeer(device: Device, props: Map<string, string>, self: Item | undefined): void {
  for (const k of props.keys()) if (!peerPropertyKnown(device, k)) throw unknown(k);
  if (!self) {
    if (!props.has('interface')) throw missing('interface');
    if (!props.has('public-key')) throw missing('public-key');
  }
  const iface = props.get('interface');
  if (iface !== undefined && !items(device, WG_MENU).some((i) => ConfigStore.get(i, 'name') === iface))
    throw new CommandError('input does not match any value of interface', 1);
  key(props, 'public-key', false);
  key(props, 'preshared-key', true);
  key(props, 'private-key', true);
  const pub = props.get('public-key');
  // RouterOS keeps one peer per public key on the whole router, whatever the interface.
  if (pub !== undefined && items(device, WG_PEERS).some((p) => p !== self && ConfigStore.get(p, 'public-key') === pub))
    throw new CommandError('failure: entry already exists');
  port(props, 'endpoint-port', 0);
  const allowed = props.get('allowed-address');
  if (allowed !== undefined) {
    const normal = prefixes(allowed);
    if (normal === undefined) throw invalid('allowed-address');
    props.set('allowed-address', normal);
  }
  const keepalive = props.get('persistent-keepalive');
  if (keepalive !== undefined) {
    const ms = parseDuration(keepalive);
    if (ms === undefined || ms > 65_535_000) throw invalid('persistent-keepalive');
    props.set('persistent-keepalive', formatDuration(ms));
  }
  if (self) return;
  if (atLeast(device.version, '7.15') && !props.has('name')) {
    const names = new Set(items(device, WG_PEERS).map((p) => ConfigStore.get(p, 'name') ?? ''));
    props.set(
      'name',
      smallestFree(names, (n) => `peer${n}`, items(device, WG_PEERS).length + 1),
    );
  }
}

/**
 * The interface's private key. An interface loaded from an export made without `show-sensitive` has none in the
 * store; the router it came from had one, so it gets a stable one derived from the device and item.
 */
function privateKeyOf(device: Device, item: Item): string {
  const priv = item.props.get('private-key');
  if (priv !== undefined && validKey(priv)) return priv;
  const bytes = createHash('sha256').update(`${device.key}:wireguard:${item.id}`).digest();
  return bytes.toString('base64');
}

/** `/interface/wireguard` print: the public key derived from the private key, and `running` while enabled. */
export function interfaceFields(device: Device, item: Item, row: Row, sensitive: boolean): void {
  const priv = privateKeyOf(device, item);
  if (sensitive) row['private-key'] = priv;
  row['public-key'] = publicKeyOf(priv);
  row.running = ConfigStore.get(item, 'disabled') === 'yes' ? 'false' : 'true';
  delete row.dynamic;
}

/** `/interface/wireguard/peers` print: the read-only state of a peer that never shook hands (7.16's fields). */
export function peerFields(device: Device, row: Row, sensitive: boolean): void {
  const v715 = atLeast(device.version, '7.15');
  row['allowed-address'] ??= '';
  if (v715) row['client-endpoint'] ??= '';
  row['current-endpoint-address'] = '';
  row['current-endpoint-port'] = '0';
  row['endpoint-address'] ??= '';
  row['endpoint-port'] ??= '0';
  if (sensitive) {
    row['preshared-key'] ??= '';
    if (v715) row['private-key'] ??= '';
  }
  row.rx = '0';
  row.tx = '0';
}

/** The add/set hook of the generic menu commands (commands/menu.ts) for the two WireGuard menus. */
export function prepareWireguard(
  device: Device,
  path: string,
  props: Map<string, string>,
  self: Item | undefined,
): void {
  if (path === WG_MENU) prepareInterface(device, props, self);
  else if (path === WG_PEERS) preparePeer(device, props, self);
}
