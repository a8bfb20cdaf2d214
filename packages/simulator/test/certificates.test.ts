// Certificates on v6 and v7: PEM files uploaded over SFTP (or made with /file/add on v7), `/certificate import`
// with its counts and failures, the rows `/certificate print` shows, and `/ip service` api-ssl `certificate=`
// deciding what a NEW TLS connection sees — verified by Node against the issuing CA made here with the openssl CLI.
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import { type RouterOSClient, TlsError, TrapError } from '@tod/routeros';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DeviceInfo, type Fleet, startFleet } from '../src/index.js';
import { connect, connectTls } from './helpers.js';
import { sftpOf, withSsh, writeFile } from './ssh-helpers.js';

let fleet: Fleet;
let dir: string;
const pem: Record<string, string> = {};
/** A PEM file made in beforeAll. */
const P = (file: string): string => pem[file] ?? '';

function openssl(...args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
}

/** A CA, a server certificate it signs for localhost/127.0.0.1, an unrelated CA, an encrypted copy of the key. */
function makePki(): void {
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  for (const [ca, cn] of [
    ['ca', 'TOD Test CA'],
    ['wrong-ca', 'Someone Else'],
  ] as const) {
    openssl(
      'req',
      '-x509',
      ...ec,
      '-keyout',
      `${ca}.key`,
      '-out',
      `${ca}.pem`,
      '-days',
      '3650',
      '-subj',
      `/O=TOD/CN=${cn}`,
    );
  }
  openssl('req', ...ec, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/C=LV/O=TOD/CN=router.test');
  writeFileSync(
    join(dir, 'ext.cnf'),
    'subjectAltName=DNS:localhost,IP:127.0.0.1\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n',
  );
  const sign = ['-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '825', '-sha256'];
  openssl('x509', '-req', '-in', 'server.csr', ...sign, '-out', 'server.pem', '-extfile', 'ext.cnf');
  openssl('pkcs8', '-topk8', '-in', 'server.key', '-out', 'server-enc.key', '-passout', 'pass:s3cret');
  for (const f of ['ca.pem', 'wrong-ca.pem', 'server.pem', 'server.key', 'server-enc.key'])
    pem[f] = readFileSync(join(dir, f), 'latin1');
}

const fingerprint = (text: string) => new X509Certificate(text).fingerprint256.replaceAll(':', '').toLowerCase();

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tod-sim-pki-'));
  makePki();
  fleet = await startFleet({
    specs: [{ version: '7.16' }, { version: '6.49.10' }, { version: '7.16' }, { version: '7.22' }],
    base: { users: [{ name: 'admin', password: 'pw' }] },
  });
});
afterAll(async () => {
  await fleet?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function upload(d: DeviceInfo, files: Record<string, string>): Promise<void> {
  await withSsh(d, async (c) => {
    const s = await sftpOf(c);
    for (const [name, text] of Object.entries(files)) await writeFile(s, `/${name}`, Buffer.from(text, 'latin1'));
  });
}

async function trapOf(p: Promise<unknown>): Promise<string> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(TrapError);
  return (e as TrapError).trapMessage;
}

/** A fresh TLS connection from Node to api-ssl, verifying against `ca` for `localhost`. */
function handshake(d: DeviceInfo, ca: string): Promise<tls.PeerCertificate> {
  return new Promise((resolve, reject) => {
    const s = tls.connect({ host: d.address, port: d.tlsPort as number, ca, servername: 'localhost' }, () => {
      const cert = s.getPeerCertificate();
      s.destroy();
      resolve(cert);
    });
    s.once('error', reject);
  });
}

const apiSsl = async (c: RouterOSClient) => (await c.command('/ip/service/print')).find((r) => r.name === 'api-ssl');

const certByName = async (c: RouterOSClient, name: string) =>
  (await c.command('/certificate/print')).find((r) => r.name === name);

describe.each([
  { i: 0, label: 'v7.16', iso: true },
  { i: 1, label: 'v6.49', iso: false },
])('$label: import over SFTP, api-ssl certificate', ({ i, iso }) => {
  it('imports the chain, then the key; prints RouterOS fields; a new TLS connection presents it', async () => {
    const d = fleet.devices[i] as DeviceInfo;
    await upload(d, { 'router.pem': P('server.pem') + P('ca.pem'), 'router.key': P('server.key') });
    const c = await connect(d);
    // A session opened before the change keeps what it got (the fleet's certificate).
    const before = await connectTls(d);
    try {
      expect(await c.command('/certificate/import', { 'file-name': 'router.pem', passphrase: '' })).toEqual([
        {
          'certificates-imported': '2',
          'private-keys-imported': '0',
          'files-imported': '1',
          'decryption-failures': '0',
          'keys-with-no-certificate': '0',
        },
      ]);
      expect((await certByName(c, 'router.pem_0'))?.['private-key']).toBe('false');
      const [keyed] = await c.command('/certificate/import', { 'file-name': 'router.key', passphrase: '' });
      expect(keyed).toMatchObject({
        'certificates-imported': '0',
        'private-keys-imported': '1',
        'files-imported': '1',
      });

      const server = await certByName(c, 'router.pem_0');
      const x = new X509Certificate(P('server.pem'));
      expect(server).toMatchObject({
        'common-name': 'router.test',
        country: 'LV',
        organization: 'TOD',
        'subject-alt-name': 'DNS:localhost,IP:127.0.0.1',
        'key-type': 'ec',
        'key-size': 'prime256v1',
        'digest-algorithm': 'sha256',
        'key-usage': 'digital-signature,key-encipherment,tls-server',
        issuer: 'O=TOD,CN=TOD Test CA',
        'serial-number': x.serialNumber.toLowerCase(),
        fingerprint: fingerprint(P('server.pem')),
        'days-valid': '825',
        'private-key': 'true',
        trusted: 'true',
        crl: 'false',
      });
      expect(server?.['invalid-after']).toMatch(iso ? /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/ : /^[a-z]{3}\/\d\d\/\d{4} /);
      expect(server?.['expires-after']).toMatch(/^1\d\dw\dd/);
      expect(server?.skid).toMatch(/^[0-9a-f]{40}$/);
      const ca = await certByName(c, 'router.pem_1');
      expect(ca).toMatchObject({ 'common-name': 'TOD Test CA', 'private-key': 'false', trusted: 'true' });
      expect(ca?.authority).toBeUndefined();

      await c.command('/ip/service/set', { numbers: 'api-ssl', certificate: 'router.pem_0' });
      expect((await apiSsl(c))?.certificate).toBe('router.pem_0');
      const peer = await handshake(d, P('ca.pem'));
      expect(peer.fingerprint256.replaceAll(':', '').toLowerCase()).toBe(fingerprint(P('server.pem')));
      expect(peer.subject.CN).toBe('router.test');
      // The TOD client verifies it too; an unrelated CA is refused.
      const verified = await connectTls(d, { tlsMode: 'verify', ca: P('ca.pem'), servername: 'localhost' });
      expect(verified.transport.kind).toBe('tls-verified');
      await verified.close();
      await expect(handshake(d, P('wrong-ca.pem'))).rejects.toThrow(/self.signed|unable to (get|verify)/);
      await expect(
        connectTls(d, { tlsMode: 'verify', ca: P('wrong-ca.pem'), servername: 'localhost' }),
      ).rejects.toBeInstanceOf(TlsError);
      // Existing connections are not affected.
      expect((await before.command('/system/identity/print'))[0]?.name).toBe('MikroTik');
      expect(before.transport.fingerprint).not.toBe(fingerprint(P('server.pem')).toUpperCase());

      // The export names the certificate on api-ssl; certificates themselves are never exported.
      await c.command('/export', { file: 'cfg' });
      const text = fleet.device(i).fileContents('cfg.rsc') ?? '';
      expect(text).toMatch(/^\/ip service\r?\n(.*\r?\n)*set api-ssl certificate=router\.pem_0/m);
      expect(text).not.toMatch(/^\/certificate\r?$/m);
      expect(text).not.toContain('BEGIN');

      // certificate=none: anonymous DH for new connections.
      await c.command('/ip/service/set', { numbers: 'api-ssl', certificate: 'none' });
      const anon = await connectTls(d);
      expect(anon.transport.kind).toBe('tls-anon');
      await anon.close();
    } finally {
      await before.close();
      await c.close();
    }
  });

  it('failures: no such file, not a certificate, wrong passphrase, a key without its certificate', async () => {
    const d = fleet.devices[i] as DeviceInfo;
    await upload(d, {
      'notes.txt': 'hello, not a certificate\n',
      'enc.key': P('server-enc.key'),
      'lonely.key': P('server.key'),
    });
    const c = await connect(d);
    try {
      expect(await trapOf(c.command('/certificate/import', { 'file-name': 'missing.pem' }))).toBe(
        'input does not match any value of file-name',
      );
      expect(await trapOf(c.command('/certificate/import', {}))).toBe('missing value(s) of argument(s) file-name');
      const zero = { 'certificates-imported': '0', 'private-keys-imported': '0', 'files-imported': '0' };
      expect((await c.command('/certificate/import', { 'file-name': 'notes.txt' }))[0]).toMatchObject(zero);
      // The key belongs to the certificate imported in the test before: only the right passphrase attaches it.
      await c.command('/certificate/remove', { numbers: 'router.pem_0' });
      await upload(d, { 'again.pem': P('server.pem') });
      const [cert] = await c.command('/certificate/import', { 'file-name': 'again.pem', passphrase: '' });
      expect(cert).toMatchObject({ 'certificates-imported': '1' });
      const [wrong] = await c.command('/certificate/import', { 'file-name': 'enc.key', passphrase: 'nope' });
      expect(wrong).toMatchObject({ ...zero, 'decryption-failures': '1' });
      expect((await certByName(c, 'again.pem_0'))?.['private-key']).toBe('false');
      const [right] = await c.command('/certificate/import', { 'file-name': 'enc.key', passphrase: 's3cret' });
      expect(right).toMatchObject({ 'private-keys-imported': '1', 'decryption-failures': '0' });
      expect((await certByName(c, 'again.pem_0'))?.['private-key']).toBe('true');
      // The same certificate again is not added twice.
      expect((await c.command('/certificate/import', { 'file-name': 'again.pem' }))[0]).toMatchObject({
        'certificates-imported': '0',
      });
      // A key whose certificate the router does not hold is counted and dropped.
      await c.command('/certificate/remove', { numbers: 'again.pem_0' });
      expect((await c.command('/certificate/import', { 'file-name': 'lonely.key' }))[0]).toMatchObject({
        'private-keys-imported': '0',
        'keys-with-no-certificate': '1',
      });
      expect(await trapOf(c.command('/ip/service/set', { numbers: 'api-ssl', certificate: 'nope' }))).toBe(
        'input does not match any value of certificate',
      );
      await c.command('/file/remove', { numbers: 'notes.txt,enc.key,lonely.key' });
      expect((await c.command('/file/print')).map((f) => f.name)).not.toContain('notes.txt');
    } finally {
      await c.close();
    }
  });
});

describe('api-ssl certificate lifecycle (v7)', () => {
  it('a certificate without its key: accepted, but handshakes fail; rename is followed; removal falls back to none', async () => {
    const d = fleet.devices[2] as DeviceInfo;
    const c = await connect(d);
    try {
      // v7 (7.9+) can create the file over the API.
      await c.command('/file/add', { name: 'ca.crt', contents: P('ca.pem') });
      const [r] = await c.command('/certificate/import', { 'file-name': 'ca.crt', name: 'tod-ca', trusted: 'yes' });
      expect(r).toMatchObject({ 'certificates-imported': '1' });
      await c.command('/ip/service/set', { numbers: 'api-ssl', certificate: 'tod-ca' });
      await expect(handshake(d, P('ca.pem'))).rejects.toThrow();

      await c.command('/file/add', { name: 'srv.pem', contents: P('server.pem') + P('server.key') });
      const [both] = await c.command('/certificate/import', { 'file-name': 'srv', name: 'tod' });
      expect(both).toMatchObject({ 'certificates-imported': '1', 'private-keys-imported': '1' });
      expect((await certByName(c, 'tod'))?.['private-key']).toBe('true');
      await c.command('/ip/service/set', { numbers: 'api-ssl', certificate: 'tod' });
      await c.command('/certificate/set', { numbers: 'tod', name: 'tod-router' });
      const svc = () => apiSsl(c);
      expect((await svc())?.certificate).toBe('tod-router');
      expect((await handshake(d, P('ca.pem'))).subject.CN).toBe('router.test');
      expect(await trapOf(c.command('/certificate/set', { numbers: 'tod-router', 'common-name': 'x' }))).toBe(
        'failure: common-name is read-only',
      );

      await c.command('/certificate/remove', { numbers: 'tod-router' });
      expect((await svc())?.certificate).toBe('none');
      const anon = await connectTls(d);
      expect(anon.transport.kind).toBe('tls-anon');
      await anon.close();
    } finally {
      await c.close();
    }
  });

  it('7.21+: trust-store', async () => {
    const d = fleet.devices[3] as DeviceInfo;
    const c = await connect(d);
    try {
      await c.command('/file/add', { name: 'ca.crt', contents: P('ca.pem') });
      await c.command('/certificate/import', { 'file-name': 'ca.crt', 'trust-store': 'api' });
      expect((await certByName(c, 'ca.crt_0'))?.['trust-store']).toBe('api');
      expect(
        await trapOf(
          connect(fleet.devices[0] as DeviceInfo).then((v7) =>
            v7.command('/certificate/import', { 'file-name': 'x', 'trust-store': 'all' }).finally(() => v7.close()),
          ),
        ),
      ).toBe('unknown parameter trust-store');
    } finally {
      await c.close();
    }
  });
});
