import type { Envelope } from '../../platform/kms/envelope.js';
import type { KeyUse } from '../../platform/kms/key-use.js';
import { generateKeyPair, generatePresharedKey } from './keys.js';
import { peerKeyContext, pskContext } from './seal.js';

// A router's keys: made by TOD (so onboarding can answer complete commands), sealed with the organisation's key under
// the peer's id, and opened only to show the commands once or to apply them through the safe-change engine.

export type PeerKeys = { privateKey: string; publicKey: string; presharedKey: string | null };
export type SealedPeerKeys = { private_key_enc: Buffer; preshared_key_enc: Buffer | null };

export async function makePeerKeys(
  envelope: Envelope,
  tenantId: string,
  peerId: string,
  withPsk: boolean,
  use: KeyUse,
): Promise<{ keys: PeerKeys; sealed: SealedPeerKeys }> {
  const pair = generateKeyPair();
  const presharedKey = withPsk ? generatePresharedKey() : null;
  return {
    keys: { ...pair, presharedKey },
    sealed: {
      private_key_enc: await envelope.encrypt(tenantId, pair.privateKey, peerKeyContext(peerId), use),
      preshared_key_enc: presharedKey ? await envelope.encrypt(tenantId, presharedKey, pskContext(peerId), use) : null,
    },
  };
}

export async function openPeerKeys(
  envelope: Envelope,
  tenantId: string,
  peer: { id: string; public_key: string } & SealedPeerKeys,
  use: KeyUse,
): Promise<PeerKeys> {
  const text = async (b: Buffer, context: string) =>
    (await envelope.decrypt(tenantId, b, context, use)).toString('utf8');
  return {
    privateKey: await text(peer.private_key_enc, peerKeyContext(peer.id)),
    publicKey: peer.public_key,
    presharedKey: peer.preshared_key_enc ? await text(peer.preshared_key_enc, pskContext(peer.id)) : null,
  };
}
