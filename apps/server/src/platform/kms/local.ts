import { hkdfSync } from 'node:crypto';
import { open, seal } from './aead.js';
import { type KeyProvider, KmsError } from './provider.js';

/**
 * The single-install key provider: each tenant's key-encryption key is derived (HKDF-SHA256) from
 * CREDENTIAL_ENCRYPTION_KEY and the tenant id, so a wrapped data key only unwraps for its own tenant.
 */
export function localKeyProvider(masterKey: Buffer): KeyProvider {
  if (masterKey.length !== 32) throw new Error('CREDENTIAL_ENCRYPTION_KEY must be 32 bytes');
  const kek = (tenantId: string) =>
    Buffer.from(hkdfSync('sha256', masterKey, Buffer.from('tod/kms/local/v1'), Buffer.from(`kek:${tenantId}`), 32));
  const aad = (tenantId: string) => Buffer.from(`tod/dek/${tenantId}`);
  return {
    name: 'local',
    async wrap(tenantId, dataKey) {
      return { wrapped: seal(kek(tenantId), dataKey, aad(tenantId)), keyRef: 'local:v1' };
    },
    async unwrap(tenantId, wrapped, keyRef) {
      if (keyRef !== 'local:v1')
        throw new KmsError('unknown_key_version', `key reference ${keyRef} is not a local key`);
      try {
        return open(kek(tenantId), wrapped, aad(tenantId));
      } catch {
        throw new KmsError('decrypt_failed', 'data key does not unwrap: CREDENTIAL_ENCRYPTION_KEY changed?');
      }
    },
  };
}
