import { join, resolve } from 'node:path';
import type { Config } from '../../platform/config/config.js';
import { ConfigError } from '../../platform/config/config.js';
import { type Pool, PoolError, poolOf } from './addressing.js';

// The WIREGUARD_* settings as the feature uses them, checked together (the block must fit the network) when the
// feature is built, so a bad combination stops TOD at start with the variables named.

export type VpnSettings = {
  dir: string;
  endpoint: string | undefined;
  pool: Pool;
  apply: boolean;
  forwardFrom: readonly string[];
  syslogPort: number;
};

export function vpnSettings(config: Config): VpnSettings {
  let pool: Pool;
  try {
    pool = poolOf(config.WIREGUARD_NETWORK, config.WIREGUARD_BLOCK_PREFIX, config.WIREGUARD_LISTEN_PORTS);
  } catch (e) {
    if (e instanceof PoolError) throw new ConfigError([e.message]);
    throw e;
  }
  return {
    dir: resolve(config.WIREGUARD_CONFIG_PATH ?? join(config.dataDir, 'wireguard')),
    endpoint: config.WIREGUARD_ENDPOINT,
    pool,
    apply: config.WIREGUARD_APPLY === 'auto',
    forwardFrom: config.WIREGUARD_FORWARD_FROM,
    syslogPort: config.SYSLOG_PORT,
  };
}
