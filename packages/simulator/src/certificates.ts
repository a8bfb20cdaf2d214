// The certificate store (`/certificate`): PEM certificates and keys imported from files, the rows RouterOS prints
// for them, and which certificate api-ssl presents. An imported certificate is an item of the `/certificate` menu
// whose PEM (and private key, when one was imported for it) live in props the row builder never prints, so they
// survive what the configuration store survives (reboots, safe mode, backups) and are never exported (RouterOS
// does not export certificates either).
import { createPrivateKey, type KeyObject, X509Certificate } from 'node:crypto';
import type { Device } from './device.js';
import type { Row } from './query.js';
import { ConfigStore, type Item } from './store.js';
import { formatDateTime, formatDuration, formatId, toApiValue } from './values.js';
import { atLeast } from './version.js';
import { altNames, derFacts, distinguishedName, nameAttribute } from './x509.js';

export const CERTIFICATE_MENU = '/certificate';
/** Props that hold the certificate (PEM) and its private key (PKCS#8 PEM): never printed, never exported. */
export const PEM_PROP = '.pem';
export const KEY_PROP = '.key';

export interface ImportCounts {
  'certificates-imported': number;
  'private-keys-imported': number;
  'files-imported': number;
  'decryption-failures': number;
  'keys-with-no-certificate': number;
}

export interface ImportOptions {
  fileName: string;
  /** `name=`: the first certificate's name (`X`, then `X_1`, …); default `<file-name>_0`, `_1`, …. */
  name?: string | undefined;
  passphrase: string;
  trusted: boolean;
  trustStore?: string | undefined;
}

// Parsed certificates by PEM text: rows are printed often, certificates change rarely.
const parsedCache = new Map<string, X509Certificate>();

export function parsedCertificate(item: Item): X509Certificate | undefined {
  const pem = item.props.get(PEM_PROP);
  if (pem === undefined) return undefined;
  let x = parsedCache.get(pem);
  if (!x) {
    if (parsedCache.size > 1000) parsedCache.clear();
    x = new X509Certificate(pem);
    parsedCache.set(pem, x);
  }
  return x;
}

export function certificateItems(device: Device): Item[] {
  return device.store.menu(CERTIFICATE_MENU, false)?.items ?? [];
}

export function findCertificate(device: Device, name: string): Item | undefined {
  return certificateItems(device).find((i) => ConfigStore.get(i, 'name') === name);
}

const fingerprintOf = (x: X509Certificate) => x.fingerprint256.replaceAll(':', '').toLowerCase();

interface PemBlock {
  label: string;
  text: string;
}

function pemBlocks(text: string): PemBlock[] {
  const out: PemBlock[] = [];
  const re = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/g;
  for (let m = re.exec(text); m; m = re.exec(text)) out.push({ label: m[1] as string, text: m[0] });
  return out;
}

const KEY_LABELS = new Set(['PRIVATE KEY', 'RSA PRIVATE KEY', 'EC PRIVATE KEY', 'ENCRYPTED PRIVATE KEY']);

/** A name not yet taken: `name=X` gives `X`, then `X_1`, …; without it `<file>_0`, `<file>_1`, …. */
function nextName(device: Device, o: ImportOptions, index: { n: number }): string {
  const taken = new Set(certificateItems(device).map((i) => ConfigStore.get(i, 'name')));
  for (;;) {
    const i = index.n++;
    const candidate = o.name !== undefined && i === 0 ? o.name : `${o.name ?? o.fileName}_${i}`;
    if (!taken.has(candidate)) return candidate;
  }
}

/**
 * `/certificate import`: every certificate in the file (PEM blocks, or one DER certificate) is added unless one
 * with the same fingerprint is there already; every private key is decrypted with the passphrase (a wrong one is
 * a decryption failure, not an error) and given to the certificate it belongs to — one imported now or earlier.
 * A key that belongs to none is counted and dropped.
 */
export function importCertificates(device: Device, bytes: Buffer, o: ImportOptions): ImportCounts {
  const counts: ImportCounts = {
    'certificates-imported': 0,
    'private-keys-imported': 0,
    'files-imported': 0,
    'decryption-failures': 0,
    'keys-with-no-certificate': 0,
  };
  const text = bytes.toString('latin1');
  const blocks = pemBlocks(text);
  const certs: X509Certificate[] = [];
  const keys: KeyObject[] = [];
  if (blocks.length === 0) {
    try {
      certs.push(new X509Certificate(bytes));
    } catch {
      // Neither PEM nor a DER certificate: nothing to import.
    }
  }
  for (const b of blocks) {
    if (b.label === 'CERTIFICATE' || b.label === 'X509 CERTIFICATE' || b.label === 'TRUSTED CERTIFICATE') {
      try {
        certs.push(new X509Certificate(b.text));
      } catch {
        // A damaged block is skipped, as RouterOS skips what it cannot read.
      }
    } else if (KEY_LABELS.has(b.label)) {
      try {
        keys.push(createPrivateKey({ key: b.text, format: 'pem', passphrase: o.passphrase }));
      } catch {
        counts['decryption-failures']++;
      }
    }
  }
  const index = { n: 0 };
  for (const x of certs) {
    const fp = fingerprintOf(x);
    const known = certificateItems(device).some((i) => {
      const c = parsedCertificate(i);
      return c !== undefined && fingerprintOf(c) === fp;
    });
    if (known) continue;
    const props = new Map([
      ['name', nextName(device, o, index)],
      ['trusted', o.trusted ? 'yes' : 'no'],
    ]);
    if (o.trustStore !== undefined) props.set('trust-store', o.trustStore);
    props.set(PEM_PROP, x.toString());
    device.store.add(CERTIFICATE_MENU, props);
    counts['certificates-imported']++;
  }
  for (const key of keys) {
    const owners = certificateItems(device).filter((i) => {
      const x = parsedCertificate(i);
      try {
        return x?.checkPrivateKey(key) === true;
      } catch {
        return false;
      }
    });
    if (owners.length === 0) {
      counts['keys-with-no-certificate']++;
      continue;
    }
    const pem = key.export({ format: 'pem', type: 'pkcs8' }).toString();
    for (const owner of owners) device.store.set(CERTIFICATE_MENU, owner, new Map([[KEY_PROP, pem]]));
    counts['private-keys-imported']++;
  }
  if (counts['certificates-imported'] + counts['private-keys-imported'] > 0) counts['files-imported'] = 1;
  return counts;
}

const TEMPLATE_DEFAULTS: Array<[string, string]> = [
  ['key-type', 'rsa'],
  ['common-name', ''],
  ['key-size', '2048'],
  ['subject-alt-name', ''],
  ['days-valid', '365'],
  ['key-usage', 'digital-signature,key-encipherment,data-encipherment,key-cert-sign,crl-sign,tls-server,tls-client'],
];

/** A template (`/certificate add`, not signed): what was given over the defaults; no key, not trusted. */
function templateRow(item: Item): Row {
  const row: Row = { '.id': formatId(item.id), name: ConfigStore.get(item, 'name') ?? '' };
  const given = new Map([...item.props].filter(([k]) => !k.startsWith('.') && !k.startsWith('!')));
  for (const [k, v] of TEMPLATE_DEFAULTS) row[k] = given.get(k) ?? v;
  for (const [k, v] of given) row[k] = toApiValue(v);
  row['private-key'] = 'false';
  row.crl = 'false';
  return row;
}

/** The row `/certificate print` shows (API form). */
export function certificateRow(device: Device, item: Item, now: number): Row {
  const x = parsedCertificate(item);
  if (!x) return templateRow(item);
  const v = device.version;
  const iso = device.behaviour.isoDates;
  const facts = derFacts(x);
  const from = new Date(x.validFrom);
  const to = new Date(x.validTo);
  const row: Row = { '.id': formatId(item.id), name: ConfigStore.get(item, 'name') ?? '' };
  if (atLeast(v, '7.21')) row['trust-store'] = ConfigStore.get(item, 'trust-store') ?? 'all';
  if (facts.digest !== '') row['digest-algorithm'] = facts.digest;
  const pub = x.publicKey;
  row['key-type'] = pub.asymmetricKeyType ?? '';
  row['common-name'] = nameAttribute(x.subject, 'CN');
  for (const [field, attr] of [
    ['country', 'C'],
    ['state', 'ST'],
    ['locality', 'L'],
    ['organization', 'O'],
    ['unit', 'OU'],
  ] as const) {
    const value = nameAttribute(x.subject, attr);
    if (value !== '') row[field] = value;
  }
  row['subject-alt-name'] = altNames(x.subjectAltName);
  const details = pub.asymmetricKeyDetails;
  row['key-size'] = details?.namedCurve ?? String(details?.modulusLength ?? '');
  row['days-valid'] = String(Math.round((to.getTime() - from.getTime()) / 86_400_000));
  row.trusted = toApiValue(ConfigStore.get(item, 'trusted') ?? 'no');
  row['key-usage'] = facts.keyUsage.join(',');
  row.issuer = distinguishedName(x.issuer);
  row['serial-number'] = x.serialNumber.toLowerCase();
  row.fingerprint = fingerprintOf(x);
  row.akid = facts.akid;
  row.skid = facts.skid;
  row['invalid-before'] = formatDateTime(from, iso);
  row['invalid-after'] = formatDateTime(to, iso);
  const hasKey = item.props.has(KEY_PROP);
  if (to.getTime() > now) row['expires-after'] = formatDuration(Math.floor((to.getTime() - now) / 1000) * 1000);
  else row.expired = 'true';
  row['private-key'] = hasKey ? 'true' : 'false';
  row.crl = 'false';
  // A CA whose key is here can sign: RouterOS's `A` flag (an imported CA without its key does not show it).
  if (hasKey && x.ca) row.authority = 'true';
  return row;
}

/** What a new api-ssl connection gets: the fleet's default, anonymous DH, a certificate, or nothing usable. */
export type ApiSslChoice =
  | { kind: 'default' }
  | { kind: 'anon' }
  | { kind: 'certificate'; fingerprint: string; cert: string; key: string; chain: string[] }
  | { kind: 'no-key' };

function serviceItem(device: Device, name: string): Item | undefined {
  return device.store.menu('/ip/service', false)?.items.find((i) => ConfigStore.get(i, 'name') === name);
}

/**
 * The certificate `/ip service` gives api-ssl. Never configured: the fleet's default (its own certificate, or
 * anonymous DH for `tls: 'anon'`). `none`, or a name no certificate has (an export loaded without its
 * certificates): anonymous DH, as RouterOS offers without a certificate. A certificate without a private key
 * cannot serve TLS: handshakes fail (`no-key`).
 */
export function apiSslChoice(device: Device): ApiSslChoice {
  const service = serviceItem(device, 'api-ssl');
  const name = service ? ConfigStore.get(service, 'certificate') : undefined;
  if (name === undefined) return { kind: 'default' };
  if (name === 'none') return { kind: 'anon' };
  const item = findCertificate(device, name);
  if (!item) return { kind: 'anon' };
  const x = parsedCertificate(item);
  const key = item.props.get(KEY_PROP);
  // A template (never signed) has no key either.
  if (!x || key === undefined) return { kind: 'no-key' };
  return { kind: 'certificate', fingerprint: fingerprintOf(x), cert: x.toString(), key, chain: chainOf(device, x) };
}

/** Issuing CAs in the store above `x` (not the self-signed root, which the client must already trust). */
function chainOf(device: Device, x: X509Certificate): string[] {
  const out: string[] = [];
  let current = x;
  for (let depth = 0; depth < 8; depth++) {
    const issuer = certificateItems(device)
      .map((i) => parsedCertificate(i))
      .find((c) => c !== undefined && c !== current && current.checkIssued(c));
    if (!issuer || issuer.checkIssued(issuer)) break;
    out.push(issuer.toString());
    current = issuer;
  }
  return out;
}

/** Services naming certificate `from` follow a rename (`to`), or fall back to `none` when it is removed. */
export function certificateChanged(device: Device, from: string, to: string): void {
  for (const s of device.store.menu('/ip/service', false)?.items ?? []) {
    if (ConfigStore.get(s, 'certificate') === from) device.store.set('/ip/service', s, new Map([['certificate', to]]));
  }
}
