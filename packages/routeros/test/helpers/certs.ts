// Test certificates made with the openssl CLI: a CA, a router certificate signed by it for IP:127.0.0.1 and
// DNS:localhost, and one for DNS:localhost only. Made once per run by test/global-setup.ts (key generation under a
// busy machine took seconds, which pushed tests past their timeout); tests read them with testCerts().

import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { inject } from 'vitest';

export interface TestCerts {
  ca: string;
  cert: string;
  key: string;
  dnsOnlyCert: string;
  /** SHA-256 of `cert` as openssl prints it (AB:CD:...). */
  fingerprint: string;
  /** SHA-256 of the CA certificate: a valid-looking fingerprint that is not the router's. */
  otherFingerprint: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    routerosCerts: TestCerts;
  }
}

/** The run's certificates (made by test/global-setup.ts). */
export function testCerts(): TestCerts {
  return inject('routerosCerts');
}

/** Makes the certificates in `dir` (an empty directory the caller owns and removes). */
export function makeCerts(dir: string): TestCerts {
  const openssl = (...args: string[]) =>
    execFileSync('openssl', args, { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const days = '2';
  openssl(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
    '-days',
    days,
    '-subj',
    '/CN=TOD test CA',
  );
  openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'router.key', '-out', 'router.csr', '-subj', '/CN=router');
  writeFileSync(path.join(dir, 'ext.cnf'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  writeFileSync(path.join(dir, 'dns.cnf'), 'subjectAltName=DNS:localhost\n');
  const sign = (out: string, ext: string) =>
    openssl(
      'x509',
      '-req',
      '-in',
      'router.csr',
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-out',
      out,
      '-days',
      days,
      '-extfile',
      ext,
    );
  sign('router.pem', 'ext.cnf');
  sign('dns-only.pem', 'dns.cnf');
  const fp = (file: string) => openssl('x509', '-in', file, '-noout', '-fingerprint', '-sha256').trim().split('=')[1]!;
  const read = (file: string) => readFileSync(path.join(dir, file), 'utf8');
  return {
    ca: read('ca.pem'),
    cert: read('router.pem'),
    key: read('router.key'),
    dnsOnlyCert: read('dns-only.pem'),
    fingerprint: fp('router.pem'),
    otherFingerprint: fp('ca.pem'),
  };
}
