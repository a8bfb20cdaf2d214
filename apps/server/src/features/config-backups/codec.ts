import { gunzipSync, gzipSync } from 'node:zlib';
import type { Envelope } from '../../platform/kms/envelope.js';
import type { KeyUse } from '../../platform/kms/key-use.js';

// Everything a backup stores is gzip'd then envelope-encrypted with the tenant's key. The context binds each
// ciphertext to its device, its content hash or version and its part, so a blob copied to another row (or another
// device's version) does not decrypt.

export type Part = 'normalized' | 'raw' | 'binary' | 'binary-password';

export const partContext = (deviceId: string, ref: string, part: Part) => `config:${deviceId}:${ref}:${part}`;

export function createCodec(envelope: Envelope) {
  return {
    async seal(
      tenantId: string,
      deviceId: string,
      ref: string,
      part: Part,
      data: Buffer | string,
      use: KeyUse,
    ): Promise<Buffer> {
      const plain = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
      return envelope.encrypt(tenantId, gzipSync(plain, { level: 6 }), partContext(deviceId, ref, part), use);
    },
    async open(tenantId: string, deviceId: string, ref: string, part: Part, sealed: Buffer, use: KeyUse) {
      return gunzipSync(await envelope.decrypt(tenantId, sealed, partContext(deviceId, ref, part), use));
    },
  };
}
export type Codec = ReturnType<typeof createCodec>;
