// A device's SSH host key: ed25519 from a seed derived from the device's key and serial and a generation that
// `/ip ssh regenerate-host-key` advances, so the same device presents the same key after a simulator restart and
// a new one after regeneration. Written in OpenSSH's private key format (what ssh2 reads), with its fingerprint
// as OpenSSH prints it (`SHA256:` + unpadded base64 of the public key blob's SHA-256).
import { createHash, createPrivateKey, createPublicKey } from 'node:crypto';

export interface HostKey {
  /** OpenSSH private key (PEM-like text). */
  privateKey: string;
  /** The public key blob (`ssh-ed25519` wire format). */
  publicBlob: Buffer;
  fingerprint: string;
}

const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

function sshString(b: Buffer | string): Buffer {
  const body = typeof b === 'string' ? Buffer.from(b) : b;
  const len = Buffer.alloc(4);
  len.writeUInt32BE(body.length, 0);
  return Buffer.concat([len, body]);
}

export function fingerprintOf(publicBlob: Buffer): string {
  return `SHA256:${createHash('sha256').update(publicBlob).digest('base64').replace(/=+$/, '')}`;
}

export function hostKeyFor(deviceKey: string, serial: string, generation: number): HostKey {
  const seed = createHash('sha256').update(`tod-sim ssh host key\0${deviceKey}\0${serial}\0${generation}`).digest();
  const priv = createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]), format: 'der', type: 'pkcs8' });
  const spki = createPublicKey(priv).export({ format: 'der', type: 'spki' });
  const pub = spki.subarray(spki.length - 32);
  const publicBlob = Buffer.concat([sshString('ssh-ed25519'), sshString(pub)]);
  const check = Buffer.alloc(4);
  check.writeUInt32BE(seed.readUInt32BE(0), 0);
  let privSection = Buffer.concat([
    check,
    check,
    sshString('ssh-ed25519'),
    sshString(pub),
    sshString(Buffer.concat([seed, pub])),
    sshString(`tod-sim@${deviceKey}`),
  ]);
  const pad = (8 - (privSection.length % 8)) % 8;
  privSection = Buffer.concat([privSection, Buffer.from(Array.from({ length: pad }, (_, i) => i + 1))]);
  const body = Buffer.concat([
    Buffer.from('openssh-key-v1\0'),
    sshString('none'),
    sshString('none'),
    sshString(''),
    Buffer.from([0, 0, 0, 1]),
    sshString(publicBlob),
    sshString(privSection),
  ]);
  const b64 = body.toString('base64').replace(/.{1,70}/g, '$&\n');
  return {
    privateKey: `-----BEGIN OPENSSH PRIVATE KEY-----\n${b64}-----END OPENSSH PRIVATE KEY-----\n`,
    publicBlob,
    fingerprint: fingerprintOf(publicBlob),
  };
}
