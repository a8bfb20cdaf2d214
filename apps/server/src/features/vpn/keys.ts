import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes } from 'node:crypto';

// WireGuard keys as `wg genkey`, `wg pubkey` and `wg genpsk` write them: 32 raw bytes, standard base64 (44 characters).
// Node's X25519 keys export their raw bytes through JWK (base64url); WireGuard clamps the private scalar on use, as
// X25519 itself does, so the public key is the one `wg pubkey` derives (test/vpn/wg-tool.test.ts checks it).

export type KeyPair = { privateKey: string; publicKey: string };

const fromUrl = (s: string) => Buffer.from(s, 'base64url').toString('base64');
const PKCS8_X25519 = Buffer.from('302e020100300506032b656e04220420', 'hex');

/** A fresh key pair. */
export function generateKeyPair(): KeyPair {
  const { privateKey } = generateKeyPairSync('x25519');
  const jwk = privateKey.export({ format: 'jwk' }) as { d: string; x: string };
  return { privateKey: fromUrl(jwk.d), publicKey: fromUrl(jwk.x) };
}

/** The public key of a private key (throws on anything that is not 32 bytes of base64). */
export function publicKeyOf(privateKey: string): string {
  if (!isKey(privateKey)) throw new Error('not a WireGuard key');
  // PKCS#8 of an X25519 key: a fixed DER prefix, then the 32 raw bytes.
  const der = Buffer.concat([PKCS8_X25519, Buffer.from(privateKey, 'base64')]);
  const key = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
  return fromUrl((createPublicKey(key).export({ format: 'jwk' }) as { x: string }).x);
}

/** A preshared key: 32 random bytes. */
export const generatePresharedKey = () => randomBytes(32).toString('base64');

/** 32 bytes in standard base64, as WireGuard writes keys. */
export const isKey = (s: string) => /^[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=$/.test(s);
