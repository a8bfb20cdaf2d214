import type { Config } from '../config/config.js';
import { localKeyProvider } from './local.js';
import type { KeyProvider } from './provider.js';
import { transitKeyProvider } from './transit.js';

/**
 * The key providers of this process: `transit` makes new keys when OPENBAO_ADDR and OPENBAO_TOKEN are set, else
 * `local`. `local` is always there to unwrap keys it wrapped before the switch (until `tod keys rewrap` moves them).
 */
export function keyProvidersFromConfig(config: Config): { provider: KeyProvider; providers: KeyProvider[] } {
  const local = localKeyProvider(config.credentialKey);
  if (!config.OPENBAO_ADDR || !config.OPENBAO_TOKEN) return { provider: local, providers: [local] };
  const transit = transitKeyProvider({
    addr: config.OPENBAO_ADDR,
    token: config.OPENBAO_TOKEN,
    mount: config.OPENBAO_TRANSIT_MOUNT,
    timeoutMs: config.OPENBAO_TIMEOUT_SECONDS * 1000,
  });
  return { provider: transit, providers: [local, transit] };
}

/** The unwrapped-key cache's bounds from the configuration. */
export const keyCacheFromConfig = (config: Config) => ({
  maxEntries: config.KMS_KEY_CACHE_SIZE,
  ttlMs: config.KMS_KEY_CACHE_TTL_SECONDS * 1000,
});
