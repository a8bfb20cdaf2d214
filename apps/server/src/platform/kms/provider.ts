/** Wraps and unwraps tenants' data keys. The data key itself never leaves TOD's memory unwrapped. */
export type KeyProvider = {
  readonly name: string;
  wrap(tenantId: string, dataKey: Buffer): Promise<{ wrapped: Buffer; keyRef: string }>;
  unwrap(tenantId: string, wrapped: Buffer, keyRef: string): Promise<Buffer>;
};

export class KmsError extends Error {
  constructor(
    readonly code: 'decrypt_failed' | 'unknown_key_version' | 'bad_ciphertext' | 'provider_failed',
    message: string,
  ) {
    super(message);
    this.name = 'KmsError';
  }
}
