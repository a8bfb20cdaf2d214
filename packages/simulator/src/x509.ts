// What RouterOS shows of an X.509 certificate that Node's X509Certificate does not hand out directly: the
// signature's digest, the key-usage bits, the subject and authority key identifiers. A small DER walk over the
// certificate's own bytes (no dependency); everything else comes from Node's parser.
import type { X509Certificate } from 'node:crypto';

interface Tlv {
  tag: number;
  /** Offset of the contents. */
  start: number;
  /** Offset after the contents. */
  end: number;
}

function readTlv(der: Buffer, at: number): Tlv {
  const tag = der[at] as number;
  let len = der[at + 1] as number;
  let start = at + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + (der[start + i] as number);
    start += n;
  }
  return { tag, start, end: start + len };
}

function children(der: Buffer, parent: Tlv): Tlv[] {
  const out: Tlv[] = [];
  for (let at = parent.start; at < parent.end; ) {
    const t = readTlv(der, at);
    out.push(t);
    at = t.end;
  }
  return out;
}

function oidText(der: Buffer, t: Tlv): string {
  const bytes = der.subarray(t.start, t.end);
  const first = bytes[0] as number;
  const parts = [Math.floor(first / 40), first % 40];
  let n = 0;
  for (let i = 1; i < bytes.length; i++) {
    const b = bytes[i] as number;
    n = n * 128 + (b & 0x7f);
    if (!(b & 0x80)) {
      parts.push(n);
      n = 0;
    }
  }
  return parts.join('.');
}

// Signature algorithms by OID: the digest RouterOS names as `digest-algorithm`.
const DIGESTS: Record<string, string> = {
  '1.2.840.113549.1.1.4': 'md5',
  '1.2.840.113549.1.1.5': 'sha1',
  '1.2.840.113549.1.1.11': 'sha256',
  '1.2.840.113549.1.1.12': 'sha384',
  '1.2.840.113549.1.1.13': 'sha512',
  '1.2.840.10045.4.1': 'sha1',
  '1.2.840.10045.4.3.2': 'sha256',
  '1.2.840.10045.4.3.3': 'sha384',
  '1.2.840.10045.4.3.4': 'sha512',
};

// Key-usage bits in order (RFC 5280), with RouterOS's names for them.
const KEY_USAGE = [
  'digital-signature',
  'content-commitment',
  'key-encipherment',
  'data-encipherment',
  'key-agreement',
  'key-cert-sign',
  'crl-sign',
  'encipher-only',
  'decipher-only',
];
// Extended key usages RouterOS names (others are left out).
const EXT_KEY_USAGE: Record<string, string> = {
  '1.3.6.1.5.5.7.3.1': 'tls-server',
  '1.3.6.1.5.5.7.3.2': 'tls-client',
  '1.3.6.1.5.5.7.3.3': 'code-sign',
  '1.3.6.1.5.5.7.3.4': 'email-protect',
  '1.3.6.1.5.5.7.3.8': 'timestamp',
  '1.3.6.1.5.5.7.3.9': 'ocsp-sign',
};

export interface DerFacts {
  digest: string;
  keyUsage: string[];
  skid: string;
  akid: string;
}

/** Digest, key usage (bits, then extended usages) and key identifiers (lowercase hex) of a DER certificate. */
export function derFacts(cert: X509Certificate): DerFacts {
  const der = cert.raw;
  const facts: DerFacts = { digest: '', keyUsage: [], skid: '', akid: '' };
  try {
    const top = children(der, readTlv(der, 0));
    const [tbs, sigAlg] = top;
    if (sigAlg) {
      const oid = children(der, sigAlg)[0];
      if (oid) facts.digest = DIGESTS[oidText(der, oid)] ?? '';
    }
    const explicit3 = tbs ? children(der, tbs).find((t) => t.tag === 0xa3) : undefined;
    const list = explicit3 ? children(der, explicit3)[0] : undefined;
    const ext: string[] = [];
    for (const e of list ? children(der, list) : []) {
      const parts = children(der, e);
      const oid = oidText(der, parts[0] as Tlv);
      const value = parts[parts.length - 1] as Tlv;
      const inner = readTlv(der, value.start);
      if (oid === '2.5.29.15') {
        // BIT STRING: first byte = unused bits, then the bits from the most significant.
        const bits = der.subarray(inner.start + 1, inner.end);
        KEY_USAGE.forEach((name, i) => {
          const byte = bits[i >> 3];
          if (byte !== undefined && byte & (0x80 >> (i & 7))) facts.keyUsage.push(name);
        });
      } else if (oid === '2.5.29.14') {
        facts.skid = der.subarray(inner.start, inner.end).toString('hex');
      } else if (oid === '2.5.29.35') {
        const keyId = children(der, inner).find((t) => t.tag === 0x80);
        if (keyId) facts.akid = der.subarray(keyId.start, keyId.end).toString('hex');
      } else if (oid === '2.5.29.37') {
        for (const u of children(der, inner)) {
          const name = EXT_KEY_USAGE[oidText(der, u)];
          if (name) ext.push(name);
        }
      }
    }
    facts.keyUsage.push(...ext);
  } catch {
    // A certificate Node parsed but this walk cannot: show what Node knows.
  }
  return facts;
}

/** `CN=x\nO=y` (Node) → `CN=x,O=y`, with RouterOS's `S=` for the state. */
export function distinguishedName(text: string): string {
  return text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => l.replace(/^ST=/, 'S='))
    .join(',');
}

/** One attribute of a distinguished name (`CN`, `O`, …), or '' when absent. */
export function nameAttribute(text: string, key: string): string {
  const line = text.split('\n').find((l) => l.startsWith(`${key}=`));
  return line ? line.slice(key.length + 1) : '';
}

/** `DNS:a, IP Address:127.0.0.1` (Node) → `DNS:a,IP:127.0.0.1` (RouterOS). */
export function altNames(text: string | undefined): string {
  if (!text) return '';
  return text
    .split(', ')
    .map((p) => p.replace(/^IP Address:/, 'IP:'))
    .join(',');
}
