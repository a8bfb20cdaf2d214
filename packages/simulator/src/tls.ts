// TLS for api-ssl: a self-signed certificate made once with the openssl CLI into a cache directory, or anonymous
// Diffie-Hellman only (what RouterOS offers on api-ssl when no certificate is set).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';

export const ANON_CIPHERS = 'ADH-AES256-GCM-SHA384:ADH-AES128-GCM-SHA256:@SECLEVEL=0';

export interface Certificate {
  key: Buffer;
  cert: Buffer;
  certPath: string;
}

export function defaultCertDir(): string {
  return process.env.TOD_SIM_CERT_DIR ?? join(tmpdir(), 'tod-sim-cert');
}

/** The cached certificate, generated on first use (written under a temp name, then renamed, so concurrent
 *  processes never read a half-written file). */
export function ensureCertificate(dir = defaultCertDir()): Certificate {
  const keyPath = join(dir, 'key.pem');
  const certPath = join(dir, 'cert.pem');
  if (!existsSync(keyPath) || !existsSync(certPath)) {
    mkdirSync(dir, { recursive: true });
    const tmp = `${process.pid}-${Date.now()}`;
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-keyout',
        join(dir, `key.${tmp}`),
        '-out',
        join(dir, `cert.${tmp}`),
        '-days',
        '3650',
        '-subj',
        '/CN=tod-sim',
        '-addext',
        'subjectAltName=IP:127.0.0.1,DNS:localhost',
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    renameSync(join(dir, `key.${tmp}`), keyPath);
    renameSync(join(dir, `cert.${tmp}`), certPath);
  }
  return { key: readFileSync(keyPath), cert: readFileSync(certPath), certPath };
}

export function certContext(c: Certificate): tls.SecureContext {
  return tls.createSecureContext({ key: c.key, cert: c.cert });
}

export function anonContext(): tls.SecureContext {
  return tls.createSecureContext({
    ciphers: ANON_CIPHERS,
    maxVersion: 'TLSv1.2',
    minVersion: 'TLSv1.2',
    dhparam: 'auto',
  } as tls.SecureContextOptions);
}

// Contexts of certificates set on api-ssl, by fingerprint: a context is costly to build, a connection is not.
const certContexts = new Map<string, tls.SecureContext>();

/** The TLS context of an imported certificate with its key and the issuing CAs the router holds. */
export function importedContext(fingerprint: string, cert: string, key: string, chain: string[]): tls.SecureContext {
  let ctx = certContexts.get(fingerprint);
  if (!ctx) {
    if (certContexts.size > 1000) certContexts.clear();
    ctx = tls.createSecureContext({ cert: [cert, ...chain].join('\n'), key });
    certContexts.set(fingerprint, ctx);
  }
  return ctx;
}
