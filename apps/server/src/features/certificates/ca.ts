import { createHash, createPrivateKey, KeyObject, randomBytes, type webcrypto, X509Certificate } from 'node:crypto';
import net from 'node:net';
import { subtle, x509 } from './x509.js';

// An organisation's certificate authority and the certificates it signs for routers: pure functions over PEM text.
// Keys leave this module as PEM in the traditional forms RouterOS imports (SEC1 "EC PRIVATE KEY", PKCS#1 "RSA
// PRIVATE KEY"); the caller seals them with the tenant's key before they touch the database.

export const keyTypes = ['ecdsa-p256', 'rsa-2048'] as const;
export type KeyType = (typeof keyTypes)[number];

const algorithms: Record<KeyType, webcrypto.RsaHashedKeyGenParams | webcrypto.EcKeyGenParams> = {
  'ecdsa-p256': { name: 'ECDSA', namedCurve: 'P-256' },
  'rsa-2048': {
    name: 'RSASSA-PKCS1-v1_5',
    modulusLength: 2048,
    publicExponent: new Uint8Array([1, 0, 1]),
    hash: 'SHA-256',
  },
};
const signing: Record<KeyType, webcrypto.Algorithm & { hash: string }> = {
  'ecdsa-p256': { name: 'ECDSA', hash: 'SHA-256' },
  'rsa-2048': { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
};

export type Issued = {
  certPem: string;
  keyPem: string;
  serial: string;
  fingerprint: string;
  notBefore: Date;
  notAfter: Date;
};

const DAY = 86_400_000;
/** A positive 128-bit serial (RFC 5280: at most 20 octets, positive). */
const newSerial = () => {
  const b = randomBytes(16);
  b[0] = (b[0] ?? 0) & 0x7f;
  return b.toString('hex');
};

/** Colon-separated uppercase SHA-256 of the DER: the form TOD pins and @tod/routeros reports. */
export function fingerprintOf(certPem: string): string {
  return new X509Certificate(certPem).fingerprint256;
}

async function keyPair(type: KeyType) {
  return (await subtle.generateKey(algorithms[type], true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
}

function traditionalPem(key: webcrypto.CryptoKey, type: KeyType): string {
  return KeyObject.from(key).export({ type: type === 'rsa-2048' ? 'pkcs1' : 'sec1', format: 'pem' }) as string;
}

async function importPrivate(pem: string, type: KeyType): Promise<webcrypto.CryptoKey> {
  const der = createPrivateKey(pem).export({ type: 'pkcs8', format: 'der' });
  return subtle.importKey('pkcs8', der, algorithms[type], false, ['sign']);
}

const issued = (
  certPem: string,
  key: webcrypto.CryptoKey,
  type: KeyType,
  notBefore: Date,
  notAfter: Date,
  serial: string,
): Issued => ({
  certPem,
  keyPem: traditionalPem(key, type),
  serial,
  fingerprint: fingerprintOf(certPem),
  notBefore,
  notAfter,
});

// Names are built with the library's JSON form so a device identity with commas or quotes stays one value.
const nameOf = (cn: string, org?: string) => new x509.Name([...(org ? [{ O: [org] }] : []), { CN: [cn] }]);

/** A self-signed CA: CA:true with path length 0 (it signs routers, never other CAs), keyCertSign + cRLSign. */
export async function createCa(o: {
  commonName: string;
  organisation: string;
  type: KeyType;
  days: number;
}): Promise<Issued> {
  const keys = await keyPair(o.type);
  const serial = newSerial();
  const notBefore = new Date(Date.now() - 5 * 60_000); // routers' clocks drift
  const notAfter = new Date(Date.now() + o.days * DAY);
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial,
    name: nameOf(o.commonName, o.organisation),
    notBefore,
    notAfter,
    signingAlgorithm: signing[o.type],
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return issued(cert.toString('pem'), keys.privateKey, o.type, notBefore, notAfter, serial);
}

export type Authority = { certPem: string; keyPem: string; type: KeyType };

/**
 * A router's server certificate: CN = its identity, SAN = its addresses and names, EKU serverAuth, signed by the
 * organisation's CA. Its key type follows the CA's (RSA for routers that need it).
 */
export async function signDevice(
  ca: Authority,
  o: { commonName: string; sans: string[]; days: number },
): Promise<Issued> {
  const keys = await keyPair(ca.type);
  const caCert = new x509.X509Certificate(ca.certPem);
  const serial = newSerial();
  const notBefore = new Date(Date.now() - 5 * 60_000);
  const notAfter = new Date(Math.min(Date.now() + o.days * DAY, caCert.notAfter.getTime()));
  const sans = [...new Set(o.sans.filter(Boolean))].map((v) =>
    net.isIP(v) ? { type: 'ip' as const, value: v } : { type: 'dns' as const, value: v },
  );
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial,
    subject: nameOf(o.commonName),
    issuer: caCert.subjectName,
    notBefore,
    notAfter,
    signingAlgorithm: signing[ca.type],
    publicKey: keys.publicKey,
    signingKey: await importPrivate(ca.keyPem, ca.type),
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.digitalSignature | (ca.type === 'rsa-2048' ? x509.KeyUsageFlags.keyEncipherment : 0),
        true,
      ),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension(sans),
      await x509.AuthorityKeyIdentifierExtension.create(caCert),
    ],
  });
  return issued(cert.toString('pem'), keys.privateKey, ca.type, notBefore, notAfter, serial);
}

/** The CA's revocation list: every revoked serial, valid for `days` (TOD re-issues it on every revocation). */
export async function createCrl(ca: Authority, revoked: { serial: string; at: Date }[], days = 30): Promise<string> {
  const caCert = new x509.X509Certificate(ca.certPem);
  const crl = await x509.X509CrlGenerator.create({
    issuer: caCert.subjectName,
    thisUpdate: new Date(Date.now() - 5 * 60_000),
    nextUpdate: new Date(Date.now() + days * DAY),
    entries: revoked.map((r) => ({ serialNumber: r.serial, revocationDate: r.at })),
    signingAlgorithm: signing[ca.type],
    signingKey: await importPrivate(ca.keyPem, ca.type),
  });
  // OpenSSL (and so Node's TLS) reads only the "X509 CRL" label.
  return pem('X509 CRL', Buffer.from(crl.rawData));
}

const pem = (label: string, der: Buffer) =>
  `-----BEGIN ${label}-----\n${der.toString('base64').replace(/.{1,64}/g, '$&\n')}-----END ${label}-----\n`;

/** A short, stable name for a certificate file and the certificate on the router. */
export const deviceCertName = (serial: string) => `tod-${serial.slice(0, 12)}`;

export const sha256Hex = (s: string) => createHash('sha256').update(s).digest('hex');
