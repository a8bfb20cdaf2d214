/**
 * Wraps and unwraps tenants' data keys. The data key itself never leaves TOD's memory unwrapped; `tenant_keys` stores
 * it wrapped, with the provider's name and its `keyRef` (which key of the provider wrapped it).
 */
export type KeyProvider = {
  readonly name: string;
  wrap(tenantId: string, dataKey: Buffer): Promise<Wrapped>;
  unwrap(tenantId: string, wrapped: Buffer, keyRef: string): Promise<Buffer>;
  /** A new data key made by the provider (Transit's datakey endpoint); without it TOD draws one and wraps it. */
  generate?(tenantId: string): Promise<Wrapped & { dataKey: Buffer }>;
  /** Starts a new version of the tenant's key-encryption key (new wraps use it; older wraps still unwrap). */
  rotate?(tenantId: string): Promise<void>;
  /**
   * The wrapped key under the provider's newest key-encryption key, without TOD seeing the data key where the
   * provider can (Transit's rewrap endpoint); `undefined` when it already is.
   */
  rewrap?(tenantId: string, wrapped: Buffer, keyRef: string): Promise<Wrapped | undefined>;
};

export type Wrapped = { wrapped: Buffer; keyRef: string };

export type KmsErrorCode =
  | 'decrypt_failed'
  | 'unknown_key_version'
  | 'bad_ciphertext'
  /** The provider answered, but not with what was asked (a 4xx/5xx other than a refusal, a malformed reply). */
  | 'provider_failed'
  /** The provider refused TOD's token (401/403). */
  | 'provider_denied'
  /** The provider did not answer: connection refused, DNS, TLS, timeout. */
  | 'provider_unreachable'
  /** A stored key names a provider this process is not configured for (e.g. `transit` without OPENBAO_ADDR). */
  | 'provider_unavailable';

export class KmsError extends Error {
  constructor(
    readonly code: KmsErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'KmsError';
  }
}
